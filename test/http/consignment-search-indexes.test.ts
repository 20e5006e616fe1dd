/**
 * Migration 0010 (search indexes) on both databases: applied to a database that already holds
 * consignments it fills the tracking-reference table and the free-text index from the rows stored;
 * the triggers keep both right through allocations, deallocations and edits; and the indexed
 * searches answer exactly what the plain column comparisons answer (a search term is contained in
 * the search text, in any case; a tracking reference is one whole reference of the allocation).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { Migrator, sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { ConsignmentData } from '../../src/domain/consignment.js';
import type { SearchCriterion } from '../../src/domain/consignment-search.js';
import { documentColumns } from '../../src/store/consignment-columns.js';
import { ConsignmentSearchRepository } from '../../src/store/consignment-search.repository.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrate, migrations } from '../../src/store/migrations.js';
import { databaseUnderTest, skipReason } from '../support/test-server.js';

const postgresUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;

function data(customerReference: string, name: string, town: string, postcode: string): ConsignmentData {
  const address = { shippingLocationReference: null, shopLocationReference: null, contact: null, companyName: null, customerName: null, addressLine2: null, addressLine3: null, region: null, regionCode: null, specialInstructions: null, latLong: null };
  return {
    consignmentReferenceProvidedByCustomer: customerReference,
    source: 'Api',
    direction: 'Outbound',
    tags: [],
    shippingDate: null,
    requestedDeliveryDate: null,
    customsDocumentation: null,
    metaData: [],
    addresses: [
      { ...address, addressType: 'Origin', addressLine1: '1 Mill Lane', town: 'Manchester', postcode: 'M1 1AA', countryCode: 'GB' },
      { ...address, addressType: 'Destination', addressLine1: '2 High Street', customerName: name, town, postcode, countryCode: 'GB' },
    ],
    packages: [{ reference: 'EP-000-000-001', packageReferenceProvidedByCustomer: null, description: null, weightKg: 1.5, dimensions: { lengthCm: 10, widthCm: 10, heightCm: 10 }, value: null, packageSizeReference: null, barcode: null, items: [], metaData: [] }],
    timeZone: 'Europe/London',
  };
}

/** Free text as customers write it: names with accents, wildcards, quotes, separators, mixed case. */
const FRAGMENTS = ['Smith', 'smíth', 'Åsa Öberg', 'O\'Brien', 'the "Mill"', '100%', 'a_b', 'back\\slash', 'LS1 4AP', 'ls14ap', 'Zoë', 'ß-strasse', 'ORD-1001', 'x', 'Leeds'];

