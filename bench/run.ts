/**
 * npm run bench: Switchyard's speed and memory figures, on SQLite and (when DATABASE_URL is a
 * postgres:// URL) on PostgreSQL, in one run on the same machine. Prints:
 * - allocations/s for one Allocate With Carrier Service request of 10,000 consignments, and the
 *   time per consignment for batches of 10, 100, 1,000 and 10,000 (it should stay flat);
 * - single-consignment allocation requests/s with p50/p99 latency at 32 connections;
 * - the ceilings to compare against: the same database writes done directly (no HTTP), and a
 *   trivial authenticated route on the same server, each as a ratio;
 * - the server process's peak RSS;
 * - choosing the service: default-rules allocation of 10,000 consignments against 50 rated
 *   services under 10 rules, and the latency of quoting one consignment against the 50.
 * Targets (2 cores): batch ≥ 20,000/s and ≥ 0.35 of the direct writes; batch of 10 within 2× of 10,000 per consignment; singles ≥ 2,000 req/s with p99 < 30 ms; RSS < 200 MB;
 * default rules ≥ 6,000/s; one quote p99 < 5 ms. BENCH_PARTS=carrier-service or =choosing runs one part;
 * BENCH_PARTS=labels runs the labels' part (bench/labels.ts), =manifest the manifest's (bench/manifest.ts),
 * =tracking tracking events ingested in batches of 100 (bench/tracking.ts, target ≥ 5,000/s),
 * =webhooks the webhooks' (bench/webhooks.ts: deliveries per second, change-to-delivery latency, the batch with three endpoints),
 * =bulk bulk creates of 10,000 against single creates (bench/bulk.ts, target ≥ 10,000/s),
 * =workers single allocations with SWITCHYARD_WORKERS=1 against =2 on PostgreSQL (bench/workers.ts).
 * BENCH_PARTS=scale (never by default: it stores 1,000,000 consignments) allocation and searches at
 * that size (bench/scale.ts). BENCH_PARTS=console (never by default either) times the operator console's
 * searches, orders and summaries at 100,000 consignments in one subscription (bench/console.ts).
 */
import { runWebhooksBench } from './webhooks.js';
import { once } from 'node:events';
import { load, SERVICE, singleAllocations } from './load.js';
import { seedConsignments } from './seed.js';
import { benchRules, writeFiftyServiceCatalogue } from './fifty-services.js';
import { runLabels } from './labels.js';
import { runManifestBench } from './manifest.js';
import { runTrackingBench } from './tracking.js';
import { runBulkBench } from './bulk.js';
import { runWorkersBench } from './workers.js';
import { runScaleBench } from './scale.js';
import { runConsoleBench } from './console.js';
import { cpuSeconds, cpuStat, fmt, stealShare } from './host-figures.js';
import { benchTargets, configFor, KEY, peakRssMb, rssMb, startDirectWrites, startServer, type Target } from './targets.js';

const SINGLES = Number(process.env.BENCH_SINGLES ?? 20_000);
/**
 * Batch sizes for the time-per-consignment figure, each run this many times (the median is shown):
 * small batches often enough that one slow request (a collection, a neighbour's burst) cannot be
 * the median.
 */
const FLATNESS: [size: number, runs: number][] = [
  [10, 51],
  [100, 11],
  [1_000, 3],
  [10_000, 1],
];
/** Consignments allocated (in batches of 30) before anything is measured, so that the server's hot code is compiled, as in a server that has been up a while. */
const WARM_UP = 3_000;
/** 10,000 batches run one after another, the RSS read after each: it should not grow. */
const REPEATS = 5;
const DIRECT = 10_000;

