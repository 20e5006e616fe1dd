/** Composition root: builds the store, catalogue, carriers and use-case context, and the HTTP server on top. */
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { CONNECTORS } from './carriers/index.js';
import { CarrierRegistry, type ConnectorFactory } from './carriers/registry.js';
import { loadCatalogueFile } from './catalogue/load-catalogue.js';
import type { Config } from './config.js';
import { SchedulePlanner } from './domain/allocation.js';
import { EMPTY_POLICY } from './domain/allocation-policy.js';
import { CatalogueIndex } from './domain/catalogue.js';
import { systemClock, type Clock } from './domain/clock.js';
import { seedDemo } from './demo/seed-demo.js';
import { buildServer } from './http/server.js';
import { ConsignmentSearchRepository } from './store/consignment-search.repository.js';
import { ConsignmentsRepository } from './store/consignments.repository.js';
import { ManifestsRepository } from './store/manifests.repository.js';
import { TrackingRepository } from './store/tracking.repository.js';
import { AllocationRulesRepository } from './store/allocation-rules.repository.js';
import { CarrierCancellationsRepository } from './store/carrier-cancellations.repository.js';
import { openDatabase, redactedUrl, type OpenOptions } from './store/database.js';
import { migrate } from './store/migrations.js';
import { QuotesRepository } from './store/quotes.repository.js';
import { IdempotencyRepository } from './store/idempotency.repository.js';
import { EventsRepository } from './store/events.repository.js';
import { WebhooksRepository } from './store/webhooks.repository.js';
import { createWebhookSender } from './webhooks/http-sender.js';
import { ForegroundLoad } from './workers/foreground.js';
import { Sequences } from './store/sequences.js';
import { ServiceGroupsRepository } from './store/service-groups.repository.js';
import { ServiceTagsRepository } from './store/service-tags.repository.js';
import { ShippingLocationsRepository } from './store/shipping-locations.repository.js';
import { SubscriptionsRepository } from './store/subscriptions.repository.js';
import { PackageSizesRepository } from './store/package-sizes.repository.js';
import { BackgroundWorkers } from './workers/background-workers.js';
import { inThreadRenderer } from './documents/renderer.js';
import { RenderThreads } from './documents/render-threads.js';
import { BACKGROUND_JOBS } from './workers/jobs.js';
import { AllocationPolicies } from './use-cases/allocation-policies.js';
import type { AppContext } from './use-cases/app-context.js';

export interface App {
  ctx: AppContext;
  server: FastifyInstance;
  close(): Promise<void>;
}

export interface AppOptions {
  clock?: Clock;
  logger?: Logger;
  /** Check each documented answer against its schema (HttpOptions.checkResponses): the test servers do. */
  checkResponses?: boolean;
  database?: OpenOptions;
  /** Connectors besides (or instead of, by name) those Switchyard ships. */
  connectors?: readonly ConnectorFactory[];
}

export async function createContext(config: Config, options: AppOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const catalogue = new CatalogueIndex(loadCatalogueFile(config.cataloguePath));
  const where = redactedUrl(config.databaseUrl);
  const database = await openDatabase(config.databaseUrl, {
    onIdleError: (error) => logger.warn({ err: error }, 'an idle database connection failed; it will be replaced'),
    ...options.database,
  }).catch((e: Error) => {
    throw new Error(`cannot open the database ${where}: ${e.message}`, { cause: e });
  });
  try {
    await migrate(database.db, database.kind);
    await database.optimize();
  } catch (e) {
    await database.close();
    throw new Error(`cannot prepare the database ${where}: ${(e as Error).message}`, { cause: e });
  }
  const sequences = new Sequences(database.db);
  const clock = options.clock ?? systemClock;
  const overridden = new Set((options.connectors ?? []).map((c) => c.name.toLowerCase()));
  const factories = [...(options.connectors ?? []), ...CONNECTORS.filter((c) => !overridden.has(c.name.toLowerCase()))];
  const renderer = config.renderThreads > 0 ? new RenderThreads(config.renderThreads) : inThreadRenderer;
  let carriers: CarrierRegistry;
  try {
    carriers = CarrierRegistry.connect(catalogue, factories, { numbers: sequences, clock, renderer });
  } catch (e) {
    await database.close();
    throw e;
  }
  const allocationRules = new AllocationRulesRepository(database.db);
  const serviceTags = new ServiceTagsRepository(database.db);
  return {
    database,
    catalogue,
    schedules: new SchedulePlanner(catalogue),
    clock,
    sequences,
    carriers,
    renderer,
    carrierCancellations: new CarrierCancellationsRepository(database.db, database.kind),
    instanceId: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    consignments: new ConsignmentsRepository(database.db, database.kind),
    subscriptions: new SubscriptionsRepository(database.db),
    locations: new ShippingLocationsRepository(database.db),
    logger,
    quotes: new QuotesRepository(database.db),
    packageSizes: new PackageSizesRepository(database.db),
    allocationRules,
    serviceTags,
    policies: new AllocationPolicies(allocationRules, serviceTags),
    serviceGroups: new ServiceGroupsRepository(database.db),
    consignmentSearch: new ConsignmentSearchRepository(database.db, database.kind),
    manifests: new ManifestsRepository(database.db, database.kind),
    tracking: new TrackingRepository(database.db, database.kind),
    idempotency: new IdempotencyRepository(database.db),
    events: new EventsRepository(database.db, database.kind),
    webhooks: new WebhooksRepository(database.db, database.kind),
    webhookSender: createWebhookSender({ allowPrivate: config.webhookAllowPrivate }),
    webhookAllowPrivate: config.webhookAllowPrivate,
    foreground: new ForegroundLoad(),
  };
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const ctx = await createContext(config, options);
  if (config.demo && (await seedDemo(ctx, config.demoApiKey, { stories: config.demoStories }))) ctx.logger.info('loaded the demo data');
  const server = buildServer(ctx, { bodyLimit: config.bodyLimit, requestTimeoutMs: config.requestTimeoutMs, publicUrl: config.publicUrl, adminToken: config.adminToken, rateLimits: config.rateLimits, trustProxy: config.trustProxy, metrics: config.metrics, checkResponses: options.checkResponses, consoleDir: config.consoleDir }, ctx.logger);
  const workers = new BackgroundWorkers(ctx, BACKGROUND_JOBS);
  if (config.workers) workers.start();
  return {
    ctx,
    server,
    async close() {
      try {
        await server.close();
      } finally {
        try {
          await workers.stop();
        } finally {
          await ctx.renderer.close();
          await ctx.webhookSender.close();
          await ctx.database.close();
        }
      }
    },
  };
}
