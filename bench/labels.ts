/**
 * BENCH_PARTS=labels: labels per second over HTTP for a one-package consignment in PDF, ZPL and
 * PNG (GET /labels/{ref}/{format}, JSON with the file in base64, as the SDK asks) at 8
 * connections: first prints (each also records LabelsPrinted), then reprints of the same
 * consignments; and the latency of one PDF label (a first print), one request at a time. Targets (2 cores): PDF ≥ 200/s, ZPL ≥ 3,000/s,
 * PNG ≥ 50/s, p99 of one PDF label < 25 ms. Figures are printed, never asserted.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import type { Config } from '../src/config.js';
import { seedConsignments } from './seed.js';
import { fmt } from './host-figures.js';

const KEY = 'bench-key';
const COUNTS = { PDF: Number(process.env.BENCH_LABELS_PDF ?? 3_000), ZPL: Number(process.env.BENCH_LABELS_ZPL ?? 30_000), PNG: Number(process.env.BENCH_LABELS_PNG ?? 1_000) };
const SEQUENTIAL = Number(process.env.BENCH_LABELS_SEQUENTIAL ?? 1_000);
const WARM_UP = 200;

interface Target {
  name: string;
  schema?: string;
}

/** What bench/run.ts lends this part: its server start and its CPU readings. */
export interface LabelBenchTools {
  configFor(target: Target): Config;
  startServer(target: Target): Promise<{ child: ChildProcess; url: string }>;
  cpuSeconds(pid: number): number;
  cpuStat(): number[];
  stealShare(since: number[]): number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function allocateAll(url: string, refs: string[]): Promise<void> {
  for (let i = 0; i < refs.length; i += 5_000) {
    const batch = refs.slice(i, i + 5_000);
    const res = await fetch(`${url}/allocation/allocatewithcarrierservice`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': KEY },
      body: JSON.stringify({ MpdCarrierServiceReference: 'Example-Carrier-Service', ConsignmentReferences: batch }),
    });
    const body = (await res.json()) as { StatusCode: number }[];
    if (res.status !== 200 || body.some((b) => b.StatusCode !== 200)) throw new Error(`allocating the labels' consignments failed: ${res.status}`);
  }
}

function load(url: string, format: string, refs: string[]): Promise<autocannon.Result> {
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: 8,
        amount: refs.length,
        requests: [{ method: 'GET', headers: { 'ocp-apim-subscription-key': KEY }, setupRequest: (req) => ({ ...req, path: `/labels/${refs[next++ % refs.length]}/${format}` }) }],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

async function fetchLabel(url: string, ref: string, format: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/labels/${ref}/${format}`, { headers: { 'ocp-apim-subscription-key': KEY } });
  const body = (await res.json()) as { File?: string };
  if (res.status !== 200 || !body.File) throw new Error(`label of ${ref} failed: ${res.status}`);
  return performance.now() - started;
}

export async function runLabels(target: Target, tools: LabelBenchTools): Promise<void> {
  console.log(`\n== ${target.name}: labels of a one-package consignment ==`);
  const total = WARM_UP + COUNTS.PDF + COUNTS.ZPL + COUNTS.PNG + SEQUENTIAL;
  const refs = await seedConsignments(tools.configFor(target), target.schema, total);
  let cursor = 0;
  const take = (n: number) => refs.slice(cursor, (cursor += n));
  const { child, url } = await tools.startServer(target);
  try {
    await allocateAll(url, refs);
    for (const [i, ref] of take(WARM_UP).entries()) await fetchLabel(url, ref, ['pdf', 'zpl', 'png'][i % 3]);
    for (const format of ['PDF', 'ZPL', 'PNG'] as const) {
      const batch = take(COUNTS[format]);
      // First prints (each also records LabelsPrinted, one conditional UPDATE), then reprints of the same labels.
      for (const kind of ['first prints', 'reprints']) {
        const stat = tools.cpuStat();
        const cpuBefore = tools.cpuSeconds(child.pid!);
        const result = await load(url, format.toLowerCase(), batch);
        const cpuMs = ((tools.cpuSeconds(child.pid!) - cpuBefore) * 1000) / batch.length;
        const failed = result.non2xx + result.errors;
        console.log(
          `${format} ${kind}:`.padEnd(27) +
            `${fmt(result.requests.average)} labels/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms at 8 connections over ${fmt(batch.length)}; server CPU ${fmt(cpuMs, 2)} ms per label; ${fmt(tools.stealShare(stat) * 100)}% stolen${failed ? `; ${failed} failed` : ''}`,
        );
      }
    }
    const times: number[] = [];
    const stat = tools.cpuStat();
    for (const ref of take(SEQUENTIAL)) times.push(await fetchLabel(url, ref, 'pdf'));
    times.sort((a, b) => a - b);
    console.log(`one PDF label at a time:   p50 ${fmt(percentile(times, 50), 2)} ms, p99 ${fmt(percentile(times, 99), 2)} ms, max ${fmt(times[times.length - 1], 2)} ms over ${fmt(SEQUENTIAL)} sequential requests (target p99 < 25 ms); ${fmt(tools.stealShare(stat) * 100)}% stolen`);
    console.log('targets (2 cores): PDF ≥ 200/s, ZPL ≥ 3,000/s, PNG ≥ 50/s');
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