async function allocateBatch(url: string, refs: string[]): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/allocation/allocatewithcarrierservice`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': KEY },
    body: JSON.stringify({ MpdCarrierServiceReference: SERVICE, ConsignmentReferences: refs }),
  });
  const body = (await res.json()) as { StatusCode: number }[];
  const ms = performance.now() - started;
  if (res.status !== 200 || body.length !== refs.length || body.some((b) => b.StatusCode !== 200)) throw new Error(`batch of ${refs.length} failed: ${res.status}`);
  return ms;
}

async function run(target: Target): Promise<void> {
  console.log(`\n== ${target.name} ==`);
  const total = WARM_UP + FLATNESS.reduce((n, [size, runs]) => n + size * runs, 0) + REPEATS * 10_000 + SINGLES + DIRECT;
  let seedStarted = performance.now();
  const refs = await seedConsignments(configFor(target), target.schema, total);
  console.log(`seeded ${fmt(total)} consignments in ${fmt((performance.now() - seedStarted) / 1000, 1)} s`);
  let cursor = 0;
  const take = (n: number) => refs.slice(cursor, (cursor += n));

  const { child, url } = await startServer(target);
  try {
    for (let i = 0; i < WARM_UP; i += 30) await allocateBatch(url, take(30));
    const perConsignment: string[] = [];
    const usPerConsignment = new Map<number, number>();
    let batchRate = 0;
    let batchCpuUs = 0;
    const stat = cpuStat();
    for (const [size, runs] of FLATNESS) {
      const times: number[] = [];
      const cpuBefore = cpuSeconds(child.pid!);
      for (let r = 0; r < runs; r++) times.push(await allocateBatch(url, take(size)));
      if (size === 10_000) batchCpuUs = ((cpuSeconds(child.pid!) - cpuBefore) * 1e6) / (size * runs);
      const ms = times.sort((a, b) => a - b)[Math.floor(runs / 2)];
      perConsignment.push(`${fmt(size)}: ${fmt((ms * 1000) / size)} µs`);
      usPerConsignment.set(size, (ms * 1000) / size);
      if (size === 10_000) batchRate = (size / ms) * 1000;
    }
    const repeated: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      await allocateBatch(url, take(10_000));
      repeated.push(rssMb(child.pid!));
    }
    const rssAfterBatches = peakRssMb(child.pid!);
    const single = await singleAllocations(url, KEY, take(SINGLES));
    const rssAfterSingles = peakRssMb(child.pid!);
    const trivial = await load({ url: `${url}/carriers/getcarriers`, connections: 32, duration: 5, headers: { 'ocp-apim-subscription-key': KEY } });
    const rss = peakRssMb(child.pid!);
    child.kill('SIGTERM');
    await once(child, 'exit');
    const writes = await startDirectWrites(target, take(DIRECT));
    const direct = await writes.run();
    await writes.close();

    const non2xx = single.non2xx + single.errors;
    console.log(`batch of 10,000:           ${fmt(batchRate)} allocations/s   (target ≥ 20,000); server CPU ${fmt(batchCpuUs)} µs per allocation; ${fmt(stealShare(stat) * 100)}% of the host's CPU time was stolen meanwhile`);
    console.log(`time per consignment:      ${perConsignment.join(' | ')}   (median request time / batch size, HTTP included)   10 / 10,000 = ${fmt(usPerConsignment.get(10)! / usPerConsignment.get(10_000)!, 2)} (target ≤ 2)`);
    console.log(`direct writes (no HTTP):   ${fmt(direct)} allocations/s, 100 per group commit   batch/direct = ${fmt(batchRate / direct, 2)} (target ≥ 0.35)`);
    console.log(`single allocations:        ${fmt(single.requests.average)} req/s, p50 ${single.latency.p50} ms, p99 ${single.latency.p99} ms at 32 connections (target ≥ 2,000 req/s, p99 < 30 ms)${non2xx ? `, ${non2xx} non-2xx/errors` : ''}`);
    const trivialNon2xx = trivial.non2xx + trivial.errors;
    console.log(`trivial route:             ${fmt(trivial.requests.average)} req/s (GET /carriers/getcarriers)   singles/trivial = ${fmt(single.requests.average / trivial.requests.average, 2)}${trivialNon2xx ? `, ${trivialNon2xx} non-2xx/errors` : ''}`);
    console.log(`server peak RSS:           ${fmt(rss, 1)} MB   (target < 200 MB; ${fmt(rssAfterBatches, 1)} MB after the batches, ${fmt(rssAfterSingles, 1)} MB after the single allocations)`);
    console.log(`RSS after ${REPEATS} batches:     ${repeated.map((m) => fmt(m, 1)).join(' | ')} MB, one 10,000 batch after another   last/first = ${fmt(repeated[REPEATS - 1] / repeated[0], 2)} (no growth: ≈ 1)`);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

