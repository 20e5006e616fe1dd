/**
 * BENCH_PARTS=manifest: a manifest of 1,000 consignments (target on 2 cores: < 2 s including its
 * PDF), over HTTP against the server as its own process: PUT /consignments/manifest of 1,000
 * allocated consignments (one carrier, one location, one day: one manifest), then the manifest's
 * PDF downloaded (GET /consignments/customer/manifest/{ref} with Accept: application/pdf). Three
 * runs after a warm-up; each run's figures and the median are printed, with the server's CPU time
 * and the share of the host's CPU stolen meanwhile.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { createContext } from '../src/app.js';
import type { Config } from '../src/config.js';
import { formatReference } from '../src/domain/references.js';
import { seedDemo } from '../src/demo/seed-demo.js';
import { readConsignment } from '../src/use-cases/input/consignment-reader.js';
import { cpuSeconds, cpuStat, fmt, stealShare } from './host-figures.js';

const SIZE = 1000;
const RUNS = 3;
const WARM_UP = 100;

export interface ManifestBenchTarget {
  name: string;
  config: Config;
  schema?: string;
  key: string;
  start(): Promise<{ child: ChildProcess; url: string }>;
}

/** Consignments shipping a week ahead on a Wednesday, so that no cut-off passes while the benchmark runs on the real clock. */
export async function seed(target: Pick<ManifestBenchTarget, 'config' | 'schema' | 'key'>, count: number): Promise<string[]> {
  const ctx = await createContext(target.config, { logger: pino({ level: 'warn' }), database: { schema: target.schema } });
  try {
    await seedDemo(ctx, target.key);
    const sub = await ctx.database.db.selectFrom('subscriptions').select('id').executeTakeFirstOrThrow();
    let day = DateTime.utc().plus({ days: 7 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
    while (day.weekday !== 3) day = day.plus({ days: 1 });
    const data = await readConsignment(ctx, sub.id, {
      ShippingDate: day.toISO()!,
      Packages: [{ Description: 'Bench parcel', Weight: { Value: 2, Unit: 'Kg' }, Dimensions: { Unit: 'Cm', Length: 30, Width: 20, Height: 10 }, Value: { Amount: 25, Currency: { IsoCode: 'GBP' } } }],
      Addresses: [
        { AddressType: 'Origin', ShippingLocationReference: 'WH-MAN-01' },
        { AddressType: 'Destination', Contact: { FirstName: 'Zoë', LastName: 'Bench' }, AddressLine1: '1 Bench Road', Town: 'Leeds', Postcode: 'LS1 4AP', Country: { IsoCode: { TwoLetterCode: 'GB' } } },
      ],
    });
    const first = (await ctx.sequences.next('EC', count))[0];
    const packages = await ctx.sequences.next('EP', count);
    const rows = Array.from({ length: count }, (_, j) => ({
      reference: formatReference('EC', first + j),
      data: { ...data, packages: [{ ...data.packages[0], reference: formatReference('EP', packages[j]) }] },
    }));
    await ctx.consignments.insertMany(sub.id, rows, new Date().toISOString());
    return rows.map((r) => r.reference);
  } finally {
    await ctx.database.close();
  }
}

export async function runManifestBench(target: ManifestBenchTarget): Promise<void> {
  console.log(`\n== ${target.name}: a manifest of ${fmt(SIZE)} consignments ==`);
  const refs = await seed(target, WARM_UP + RUNS * SIZE);
  const { child, url } = await target.start();
  const call = async (method: string, path: string, body?: unknown, accept = 'application/json') =>
    fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', accept, 'ocp-apim-subscription-key': target.key }, body: body === undefined ? undefined : JSON.stringify(body) });
  try {
    const allocated = await call('PUT', '/allocation/allocatewithcarrierservice', { MpdCarrierServiceReference: 'Example-Carrier-Service', ConsignmentReferences: refs });
    const items = (await allocated.json()) as { StatusCode: number }[];
    if (items.some((i) => i.StatusCode !== 200)) throw new Error('allocating the benchmark consignments failed');
    /** One manifest of `batch` and its PDF: the times of each, and the PDF's size. */
    const manifestAndPdf = async (batch: string[]) => {
      const started = performance.now();
      const res = await call('PUT', '/consignments/manifest', { ConsignmentReferences: batch });
      const answer = (await res.json()) as { IsSuccess: boolean; Message: string }[];
      const manifested = performance.now();
      if (res.status !== 200 || answer.some((a) => !a.IsSuccess)) throw new Error(`manifest of ${batch.length} failed: ${res.status} ${answer.find((a) => !a.IsSuccess)?.Message}`);
      const [newest] = (await (await call('GET', '/consignments/customer/manifests')).json()) as { ManifestReference: string; BookingsCount: number }[];
      if (newest.BookingsCount !== batch.length) throw new Error(`the newest manifest has ${newest.BookingsCount} consignments, not ${batch.length}`);
      const listed = performance.now();
      const pdf = Buffer.from(await (await call('GET', `/consignments/customer/manifest/${newest.ManifestReference}`, undefined, 'application/pdf')).arrayBuffer());
      if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('the manifest file is not a PDF');
      const done = performance.now();
      return { manifestMs: manifested - started, pdfMs: done - listed, totalMs: manifested - started + (done - listed), pdfKb: pdf.length / 1024 };
    };
    for (let i = 0; i < WARM_UP; i += 25) await manifestAndPdf(refs.slice(i, i + 25));
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      const batch = refs.slice(WARM_UP + r * SIZE, WARM_UP + (r + 1) * SIZE);
      const stat = cpuStat();
      const cpuBefore = cpuSeconds(child.pid!);
      const run = await manifestAndPdf(batch);
      runs.push({ ...run, cpuMs: (cpuSeconds(child.pid!) - cpuBefore) * 1000, steal: stealShare(stat) });
    }
    for (const [i, r] of runs.entries()) {
      console.log(`run ${i + 1}: manifest ${fmt(r.manifestMs)} ms + its PDF ${fmt(r.pdfMs)} ms (${fmt(r.pdfKb)} KB) = ${fmt(r.totalMs)} ms; server CPU ${fmt(r.cpuMs)} ms; ${fmt(r.steal * 100)}% stolen`);
    }
    const median = [...runs].sort((a, b) => a.totalMs - b.totalMs)[Math.floor(runs.length / 2)];
    console.log(`manifest of ${fmt(SIZE)}:       ${fmt(median.totalMs)} ms median with its PDF (target < 2,000 ms): ${fmt(median.manifestMs)} ms to manifest, ${fmt(median.pdfMs)} ms for the PDF`);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
