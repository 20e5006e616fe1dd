/** The switchyard command: `serve` (the default) and the admin operations of decisions.md §7. */
import { Command } from 'commander';
import { createApp, createContext } from './app.js';
import { presentSubscription } from './http/presenters/subscription.js';
import { loadConfig } from './config.js';
import { createSubscription, listSubscriptions, rotateApiKey, setServiceEnabled } from './use-cases/subscriptions.js';
import type { AppContext } from './use-cases/app-context.js';
import { pino } from 'pino';

async function serve(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  const address = await app.server.listen({ port: config.port, host: config.host });
  app.ctx.logger.info(
    { url: address, database: app.ctx.database.description, demoApiKey: config.demo ? config.demoApiKey : undefined },
    `Switchyard listening on ${address}`,
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

const program = new Command('switchyard').description('Self-hosted multi-carrier shipping service (SortedPRO v1.1 compatible)');
program.command('serve', { isDefault: true }).description('start the HTTP API').action(serve);
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

program.parseAsync(process.argv).catch((e: Error) => {
  process.stderr.write(`switchyard: ${e.message}\n`);
  process.exit(1);
});
