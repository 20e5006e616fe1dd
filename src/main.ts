/** The switchyard command: `serve` (the default) and the admin operations of decisions.md §7. */
import cluster from 'node:cluster';
import { createRequire } from 'node:module';
import { Command } from 'commander';
import { createApp, createContext } from './app.js';
import { answerClusterScrapes } from './http/metrics.js';
import { presentSubscription } from './http/presenters/subscription.js';
import { loadConfig, type Config } from './config.js';
import { seedDemo } from './demo/seed-demo.js';
import { databaseKind, redactedUrl } from './store/database.js';
import { callerOfSubscription, createSubscription, hashApiKey, listSubscriptions, rotateApiKey, setServiceEnabled } from './use-cases/subscriptions.js';
import { presentWebhook } from './http/presenters/webhook.js';
import { createEndpoint, deleteEndpoint, findEndpoint, listEndpoints, updateEndpoint } from './use-cases/webhooks.js';
import { EVENT_TYPES, isEventType, type EventType } from './domain/events.js';
import type { AppContext } from './use-cases/app-context.js';
import { pino } from 'pino';

async function serve(): Promise<void> {
  const config = loadConfig();
  if (config.processes > 1 && cluster.isPrimary) return servePrimary(config);
  // In a cluster the primary has migrated and seeded before forking; a worker only serves.
  const app = await createApp(cluster.isWorker ? { ...config, demo: false } : config);
  const address = await app.server.listen({ port: config.port, host: config.host });
  // The demo key is shown only while it still opens a subscription (not once it has been rotated).
  const demoApiKey = config.demo && (await app.ctx.subscriptions.findByKeyHash(hashApiKey(config.demoApiKey))) ? config.demoApiKey : undefined;
  const adminApi = config.adminToken ? 'on' : 'off (set SWITCHYARD_ADMIN_TOKEN to turn it on)';
  app.ctx.logger.info(
    { url: address, database: app.ctx.database.description, adminApi: Boolean(config.adminToken), demoApiKey, worker: cluster.isWorker ? cluster.worker?.id : undefined },
    `Switchyard ${version()} listening on ${address}; admin API ${adminApi}${demoApiKey ? `; demo API key: ${demoApiKey}` : ''}`,
  );
  const stop = async (signal: string) => {
    app.ctx.logger.info(`${signal}: shutting down`);
    try {
      await app.close();
      process.exit(0);
    } catch (err) {
      app.ctx.logger.error({ err }, 'shutting down failed');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/** How long the primary waits for its workers to finish their requests after SIGTERM before killing them. */
const WORKER_STOP_MS = 30_000;
/** A worker that exits within this long of its start counts as failing to start. */
const WORKER_QUICK_EXIT_MS = 5_000;
const WORKER_QUICK_EXITS_ALLOWED = 5;

/**
 * SWITCHYARD_WORKERS=N (docs/operations.md, "Several processes"): migrates and seeds the database once, then
 * forks N workers that serve on the same port (node:cluster hands connections round-robin);
 * restarts a worker that dies, and on SIGTERM or SIGINT stops them gracefully. PostgreSQL only:
 * SQLite allows one writer at a time, so more processes would only wait on each other's locks.
 */
async function servePrimary(config: Config): Promise<void> {
  const logger = pino({ level: config.logLevel });
  if (databaseKind(config.databaseUrl) === 'sqlite') {
    throw new Error(`SWITCHYARD_WORKERS=${config.processes} needs PostgreSQL (DATABASE_URL=postgres://…): SQLite takes one writer at a time, so several server processes would only queue on its lock. Run one process on SQLite`);
  }
  const ctx = await createContext(config, { logger });
  try {
    if (config.demo && (await seedDemo(ctx, config.demoApiKey, { stories: config.demoStories }))) logger.info('loaded the demo data');
  } finally {
    await ctx.renderer.close();
    await ctx.database.close();
  }
  let stopping = false;
  let quickExits = 0;
  const started = new Map<number, number>();
  const fork = () => started.set(cluster.fork().id, Date.now());
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    if (stopping) return;
    quickExits = lived < WORKER_QUICK_EXIT_MS ? quickExits + 1 : 0;
    if (quickExits > WORKER_QUICK_EXITS_ALLOWED) {
      logger.fatal(`workers keep exiting at start-up (the last with ${signal ?? `code ${code}`}); stopping`);
      void stopAll('start-up failures', 1);
      return;
    }
    logger.error({ workerPid: worker.process.pid, code, signal }, `worker ${worker.id} exited (${signal ?? `code ${code}`}); starting another`);
    // Not unref'd: with every worker gone, this timer is what keeps the primary running until the next starts.
    if (lived < WORKER_QUICK_EXIT_MS) setTimeout(fork, 1_000);
    else fork();
  });
  let listening = 0;
  cluster.on('listening', (worker, address) => {
    if (++listening === config.processes) logger.info({ port: address.port, workers: config.processes, database: redactedUrl(config.databaseUrl) }, `Switchyard listening with ${config.processes} workers`);
  });
  const stopAll = async (why: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${why}: stopping ${Object.keys(cluster.workers ?? {}).length} workers`);
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    const kill = setTimeout(() => workers.forEach((w) => w.process.kill('SIGKILL')), WORKER_STOP_MS);
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      if (w.isDead()) return resolve();
      w.once('exit', () => resolve());
      w.process.kill('SIGTERM');
    })));
    clearTimeout(kill);
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stopAll('SIGINT', 0));
  process.once('SIGTERM', () => void stopAll('SIGTERM', 0));
  answerClusterScrapes();
  for (let i = 0; i < config.processes; i++) fork();
}

/** Runs one admin operation against the configured database, printing its JSON result. */
async function withContext(fn: (ctx: AppContext) => Promise<unknown>): Promise<void> {
  const ctx = await createContext(loadConfig(), { logger: pino({ level: 'warn' }) });
  try {
    const result = await fn(ctx);
    if (result !== undefined) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await ctx.database.close();
  }
}

/** Switchyard's version: package.json's, one directory up from src/main.ts and from dist/main.js alike. */
function version(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version;
}

const program = new Command('switchyard')
  .description('Self-hosted multi-carrier shipping service (SortedPRO v1.1 compatible)')
  .version(version(), '-V, --version', 'print the version')
  .showSuggestionAfterError();
program.command('serve').description('start the HTTP API (what the command does without one)').action(serve);
program.command('migrate').description('create or upgrade the database schema').action(() => withContext(async () => undefined));
const subs = program.command('subscriptions').description('manage subscriptions (tenants) and their API keys');
subs
  .command('create')
  .requiredOption('--name <name>', 'subscription name')
  .description('create a subscription with every catalogue service enabled; prints its API key once')
  .action((o: { name: string }) => withContext(async (ctx) => presentSubscription(await createSubscription(ctx, o.name))));
subs
  .command('list')
  .description('list subscriptions (references and names)')
  .action(() => withContext(async (ctx) => (await listSubscriptions(ctx)).map(presentSubscription)));
subs
  .command('rotate-key <reference>')
  .description('issue a new API key for a subscription; the old one stops working')
  .action((reference: string) => withContext(async (ctx) => presentSubscription(await rotateApiKey(ctx, reference))));
subs
  .command('enable-service <reference> <service>')
  .description('enable a catalogue service for a subscription')
  .action((reference: string, service: string) => withContext((ctx) => setServiceEnabled(ctx, reference, service, true)));
subs
  .command('disable-service <reference> <service>')
  .description('disable a catalogue service for a subscription')
  .action((reference: string, service: string) => withContext((ctx) => setServiceEnabled(ctx, reference, service, false)));

const hooks = program.command('webhooks').description('manage a subscription’s webhook endpoints (also through the API: docs/api/webhooks.md)');
const SUBSCRIPTION = ['--subscription <reference>', 'the subscription (SUB-…)'] as const;
/** --events: comma-separated event types, or * for every one. */
function eventSelection(text: string): '*' | EventType[] {
  const types = text.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  if (types.length === 1 && types[0] === '*') return '*';
  const unknown = types.filter((t) => !isEventType(t));
  if (types.length === 0 || unknown.length) throw new Error(`--events takes * or event types (${EVENT_TYPES.join(', ')}); got ${unknown.join(', ') || 'none'}`);
  return types as EventType[];
}
hooks
  .command('list')
  .requiredOption(...SUBSCRIPTION)
  .description('list the subscription’s webhooks')
  .action((o: { subscription: string }) => withContext(async (ctx) => (await listEndpoints(ctx, await callerOfSubscription(ctx, o.subscription))).map(presentWebhook)));
hooks
  .command('create')
  .requiredOption(...SUBSCRIPTION)
  .requiredOption('--url <url>', 'where deliveries are posted (http or https)')
  .option('--events <types>', 'comma-separated event types, or * for every one', '*')
  .option('--description <text>', 'what it is for')
  .description('make a webhook; prints its secret once')
  .action((o: { subscription: string; url: string; events: string; description?: string }) =>
    withContext(async (ctx) => {
      const endpoint = await createEndpoint(ctx, await callerOfSubscription(ctx, o.subscription), { url: o.url, eventTypes: eventSelection(o.events), description: o.description ?? null, isEnabled: true });
      return { ...presentWebhook(endpoint), Secret: endpoint.secret };
    }),
  );
for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
  hooks
    .command(`${name} <webhook>`)
    .requiredOption(...SUBSCRIPTION)
    .description(`${name} a webhook`)
    .action((webhook: string, o: { subscription: string }) =>
      withContext(async (ctx) => {
        const caller = await callerOfSubscription(ctx, o.subscription);
        const e = await findEndpoint(ctx, caller, webhook);
        return presentWebhook(await updateEndpoint(ctx, caller, webhook, { url: e.url, eventTypes: e.eventTypes, description: e.description, isEnabled: enabled }));
      }),
    );
}
hooks
  .command('delete <webhook>')
  .requiredOption(...SUBSCRIPTION)
  .description('delete a webhook and its delivery log')
  .action((webhook: string, o: { subscription: string }) => withContext(async (ctx) => deleteEndpoint(ctx, await callerOfSubscription(ctx, o.subscription), webhook)));

// No command at all is `serve`; any other word must be a command, so that a mistyped one is an error, not a server.
const argv = process.argv.length > 2 ? process.argv : [...process.argv, 'serve'];
program.parseAsync(argv).catch((e: Error) => {
  process.stderr.write(`switchyard: ${e.message}\n`);
  process.exit(1);
});
