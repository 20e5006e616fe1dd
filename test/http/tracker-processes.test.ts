/**
 * Two Switchyard server processes on one PostgreSQL, both running the tracker over the same
 * manifested legs (decisions.md §12, §15): every leg is taken by exactly one of them, asked about
 * once and finished once delivered, every event is recorded once, and each consignment's audit
 * trail shows it Delivered once. The consignments are manifested beforehand (with a clock a week
 * back, so that the simulated carrier's whole history of each parcel has already happened when the
 * servers, on the system clock, ask). PostgreSQL only: SQLite serves one process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { createContext } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { CreateConsignmentRequest } from '../../src/contract/consignments.js';
import { fixedClock } from '../../src/domain/clock.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import { allocateConsignments } from '../../src/use-cases/allocate.js';
import type { Caller } from '../../src/use-cases/app-context.js';
import { requireEnabledService } from '../../src/use-cases/carrier-services.js';
import { createConsignment } from '../../src/use-cases/create-consignment.js';
import { manifestConsignments } from '../../src/use-cases/manifest-consignments.js';
import { hashApiKey } from '../../src/use-cases/subscriptions.js';
import { NEVER } from '../../src/store/tracking.repository.js';
import { openDatabase } from '../../src/store/database.js';
import { consignmentRequest } from '../support/consignments.js';
import { crashDatabase, killAllServers, spawnServer, type CrashDatabase, type ServerProcess } from '../support/crash-server.js';

const KEY = 'tracker-test-key';
const NEXT_DAY = 'Example-Carrier-Service';
const CONSIGNMENTS = 300;
const PACKAGES = 2;
const EVENTS_PER_PARCEL = 4;
const postgresUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;
const skip = postgresUrl ? false : 'two server processes share the tracker on PostgreSQL only (set DATABASE_URL=postgres://…); skipping';
if (skip) console.log(`# ${skip}`);

/** Manifests the consignments as of a week ago (a weekday morning), in a context of the test's own. */
async function manifestedAWeekAgo(database: CrashDatabase): Promise<string[]> {
  let at = DateTime.utc().minus({ days: 7 }).set({ hour: 8, minute: 0, second: 0, millisecond: 0 });
  while (at.weekday > 5) at = at.minus({ days: 1 });
  const ctx = await createContext(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', SWITCHYARD_RENDER_THREADS: '0' }), { clock: fixedClock(at.toISO()!), logger: pino({ level: 'silent' }) });
  try {
    await seedDemo(ctx, KEY);
    const row = (await ctx.subscriptions.findByKeyHash(hashApiKey(KEY)))!;
    const caller: Caller = { subscriptionId: row.id, subscriptionReference: row.reference, enabledServices: await ctx.subscriptions.enabledServiceKeys(row.id) };
    const request = consignmentRequest({ packages: Array.from({ length: PACKAGES }, () => ({})) }) as unknown as CreateConsignmentRequest;
    const refs: string[] = [];
    for (let i = 0; i < CONSIGNMENTS; i++) refs.push((await createConsignment(ctx, caller, request)).reference);
    for await (const o of allocateConsignments(ctx, caller, { kind: 'service', service: requireEnabledService(ctx, caller, NEXT_DAY) }, refs)) assert.equal(o.kind, 'allocated', JSON.stringify(o));
    for (const o of await manifestConsignments(ctx, caller, refs)) assert.equal(o.kind, 'manifested', JSON.stringify(o));
    return refs;
  } finally {
    await ctx.database.close();
  }
}

describe('The tracker in two server processes on one PostgreSQL', { skip }, () => {
  let database: CrashDatabase | undefined;
  let servers: ServerProcess[] = [];
  let refs: string[] = [];

  before(async () => {
    database = await crashDatabase(postgresUrl);
    refs = await manifestedAWeekAgo(database);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.kill('SIGKILL')));
    await killAllServers();
    await database?.remove();
  });

  it('takes each leg in exactly one process, records each event once, and delivers every consignment once', { timeout: 240_000 }, async (t: TestContext) => {
    const env = { SWITCHYARD_BACKGROUND_JOBS: 'true', SWITCHYARD_RENDER_THREADS: '0' };
    servers = await Promise.all([0, 1].map(() => spawnServer({ databaseUrl: database!.url, apiKey: KEY, env })));
    const store = await openDatabase(database!.url, { poolSize: 2 });
    try {
      const started = Date.now();
      for (;;) {
        const { n } = await store.db.selectFrom('consignments').select((eb) => eb.fn.countAll<number>().as('n')).where('reference', 'in', refs).where('state', '=', 'Delivered').executeTakeFirstOrThrow();
        if (Number(n) === refs.length) break;
        for (const s of servers) assert.ok(s.alive(), `a server stopped:\n${s.output()}`);
        if (Date.now() - started > 180_000) assert.fail(`only ${n} of ${refs.length} consignments delivered:\n${servers.map((s) => s.output()).join('\n')}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      t.diagnostic(`${refs.length} consignments delivered by the trackers in ${Date.now() - started} ms`);
      const legs = await store.db.selectFrom('tracked_legs').select(['id', 'polls', 'next_poll_at', 'lease_owner']).execute();
      assert.equal(legs.length, refs.length, 'one tracked leg per consignment');
      for (const leg of legs) {
        assert.equal(leg.polls, 1, `leg ${leg.id} was taken ${leg.polls} times`);
        assert.equal(leg.next_poll_at, NEVER, `leg ${leg.id} is finished`);
        assert.equal(leg.lease_owner, null);
      }
      const events = await store.db.selectFrom('tracking_events').select(['consignment_id', 'package_reference', 'leg', 'code', 'at', 'recorded_by']).execute();
      assert.equal(events.length, refs.length * PACKAGES * EVENTS_PER_PARCEL, 'every parcel’s four events, each once');
      assert.equal(new Set(events.map((e) => `${e.consignment_id}|${e.package_reference}|${e.leg}|${e.code}|${e.at}`)).size, events.length);
      // All of a consignment's events were recorded by the one process that asked about its leg.
      const byConsignment = new Map<number, Set<string>>();
      for (const e of events) byConsignment.set(e.consignment_id, (byConsignment.get(e.consignment_id) ?? new Set()).add(e.recorded_by));
      for (const [id, recorders] of byConsignment) assert.equal(recorders.size, 1, `consignment ${id}'s events were recorded by ${[...recorders].join(', ')}`);
      const processes = new Set(events.map((e) => e.recorded_by));
      t.diagnostic(`events recorded by ${processes.size} process(es): ${[...processes].map((p) => `${p}: ${events.filter((e) => e.recorded_by === p).length}`).join(', ')}`);
      const delivered = await store.db
        .selectFrom('consignment_events')
        .innerJoin('consignments', 'consignments.id', 'consignment_events.consignment_id')
        .select(['consignments.reference', (eb) => eb.fn.countAll<number>().as('n')])
        .where('consignment_events.to_state', '=', 'Delivered')
        .groupBy('consignments.reference')
        .execute();
      assert.equal(delivered.length, refs.length);
      for (const d of delivered) assert.equal(Number(d.n), 1, `${d.reference} became Delivered ${d.n} times`);
    } finally {
      await store.close();
    }
  });
});
