/** The databases a bench part runs against, and the server under benchmark as its own process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config.js';

export const KEY = 'bench-key';

export interface Target {
  name: string;
  url: string;
  schema?: string;
  cleanup(): Promise<void>;
}

export async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  return { name: 'SQLite', url: `sqlite:${join(dir, 'bench.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

export async function postgresTarget(url: string): Promise<Target> {
  const schema = `sy_bench_${process.pid}`;
  const drop = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  };
  await drop();
  return { name: 'PostgreSQL', url, schema, cleanup: drop };
}

/** SQLite, and PostgreSQL too when DATABASE_URL is a postgres:// URL; BENCH_DATABASES=sqlite (or =postgres) runs on one of them only. */
export async function benchTargets(): Promise<Target[]> {
  const databases = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',');
  const targets: Target[] = databases.includes('sqlite') ? [await sqliteTarget()] : [];
  if (process.env.DATABASE_URL?.startsWith('postgres') && databases.includes('postgres')) targets.push(await postgresTarget(process.env.DATABASE_URL));
  return targets;
}

export function configFor(target: Target, env: Record<string, string> = {}): Config {
  return loadConfig({ DATABASE_URL: target.url, SWITCHYARD_DEMO_API_KEY: KEY, LOG_LEVEL: 'warn', ...env });
}

/** Where a wrapped process's diagnostics go (valgrind's and its own), to read when it fails. */
export interface Wrap {
  command: string[];
  log: string;
}

/**
 * Starts bench/bench-server.mjs (the compiled build) with the same V8 flags as npm start; `wrap`
 * runs it under another program (valgrind), whose process is then the server's; `nodeFlags` are more of node's own (--cpu-prof).
 */
export async function startServer(target: Target, env: Record<string, string> = {}, wrap?: Wrap, nodeFlags: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const command = [...(wrap?.command ?? []), process.execPath, '--max-semi-space-size=8', ...nodeFlags, 'bench/bench-server.mjs'];
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, DATABASE_URL: target.url, SWITCHYARD_DEMO_API_KEY: KEY, BENCH_SCHEMA: target.schema ?? '', ...env },
    stdio: ['ignore', 'pipe', wrap ? openSync(wrap.log, 'a') : 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  return { child, url: JSON.parse(line).url };
}

function statusMb(pid: number, field: string): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The process's peak resident memory so far. */
export function peakRssMb(pid: number): number {
  return statusMb(pid, 'VmHWM');
}

/** The process's resident memory now. */
export function rssMb(pid: number): number {
  return statusMb(pid, 'VmRSS');
}

/**
 * The batch's writes straight through the repository, 100 per group commit, in a process of its
 * own (bench/direct-writes.mjs): started and ready (the first `warmUp` written, uncounted); `run` makes the writes and answers their rate,
 * `close` ends the process.
 */
export async function startDirectWrites(target: Target, refs: string[], wrap?: Wrap, warmUp = 0): Promise<{ child: ChildProcess; run(): Promise<number>; close(): Promise<void> }> {
  const command = [...(wrap?.command ?? []), process.execPath, 'bench/direct-writes.mjs'];
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, DATABASE_URL: target.url, SWITCHYARD_DEMO_API_KEY: KEY, BENCH_SCHEMA: target.schema ?? '', BENCH_WARM_UP: String(warmUp) },
    stdio: ['pipe', 'pipe', wrap ? openSync(wrap.log, 'a') : 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const line = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('bench/direct-writes.mjs ended early');
    return value as string;
  };
  child.stdin!.write(`${JSON.stringify(refs)}\n`);
  if ((await line()) !== 'ready') throw new Error('bench/direct-writes.mjs did not start');
  return {
    child,
    async run() {
      child.stdin!.write('go\n');
      const { ms, count } = JSON.parse(await line()) as { ms: number; count: number };
      return (count / ms) * 1000;
    },
    async close() {
      child.stdin!.write('exit\n');
      await once(child, 'exit');
    },
  };
}
