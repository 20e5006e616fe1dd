/**
 * npm run bench:profile: where the server's time goes, by function. The server (the compiled
 * build) runs under V8's sampling profiler (--cpu-prof) while it allocates one BENCH_BATCH
 * (10,000) batch, then BENCH_SINGLES (2,000) single allocations at 32 connections, each after a
 * warm-up, three times over; each part in a server of its own, so that its profile is its own. Prints, per part, the
 * functions with the most self time, and the share of each source (our code, each package, V8's
 * garbage collector and the rest), and leaves the .cpuprofile files (open them in Chrome's
 * DevTools) in the directory it names. BENCH_PARTS=choosing profiles default rules and quotes
 * over 50 services instead (=carrier-service,choosing, the default, both). On SQLite, or PostgreSQL with BENCH_DATABASES=postgres and
 * DATABASE_URL.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { seedConsignments } from './seed.js';
import { fmt } from './host-figures.js';
import { SERVICE, singleAllocations } from './load.js';
import { benchRules, writeFiftyServiceCatalogue } from './fifty-services.js';
import { benchTargets, configFor, KEY, startServer, type Target } from './targets.js';

const BATCH = Number(process.env.BENCH_BATCH ?? 10_000);
const SINGLES = Number(process.env.BENCH_SINGLES ?? 2_000);
const WARM_UP = 2_000;
const TOP = Number(process.env.BENCH_TOP ?? 25);
/** The work is done this many times after the warm-up, so that start-up is a small part of the profile. */
const ROUNDS = 3;
/** carrier-service (a batch and single allocations to one service) and choosing (default rules and quotes over 50 services). */
const PARTS = (process.env.BENCH_PARTS ?? 'carrier-service,choosing').split(',');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function comes from: a package, our own code, node itself, or V8's pseudo-frames (garbage collector, program). */
function sourceOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node';
  return 'switchyard';
}

function summarise(file: string, what: string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = ({ callFrame: { functionName, url, lineNumber } }: ProfileNode) => `${functionName || '(anonymous)'}  ${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}`;
  const byFunction = new Map<string, number>();
  const bySource = new Map<string, number>();
  /** Time in our own functions and everything they call (each function counted once per sample). */
  const ours = new Map<string, number>();
  for (const [id, us] of self) {
    const node = nodes.get(id)!;
    const { functionName, url } = node.callFrame;
    if (functionName === '(idle)') {
      total -= us;
      continue;
    }
    const key = keyOf(node);
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const source = sourceOf(url, functionName);
    bySource.set(source, (bySource.get(source) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const caller = nodes.get(at)!;
      if (!caller.callFrame.url.includes('/dist/')) continue;
      const k = keyOf(caller);
      if (!seen.has(k)) ours.set(k, (ours.get(k) ?? 0) + us);
      seen.add(k);
    }
  }
  const pct = (us: number) => `${fmt((us / total) * 100, 1).padStart(5)} %`;
  console.log(`\n${what}: ${fmt(total / 1000)} ms busy`);
  console.log('  by source:');
  for (const [source, us] of [...bySource].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`    ${pct(us)}  ${source}`);
  console.log(`  top ${TOP} functions by self time:`);
  for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`    ${pct(us)}  ${key}`);
  console.log(`  top ${TOP} of our functions, with what they call:`);
  for (const [key, us] of [...ours].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`    ${pct(us)}  ${key}`);
}

async function profiled(target: Target, dir: string, name: string, work: (call: (refs: string[]) => Promise<void>, url: string) => Promise<void>, env: Record<string, string> = {}): Promise<void> {
  const out = join(dir, name);
  const { child, url } = await startServer(target, env, undefined, ['--cpu-prof', `--cpu-prof-dir=${out}`, '--cpu-prof-interval=200']);
  const allocate = async (refs: string[]) => {
    const res = await fetch(`${url}/allocation/allocatewithcarrierservice`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': KEY },
      body: JSON.stringify({ MpdCarrierServiceReference: SERVICE, ConsignmentReferences: refs }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`allocate: ${res.status}`);
  };
  try {
    await work(allocate, url);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  // CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile: the main thread's is thread 0 (the checkpoint and render threads write their own).
  const file = readdirSync(out).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  if (!file) throw new Error(`no profile of the main thread in ${out}`);
  summarise(join(out, file), `${target.name}, ${name}`);
}

async function request(url: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': KEY }, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** Choosing the service: default rules over 50 rated services under 10 rules (a batch of BENCH_BATCH), then BENCH_SINGLES quotes one at a time. */
async function runChoosing(target: Target, dir: string): Promise<void> {
  const env = { SWITCHYARD_CATALOGUE: writeFiftyServiceCatalogue() };
  const refs = await seedConsignments(configFor(target, env), target.schema, 2 * WARM_UP + ROUNDS * (BATCH + SINGLES));
  let cursor = 0;
  const take = (n: number) => refs.slice(cursor, (cursor += n));
  const withRules = async (url: string) => {
    for (const rule of benchRules()) if ((await request(url, 'POST', '/allocationrules', rule)).status !== 201) throw new Error('a bench rule was refused');
  };
  const allocate = async (url: string, batch: string[]) => {
    const res = await request(url, 'PUT', '/allocation/allocate', { ConsignmentReferences: batch });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`default rules: ${res.status}`);
  };
  await profiled(target, dir, `default rules over 50 services, ${BATCH}`, async (_allocate, url) => {
    await withRules(url);
    for (let i = 0; i < WARM_UP; i += 100) await allocate(url, take(100));
    for (let i = 0; i < ROUNDS; i++) await allocate(url, take(BATCH));
  }, env);
  await profiled(target, dir, `${SINGLES * ROUNDS} quotes against 50 services`, async (_allocate, url) => {
    for (const ref of [...take(WARM_UP), ...take(SINGLES * ROUNDS)]) {
      const res = await request(url, 'GET', `/quotes/consignment/${ref}`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`quote: ${res.status}`);
    }
  }, env);
}

async function run(target: Target, dir: string): Promise<void> {
  const refs = await seedConsignments(configFor(target), target.schema, 2 * WARM_UP + ROUNDS * (BATCH + SINGLES));
  let cursor = 0;
  const take = (n: number) => refs.slice(cursor, (cursor += n));
  await profiled(target, dir, `batch of ${BATCH}`, async (allocate) => {
    for (let i = 0; i < WARM_UP; i += 100) await allocate(take(100));
    for (let i = 0; i < ROUNDS; i++) await allocate(take(BATCH));
  });
  await profiled(target, dir, `${SINGLES * ROUNDS} single allocations at 32 connections`, async (_allocate, url) => {
    await singleAllocations(url, KEY, take(WARM_UP));
    await singleAllocations(url, KEY, take(SINGLES * ROUNDS));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'switchyard-profile-'));
console.log(`Switchyard CPU profiles (warm-up included) in ${dir}`);
for (const target of await benchTargets()) {
  try {
    if (PARTS.includes('carrier-service')) await run(target, dir);
    if (PARTS.includes('choosing')) await runChoosing(target, dir);
  } finally {
    await target.cleanup();
  }
}
