/**
 * Migration 0002 on a database that already holds consignments (both databases): the search
 * columns and package references of existing rows are filled from their documents, exactly as a
 * new write would fill them, without touching the audit trail; a second run changes nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Migrator, sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { AllocationRecord, ConsignmentData } from '../../src/domain/consignment.js';
import { allocationColumns, documentColumns } from '../../src/store/consignment-columns.js';
import { ConsignmentSearchRepository } from '../../src/store/consignment-search.repository.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrate, migrations } from '../../src/store/migrations.js';
import { databaseUnderTest, skipReason } from '../support/test-server.js';

const postgresUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;

function data(reference: string, town: string, packages: string[]): ConsignmentData {
  const address = { shippingLocationReference: null, shopLocationReference: null, contact: null, companyName: null, customerName: null, addressLine2: null, addressLine3: null, region: null, regionCode: null, specialInstructions: null, latLong: null };
  return {
    consignmentReferenceProvidedByCustomer: `ORDER-${reference.slice(-3)}`,
    source: 'Api',
    direction: 'Outbound',
    tags: [],
    shippingDate: '2026-11-20T00:00:00+00:00',
    requestedDeliveryDate: null,
    customsDocumentation: null,
    metaData: [],
    addresses: [
      { ...address, addressType: 'Origin', addressLine1: '1 Mill Lane', town: 'Manchester', postcode: 'M1 1AA', countryCode: 'GB' },
      { ...address, addressType: 'Destination', addressLine1: '2 High Street', town, postcode: 'LS1 4AP', countryCode: 'GB' },
    ],
    packages: packages.map((p) => ({ reference: p, packageReferenceProvidedByCustomer: null, description: null, weightKg: 1.5, dimensions: { lengthCm: 10, widthCm: 10, heightCm: 10 }, value: { amount: 10, currency: 'GBP' }, packageSizeReference: null, barcode: null, items: [], metaData: [] })),
    timeZone: 'Europe/London',
  };
}

const allocation: AllocationRecord = {
  mpdCarrierServiceReference: 'Example-Carrier-Service',
  mpdCarrierServiceName: 'Next Day',
  carrierReference: 'CARRIER_X',
  carrierName: 'Carrier X',
  carrierServiceGroupReference: '',
  mpdCarrierServiceGroupName: null,
  allocationDate: '2026-11-18T09:00:00.000+00:00',
  collectionDate: '2026-11-20T17:30:00+00:00',
  earliestDeliveryDate: '2026-11-21T08:00:00+00:00',
  latestDeliveryDate: '2026-11-21T18:00:00+00:00',
  legs: [{ leg: 1, carrierReference: 'CARRIER_X', carrierName: 'Carrier X', carrierServiceReference: 'CX_ND', trackingReferences: ['CX0000000001GB', 'CX0000000002GB'] }],
} as AllocationRecord;

describe(`Migration 0002 over existing consignments (${databaseUnderTest})`, { skip: skipReason }, () => {
  let database: Database;
  let dir: string | undefined;
  let schema: string | undefined;
  const consignments = [
    { reference: 'EC-000-000-001', data: data('EC-000-000-001', 'Leeds', ['EP-000-000-001']), allocation: null },
    { reference: 'EC-000-000-002', data: data('EC-000-000-002', 'York', ['EP-000-000-002', 'EP-000-000-003']), allocation },
  ];

  before(async () => {
    if (postgresUrl) {
      schema = `sy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      database = await openDatabase(postgresUrl, { schema, poolSize: 2 });
    } else {
      dir = mkdtempSync(join(tmpdir(), 'switchyard-migration-'));
      database = await openDatabase(`sqlite:${join(dir, 'test.db')}`);
    }
    // The database as it was before 0002: only the first migration.
    const db = database.db as Kysely<any>;
    const migrationTableSchema = schema;
    const first = new Migrator({ db, migrationTableSchema, provider: { getMigrations: async () => ({ '0001_core': migrations(database.kind)['0001_core'] }) } });
    const { error } = await first.migrateToLatest();
    assert.ifError(error);
    const { id } = await db.insertInto('subscriptions').values({ reference: 'SUB-OLD', name: 'Old', api_key_hash: 'x'.repeat(64), created_at: '2026-11-01T00:00:00.000+00:00' }).returning('id').executeTakeFirstOrThrow();
    for (const c of consignments) {
      const row = await db
        .insertInto('consignments')
        .values({ subscription_id: id, reference: c.reference, state: c.allocation ? 'Allocated' : 'Unallocated', created_at: '2026-11-02T00:00:00.000+00:00', updated_at: '2026-11-02T00:00:00.000+00:00', allocation: c.allocation ? JSON.stringify(c.allocation) : null, failed_allocation: null, last_action: 'Created', last_message: 'created' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('consignment_documents').values({ consignment_id: row.id, data: JSON.stringify(c.data) }).execute();
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

  it('fills the search columns and package references from each document, and records no event', async () => {
    const db = database.db;
    const eventsBefore = await db.selectFrom('consignment_events').selectAll().orderBy('consignment_id').execute();
    await migrate(db, database.kind);
    await migrate(db, database.kind); // a second run is a no-op

    for (const c of consignments) {
      const row = await db.selectFrom('consignments').selectAll().where('reference', '=', c.reference).executeTakeFirstOrThrow();
      for (const [column, value] of Object.entries(allocationColumns(c.allocation))) assert.equal(row[column as keyof typeof row], value, `${c.reference} ${column}`);
      const search = await db.selectFrom('consignment_search').selectAll().where('consignment_id', '=', row.id).executeTakeFirstOrThrow();
      assert.deepEqual(search, { consignment_id: row.id, subscription_id: row.subscription_id, ...documentColumns(c.reference, c.data) });
      const packages = await db.selectFrom('consignment_packages').select('package_reference').where('consignment_id', '=', row.id).orderBy('package_reference').execute();
      assert.deepEqual(packages.map((p) => p.package_reference), c.data.packages.map((p) => p.reference));
    }
    assert.deepEqual(await db.selectFrom('consignment_events').selectAll().orderBy('consignment_id').execute(), eventsBefore);

    const search = new ConsignmentSearchRepository(db, database.kind);
    const subscriptionId = Number((await db.selectFrom('subscriptions').select('id').executeTakeFirstOrThrow()).id);
    const refs = async (criteria: Parameters<ConsignmentSearchRepository['references']>[1]['criteria']) => search.references(subscriptionId, { criteria }, 10, 0);
    assert.deepEqual(await refs([{ kind: 'packageReference', value: 'EP-000-000-003' }]), ['EC-000-000-002']);
    assert.deepEqual(await refs([{ kind: 'trackingReference', value: 'CX0000000002GB' }]), ['EC-000-000-002']);
    assert.deepEqual(await refs([{ kind: 'text', value: 'york' }]), ['EC-000-000-002']);
    assert.deepEqual(await refs([{ kind: 'carrierService', value: 'example-carrier-service' }]), ['EC-000-000-002']);
    assert.deepEqual(await refs([{ kind: 'day', field: 'shipping', range: { from: '2026-11-20', to: '2026-11-20' } }]), ['EC-000-000-002', 'EC-000-000-001']);
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    assert.ok(applied.rows.some((r) => r.name === '0002_consignment_index'));
  });
});
