/**
 * BENCH_PARTS=workers: single-consignment allocation requests (32 connections, as the
 * carrier-service part) against `serve` with SWITCHYARD_WORKERS=1 and =2 on the same machine and
 * PostgreSQL, one after the other, each on its own fresh consignments; prints both req/s and p99
 * with the ratio 2 workers / 1, the server processes' CPU time per request, and the share of the
 * host's CPU stolen meanwhile. PostgreSQL only (SQLite refuses several workers). The servers run
 * the build (dist/main.js), as npm start does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { singleAllocations } from './load.js';
import type { Config } from '../src/config.js';
import { seedConsignments } from './seed.js';
import { cpuSeconds, cpuStat, fmt, stealShare } from './host-figures.js';

const SINGLES = Number(process.env.BENCH_SINGLES ?? 20_000);
const WARM_UP = 1_000;

export interface WorkersBenchTarget {
  name: string;
  config: Config;
  /** The schema the seeding writes into (the server is pointed at it through the URL). */
  schema?: string;
  key: string;
}

/** A port that was free a moment ago (serve needs a fixed one: every worker listens on it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The server processes' CPU seconds: the primary and every child of it (its workers). */
function treeCpuSeconds(pid: number): number {
  let total = cpuSeconds(pid);
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
      try {
        total += cpuSeconds(Number(child));
      } catch {
        // exited meanwhile
      }
    }
  }
  return total;
}

/** The host's busy share of CPU time since `since` (cpuStat()): with PostgreSQL and the load generator on the same cores, near 100% says the figure is CPU-bound. */
function busyShare(since: number[]): number {
  const delta = cpuStat().map((v, i) => v - (since[i] ?? 0));
  const total = delta.slice(0, 8).reduce((a, b) => a + b, 0);
  return total ? 1 - (delta[3] + delta[4]) / total : 0;
}

async function startServe(target: WorkersBenchTarget, workers: number): Promise<{ child: ChildProcess; url: string }> {
  const separator = target.config.databaseUrl.includes('?') ? '&' : '?';
  const url = target.schema ? `${target.config.databaseUrl}${separator}options=${encodeURIComponent(`-c search_path=${target.schema}`)}` : target.config.databaseUrl;
  const port = await freePort();
  const child = spawn(process.execPath, ['--max-semi-space-size=8', 'dist/main.js', 'serve'], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', SWITCHYARD_DEMO_API_KEY: target.key, SWITCHYARD_WORKERS: String(workers), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Ready when every worker listens: one process says "Switchyard listening on", a primary "listening with N workers".
  const ready = workers === 1 ? /Switchyard listening on/ : new RegExp(`listening with ${workers} workers`);
  for await (const line of createInterface({ input: child.stdout! })) {
    if (ready.test(line)) break;
  }
  child.stdout!.resume();
  return { child, url: `http://127.0.0.1:${port}` };
}

interface Figures {
  rate: number;
  p50: number;
  p99: number;
  cpuUs: number;
  steal: number;
  busy: number;
  failed: number;
}

async function measure(target: WorkersBenchTarget, workers: number, refs: string[]): Promise<Figures> {
  const { child, url } = await startServe(target, workers);
  try {
    await singleAllocations(url, target.key, refs.slice(0, WARM_UP));
    const stat = cpuStat();
    const cpuBefore = treeCpuSeconds(child.pid!);
    const result = await singleAllocations(url, target.key, refs.slice(WARM_UP));
    const cpuUs = ((treeCpuSeconds(child.pid!) - cpuBefore) * 1e6) / (refs.length - WARM_UP);
    return { rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs, steal: stealShare(stat), busy: busyShare(stat), failed: result.non2xx + result.errors };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

export async function runWorkersBench(target: WorkersBenchTarget): Promise<void> {
  console.log(`\n== ${target.name}: SWITCHYARD_WORKERS=1 against =2 ==`);
  if (!target.config.databaseUrl.startsWith('postgres')) {
    console.log('skipped: several workers need PostgreSQL (SQLite refuses SWITCHYARD_WORKERS > 1)');
    return;
  }
  const refs = await seedConsignments(target.config, target.schema, 2 * (WARM_UP + SINGLES));
  const figures: Figures[] = [];
  for (const [i, workers] of [1, 2].entries()) {
    const f = await measure(target, workers, refs.slice(i * (WARM_UP + SINGLES), (i + 1) * (WARM_UP + SINGLES)));
    figures.push(f);
    console.log(`single allocations, ${workers} worker${workers > 1 ? 's' : ' '}: ${fmt(f.rate)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms at 32 connections; server CPU ${fmt(f.cpuUs)} µs per request; ${fmt(f.steal * 100)}% of the host's CPU time was stolen meanwhile, ${fmt(f.busy * 100)}% busy${f.failed ? `, ${f.failed} non-2xx/errors` : ''}`);
  }
  const [one, two] = figures;
  console.log(`2 workers / 1:             ${fmt(two.rate / one.rate, 2)} × the req/s, ${fmt(two.p99 / one.p99, 2)} × the p99 (PostgreSQL shares the same cores)`);
}
