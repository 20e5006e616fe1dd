/**
 * Migration 0012 on a database that already holds allocated consignments (both databases): every
 * stored allocation's collection day is filled in, exactly as `allocationColumns` derives it for
 * a new allocation (the day in the collection date's own offset), without touching the audit
 * trail; consignments without an allocation have none; a second run changes nothing; and the
 * collectionDateFrom/To criteria find by it. Migration 0013 adds the console's indexes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Migrator, sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { AllocationRecord } from '../../src/domain/consignment.js';
import { allocationColumns } from '../../src/store/consignment-columns.js';
import { ConsignmentSearchRepository } from '../../src/store/consignment-search.repository.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrate, migrations } from '../../src/store/migrations.js';
import { databaseUnderTest, skipReason } from '../support/test-server.js';

const postgresUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;
const AT = '2026-11-18T09:00:00.000+00:00';

function allocation(collectionDate: string): AllocationRecord {
  return {
    mpdCarrierServiceReference: 'Example-Carrier-Service',
    mpdCarrierServiceName: 'Next Day',
    carrierReference: 'CARRIER_X',
    carrierName: 'Carrier X',
    carrierServiceGroupReference: '',
    mpdCarrierServiceGroupName: null,
    allocationDate: AT,
    collectionDate,
    earliestDeliveryDate: '2026-11-23T08:00:00+00:00',
    latestDeliveryDate: '2026-11-23T18:00:00+00:00',
    legs: [{ leg: 1, carrierReference: 'CARRIER_X', carrierName: 'Carrier X', carrierServiceReference: 'CX_ND', trackingReferences: [`CX${randomBytes(4).toString('hex').toUpperCase()}GB`] }],
    price: null,
  } as AllocationRecord;
}

/** The consignments stored before 0012: collection dates in several offsets (some crossing midnight in UTC), and none. */
const STORED: { reference: string; allocation: AllocationRecord | null; day: string | null }[] = [
  { reference: 'EC-000-000-001', allocation: allocation('2026-11-20T17:30:00+00:00'), day: '2026-11-20' },
  { reference: 'EC-000-000-002', allocation: allocation('2026-11-21T00:30:00+01:00'), day: '2026-11-21' },
  { reference: 'EC-000-000-003', allocation: allocation('2026-11-20T23:30:00-05:00'), day: '2026-11-20' },
  { reference: 'EC-000-000-004', allocation: null, day: null },
  { reference: 'EC-000-000-005', allocation: allocation('2026-11-22T09:00:00.000+00:00'), day: '2026-11-22' },
];

describe(`Migration 0012_collection_day over stored allocations (${databaseUnderTest})`, { skip: skipReason }, () => {
  let database: Database;
  let dir: string | undefined;
  let schema: string | undefined;
  let subscriptionId: number;

  before(async () => {
    if (postgresUrl) {
      schema = `sy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      database = await openDatabase(postgresUrl, { schema, poolSize: 2 });
    } else {
      dir = mkdtempSync(join(tmpdir(), 'switchyard-migration-'));
      database = await openDatabase(`sqlite:${join(dir, 'test.db')}`);
    }
    const db = database.db as Kysely<any>;
    const before0012 = Object.fromEntries(Object.entries(migrations(database.kind)).filter(([name]) => name < '0012'));
    const { error } = await new Migrator({ db, migrationTableSchema: schema, provider: { getMigrations: async () => before0012 } }).migrateToLatest();
    assert.ifError(error);
    ({ id: subscriptionId } = await db.insertInto('subscriptions').values({ reference: 'SUB-OLD', name: 'Old', api_key_hash: 'x'.repeat(64), created_at: AT }).returning('id').executeTakeFirstOrThrow());
    for (const c of STORED) {
      // The allocation's columns of the time (0002 and 0011), as the writes of the time set them.
      const { service_key, tracking_references, delivery_day } = allocationColumns(c.allocation);
      await db
        .insertInto('consignments')
        .values({ subscription_id: subscriptionId, reference: c.reference, state: c.allocation ? 'Allocated' : 'Unallocated', created_at: AT, updated_at: AT, allocation: c.allocation && JSON.stringify(c.allocation), failed_allocation: null, last_action: 'Created', last_message: 'created', service_key, tracking_references, delivery_day })
        .execute();
    }
  });

  after(async () => {
    await database.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (schema && postgresUrl) {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });

  it('fills the collection day of every stored allocation as a new allocation would, records no event, and a second run is a no-op', async () => {
    const db = database.db;
    const eventsBefore = await db.selectFrom('consignment_events').selectAll().orderBy('consignment_id').orderBy('seq').execute();
    await migrate(db, database.kind);
    await migrate(db, database.kind);
    const rows = await db.selectFrom('consignments').select(['reference', 'collection_day', 'version', 'state']).orderBy('reference').execute();
    assert.deepEqual(rows.map((r) => [r.reference, r.collection_day]), STORED.map((c) => [c.reference, c.day]));
    for (const c of STORED) assert.equal(rows.find((r) => r.reference === c.reference)!.collection_day, allocationColumns(c.allocation).collection_day, `${c.reference}: what a new allocation would store`);
    assert.deepEqual(await db.selectFrom('consignment_events').selectAll().orderBy('consignment_id').orderBy('seq').execute(), eventsBefore);
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    assert.ok(applied.rows.some((r) => r.name === '0012_collection_day'));
  });

  it('indexes the collection day, and the service beside the state (0013)', async () => {
    const db = database.db;
    const columns = async (index: string): Promise<string[]> => {
      if (database.kind === 'sqlite') return (await sql<{ name: string }>`select name from pragma_index_info(${index}) order by seqno`.execute(db)).rows.map((r) => r.name);
      const rows = await sql<{ name: string }>`select a.attname as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where c.relname = ${index} and c.relnamespace = current_schema()::regnamespace order by array_position(i.indkey, a.attnum)`.execute(db);
      return rows.rows.map((r) => r.name);
    };
    assert.deepEqual(await columns('consignments_search_collection_day'), ['subscription_id', 'collection_day']);
    assert.deepEqual(await columns('consignments_search_state'), ['subscription_id', 'state', 'created_at', 'reference', 'service_key', ...(database.kind === 'postgres' ? ['id'] : [])]);
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    assert.ok(applied.rows.some((r) => r.name === '0013_console_indexes'));
  });

  it('lets collectionDateFrom/To find the consignments allocated before it', async () => {
    const search = new ConsignmentSearchRepository(database.db, database.kind);
    const collected = (from: string, to: string) => search.references(subscriptionId, { criteria: [{ kind: 'collectionDay', range: { from, to } }] }, 100, 0).then((r) => r.sort());
    assert.deepEqual(await collected('2026-11-20', '2026-11-20'), ['EC-000-000-001', 'EC-000-000-003']);
    assert.deepEqual(await collected('2026-11-21', '2026-11-22'), ['EC-000-000-002', 'EC-000-000-005']);
    const counts = await search.countByServiceAndState(subscriptionId, { criteria: [{ kind: 'collectionDay', range: { from: '2026-11-20', to: '2026-11-21' } }] });
    assert.deepEqual(counts, [{ service: 'example-carrier-service', state: 'Allocated', count: 3 }]);
  });
});