describe(`Search indexes of migration 0010 (${databaseUnderTest})`, { skip: skipReason }, () => {
  let database: Database;
  let db: Kysely<any>;
  let dir: string | undefined;
  let schema: string | undefined;
  let subscriptionId: number;
  let search: ConsignmentSearchRepository;
  const stored: { id: number; reference: string; text: string; postcode: string | null }[] = [];

  const refs = (criteria: SearchCriterion[]) => search.references(subscriptionId, { criteria }, 1000, 0);

  before(async () => {
    if (postgresUrl) {
      schema = `sy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      database = await openDatabase(postgresUrl, { schema, poolSize: 2 });
    } else {
      dir = mkdtempSync(join(tmpdir(), 'switchyard-search-indexes-'));
      database = await openDatabase(`sqlite:${join(dir, 'test.db')}`);
    }
    db = database.db as Kysely<any>;
    // The database as it was before 0010, holding consignments (some allocated).
    const all = migrations(database.kind);
    const before0010 = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0010'));
    const { error } = await new Migrator({ db, migrationTableSchema: schema, provider: { getMigrations: async () => before0010 } }).migrateToLatest();
    assert.ifError(error);
    ({ id: subscriptionId } = await db.insertInto('subscriptions').values({ reference: 'SUB-OLD', name: 'Old', api_key_hash: 'x'.repeat(64), created_at: '2026-11-01T00:00:00.000+00:00' }).returning('id').executeTakeFirstOrThrow());
    for (let i = 0; i < 60; i++) {
      const reference = `EC-000-000-${String(i).padStart(3, '0')}`;
      const d = data(`ORD-${FRAGMENTS[i % FRAGMENTS.length]}-${i}`, FRAGMENTS[(i * 7) % FRAGMENTS.length], FRAGMENTS[(i * 3) % FRAGMENTS.length], i % 2 ? 'LS1 4AP' : 'BS15 2XY');
      const tracking = i % 3 === 0 ? null : ` CX${String(i).padStart(6, '0')}GB CY${String(i).padStart(6, '0')}GB `;
      const row = await db
        .insertInto('consignments')
        .values({ subscription_id: subscriptionId, reference, state: tracking ? 'Allocated' : 'Unallocated', created_at: `2026-11-02T00:00:${String(i).padStart(2, '0')}.000+00:00`, updated_at: '2026-11-02T00:00:00.000+00:00', last_action: 'Created', last_message: 'created', tracking_references: tracking })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('consignment_documents').values({ consignment_id: row.id, data: JSON.stringify(d) }).execute();
      const columns = documentColumns(reference, d);
      await db.insertInto('consignment_search').values({ consignment_id: row.id, subscription_id: subscriptionId, ...columns }).execute();
      stored.push({ id: row.id, reference, text: columns.search_text, postcode: columns.destination_postcode_key });
    }
    await migrate(db, database.kind);
    await migrate(db, database.kind); // a second run is a no-op
    search = new ConsignmentSearchRepository(database.db, database.kind);
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

  /** Newest first, as the search answers. */
  const expectedText = (term: string) => stored.filter((s) => s.text.includes(term)).map((s) => s.reference).reverse();

  it('fills the tracking-reference table from the allocations already stored', async () => {
    const rows = await db.selectFrom('consignment_tracking').select(['consignment_id', 'tracking_reference']).orderBy('consignment_id').orderBy('tracking_reference').execute();
    assert.equal(rows.length, 40 * 2);
    assert.deepEqual(await refs([{ kind: 'trackingReference', value: 'CY000004GB' }]), ['EC-000-000-004']);
    assert.deepEqual(await refs([{ kind: 'trackingReference', value: 'CX000003GB' }]), []); // never allocated
    assert.deepEqual(await refs([{ kind: 'trackingReference', value: 'CX000004' }]), []); // a whole reference only
  });

  it('keeps the tracking-reference table right through an allocation, a reallocation and a deallocation', async () => {
    const [c] = stored.filter((_, i) => i === 3);
    await db.updateTable('consignments').set({ tracking_references: ' NEW1GB NEW2GB ', state: 'Allocated', version: sql`version + 1` }).where('id', '=', c.id).execute();
    assert.deepEqual(await refs([{ kind: 'trackingReference', value: 'NEW2GB' }]), [c.reference]);
    await db.updateTable('consignments').set({ tracking_references: ' NEW3GB ' }).where('id', '=', c.id).execute();
    assert.deepEqual(await refs([{ kind: 'trackingReference', value: 'NEW2GB' }]), []);
    assert.deepEqual(await refs([{ kind: 'trackingReference', value: 'NEW3GB' }]), [c.reference]);
    await db.updateTable('consignments').set({ tracking_references: null, state: 'Unallocated', version: sql`version + 1` }).where('id', '=', c.id).execute();
    assert.deepEqual(await refs([{ kind: 'trackingReference', value: 'NEW3GB' }]), []);
    assert.equal((await db.selectFrom('consignment_tracking').select('tracking_reference').where('consignment_id', '=', c.id).execute()).length, 0);
    // A state change that leaves the references alone leaves their rows alone.
    const [d] = stored.filter((_, i) => i === 4);
    await db.updateTable('consignments').set({ state: 'Manifested', version: sql`version + 1` }).where('id', '=', d.id).execute();
    assert.deepEqual(await refs([{ kind: 'trackingReference', value: 'CX000004GB' }]), [d.reference]);
  });

  it('finds by a search term exactly the consignments whose search text contains it, stored before the migration', async () => {
    for (const term of ['smith', 'smíth', 'åsa öberg', "o'brien", '"mill"', '100%', 'a_b', 'back\\slash', 'ls1 4ap', 'ls14ap', 'zoë', 'ß-s', 'ord-', 'x', 'ee', '%', '_', 'nothing-like-it']) {
      assert.deepEqual(await refs([{ kind: 'text', value: term }]), expectedText(term), term);
    }
  });

  it('finds by any fragment of any search text, and counts the same (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: stored.length - 1 }), fc.nat(), fc.integer({ min: 1, max: 12 }), async (which, start, length) => {
        const text = stored[which].text;
        const from = start % text.length;
        const term = text.slice(from, from + length).trim();
        fc.pre(term.length > 0 && !term.includes('\u001f'));
        const expected = expectedText(term);
        assert.deepEqual(await refs([{ kind: 'text', value: term }]), expected, term);
        assert.equal(await search.count(subscriptionId, { criteria: [{ kind: 'text', value: term }] }), expected.length, term);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps the free-text index right when a document changes', async () => {
    const [c] = stored;
    const d = data('ORD-RENAMED', 'Quentin Blake', 'Kendal', 'LA9 4AB');
    const columns = documentColumns(c.reference, d);
    await db.updateTable('consignment_search').set(columns).where('consignment_id', '=', c.id).execute();
    c.text = columns.search_text;
    c.postcode = columns.destination_postcode_key;
    assert.deepEqual(await refs([{ kind: 'text', value: 'quentin bla' }]), [c.reference]);
    assert.deepEqual(await refs([{ kind: 'text', value: 'kendal' }]), [c.reference]);
    assert.deepEqual(await refs([{ kind: 'text', value: 'ord-smith-0' }]), expectedText('ord-smith-0'));
  });

  it('counts by document criteria alone as the full search does', async () => {
    const criteria: SearchCriterion[][] = [
      [{ kind: 'postcodePrefix', value: 'LS1' }],
      [{ kind: 'postcodePrefix', value: 'BS15' }, { kind: 'text', value: 'smith' }],
      [{ kind: 'postcodePrefix', value: 'L' }],
      [{ kind: 'postcodePrefix', value: '%' }],
    ];
    for (const c of criteria) {
      const all = await refs(c);
      assert.equal(await search.count(subscriptionId, { criteria: c }), all.length, JSON.stringify(c));
    }
    for (const prefix of ['LS1', 'L', 'BS15', 'LA9', '%', '']) {
      const expected = stored.filter((s) => s.postcode?.startsWith(prefix)).map((s) => s.reference).reverse();
      assert.deepEqual(await refs([{ kind: 'postcodePrefix', value: prefix }]), expected, prefix);
    }
  });

  it('records the migration', async () => {
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    assert.ok(applied.rows.some((r) => r.name === '0011_search_at_scale'));
  });
});
