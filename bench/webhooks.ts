/**
 * BENCH_PARTS=webhooks (decisions.md §13; issue 11's targets, on 2 cores):
 * - a steady stream of allocations (100 every 100 ms, so 2,000 events a second: each allocation is a
 *   state change and an allocation) to one endpoint taking every event: events delivered per second
 *   to a local receiver (target ≥ 2,000/s) and change-to-delivery latency, from the event's
 *   timestamp to its arrival (target p99 < 500 ms);
 * - the 10,000 batch's allocation rate with three endpoints taking every event, beside the rate with
 *   them disabled, alternated, each batch after the last one's deliveries (target ≥ 0.85).
 * The receivers run in this process; the server is the compiled build with its background jobs on.
 * Printed with the server's CPU time and the host's CPU stolen meanwhile.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import type { Config } from '../src/config.js';
import { cpuSeconds, cpuStat, fmt, stealShare } from './host-figures.js';
import { seedConsignments } from './seed.js';
import { KEY, type Target } from './targets.js';
import { SERVICE } from './load.js';

const STREAM_SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 10);
const STREAM_BATCH = 100;
const STREAM_EVERY_MS = 100;
const BATCH = 10_000;
const ROUNDS = 3;

interface Deps {
  configFor(target: Target, env?: Record<string, string>): Config;
  startServer(target: Target, env?: Record<string, string>): Promise<{ child: ChildProcess; url: string }>;
}

/** A receiver that answers 204 at once and notes when each delivery arrived and how late it was. */
class Receiver {
  count = 0;
  latencies: number[] = [];
  first = 0;
  last = 0;
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        const now = Date.now();
        res.writeHead(204).end();
        this.count++;
        this.first ||= now;
        this.last = now;
        this.latencies.push(now - Date.parse(JSON.parse(body).timestamp));
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  reset(): void {
    this.count = 0;
    this.latencies = [];
    this.first = this.last = 0;
  }

  async until(count: number, timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.count < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (this.count < count) throw new Error(`only ${this.count} of ${count} deliveries arrived`);
  }

  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': KEY }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

const allocate = (url: string, refs: string[]) => call(url, 'PUT', '/allocation/allocatewithcarrierservice', { MpdCarrierServiceReference: SERVICE, ConsignmentReferences: refs });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function runWebhooksBench(target: Target, { configFor, startServer }: Deps): Promise<void> {
  console.log(`\n== ${target.name}: webhooks ==`);
  const streamCount = STREAM_SECONDS * (1000 / STREAM_EVERY_MS) * STREAM_BATCH;
  const refs = await seedConsignments(configFor(target), target.schema, streamCount + 2 * ROUNDS * BATCH);
  let cursor = 0;
  const take = (n: number) => refs.slice(cursor, (cursor += n));
  const receivers = await Promise.all([0, 1, 2].map(() => new Receiver().start()));
  const { child, url } = await startServer(target, { SWITCHYARD_BACKGROUND_JOBS: 'true', SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'true' });
  try {
    // A steady stream to one endpoint.
    const stream = await call(url, 'POST', '/webhooks', { Url: receivers[0].url, EventTypes: ['*'] });
    const stat = cpuStat();
    const cpuBefore = cpuSeconds(child.pid!);
    const started = performance.now();
    for (let i = 0; i < STREAM_SECONDS * (1000 / STREAM_EVERY_MS); i++) {
      const due = started + i * STREAM_EVERY_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
      void allocate(url, take(STREAM_BATCH));
    }
    await receivers[0].until(2 * streamCount);
    const cpuMs = (cpuSeconds(child.pid!) - cpuBefore) * 1000;
    const sorted = [...receivers[0].latencies].sort((a, b) => a - b);
    const rate = (receivers[0].count / (receivers[0].last - receivers[0].first)) * 1000;
    console.log(`stream of ${fmt(2 * streamCount)} events (2,000/s offered), one endpoint: ${fmt(rate)} delivered/s (target ≥ 2,000/s); change to delivery p50 ${fmt(percentile(sorted, 50))} ms, p99 ${fmt(percentile(sorted, 99))} ms, max ${fmt(sorted.at(-1)!)} ms (target p99 < 500 ms); server CPU ${fmt((cpuMs * 1000) / receivers[0].count)} µs per event delivered (allocations included); ${fmt(stealShare(stat) * 100)}% stolen`);
    await call(url, 'DELETE', `/webhooks/${stream.Reference}`);

    // The 10,000 batch without and with three endpoints taking every event.
    const three = await Promise.all(receivers.map((r) => call(url, 'POST', '/webhooks', { Url: r.url, EventTypes: ['*'], IsEnabled: false })));
    const setEnabled = (enabled: boolean) => Promise.all(three.map((w, i) => call(url, 'PUT', `/webhooks/${w.Reference}`, { Url: receivers[i].url, EventTypes: ['*'], IsEnabled: enabled })));
    const rates: Record<'without' | 'with', number[]> = { without: [], with: [] };
    const steal = cpuStat();
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ['without', 'with'] as const) {
        await setEnabled(kind === 'with');
        for (const r of receivers) r.reset();
        const t0 = performance.now();
        await allocate(url, take(BATCH));
        rates[kind].push((BATCH / (performance.now() - t0)) * 1000);
        if (kind === 'with') {
          await Promise.all(receivers.map((r) => r.until(2 * BATCH)));
          const delivered = receivers.reduce((n, r) => n + r.count, 0);
          const span = Math.max(...receivers.map((r) => r.last)) - Math.min(...receivers.map((r) => r.first));
          console.log(`  round ${round + 1}: ${fmt(delivered)} deliveries to three endpoints in ${fmt(span / 1000, 1)} s after the batch began: ${fmt((delivered / span) * 1000)} delivered/s`);
        } else await new Promise((r) => setTimeout(r, 500));
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`batch of 10,000:           ${fmt(median(rates.without))} allocations/s without webhooks, ${fmt(median(rates.with))} with three endpoints taking every event   with/without = ${fmt(median(rates.with) / median(rates.without), 2)} (target ≥ 0.85; rounds ${rates.without.map((w, i) => `${fmt(w)}/${fmt(rates.with[i])}`).join(', ')}); ${fmt(stealShare(steal) * 100)}% stolen`);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
    await Promise.all(receivers.map((r) => r.close()));
  }
}
