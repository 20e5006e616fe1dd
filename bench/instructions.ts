/**
 * npm run bench:instructions: instructions counted by callgrind (valgrind) in the server process,
 * which, unlike times, stay the same on a busy machine, so that a change can be judged by them.
 * Prints, on SQLite (and PostgreSQL when DATABASE_URL is a postgres:// URL), per unit of work:
 * - a batch allocation of BENCH_BATCH (10,000) consignments, per consignment (target ≤ 250 k);
 * - the same writes made straight through the repository, 100 per group commit (the ceiling);
 * - single allocations, one request at a time, per request (target ≤ 1.3 M);
 * - a trivial authenticated GET, per request (what any request costs).
 * Each figure is counted between a callgrind zero and dump around that work alone, after a
 * warm-up of WARM_UP consignments, so that start-up and most compilation are left out (every
 * thread is counted: the garbage collector's and the compiler's too). Slow: valgrind runs the
 * server some 50× slower (BENCH_BATCH=2000 BENCH_SINGLES=100 for a quicker look). Skips, saying so,
 * without valgrind.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { seedConsignments } from './seed.js';
import { fmt } from './host-figures.js';
import { SERVICE } from './load.js';
import { benchTargets, configFor, KEY, startDirectWrites, startServer, type Target } from './targets.js';

const BATCH = Number(process.env.BENCH_BATCH ?? 10_000);
const SINGLES = Number(process.env.BENCH_SINGLES ?? 300);
const TRIVIAL = 300;
/** Consignments allocated (half in batches, half one per request) before anything is counted, so that V8 has compiled the hot code: its compiler threads are counted too. */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 3_000);

function hasValgrind(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Counts the instructions the process runs during `work`: zero, work, dump, read the dump's total. */
async function counted(pid: number, dir: string, work: () => Promise<unknown>): Promise<number> {
  const before = new Set(readdirSync(dir));
  execFileSync('callgrind_control', ['--zero', String(pid)], { stdio: 'ignore' });
  await work();
  execFileSync('callgrind_control', ['--dump', String(pid)], { stdio: 'ignore' });
  const dump = readdirSync(dir).find((f) => !before.has(f) && /\.\d+$/.test(f));
  if (!dump) throw new Error('callgrind wrote no dump');
  const m = /^summary: (\d+)$/m.exec(readFileSync(join(dir, dump), 'utf8'));
  if (!m) throw new Error(`no summary in ${dump}`);
  return Number(m[1]);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

async function run(target: Target): Promise<void> {
  console.log(`\n== ${target.name} ==`);
  const refs = await seedConsignments(configFor(target), target.schema, WARM_UP + BATCH + SINGLES + WARM_UP + BATCH);
  let cursor = 0;
  const take = (n: number) => refs.slice(cursor, (cursor += n));
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-callgrind-'));
  const wrap = { command: ['valgrind', '--tool=callgrind', `--callgrind-out-file=${join(dir, 'callgrind.%p')}`], log: join(dir, 'valgrind.log') };
  try {
    const { child, url } = await startServer(target, {}, wrap);
    try {
      // One request at a time: fetch keeps its connection alive, as a client of the API would.
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': KEY },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status}`);
      };
      const allocate = (batch: string[]) => call('PUT', '/allocation/allocatewithcarrierservice', { MpdCarrierServiceReference: SERVICE, ConsignmentReferences: batch });
      let started = performance.now();
      const lap = (what: string) => {
        if (process.env.BENCH_VERBOSE) console.log(`  ${what}: ${fmt((performance.now() - started) / 1000, 1)} s`);
        started = performance.now();
      };
      lap('server started');
      for (let i = 0; i < WARM_UP / 2; i += 100) await allocate(take(100));
      for (let i = 0; i < WARM_UP / 2; i++) await allocate(take(1));
      for (let i = 0; i < 100; i++) await call('GET', '/carriers/getcarriers');
      lap('warmed up');
      const batch = take(BATCH);
      const batchCount = await counted(child.pid!, dir, () => allocate(batch));
      lap('batch');
      const singles = take(SINGLES);
      const singleCount = await counted(child.pid!, dir, async () => {
        for (const ref of singles) await allocate([ref]);
      });
      lap('singles');
      const trivialCount = await counted(child.pid!, dir, async () => {
        for (let i = 0; i < TRIVIAL; i++) await call('GET', '/carriers/getcarriers');
      });
      lap('trivial');
      const writes = await startDirectWrites(target, take(WARM_UP + BATCH), wrap, WARM_UP);
      const directCount = await counted(writes.child.pid!, dir, () => writes.run());
      await writes.close();
      lap('direct writes');
      console.log(`batch of ${fmt(BATCH)}:            ${fmt(batchCount / BATCH / 1000)} k instructions per consignment (target ≤ 250 k)`);
      console.log(`direct writes:              ${fmt(directCount / BATCH / 1000)} k per consignment, 100 per group commit   batch/direct = ${fmt(batchCount / directCount, 2)}`);
      console.log(`single allocations:         ${fmt(singleCount / SINGLES / 1e6, 2)} M instructions per request (target ≤ 1.3 M)`);
      console.log(`trivial GET:                ${fmt(trivialCount / TRIVIAL / 1e6, 2)} M per request   singles/trivial = ${fmt(singleCount / SINGLES / (trivialCount / TRIVIAL), 2)}`);
    } catch (error) {
      console.log(`the server under callgrind failed; the end of its log:\n${readFileSync(wrap.log, 'utf8').split('\n').slice(-30).join('\n')}`);
      throw error;
    } finally {
      await stop(child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!hasValgrind()) {
  console.log('bench:instructions skipped: valgrind is not installed (apt-get install valgrind)');
} else {
  console.log(`Switchyard instruction counts (callgrind) on ${process.version}`);
  for (const target of await benchTargets()) {
    try {
      await run(target);
    } finally {
      await target.cleanup();
    }
  }
}
