/** Settings from the environment (decisions.md §1), checked once at start-up. */
import { availableParallelism } from 'node:os';
import { DEMO_CATALOGUE_PATH } from './catalogue/load-catalogue.js';

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
  /** Threads that render the simulated carrier's documents; 0 renders them in the request's thread. */
  renderThreads: number;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
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
    workers: flag(env.SWITCHYARD_WORKERS, true),
    renderThreads,
  };
}