const CHOOSING_BATCH = 10_000;
const QUOTES = Number(process.env.BENCH_QUOTES ?? 2_000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': KEY },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * Choosing the service: default-rules allocation of 10,000 consignments against a catalogue of 50
 * rated services under 10 rules (target ≥ 6,000/s), and quoting one stored consignment against
 * the 50 services, one request at a time (target p99 < 5 ms).
 */
async function runChoosing(target: Target): Promise<void> {
  console.log(`\n== ${target.name}: choosing among 50 services, 10 rules ==`);
  const env = { SWITCHYARD_CATALOGUE: writeFiftyServiceCatalogue() };
  const refs = await seedConsignments(configFor(target, env), target.schema, WARM_UP + CHOOSING_BATCH + QUOTES);
  let cursor = 0;
  const take = (n: number) => refs.slice(cursor, (cursor += n));
  const { child, url } = await startServer(target, env);
  try {
    for (const rule of benchRules()) {
      const res = await call(url, 'POST', '/allocationrules', rule);
      if (res.status !== 201) throw new Error(`rule ${JSON.stringify(rule)}: ${res.status} ${await res.text()}`);
    }
    const allocate = async (batch: string[]) => {
      const started = performance.now();
      const res = await call(url, 'PUT', '/allocation/allocate', { ConsignmentReferences: batch });
      const body = (await res.json()) as { StatusCode: number; CarrierServiceReference: string }[];
      const ms = performance.now() - started;
      if (res.status !== 200 || body.length !== batch.length || body.some((b) => b.StatusCode !== 200)) throw new Error(`default-rules batch of ${batch.length} failed: ${res.status}`);
      return { ms, services: new Set(body.map((b) => b.CarrierServiceReference)) };
    };
    for (let i = 0; i < WARM_UP; i += 30) await allocate(take(30));
    const stat = cpuStat();
    const cpuBefore = cpuSeconds(child.pid!);
    const { ms, services } = await allocate(take(CHOOSING_BATCH));
    const cpuUs = ((cpuSeconds(child.pid!) - cpuBefore) * 1e6) / CHOOSING_BATCH;
    const steal = stealShare(stat);
    const quoteRefs = take(QUOTES);
    const times: number[] = [];
    const quoteStat = cpuStat();
    const quoteCpuBefore = cpuSeconds(child.pid!);
    for (const ref of quoteRefs) {
      const started = performance.now();
      const res = await call(url, 'GET', `/quotes/consignment/${ref}`);
      const result = (await res.json()) as { Quotes: unknown[]; UnqualifiedServices: unknown[] };
      times.push(performance.now() - started);
      if (res.status !== 200 || result.Quotes.length + result.UnqualifiedServices.length !== 50) throw new Error(`quote of ${ref} failed: ${res.status}`);
    }
    const quoteCpuMs = ((cpuSeconds(child.pid!) - quoteCpuBefore) * 1000) / quoteRefs.length;
    times.sort((a, b) => a - b);
    console.log(`default rules, 10,000:     ${fmt((CHOOSING_BATCH / ms) * 1000)} allocations/s, ${fmt((ms * 1000) / CHOOSING_BATCH)} µs each (target ≥ 6,000/s); server CPU ${fmt(cpuUs)} µs per allocation; ${fmt(steal * 100)}% stolen; chose ${services.size} service(s): ${[...services].join(', ')}`);
    console.log(`quote against 50 services: p50 ${fmt(percentile(times, 50), 2)} ms, p99 ${fmt(percentile(times, 99), 2)} ms, max ${fmt(times[times.length - 1], 2)} ms over ${fmt(QUOTES)} sequential GET /quotes/consignment (target p99 < 5 ms); server CPU ${fmt(quoteCpuMs, 2)} ms per quote; ${fmt(stealShare(quoteStat) * 100)}% stolen`);
    console.log(`server peak RSS:           ${fmt(peakRssMb(child.pid!), 1)} MB`);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

const targets = await benchTargets();
console.log(`Switchyard benchmark on ${process.version}, ${(await import('node:os')).cpus().length} cores`);
const parts = (process.env.BENCH_PARTS ?? 'carrier-service,choosing,labels,manifest,tracking,bulk,workers,webhooks').split(',');
for (const target of targets) {
  try {
    if (parts.includes('carrier-service')) await run(target);
    if (parts.includes('choosing')) {
      await target.cleanup();
      await runChoosing(target);
    }
    if (parts.includes('labels')) {
      await target.cleanup();
      await runLabels(target, { configFor, startServer, cpuSeconds, cpuStat, stealShare });
    }
    if (parts.includes('manifest')) {
      await target.cleanup();
      await runManifestBench({ name: target.name, config: configFor(target), schema: target.schema, key: KEY, start: () => startServer(target) });
    }
    if (parts.includes('tracking')) {
      await target.cleanup();
      await runTrackingBench({ name: target.name, config: configFor(target), schema: target.schema, key: KEY, start: (env) => startServer(target, env) });
    }
    if (parts.includes('bulk')) {
      await target.cleanup();
      await runBulkBench({ name: target.name, config: configFor(target), schema: target.schema, key: KEY, start: () => startServer(target, { SWITCHYARD_BACKGROUND_JOBS: 'false' }) });
    }
    if (parts.includes('workers')) {
      await target.cleanup();
      await runWorkersBench({ name: target.name, config: configFor(target), schema: target.schema, key: KEY });
    }
    if (parts.includes('webhooks')) {
      await target.cleanup();
      await runWebhooksBench(target, { configFor, startServer });
    }
    if (parts.includes('scale')) {
      await target.cleanup();
      await runScaleBench(target, { configFor, startServer });
    }
    if (parts.includes('console')) {
      await target.cleanup();
      await runConsoleBench(target, { configFor, startServer });
    }
  } finally {
    await target.cleanup();
  }
}
