/**
 * Runs Switchyard as a real child process (`node --import tsx src/main.ts serve`) so that a test
 * can SIGKILL it mid-request and start it again on the same database. Also gives each such test
 * a database of its own: a temporary SQLite file, or a PostgreSQL schema named in the URL
 * (`?options=-c search_path=...`, which pg's connection-string parser passes to the server, so
 * the CLI needs no extra setting).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUTPUT_LIMIT = 64 * 1024;

/** Every child this module started and that has not exited yet. */
const running = new Set<ChildProcess>();
// Last resort if the test runner itself goes down: never leave a server behind.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port that was free a moment ago: bind port 0, read the port, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** The last 64 KB the process wrote to stdout and stderr, for failure messages. */
  output(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Resolves when the process has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (SIGKILL by default) if the process is still running, and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnOptions {
  databaseUrl: string;
  apiKey: string;
  env?: Record<string, string>;
  /** How long to wait for /health to answer 200. */
  startTimeoutMs?: number;
}

function startOnce(port: number, options: SpawnOptions): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      SWITCHYARD_DEMO: 'true',
      SWITCHYARD_DEMO_API_KEY: options.apiKey,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      running.delete(child);
      resolve({ code, signal });
    });
    child.once('error', (e) => {
      collect(Buffer.from(`spawn error: ${e.message}\n`));
      done = true;
      running.delete(child);
      resolve({ code: null, signal: null });
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    output: () => output,
    alive: () => !done,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (!done) child.kill(signal);
      await exited;
    },
  };
}

async function waitUntilHealthy(server: ServerProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!server.alive()) return false;
    try {
      const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy within ${timeoutMs} ms:\n${server.output()}`);
}

/**
 * Starts the server on a free port and waits until /health answers 200. If the port was taken
 * in the meantime (the process exits early), tries another one.
 */
export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  let last = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = startOnce(await freePort(), options);
    try {
      if (await waitUntilHealthy(server, options.startTimeoutMs ?? 60_000)) return server;
    } catch (e) {
      await server.kill();
      throw e;
    }
    await server.kill();
    last = server.output();
    if (!/EADDRINUSE/.test(last)) break;
  }
  throw new Error(`server exited during start-up:\n${last}`);
}

/** SIGKILLs every server this module started that is still running (for after/finally). */
export async function killAllServers(): Promise<void> {
  await Promise.all([...running].map(async (child) => {
    child.kill('SIGKILL');
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  }));
}

export interface CrashDatabase {
  /** DATABASE_URL for both the child server and the test's own data-layer access. */
  url: string;
  description: string;
  /** Removes the temporary file or drops the schema. Safe to call twice. */
  remove(): Promise<void>;
}

/**
 * A fresh database for one test: a temporary SQLite file, or, when `postgresUrl` is given, a new
 * schema in that database, selected through the URL's `options=-c search_path=...`.
 */
export async function crashDatabase(postgresUrl: string | null): Promise<CrashDatabase> {
  if (!postgresUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-crash-'));
    const file = join(dir, 'crash.db');
    return { url: `sqlite:${file}`, description: file, remove: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `sy_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE SCHEMA ${schema}`);
  const separator = postgresUrl.includes('?') ? '&' : '?';
  return {
    url: `${postgresUrl}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    description: `schema ${schema}`,
    remove: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  };
}
