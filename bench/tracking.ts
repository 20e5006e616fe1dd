/**
 * BENCH_PARTS=tracking: tracking events ingested per second over HTTP, in batches of 100 (target
 * on 2 cores: ≥ 5,000 events/s). 5,000 manifested one-package consignments each get ten events
 * (collected, in transit, at customs, … delivered, each moving its state), pushed to
 * POST /tracking/carrierevents by tracking reference by four clients at once, each over its own
 * consignments in time order, so that every event is new and every batch changes 100
 * consignments. Printed with the server's CPU time per event, the share of the host's CPU stolen
 * meanwhile, and, side by side, the same use-case without HTTP (another 5,000 consignments).
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import type { Config } from '../src/config.js';
import { hashApiKey } from '../src/use-cases/subscriptions.js';
import { recordCarrierEvents, type CarrierEventInput } from '../src/use-cases/tracking.js';
import { seed } from './manifest.js';
import { cpuSeconds, cpuStat, fmt, stealShare } from './host-figures.js';

const CONSIGNMENTS = Number(process.env.BENCH_TRACKING_CONSIGNMENTS ?? 5_000);
const BATCH = 100;
const CLIENTS = 4;
const CODES = ['COLLECTED', 'IN_TRANSIT', 'AT_CUSTOMS', 'IN_TRANSIT', 'DELAYED', 'IN_TRANSIT', 'HELD_BY_CARRIER', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED'];

export interface TrackingBenchTarget {
  name: string;
  config: Config;
  schema?: string;
  key: string;
  start(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }>;
}

/** Each consignment's ten events, an hour apart from a fixed start, as batches of 100 (one event of each of 100 consignments). */
function batchesOf(trackingReferences: string[]): CarrierEventInput[][] {
  const batches: CarrierEventInput[][] = [];
  const start = Date.UTC(2030, 0, 7, 8);
  for (let from = 0; from < trackingReferences.length; from += BATCH) {
    const group = trackingReferences.slice(from, from + BATCH);
    CODES.forEach((code, step) => {
      batches.push(group.map((t, i) => ({
        trackingReference: t,
        consignmentReference: null,
        packageReference: null,
        leg: null,
        timeStamp: new Date(start + step * 3_600_000 + i * 1000).toISOString(),
        code,
        description: `Bench event ${step + 1}`,
        location: 'Bench depot',
        signedBy: code === 'DELIVERED' ? 'Bench' : null,
      })));
    });
  }
  return batches;
}

const wire = (batch: CarrierEventInput[]) =>
  JSON.stringify(batch.map((e) => ({ TrackingReference: e.trackingReference, TimeStamp: e.timeStamp, Code: e.code, Description: e.description, Location: e.location, SignedBy: e.signedBy })));

export async function runTrackingBench(target: TrackingBenchTarget): Promise<void> {
  console.log(`\n== ${target.name}: tracking events in batches of ${BATCH} ==`);
  const refs = await seed(target, 2 * CONSIGNMENTS);
  const { child, url } = await target.start({ SWITCHYARD_BACKGROUND_JOBS: 'false' });
  const call = async (method: string, path: string, body?: string) =>
    fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': target.key }, body });
  let direct: CarrierEventInput[][] = [];
  try {
    for (let i = 0; i < refs.length; i += 5_000) {
      const part = refs.slice(i, i + 5_000);
      const allocated = (await (await call('PUT', '/allocation/allocatewithcarrierservice', JSON.stringify({ MpdCarrierServiceReference: 'Example-Carrier-Service', ConsignmentReferences: part }))).json()) as { StatusCode: number; ConsignmentLegs: { TrackingReferences: string[] }[] }[];
      if (allocated.some((a) => a.StatusCode !== 200)) throw new Error('allocating the benchmark consignments failed');
      const manifested = (await (await call('PUT', '/consignments/manifest', JSON.stringify({ ConsignmentReferences: part }))).json()) as { IsSuccess: boolean }[];
      if (manifested.some((m) => !m.IsSuccess)) throw new Error('manifesting the benchmark consignments failed');
    }
    const tracking: string[] = [];
    for (const ref of refs) {
      const c = (await (await call('GET', `/consignments/${ref}`)).json()) as { ConsignmentLegs: { TrackingReferences: string[] }[] };
      tracking.push(c.ConsignmentLegs[0].TrackingReferences[0]);
    }
    const overHttp = batchesOf(tracking.slice(0, CONSIGNMENTS));
    direct = batchesOf(tracking.slice(CONSIGNMENTS));
    // Client k sends the batches of its own consignments (every CLIENTS-th group of 100), in time order.
    const perClient = Array.from({ length: CLIENTS }, (_, k) => overHttp.filter((_, i) => Math.floor(i / CODES.length) % CLIENTS === k).map(wire));
    const stat = cpuStat();
    const cpuBefore = cpuSeconds(child.pid!);
    const started = performance.now();
    await Promise.all(perClient.map(async (bodies) => {
      for (const body of bodies) {
        const res = await call('POST', '/tracking/carrierevents', body);
        const items = (await res.json()) as { IsSuccess: boolean; Message: string }[];
        if (res.status !== 200 || items.length !== BATCH || items.some((i) => !i.IsSuccess || i.Message !== 'Tracking event recorded')) throw new Error(`a batch failed: ${res.status} ${JSON.stringify(items.find((i) => !i.IsSuccess))}`);
      }
    }));
    const ms = performance.now() - started;
    const events = overHttp.length * BATCH;
    const rate = (events / ms) * 1000;
    const cpuUs = ((cpuSeconds(child.pid!) - cpuBefore) * 1e6) / events;
    const steal = stealShare(stat);
    const delivered = (await (await call('GET', `/consignments/${refs[0]}`)).json()) as { ConsignmentState: string };
    if (delivered.ConsignmentState !== 'Delivered') throw new Error(`the first consignment is ${delivered.ConsignmentState} after its events`);
    child.kill('SIGTERM');
    await once(child, 'exit');
    const directRate = await directIngest(target, direct);
    console.log(`tracking events:           ${fmt(rate)} events/s over HTTP in batches of ${BATCH}, ${CLIENTS} clients (target ≥ 5,000/s); ${fmt(events)} events in ${fmt(ms)} ms; server CPU ${fmt(cpuUs)} µs per event; ${fmt(steal * 100)}% of the host's CPU time was stolen meanwhile`);
    console.log(`the same without HTTP:     ${fmt(directRate)} events/s (the use-case, one batch at a time)   HTTP/direct = ${fmt(rate / directRate, 2)}`);
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
}

/** The use-case itself, in this process, one batch after another: the ceiling for the HTTP figure. */
async function directIngest(target: TrackingBenchTarget, batches: CarrierEventInput[][]): Promise<number> {
  const app = await createApp({ ...target.config, workers: false, demo: false }, { logger: pino({ level: 'warn' }), database: { schema: target.schema } });
  try {
    const row = (await app.ctx.subscriptions.findByKeyHash(hashApiKey(target.key)))!;
    const caller = { subscriptionId: row.id, subscriptionReference: row.reference, enabledServices: await app.ctx.subscriptions.enabledServiceKeys(row.id) };
    const started = performance.now();
    for (const batch of batches) {
      const outcomes = await recordCarrierEvents(app.ctx, caller, batch);
      if (outcomes.some((o) => o.kind !== 'recorded')) throw new Error(`a direct batch failed: ${JSON.stringify(outcomes.find((o) => o.kind !== 'recorded'))}`);
    }
    return ((batches.length * BATCH) / (performance.now() - started)) * 1000;
  } finally {
    await app.close();
  }
}
