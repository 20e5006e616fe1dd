/** Settings from the environment (decisions.md §1), checked once at start-up. */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEMO_CATALOGUE_PATH } from './catalogue/load-catalogue.js';

/** Where `npm run build` writes the console: beside the bundle when running from dist/, ../dist/console from src/. */
const DEFAULT_CONSOLE_DIR = ['./console/', '../dist/console/'].map((d) => fileURLToPath(new URL(d, import.meta.url))).find((d) => existsSync(d)) ?? fileURLToPath(new URL('../dist/console/', import.meta.url));

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  demo: boolean;
  /** With the demo data, the consignments that show a shipment's life (src/demo/demo-stories.ts). */
  demoStories: boolean;
  demoApiKey: string;
  adminToken: string | null;
  cataloguePath: string;
  publicUrl: string | null;
  logLevel: string;
  bodyLimit: number;
  /** Milliseconds a whole request may take to arrive (SWITCHYARD_REQUEST_TIMEOUT_MS); 408 after. */
  requestTimeoutMs: number;
  /** Whether this process runs the background jobs (src/workers/jobs.ts). */
  workers: boolean;
  /** Server processes `serve` starts (node:cluster) on the one port: SWITCHYARD_WORKERS=N; 1 serves in this process. */
  processes: number;
  /** Threads that render the simulated carrier's documents; 0 renders them in the request's thread. */
  renderThreads: number;
  /** Requests per API key, and failed authentications per client address, per window (0: no limit). */
  rateLimits: { perKey: number; authFailuresPerAddress: number; windowMs: number };
  /** Fastify's `trustProxy`: whose X-Forwarded-For gives the client's address (false: the peer's address). */
  trustProxy: boolean | number | string;
  /** Whether GET /metrics answers (SWITCHYARD_METRICS, on by default). */
  metrics: boolean;
  /** The built operator console served under /console (SWITCHYARD_CONSOLE_DIR; dist/console by default). */
  consoleDir: string;
  /** Whether webhooks may target loopback and private addresses (SWITCHYARD_WEBHOOK_ALLOW_PRIVATE; off by default). */
  webhookAllowPrivate: boolean;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number, at least ${min} (got ${raw})`);
  return value;
}

function trustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || ['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value; // addresses or CIDR ranges, comma-separated
}

const FLAG_WORDS = ['true', 'false', 'yes', 'no', 'on', 'off'];

/**
 * SWITCHYARD_WORKERS is the number of server processes; it used to say whether to run the
 * background jobs (now SWITCHYARD_BACKGROUND_JOBS), and a yes or no word still means that.
 */
function processesAndJobs(env: NodeJS.ProcessEnv): { processes: number; workers: boolean } {
  const raw = (env.SWITCHYARD_WORKERS ?? '').trim();
  const legacy = FLAG_WORDS.includes(raw.toLowerCase());
  const workers = flag(env.SWITCHYARD_BACKGROUND_JOBS, legacy ? flag(raw, true) : true);
  if (raw === '' || legacy) return { processes: 1, workers };
  const processes = Number(raw);
  if (!/^\d+$/.test(raw) || processes < 1 || processes > 64) {
    throw new Error(`SWITCHYARD_WORKERS must be a number of server processes from 1 to 64 (got ${env.SWITCHYARD_WORKERS}); SWITCHYARD_BACKGROUND_JOBS=false turns the background jobs off`);
  }
  return { processes, workers };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (got ${env.PORT})`);
  const bodyLimit = Number(env.SWITCHYARD_BODY_LIMIT ?? 10 * 1024 * 1024);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) throw new Error('SWITCHYARD_BODY_LIMIT must be a number of bytes, at least 1024');
  const requestTimeoutMs = Number(env.SWITCHYARD_REQUEST_TIMEOUT_MS || 30_000);
  if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs < 100) throw new Error(`SWITCHYARD_REQUEST_TIMEOUT_MS must be a whole number of milliseconds, at least 100 (got ${env.SWITCHYARD_REQUEST_TIMEOUT_MS})`);
  const renderThreads = env.SWITCHYARD_RENDER_THREADS ? Number(env.SWITCHYARD_RENDER_THREADS) : Math.min(4, availableParallelism());
  if (!Number.isInteger(renderThreads) || renderThreads < 0 || renderThreads > 64) {
    throw new Error(`SWITCHYARD_RENDER_THREADS must be a whole number from 0 to 64 (got ${env.SWITCHYARD_RENDER_THREADS})`);
  }
  const publicUrl = env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : null;
  if (publicUrl && !/^https?:\/\//.test(publicUrl)) throw new Error('PUBLIC_URL must start with http:// or https://');
  return {
    port,
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || 'sqlite:./data/switchyard.db',
    demo: flag(env.SWITCHYARD_DEMO, true),
    demoStories: flag(env.SWITCHYARD_DEMO_STORIES, true),
    demoApiKey: env.SWITCHYARD_DEMO_API_KEY || 'switchyard-demo-key',
    adminToken: env.SWITCHYARD_ADMIN_TOKEN || null,
    cataloguePath: env.SWITCHYARD_CATALOGUE || DEMO_CATALOGUE_PATH,
    publicUrl,
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimit,
    requestTimeoutMs,
    ...processesAndJobs(env),
    renderThreads,
    rateLimits: {
      perKey: wholeNumber(env, 'SWITCHYARD_RATE_LIMIT_PER_KEY', 1_000_000, 0),
      authFailuresPerAddress: wholeNumber(env, 'SWITCHYARD_AUTH_FAILURES_PER_ADDRESS', 100, 0),
      windowMs: wholeNumber(env, 'SWITCHYARD_RATE_LIMIT_WINDOW_MS', 60_000, 1),
    },
    trustProxy: trustProxy(env.SWITCHYARD_TRUST_PROXY),
    metrics: flag(env.SWITCHYARD_METRICS, true),
    consoleDir: env.SWITCHYARD_CONSOLE_DIR || DEFAULT_CONSOLE_DIR,
    webhookAllowPrivate: flag(env.SWITCHYARD_WEBHOOK_ALLOW_PRIVATE, false),
  };
}
