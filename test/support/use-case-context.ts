/**
 * The "medium" test tier's world: the application context (use-cases, repositories, connectors)
 * on a real database of the run's kind — a fresh SQLite file, or a PostgreSQL schema of its own —
 * with the demo data, a clock the test moves, and no HTTP. Tests call use-cases directly and
 * script carriers by putting fake connectors in front of them (ctx.carriers.replace).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { createContext } from '../../src/app.js';
import { DEMO_CATALOGUE_PATH } from '../../src/catalogue/load-catalogue.js';
import { loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/domain/clock.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import type { AppContext, Caller } from '../../src/use-cases/app-context.js';
import { hashApiKey } from '../../src/use-cases/subscriptions.js';
import { demoCatalogueVariant } from './catalogue-variant.js';
import { DEFAULT_NOW, DEMO_KEY } from './test-server.js';

export { databaseUnderTest, skipReason } from './test-server.js';

const postgresUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;

/** A clock the test sets and moves. */
export class TestClock implements Clock {
  private at: DateTime;

  constructor(iso: string) {
    this.at = DateTime.fromISO(iso, { setZone: true });
  }

  now(): DateTime {
    return this.at;
  }

  advance(duration: { milliseconds?: number; seconds?: number; minutes?: number; hours?: number; days?: number }): void {
    this.at = this.at.plus(duration);
  }
}

export interface UseCaseWorld {
  ctx: AppContext;
  /** The demo subscription, as its API key establishes it. */
  caller: Caller;
  clock: TestClock;
  /** Another process on the same database: its own context (its own instance id, caches and connectors). */
  secondProcess(): Promise<AppContext>;
  close(): Promise<void>;
}

export interface WorldOptions {
  now?: string;
  /** Changes to the demo catalogue file (its JSON), for a world with other carriers or services. */
  catalogue?: (file: any) => void;
  /** Log lines, for tests that pin what is logged. */
  logger?: Logger;
}

export async function openWorld(options: WorldOptions = {}): Promise<UseCaseWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-world-'));
  const schema = postgresUrl ? `sy_world_${process.pid}_${randomBytes(4).toString('hex')}` : undefined;
  const databaseUrl = postgresUrl ?? `sqlite:${join(dir, 'world.db')}`;
  const cataloguePath = options.catalogue ? demoCatalogueVariant(options.catalogue) : DEMO_CATALOGUE_PATH;
  const config = loadConfig({ DATABASE_URL: databaseUrl, SWITCHYARD_CATALOGUE: cataloguePath, LOG_LEVEL: 'silent' });
  const clock = new TestClock(options.now ?? DEFAULT_NOW);
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const open = () => createContext(config, { clock, logger, database: { schema, poolSize: 5 } });
  const contexts: AppContext[] = [];
  const ctx = await open();
  contexts.push(ctx);
  await seedDemo(ctx, DEMO_KEY);
  const row = (await ctx.subscriptions.findByKeyHash(hashApiKey(DEMO_KEY)))!;
  const caller: Caller = { subscriptionId: row.id, subscriptionReference: row.reference, enabledServices: await ctx.subscriptions.enabledServiceKeys(row.id) };
  return {
    ctx,
    caller,
    clock,
    async secondProcess() {
      const other = await open();
      contexts.push(other);
      return other;
    },
    async close() {
      for (const c of contexts) await c.database.close();
      rmSync(dir, { recursive: true, force: true });
      if (schema && postgresUrl) {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    },
  };
}
