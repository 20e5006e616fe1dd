/**
 * Migration 0009 on a database that already holds manifests (both databases): every leg still on
 * a manifest becomes a tracked leg, due at once, and its packages' tracking numbers are indexed
 * (upper-cased); a withdrawn leg is not tracked; a second run changes nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Migrator, type Kysely } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrate, migrations } from '../../src/store/migrations.js';
import { databaseUnderTest, skipReason } from '../support/test-server.js';

const postgresUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;
const AT = '2026-11-18T09:00:00.000+00:00';

describe(`Migration 0009_tracking over existing manifests (${databaseUnderTest})`, { skip: skipReason }, () => {
  let database: Database;
  let dir: string | undefined;
  let schema: string | undefined;
  const ids: Record<string, number> = {};

  before(async () => {
    if (postgresUrl) {
      schema = `sy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      database = await openDatabase(postgresUrl, { schema, poolSize: 2 });
    } else {
      dir = mkdtempSync(join(tmpdir(), 'switchyard-migration-'));
      database = await openDatabase(`sqlite:${join(dir, 'test.db')}`);
    }
    const db = database.db as Kysely<any>;
    const before0009 = Object.fromEntries(Object.entries(migrations(database.kind)).filter(([name]) => name < '0009'));
    const { error } = await new Migrator({ db, migrationTableSchema: schema, provider: { getMigrations: async () => before0009 } }).migrateToLatest();
    assert.ifError(error);
    const { id: sub } = await db.insertInto('subscriptions').values({ reference: 'SUB-OLD', name: 'Old', api_key_hash: 'x'.repeat(64), created_at: AT }).returning('id').executeTakeFirstOrThrow();
    for (const [reference, state] of [['EC-000-000-001', 'Manifested'], ['EC-000-000-002', 'Unallocated']]) {
      const row = await db
        .insertInto('consignments')
        .values({ subscription_id: sub, reference, state, created_at: AT, updated_at: AT, allocation: null, failed_allocation: null, last_action: 'Created', last_message: 'created' })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids[reference] = row.id;
    }
    const { id: manifest } = await db
      .insertInto('manifests')
      .values({ subscription_id: sub, reference: 'a'.repeat(32), carrier_reference: 'CARRIER_X', carrier_name: 'Carrier X', collection_day: '2026-11-18', time_zone: 'Europe/London', created_at: AT })
      .returning('id')
      .executeTakeFirstOrThrow();
    const line = (ref: string, packages: [string, string][]) => JSON.stringify({ consignmentReference: ref, customerReference: 'X', leg: 1, destination: { name: null, town: null, postcode: null, countryCode: 'GB' }, packages: packages.map(([reference, trackingReference]) => ({ reference, trackingReference, weightKg: 1 })) });
    await db.insertInto('manifest_members').values([
      { manifest_id: manifest, position: 0, subscription_id: sub, consignment_id: ids['EC-000-000-001'], leg: 1, line: line('EC-000-000-001', [['EP-000-000-001', 'cx00000000018gb'], ['EP-000-000-002', 'CX00000000026GB']]), withdrawn_at: null },
      { manifest_id: manifest, position: 1, subscription_id: sub, consignment_id: ids['EC-000-000-002'], leg: 1, line: line('EC-000-000-002', [['EP-000-000-003', 'CX00000000034GB']]), withdrawn_at: AT },
    ]).execute();
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

  it('tracks the legs still on a manifest and indexes their tracking numbers; a second run is a no-op', async () => {
    await migrate(database.db, database.kind);
    await migrate(database.db, database.kind);
    const legs = await database.db.selectFrom('tracked_legs').select(['consignment_id', 'leg', 'carrier_reference', 'next_poll_at', 'last_polled_at', 'polls']).execute();
    assert.deepEqual(legs, [{ consignment_id: ids['EC-000-000-001'], leg: 1, carrier_reference: 'CARRIER_X', next_poll_at: '1970-01-01T00:00:00.000+00:00', last_polled_at: null, polls: 0 }]);
    const numbers = await database.db.selectFrom('tracking_numbers').select(['consignment_id', 'package_reference', 'tracking_reference']).orderBy('package_reference').execute();
    assert.deepEqual(numbers, [
      { consignment_id: ids['EC-000-000-001'], package_reference: 'EP-000-000-001', tracking_reference: 'CX00000000018GB' },
      { consignment_id: ids['EC-000-000-001'], package_reference: 'EP-000-000-002', tracking_reference: 'CX00000000026GB' },
    ]);
    const row = await database.db.selectFrom('consignments').select(['collected_at', 'delivered_at']).where('id', '=', ids['EC-000-000-001']).executeTakeFirstOrThrow();
    assert.deepEqual(row, { collected_at: null, delivered_at: null });
  });
});
