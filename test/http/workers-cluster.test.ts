/**
 * SWITCHYARD_WORKERS=2 (docs/operations.md, "Several processes"): the primary forks two workers on one port,
 * both serve, a worker that dies is replaced, and SIGTERM stops them all. PostgreSQL only; on
 * SQLite the server refuses to start with a clear message.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { crashDatabase, freePort, killAllServers, spawnServer, type CrashDatabase, type ServerProcess } from '../support/crash-server.js';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const KEY = 'cluster-test-key';
const postgresUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;
const ENV = { LOG_LEVEL: 'info', SWITCHYARD_WORKERS: '2', SWITCHYARD_BACKGROUND_JOBS: 'false', SWITCHYARD_RENDER_THREADS: '0', SWITCHYARD_DEMO_STORIES: 'false' };

/** The worker processes of a primary: its children that run the server (not tsx's esbuild). */
function workersOf(pid: number): number[] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  return children.filter(running);
}

function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('main.ts');
  } catch {
    return false;
  }
}

/** CPU time (clock ticks) the process has used. */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** One GET on a connection of its own (so that the cluster's round-robin hands it to the next worker). */
function getOnNewConnection(url: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { agent: false, headers: { 'ocp-apim-subscription-key': KEY, connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('SWITCHYARD_WORKERS=2 on PostgreSQL', { skip: postgresUrl ? false : 'several workers need PostgreSQL (set DATABASE_URL=postgres://…); skipping' }, () => {
  let database: CrashDatabase | undefined;
  let server: ServerProcess | undefined;

  before(async () => {
    database = await crashDatabase(postgresUrl);
    server = await spawnServer({ databaseUrl: database.url, apiKey: KEY, env: ENV });
  });
  after(async () => {
    await server?.kill('SIGKILL');
    await killAllServers();
    await database?.remove();
  });

  it('serves from two worker processes, replaces one that dies, and stops them all on SIGTERM', { timeout: 180_000 }, async () => {
    const primary = server!.pid;
    const workers = await until('two workers', () => {
      const w = workersOf(primary);
      return w.length === 2 ? w : undefined;
    });
    // /health answered once one worker listened; the baseline is taken once both do (the primary says so).
    await until('both workers listening', () => (server!.output().includes('Switchyard listening with 2 workers') ? true : undefined));
    const before = workers.map(cpuTicks);
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push(await getOnNewConnection(server!.url, '/carrierservices'));
    assert.deepEqual(new Set(statuses), new Set([200]));
    const used = workers.map((w, i) => cpuTicks(w) - before[i]);
    for (const [i, ticks] of used.entries()) assert.ok(ticks > 0, `worker ${workers[i]} did no work for 200 requests (${used.join(' and ')} ticks)`);
    // Whichever worker takes a scrape answers with both workers' figures, summed by the primary.
    for (let scrape = 0; scrape < 4; scrape++) {
      const text = await (await fetch(`${server!.url}/metrics`, { headers: { connection: 'close' } })).text();
      const served = /^switchyard_http_request_duration_seconds_count\{method="GET",route="\/carrierservices",status="200"\} (\d+)$/m.exec(text);
      assert.equal(served?.[1], '200', `scrape ${scrape} counts every worker's requests`);
      assert.match(text, /^nodejs_eventloop_lag_seconds /m);
    }

    process.kill(workers[0], 'SIGKILL');
    const replaced = await until('a replacement worker', () => {
      const w = workersOf(primary);
      return w.length === 2 && !w.includes(workers[0]) ? w : undefined;
    });
    assert.ok(replaced.includes(workers[1]), 'the other worker went on');
    for (let i = 0; i < 20; i++) assert.equal(await getOnNewConnection(server!.url, '/health'), 200);

    const exited = server!.exited;
    process.kill(primary, 'SIGTERM');
    assert.deepEqual(await exited, { code: 0, signal: null }, server!.output());
    for (const w of replaced) assert.ok(!running(w), `worker ${w} stopped`);
  });
});

describe('SWITCHYARD_WORKERS=2 on SQLite', { skip: postgresUrl ? 'checked on SQLite runs' : false }, () => {
  it('refuses to start, saying that several workers need PostgreSQL', { timeout: 60_000 }, async () => {
    const database = await crashDatabase(null);
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        env: { ...process.env, ...ENV, DATABASE_URL: database.url, PORT: String(await freePort()) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 1);
      assert.match(stderr, /SWITCHYARD_WORKERS=2 needs PostgreSQL/);
    } finally {
      await database.remove();
    }
  });
});
