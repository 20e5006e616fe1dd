/**
 * Starts a real Switchyard server on a loopback port, on the database the test run is for:
 * SQLite (a fresh temporary file) by default, PostgreSQL in a schema of its own when
 * DATABASE_URL is a postgres:// URL. Tests talk to it over HTTP with `api()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { createApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { DateTime } from 'luxon';
import { fixedClock, type Clock } from '../../src/domain/clock.js';

export const DEMO_KEY = 'test-demo-key';
export const ADMIN_TOKEN = 'test-admin-token';
/** A Wednesday morning in London, so that next-day services collect the same day. */
export const DEFAULT_NOW = '2026-11-18T09:00:00Z';

const postgresUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;
export const databaseUnderTest = postgresUrl ? 'postgres' : 'sqlite';

async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The free-text index's extension, pg_trgm, is one per database, created by the first migration in
 * that migration's schema; the tests drop their schemas with CASCADE, the extension with them,
 * while another test's migration (of this run or of another run on the same database) is using its
 * operator class: "schema sy_… does not exist". In `public` it outlives every test schema.
 */
async function keepTrigramsInPublic(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ schema: string }>(`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`);
    if (!rows[0]) await client.query('create extension if not exists pg_trgm schema public');
    else if (rows[0].schema !== 'public') await client.query('alter extension pg_trgm set schema public');
  } catch {
    // A server without pg_trgm, or a role that may not create it: the migrations go on without the index.
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why the suite must be skipped on this machine, or false. Pass to describe(..., { skip }). */
export const skipReason: string | false = postgresUrl && !(await postgresReachable(postgresUrl)) ? `PostgreSQL is not reachable at ${postgresUrl}; skipping` : false;
if (skipReason) console.log(`# ${skipReason}`);
else if (postgresUrl) await keepTrigramsInPublic(postgresUrl);

/** A clock a test moves forward, for what happens on a schedule (retries, expiry, purges). */
export function movableClock(iso: string): Clock & { advance(ms: number): void } {
  let at = DateTime.fromISO(iso, { setZone: true });
  return { now: () => at, advance: (ms) => void (at = at.plus({ milliseconds: ms })) };
}

export interface TestServer {
  url: string;
  app: App;
  databaseUrl: string;
  /** The PostgreSQL schema this server works in (undefined on SQLite). */
  schema?: string;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  now?: string;
  env?: Record<string, string>;
  /** The server's logger, for a test that reads what it logs (silent otherwise). */
  logger?: Logger;
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  let databaseUrl: string;
  let schema: string | undefined;
  let dir: string | undefined;
  if (postgresUrl) {
    databaseUrl = postgresUrl;
    schema = `sy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  } else {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-test-'));
    databaseUrl = `sqlite:${join(dir, 'test.db')}`;
  }
  const config: Config = loadConfig({
    DATABASE_URL: databaseUrl,
    SWITCHYARD_DEMO_API_KEY: DEMO_KEY,
    SWITCHYARD_ADMIN_TOKEN: ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    PORT: '0',
    // Background jobs run where a test asks for them (SWITCHYARD_BACKGROUND_JOBS=true); use-case tests call them directly.
    SWITCHYARD_BACKGROUND_JOBS: 'false',
    // The seed's three consignments only, unless a test asks for the life stories (test/http/demo.test.ts).
    SWITCHYARD_DEMO_STORIES: 'false',
    // No console unless a test builds one (test/support/console-build.ts): not whatever dist/ holds.
    SWITCHYARD_CONSOLE_DIR: join(tmpdir(), 'switchyard-tests-serve-no-console'),
    // The tests' webhook receivers listen on 127.0.0.1 (decisions.md §13: tests set it).
    SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'true',
    ...options.env,
  });
  const dropSchema = async () => {
    if (!schema || !postgresUrl) return;
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  };
  let app: App;
  try {
    app = await createApp(config, {
      clock: options.clock ?? fixedClock(options.now ?? DEFAULT_NOW),
      logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      database: { schema, poolSize: 5 },
      // Every answer of a route that documents its schema is checked against it.
      checkResponses: true,
    });
  } catch (e) {
    await dropSchema();
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const url = await app.server.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    app,
    databaseUrl,
    schema,
    async close() {
      await app.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
      await dropSchema();
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

export interface RequestOptions {
  key?: string | null;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as is. */
  body?: unknown;
  contentType?: string;
}

/** One HTTP request to the server; JSON responses are parsed into `body`. */
export async function api<T = any>(server: TestServer, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? DEMO_KEY : options.key;
  if (key !== null) headers['ocp-apim-subscription-key'] = key;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? (typeof options.body === 'string' && body.trimStart().startsWith('<') ? 'application/xml' : 'application/json');
  }
  const res = await fetch(`${server.url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, body: parsed as T };
}
