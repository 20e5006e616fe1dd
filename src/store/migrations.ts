/** Schema migrations, run at start-up on both databases; the migrator makes a second run a no-op. */
import { Migrator, sql, type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { AllocationRecord, ConsignmentData } from '../domain/consignment.js';
import { allocationColumns, documentColumns, packageRows } from './consignment-columns.js';
import type { DatabaseKind } from './database.js';

/**
 * The audit trail is written by the database itself: every insert of a consignment and every
 * update that sets its state appends an event, inside the same statement's transaction. So each
 * consignment change is one single-statement transaction, and no change can skip the trail.
 */
async function createAuditTriggers(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  const columns = 'consignment_id, seq, at, action, from_state, to_state, message';
  if (kind === 'sqlite') {
    await sql.raw(`CREATE TRIGGER consignments_audit_insert AFTER INSERT ON consignments BEGIN
      INSERT INTO consignment_events (${columns}) VALUES (NEW.id, NEW.version, NEW.created_at, NEW.last_action, NULL, NEW.state, NEW.last_message); END`).execute(db);
    await sql.raw(`CREATE TRIGGER consignments_audit_update AFTER UPDATE OF state ON consignments BEGIN
      INSERT INTO consignment_events (${columns}) VALUES (NEW.id, NEW.version, NEW.updated_at, NEW.last_action, OLD.state, NEW.state, NEW.last_message); END`).execute(db);
    return;
  }
  await sql.raw(`CREATE FUNCTION consignments_audit() RETURNS trigger AS $$
    BEGIN
      INSERT INTO consignment_events (${columns})
      VALUES (NEW.id, NEW.version, CASE WHEN TG_OP = 'INSERT' THEN NEW.created_at ELSE NEW.updated_at END, NEW.last_action,
              CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END, NEW.state, NEW.last_message);
      RETURN NULL;
    END $$ LANGUAGE plpgsql`).execute(db);
  await sql.raw(`CREATE TRIGGER consignments_audit AFTER INSERT OR UPDATE OF state ON consignments
    FOR EACH ROW EXECUTE FUNCTION consignments_audit()`).execute(db);
}

/**
 * 0015: the events of the feed and of webhooks (decisions.md §13), written by the database itself
 * in the transaction of the change they report, as the audit trail is: a consignment's state
 * change (consignment.state_changed), an allocation and a failed allocation attempt (whatever the
 * state before), a tracking event, a manifest. So no write path, single or group commit, can
 * change a consignment without its events, and a crash loses none. `position` (commit order) is
 * given afterwards by the sequencer (src/store/events.repository.ts).
 */
async function addEvents(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  await (kind === 'sqlite'
    ? db.schema.createTable('events').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : db.schema.createTable('events').addColumn('id', 'bigserial', (c) => c.primaryKey()))
    .addColumn('subscription_id', 'integer', (c) => c.notNull())
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('subject', 'varchar(100)', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'varchar(40)', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.unique())
    .execute();
  await db.schema.createIndex('events_feed').on('events').columns(['subscription_id', 'position']).execute();
  await sql`create index events_unsequenced on events (id) where position is null`.execute(db);
  await db.schema.createIndex('events_occurred').on('events').column('occurred_at').execute();
  const insert = 'INSERT INTO events (subscription_id, type, subject, data, occurred_at)';
  if (kind === 'sqlite') {
    const consignment = `json_object('Reference', NEW.reference, 'State', NEW.state, 'PreviousState', OLD.state,
        'Action', NEW.last_action, 'Message', NEW.last_message,
        'MpdCarrierServiceReference', json_extract(NEW.allocation, '$.mpdCarrierServiceReference'),
        'CarrierReference', json_extract(NEW.allocation, '$.carrierReference'),
        'CollectionDate', NEW.collection_day, 'DeliveryDate', NEW.delivery_day,
        'TrackingReferences', json((SELECT json_group_array(t.value) FROM json_each(NEW.allocation, '$.legs') l, json_each(l.value, '$.trackingReferences') t)),
        'FailureReasons', json(CASE WHEN NEW.last_action = 'AllocationFailed' THEN json_extract(NEW.failed_allocation, '$.reasons') END))`;
    await sql.raw(`CREATE TRIGGER consignments_outbox AFTER UPDATE OF state ON consignments WHEN NEW.version IS NOT OLD.version BEGIN
      ${insert} SELECT NEW.subscription_id, t.type, NEW.reference, ${consignment}, NEW.updated_at FROM (
        SELECT 'consignment.state_changed' AS type WHERE OLD.state IS NOT NEW.state
        UNION ALL SELECT 'consignment.allocated' WHERE NEW.last_action = 'Allocated'
        UNION ALL SELECT 'consignment.allocation_failed' WHERE NEW.last_action = 'AllocationFailed') t; END`).execute(db);
    await sql.raw(`CREATE TRIGGER tracking_events_outbox AFTER INSERT ON tracking_events BEGIN
      ${insert} SELECT NEW.subscription_id, 'consignment.tracking_event', c.reference,
        json_object('Reference', c.reference, 'PackageReference', NEW.package_reference, 'Leg', NEW.leg, 'Code', NEW.code,
          'Description', NEW.description, 'Location', NEW.location, 'SignedBy', NEW.signed_by, 'TimeStamp', NEW.time_stamp), NEW.received_at
        FROM consignments c WHERE c.id = NEW.consignment_id; END`).execute(db);
    await sql.raw(`CREATE TRIGGER manifests_outbox AFTER INSERT ON manifests BEGIN
      ${insert} VALUES (NEW.subscription_id, 'manifest.created', NEW.reference,
        json_object('ManifestReference', NEW.reference, 'CarrierReference', NEW.carrier_reference, 'CarrierName', NEW.carrier_name,
          'ShippingLocationReference', NEW.shipping_location_reference, 'CollectionDate', NEW.collection_day), NEW.created_at); END`).execute(db);
    return;
  }
  await sql.raw(`CREATE FUNCTION consignments_outbox() RETURNS trigger AS $$
    DECLARE data text;
    BEGIN
      IF NEW.version IS NOT DISTINCT FROM OLD.version
         OR (OLD.state IS NOT DISTINCT FROM NEW.state AND NEW.last_action NOT IN ('Allocated', 'AllocationFailed')) THEN
        RETURN NULL;
      END IF;
      data := json_build_object('Reference', NEW.reference, 'State', NEW.state, 'PreviousState', OLD.state,
        'Action', NEW.last_action, 'Message', NEW.last_message,
        'MpdCarrierServiceReference', NEW.allocation::json ->> 'mpdCarrierServiceReference',
        'CarrierReference', NEW.allocation::json ->> 'carrierReference',
        'CollectionDate', NEW.collection_day, 'DeliveryDate', NEW.delivery_day,
        'TrackingReferences', COALESCE((SELECT json_agg(t) FROM json_array_elements(NEW.allocation::json -> 'legs') l, json_array_elements_text(l -> 'trackingReferences') t), '[]'::json),
        'FailureReasons', CASE WHEN NEW.last_action = 'AllocationFailed' THEN NEW.failed_allocation::json -> 'reasons' END)::text;
      IF OLD.state IS DISTINCT FROM NEW.state THEN
        ${insert} VALUES (NEW.subscription_id, 'consignment.state_changed', NEW.reference, data, NEW.updated_at);
      END IF;
      IF NEW.last_action = 'Allocated' THEN
        ${insert} VALUES (NEW.subscription_id, 'consignment.allocated', NEW.reference, data, NEW.updated_at);
      ELSIF NEW.last_action = 'AllocationFailed' THEN
        ${insert} VALUES (NEW.subscription_id, 'consignment.allocation_failed', NEW.reference, data, NEW.updated_at);
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`).execute(db);
  await sql.raw(`CREATE TRIGGER consignments_outbox AFTER UPDATE OF state ON consignments FOR EACH ROW EXECUTE FUNCTION consignments_outbox()`).execute(db);
  await sql.raw(`CREATE FUNCTION tracking_events_outbox() RETURNS trigger AS $$
    BEGIN
      ${insert} SELECT NEW.subscription_id, 'consignment.tracking_event', c.reference,
        json_build_object('Reference', c.reference, 'PackageReference', NEW.package_reference, 'Leg', NEW.leg, 'Code', NEW.code,
          'Description', NEW.description, 'Location', NEW.location, 'SignedBy', NEW.signed_by, 'TimeStamp', NEW.time_stamp)::text, NEW.received_at
        FROM consignments c WHERE c.id = NEW.consignment_id;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`).execute(db);
  await sql.raw(`CREATE TRIGGER tracking_events_outbox AFTER INSERT ON tracking_events FOR EACH ROW EXECUTE FUNCTION tracking_events_outbox()`).execute(db);
  await sql.raw(`CREATE FUNCTION manifests_outbox() RETURNS trigger AS $$
    BEGIN
      ${insert} VALUES (NEW.subscription_id, 'manifest.created', NEW.reference,
        json_build_object('ManifestReference', NEW.reference, 'CarrierReference', NEW.carrier_reference, 'CarrierName', NEW.carrier_name,
          'ShippingLocationReference', NEW.shipping_location_reference, 'CollectionDate', NEW.collection_day)::text, NEW.created_at);
      RETURN NULL;
    END $$ LANGUAGE plpgsql`).execute(db);
  await sql.raw(`CREATE TRIGGER manifests_outbox AFTER INSERT ON manifests FOR EACH ROW EXECUTE FUNCTION manifests_outbox()`).execute(db);
}

/**
 * 0002: search columns (src/store/consignment-columns.ts says what each holds) and package
 * references. The allocation's columns are on `consignments`, set by the same UPDATE that
 * allocates; the document's are in `consignment_search`, written with the document, so that the
 * row every state change rewrites stays short (with them on it, an allocation cost 15% more CPU).
 * Indexes only where a query needs one and no state change has to maintain it: listing newest
 * first within a subscription (and created-date ranges), the customer's reference, and package
 * references. State, service and tracking columns are left unindexed so that allocating stays a
 * cheap update (on PostgreSQL, one that can stay a heap-only update).
 */
async function addConsignmentIndex(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  for (const column of ['service_key', 'tracking_references', 'delivery_day']) await db.schema.alterTable('consignments').addColumn(column, 'text').execute();
  await db.schema.createIndex('consignments_search_created').on('consignments').columns(['subscription_id', 'created_at', 'reference']).execute();
  await db.schema
    .createTable('consignment_search')
    .addColumn('consignment_id', 'integer', (c) => c.primaryKey().references('consignments.id'))
    .addColumn('subscription_id', 'integer', (c) => c.notNull())
    .addColumn('customer_reference_key', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('source', 'varchar(10)', (c) => c.notNull())
    .addColumn('direction', 'varchar(10)', (c) => c.notNull())
    .addColumn('shipping_day', 'varchar(10)')
    // The ShippingDate as a UTC timestamp (utcTimestamp's format, so that text order is time order).
    .addColumn('shipping_at', 'varchar(40)')
    .addColumn('requested_delivery_day', 'varchar(10)')
    .addColumn('weight_grams', 'double precision', (c) => c.notNull())
    .addColumn('value_amount', 'double precision')
    .addColumn('origin_location_key', 'text')
    .addColumn('destination_country', 'varchar(8)')
    .addColumn('destination_postcode_key', 'text')
    .addColumn('destination_region_key', 'text')
    .execute();
  await db.schema.createIndex('consignment_search_customer_reference').on('consignment_search').columns(['subscription_id', 'customer_reference_key']).execute();
  let packages = db.schema
    .createTable('consignment_packages')
    .addColumn('consignment_id', 'integer', (c) => c.notNull().references('consignments.id'))
    .addColumn('package_reference', 'varchar(20)', (c) => c.notNull())
    .addPrimaryKeyConstraint('consignment_packages_pk', ['consignment_id', 'package_reference']);
  if (kind === 'sqlite') packages = packages.modifyEnd(sql`without rowid`);
  await packages.execute();
  await db.schema.createIndex('consignment_packages_reference').on('consignment_packages').column('package_reference').execute();

  // The consignments already stored, read once each with the same functions every write uses.
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('consignments')
      .innerJoin('consignment_documents', 'consignment_documents.consignment_id', 'consignments.id')
      .select(['consignments.id', 'consignments.subscription_id', 'consignments.reference', 'consignments.allocation', 'consignment_documents.data'])
      .where('consignments.id', '>', after)
      .orderBy('consignments.id')
      .limit(500)
      .execute();
    if (!rows.length) break;
    const searchRows = [];
    const packageRowsOfBatch = [];
    for (const row of rows) {
      const data = JSON.parse(row.data) as ConsignmentData;
      searchRows.push({ consignment_id: row.id, subscription_id: row.subscription_id, ...documentColumns(row.reference, data) });
      packageRowsOfBatch.push(...packageRows(row.id, data));
      if (!row.allocation) continue;
      // No state is set, so the audit trigger rightly records nothing: the consignment has not changed.
      // Only the columns this migration adds: later ones (collection_day, 0012) do not exist yet.
      const { service_key, tracking_references, delivery_day } = allocationColumns(JSON.parse(row.allocation) as AllocationRecord);
      await db.updateTable('consignments').set({ service_key, tracking_references, delivery_day }).where('id', '=', row.id).execute();
    }
    for (let i = 0; i < searchRows.length; i += 100) await db.insertInto('consignment_search').values(searchRows.slice(i, i + 100)).execute();
    for (let i = 0; i < packageRowsOfBatch.length; i += 500) await db.insertInto('consignment_packages').values(packageRowsOfBatch.slice(i, i + 500)).execute();
    after = rows[rows.length - 1].id;
  }
}

/**
 * 0010: searches that stay fast at a million consignments (issue 9). Every criterion has an index
 * led by the subscription, so that a search or a count reads the matches rather than the
 * subscription's rows:
 * - on `consignments`, the state (with the newest-first order, so that a page in one state is read
 *   straight off it) and, partial on being set, the service, scheduled delivery day and dispatch
 *   time; an allocation writes the state's, service's and delivery day's entries (with the tracking
 *   rows below, the allocation's UPDATE alone cost 60–70 µs of CPU before and 100–130 µs after, on SQLite);
 * - on `consignment_search`, each of the document's columns (written with the document, never by a
 *   state change); the postcode's in pattern order on PostgreSQL, for its prefix match;
 * - tracking references get a table of their own (`consignment_tracking`), one row per reference,
 *   kept by triggers from the `tracking_references` column (so that every writer of an allocation,
 *   one statement or a group commit, keeps it without knowing of it), as the audit trail is;
 * - free text: on SQLite an FTS5 trigram index over `search_text` (external content: it holds no
 *   copy of the text), kept by triggers; on PostgreSQL a pg_trgm GIN index, where the extension
 *   can be created (without it, a search term reads the subscription's rows as before).
 * Applied on a populated database it fills the new table and index from the rows already stored.
 */
async function addSearchIndexes(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  const index = (name: string, table: string, columns: string[]) => db.schema.createIndex(name).on(table).columns(['subscription_id', ...columns]);
  await index('consignments_search_state', 'consignments', ['state', 'created_at', 'reference']).execute();
  await index('consignments_search_service', 'consignments', ['service_key']).where(sql.ref('service_key'), 'is not', null).execute();
  await index('consignments_search_delivery_day', 'consignments', ['delivery_day']).where(sql.ref('delivery_day'), 'is not', null).execute();
  await index('consignments_search_dispatched', 'consignments', ['dispatched_at']).where(sql.ref('dispatched_at'), 'is not', null).execute();
  await index('consignments_search_labels', 'consignments', ['labels_first_printed_at']).where(sql.ref('labels_first_printed_at'), 'is not', null).execute();
  for (const column of ['shipping_day', 'requested_delivery_day', 'weight_grams', 'value_amount', 'source', 'direction', 'origin_location_key', 'destination_country', 'destination_region_key']) {
    await index(`consignment_search_${column}`, 'consignment_search', [column]).execute();
  }
  if (kind === 'postgres') await sql`create index consignment_search_postcode on consignment_search (subscription_id, destination_postcode_key text_pattern_ops)`.execute(db);
  else await index('consignment_search_postcode', 'consignment_search', ['destination_postcode_key']).execute();

  let tracking = db.schema
    .createTable('consignment_tracking')
    // No foreign key: only the triggers below write it, from the consignment's own row (a key to check costs each allocation).
    .addColumn('consignment_id', 'integer', (c) => c.notNull())
    .addColumn('tracking_reference', 'text', (c) => c.notNull())
    .addColumn('subscription_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('consignment_tracking_pk', ['consignment_id', 'tracking_reference']);
  if (kind === 'sqlite') tracking = tracking.modifyEnd(sql`without rowid`);
  await tracking.execute();
  await index('consignment_tracking_reference', 'consignment_tracking', ['tracking_reference']).execute();

  if (kind === 'sqlite') {
    // ' A B ' as a JSON array, for json_each (triggers take no common table expressions).
    const references = (row: string) => `'["' || replace(trim(replace(replace(${row}.tracking_references, '\\', '\\\\'), '"', '\\"')), ' ', '","') || '"]'`;
    const insert = (row: string) =>
      `INSERT OR IGNORE INTO consignment_tracking (consignment_id, tracking_reference, subscription_id)
         SELECT ${row}.id, value, ${row}.subscription_id FROM json_each(${references(row)}) WHERE value <> ''`;
    await sql.raw(`CREATE TRIGGER consignment_tracking_insert AFTER INSERT ON consignments WHEN NEW.tracking_references IS NOT NULL BEGIN ${insert('NEW')}; END`).execute(db);
    // Two triggers, so that a first allocation (nothing to forget) and a deallocation (nothing to add)
    // each do one thing; in either order they leave the rows of the new references only.
    await sql.raw(`CREATE TRIGGER consignment_tracking_forget AFTER UPDATE OF tracking_references ON consignments
      WHEN OLD.tracking_references IS NOT NULL AND OLD.tracking_references IS NOT NEW.tracking_references BEGIN
        DELETE FROM consignment_tracking WHERE consignment_id = OLD.id
          AND (NEW.tracking_references IS NULL OR instr(NEW.tracking_references, ' ' || tracking_reference || ' ') = 0); END`).execute(db);
    await sql.raw(`CREATE TRIGGER consignment_tracking_update AFTER UPDATE OF tracking_references ON consignments
      WHEN NEW.tracking_references IS NOT NULL AND OLD.tracking_references IS NOT NEW.tracking_references BEGIN ${insert('NEW')}; END`).execute(db);
    await sql.raw(`INSERT OR IGNORE INTO consignment_tracking (consignment_id, tracking_reference, subscription_id)
      SELECT c.id, j.value, c.subscription_id FROM consignments c, json_each(${references('c')}) j WHERE c.tracking_references IS NOT NULL AND j.value <> ''`).execute(db);

    await sql`CREATE VIRTUAL TABLE consignment_search_text USING fts5(search_text, content='consignment_search', content_rowid='consignment_id', tokenize='trigram', detail='none')`.execute(db);
    await sql`CREATE TRIGGER consignment_search_text_insert AFTER INSERT ON consignment_search BEGIN
      INSERT INTO consignment_search_text (rowid, search_text) VALUES (NEW.consignment_id, NEW.search_text); END`.execute(db);
    await sql`CREATE TRIGGER consignment_search_text_delete AFTER DELETE ON consignment_search BEGIN
      INSERT INTO consignment_search_text (consignment_search_text, rowid, search_text) VALUES ('delete', OLD.consignment_id, OLD.search_text); END`.execute(db);
    await sql`CREATE TRIGGER consignment_search_text_update AFTER UPDATE OF search_text ON consignment_search BEGIN
      INSERT INTO consignment_search_text (consignment_search_text, rowid, search_text) VALUES ('delete', OLD.consignment_id, OLD.search_text);
      INSERT INTO consignment_search_text (rowid, search_text) VALUES (NEW.consignment_id, NEW.search_text); END`.execute(db);
    await sql`INSERT INTO consignment_search_text (consignment_search_text) VALUES ('rebuild')`.execute(db);
    return;
  }
  await sql.raw(`CREATE FUNCTION consignment_tracking_sync() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        IF OLD.tracking_references IS NOT DISTINCT FROM NEW.tracking_references THEN RETURN NULL; END IF;
        DELETE FROM consignment_tracking WHERE consignment_id = OLD.id;
      END IF;
      IF NEW.tracking_references IS NOT NULL THEN
        INSERT INTO consignment_tracking (consignment_id, tracking_reference, subscription_id)
          SELECT DISTINCT NEW.id, t, NEW.subscription_id FROM unnest(string_to_array(btrim(NEW.tracking_references), ' ')) t WHERE t <> '';
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`).execute(db);
  await sql.raw(`CREATE TRIGGER consignment_tracking_sync AFTER INSERT OR UPDATE OF tracking_references ON consignments
    FOR EACH ROW EXECUTE FUNCTION consignment_tracking_sync()`).execute(db);
  await sql`INSERT INTO consignment_tracking (consignment_id, tracking_reference, subscription_id)
    SELECT DISTINCT c.id, t, c.subscription_id FROM consignments c, unnest(string_to_array(btrim(c.tracking_references), ' ')) t
    WHERE c.tracking_references IS NOT NULL AND t <> ''`.execute(db);
  // pg_trgm ships with PostgreSQL (contrib) and is a trusted extension, but a server may lack it or
  // the role may not be allowed to create it: then free text is searched without an index.
  await sql`savepoint pg_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`release savepoint pg_trgm`.execute(db);
  } catch {
    await sql`rollback to savepoint pg_trgm`.execute(db);
  }
  const trgm = await sql<{ schema: string }>`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`.execute(db);
  if (trgm.rows[0]) await sql.raw(`create index consignment_search_text_trgm on consignment_search using gin (search_text ${trgm.rows[0].schema}.gin_trgm_ops)`).execute(db);
}

/**
 * 0012: the allocation's collection day (yyyy-MM-dd in the collection date's own offset, as
 * `delivery_day` is the delivery's), for the collections of a day per carrier. Set with the
 * allocation by every transition (consignment-columns.ts); the consignments already allocated get
 * it from their stored allocation here, in one statement (the day is the first ten characters of
 * the ISO date-time, exactly what `allocationColumns` takes). Setting no state, it fires no audit
 * trigger.
 */
async function addCollectionDay(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  await db.schema.alterTable('consignments').addColumn('collection_day', 'varchar(10)').execute();
  const collectionDate = kind === 'sqlite' ? sql`json_extract(allocation, '$.collectionDate')` : sql`(allocation::json ->> 'collectionDate')`;
  const isDated = kind === 'sqlite' ? sql`${collectionDate} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'` : sql`${collectionDate} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'`;
  await sql`update consignments set collection_day = case when ${isDated} then substr(${collectionDate}, 1, 10) end where allocation is not null`.execute(db);
}

/**
 * 0013: what the operator console's searches need at 100,000 consignments in one subscription, as
 * measured by BENCH_PARTS=console (bench/console.ts; docs/benchmarks.md gives the figures):
 * - the state index carries the service too (and, on PostgreSQL, the row's id), so that the
 *   not-shipped states ordered by service, or filtered by one, are read off it alone, as an order
 *   by creation time or state already was: SQLite looked up every match's row for its service
 *   (orderBy=service 45 ms, the states with a service 120 ms of CPU, against 4–10 ms), and
 *   PostgreSQL, which could not answer from the index without the id, read the whole table
 *   (150–250 ms for any order of the six states, 15–45 ms now). It costs no allocation a write:
 *   every change of the service (allocating, deallocating, cancelling) changes the state, whose
 *   entry is rewritten anyway; the entries grow by the service's reference.
 * - the collection day has an index of its own, partial on being set, for the collections of a
 *   day per carrier (230 ms on SQLite and 95 ms on PostgreSQL without it, reading every allocated
 *   consignment; 1–4 ms with it). An allocation, a deallocation and a cancellation write it.
 * The orders by the document's columns (ShippingDate, customer reference, destination) look up the
 * matches' `consignment_search` rows and sort them (15–40 ms on SQLite): no index is added for them.
 */
async function addConsoleIndexes(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  await db.schema.dropIndex('consignments_search_state').execute();
  // SQLite's index entries hold the rowid (the id) already.
  if (kind === 'postgres') await sql`create index consignments_search_state on consignments (subscription_id, state, created_at, reference, service_key) include (id)`.execute(db);
  else await db.schema.createIndex('consignments_search_state').on('consignments').columns(['subscription_id', 'state', 'created_at', 'reference', 'service_key']).execute();
  await db.schema
    .createIndex('consignments_search_collection_day')
    .on('consignments')
    .columns(['subscription_id', 'collection_day'])
    .where(sql.ref('collection_day'), 'is not', null)
    .execute();
}

// Migrations see the database as it was when they were written, so they use Kysely<any> (as Kysely advises).
export function migrations(kind: DatabaseKind): Record<string, Migration> {
  // SQLite wants INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL a serial column.
  const id = <T extends string>(b: CreateTableBuilder<T>) =>
    kind === 'sqlite' ? b.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()) : b.addColumn('id', 'serial', (c) => c.primaryKey());
  return {
    '0001_core': {
      async up(db: Kysely<any>) {
        await id(db.schema.createTable('subscriptions'))
          .addColumn('reference', 'varchar(64)', (c) => c.notNull().unique())
          .addColumn('name', 'varchar(200)', (c) => c.notNull())
          .addColumn('api_key_hash', 'varchar(64)', (c) => c.notNull().unique())
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('subscription_services')
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('service_key', 'varchar(200)', (c) => c.notNull())
          .addPrimaryKeyConstraint('subscription_services_pk', ['subscription_id', 'service_key'])
          .execute();
        await id(db.schema.createTable('shipping_locations'))
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('reference', 'varchar(200)', (c) => c.notNull())
          .addColumn('reference_key', 'varchar(200)', (c) => c.notNull())
          .addColumn('name', 'varchar(200)', (c) => c.notNull())
          .addColumn('location_type', 'varchar(40)', (c) => c.notNull())
          .addColumn('time_zone', 'varchar(64)', (c) => c.notNull())
          .addColumn('address', 'text', (c) => c.notNull())
          .addUniqueConstraint('shipping_locations_ref_uq', ['subscription_id', 'reference_key'])
          .execute();
        await id(db.schema.createTable('consignments'))
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('reference', 'varchar(20)', (c) => c.notNull().unique())
          .addColumn('state', 'varchar(40)', (c) => c.notNull())
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('allocation', 'text')
          .addColumn('failed_allocation', 'text')
          // What the latest change was, for the audit trigger below to record.
          .addColumn('last_action', 'varchar(40)', (c) => c.notNull())
          .addColumn('last_message', 'text', (c) => c.notNull())
          // Counts the consignment's changes; the audit trigger uses it to number events.
          .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
          .execute();
        // The consignment's document (addresses, packages, …) is large and changes rarely; kept apart,
        // a state change rewrites a short row instead of growing a long one (which split pages).
        await db.schema
          .createTable('consignment_documents')
          .addColumn('consignment_id', 'integer', (c) => c.primaryKey().references('consignments.id'))
          .addColumn('data', 'text', (c) => c.notNull())
          .execute();
        // Events are keyed by consignment and its version, clustered on SQLite (WITHOUT ROWID), so
        // recording one touches a single page and reading a consignment's trail is one range scan.
        let events = db.schema
          .createTable('consignment_events')
          .addColumn('consignment_id', 'integer', (c) => c.notNull().references('consignments.id'))
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('at', 'varchar(40)', (c) => c.notNull())
          .addColumn('action', 'varchar(40)', (c) => c.notNull())
          .addColumn('from_state', 'varchar(40)')
          .addColumn('to_state', 'varchar(40)', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('consignment_events_pk', ['consignment_id', 'seq']);
        if (kind === 'sqlite') events = events.modifyEnd(sql`without rowid`);
        await events.execute();
        await createAuditTriggers(db, kind);
        await db.schema
          .createTable('sequences')
          .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
          .addColumn('next_value', 'bigint', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<any>) {
        for (const t of ['consignment_events', 'consignment_documents', 'consignments', 'shipping_locations', 'subscription_services', 'subscriptions', 'sequences']) {
          await sql`drop table if exists ${sql.table(t)}`.execute(db);
        }
      },
    },
    '0003_allocation_rules_and_groups': {
      async up(db: Kysely<any>) {
        // A rule is read and written whole; its reference and switch are columns to look it up by.
        await id(db.schema.createTable('allocation_rules'))
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('reference', 'varchar(100)', (c) => c.notNull())
          .addColumn('reference_key', 'varchar(100)', (c) => c.notNull())
          .addColumn('is_enabled', 'integer', (c) => c.notNull())
          .addColumn('definition', 'text', (c) => c.notNull())
          .addUniqueConstraint('allocation_rules_ref_uq', ['subscription_id', 'reference_key'])
          .execute();
        // A row exists only while the subscription overrides the catalogue's tags of a service.
        await db.schema
          .createTable('service_tags')
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('service_key', 'varchar(200)', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('service_tags_pk', ['subscription_id', 'service_key'])
          .execute();
        await id(db.schema.createTable('service_groups'))
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('reference', 'varchar(100)', (c) => c.notNull())
          .addColumn('reference_key', 'varchar(100)', (c) => c.notNull())
          .addColumn('name', 'varchar(200)', (c) => c.notNull())
          .addColumn('is_enabled', 'integer', (c) => c.notNull())
          .addColumn('services', 'text', (c) => c.notNull())
          .addUniqueConstraint('service_groups_ref_uq', ['subscription_id', 'reference_key'])
          .execute();
      },
      async down(db: Kysely<any>) {
        for (const t of ['allocation_rules', 'service_tags', 'service_groups']) {
          await sql`drop table if exists ${sql.table(t)}`.execute(db);
        }
      },
    },
    // A quote result is read back whole, by its own reference (GET /quotes/{ref}) or by one of its
    // quotes' (allocate with quote: a quote's reference is its result's with the last four hex digits
    // numbering it), so one row per result is all it takes.
    '0004_quotes': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('quote_requests')
          .addColumn('reference', 'varchar(36)', (c) => c.primaryKey())
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('result', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('quote_requests_expiry').on('quote_requests').column('expires_at').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('quote_requests').ifExists().execute();
      },
    },
    '0005_locations_and_package_sizes': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('shipping_locations').addColumn('default_for_returns', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('shipping_locations').addColumn('notes', 'text').execute();
        // "Default" means one: the database itself refuses a second, whatever the interleaving of writers.
        await db.schema
          .createIndex('shipping_locations_returns_uq')
          .on('shipping_locations')
          .column('subscription_id')
          .unique()
          .where(sql.ref('default_for_returns'), '=', 1)
          .execute();
        await id(db.schema.createTable('package_sizes'))
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('reference', 'varchar(200)', (c) => c.notNull())
          .addColumn('reference_key', 'varchar(200)', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('length_cm', 'double precision', (c) => c.notNull())
          .addColumn('width_cm', 'double precision', (c) => c.notNull())
          .addColumn('height_cm', 'double precision', (c) => c.notNull())
          .addColumn('weight_kg', 'double precision', (c) => c.notNull())
          .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
          .addUniqueConstraint('package_sizes_ref_uq', ['subscription_id', 'reference_key'])
          .execute();
        await db.schema.createIndex('package_sizes_default_uq').on('package_sizes').column('subscription_id').unique().where(sql.ref('is_default'), '=', 1).execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('package_sizes').ifExists().execute();
        await db.schema.dropIndex('shipping_locations_returns_uq').ifExists().execute();
        await db.schema.alterTable('shipping_locations').dropColumn('notes').execute();
        await db.schema.alterTable('shipping_locations').dropColumn('default_for_returns').execute();
      },
    },
    '0006_carrier_cancellations': {
      // Bookings still to be cancelled at their carriers: written with the change that releases them
      // (a deallocation, a cancellation), when a booking is undone, and before a booking is made with
      // a carrier that keeps bookings (deleted with the allocation that records it); worked off by
      // whichever process holds the row's lease (src/use-cases/carrier-cancellations.ts).
      async up(db: Kysely<any>) {
        await id(db.schema.createTable('carrier_cancellations'))
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('consignment_id', 'integer', (c) => c.notNull().references('consignments.id'))
          .addColumn('consignment_reference', 'varchar(20)', (c) => c.notNull())
          .addColumn('carrier_reference', 'varchar(100)', (c) => c.notNull())
          .addColumn('leg', 'integer', (c) => c.notNull())
          .addColumn('carrier_service_reference', 'text', (c) => c.notNull())
          .addColumn('booking_reference', 'text')
          .addColumn('carrier_booking_reference', 'text')
          .addColumn('tracking_references', 'text', (c) => c.notNull())
          .addColumn('reason', 'varchar(40)', (c) => c.notNull())
          .addColumn('state', 'varchar(12)', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('lease_owner', 'varchar(100)')
          .addColumn('lease_until', 'varchar(40)')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('carrier_cancellations_due').on('carrier_cancellations').columns(['state', 'next_attempt_at']).execute();
        await db.schema.createIndex('carrier_cancellations_consignment').on('carrier_cancellations').columns(['subscription_id', 'consignment_id']).execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('carrier_cancellations').ifExists().execute();
      },
    },
    '0007_labels_printed': {
      // When the consignment's labels were first fetched (decisions.md §9): set once, by a conditional
      // UPDATE (ConsignmentsRepository.markLabelsPrinted), and cleared when its allocation changes.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('consignments').addColumn('labels_first_printed_at', 'varchar(40)').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.alterTable('consignments').dropColumn('labels_first_printed_at').execute();
      },
    },
    '0008_manifests': {
      // A manifest is one carrier's collection from one shipping location on one day; its members
      // are the consignments' legs handed over on it, each with the lines its file prints (kept, so
      // that the file still reads the same once a consignment is deallocated). A member withdrawn
      // (its consignment deallocated or cancelled) keeps its row with the time it left. At most one
      // live membership per consignment leg: the database itself refuses a second, whatever the
      // interleaving of writers. The consignment row gets what the wire shows of its manifest.
      async up(db: Kysely<any>) {
        await id(db.schema.createTable('manifests'))
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('reference', 'varchar(32)', (c) => c.notNull().unique())
          .addColumn('carrier_reference', 'varchar(100)', (c) => c.notNull())
          .addColumn('carrier_name', 'varchar(200)', (c) => c.notNull())
          .addColumn('shipping_location_reference', 'varchar(200)')
          .addColumn('shipping_location_key', 'varchar(200)')
          .addColumn('shipping_location_name', 'varchar(200)')
          .addColumn('collection_day', 'varchar(10)', (c) => c.notNull())
          // The location's zone when the manifest was made: the times its file prints stay as they were.
          .addColumn('time_zone', 'varchar(64)', (c) => c.notNull())
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('carrier_manifest_reference', 'text')
          .execute();
        await db.schema.createIndex('manifests_listing').on('manifests').columns(['subscription_id', 'created_at']).execute();
        let members = db.schema
          .createTable('manifest_members')
          .addColumn('manifest_id', 'integer', (c) => c.notNull().references('manifests.id'))
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('subscription_id', 'integer', (c) => c.notNull())
          .addColumn('consignment_id', 'integer', (c) => c.notNull().references('consignments.id'))
          .addColumn('leg', 'integer', (c) => c.notNull())
          .addColumn('line', 'text', (c) => c.notNull())
          .addColumn('withdrawn_at', 'varchar(40)')
          .addPrimaryKeyConstraint('manifest_members_pk', ['manifest_id', 'position']);
        if (kind === 'sqlite') members = members.modifyEnd(sql`without rowid`);
        await members.execute();
        await db.schema
          .createIndex('manifest_members_live_uq')
          .on('manifest_members')
          .columns(['subscription_id', 'consignment_id', 'leg'])
          .unique()
          .where(sql.ref('withdrawn_at'), 'is', null)
          .execute();
        for (const column of ['failed_manifest_message', 'failed_manifest_at', 'dispatched_at']) {
          await db.schema.alterTable('consignments').addColumn(column, 'text').execute();
        }
      },
      async down(db: Kysely<any>) {
        for (const column of ['failed_manifest_message', 'failed_manifest_at', 'dispatched_at']) await db.schema.alterTable('consignments').dropColumn(column).execute();
        await db.schema.dropTable('manifest_members').ifExists().execute();
        await db.schema.dropTable('manifests').ifExists().execute();
      },
    },
    '0009_tracking': {
      // Tracking (decisions.md §12): the events carriers report, per consignment, package and leg;
      // the same event twice (same package, leg, code and moment) is refused by the unique key, so
      // that any number of writers may record it. A manifested leg becomes a tracked leg (what the
      // tracker asks its carrier about, with when it last asked and a lease) and its packages'
      // tracking numbers are indexed, so that a carrier's event finds its package without a scan.
      // The consignment row gets the dates the wire shows (DateCollected, DateDelivered).
      async up(db: Kysely<any>) {
        await id(db.schema.createTable('tracking_events'))
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('consignment_id', 'integer', (c) => c.notNull().references('consignments.id'))
          .addColumn('package_reference', 'varchar(20)', (c) => c.notNull())
          .addColumn('leg', 'integer', (c) => c.notNull())
          // The moment as given (its own offset), and as a UTC timestamp (text order is time order).
          .addColumn('time_stamp', 'varchar(40)', (c) => c.notNull())
          .addColumn('at', 'varchar(40)', (c) => c.notNull())
          .addColumn('code', 'varchar(40)', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('signed_by', 'text')
          .addColumn('location', 'text')
          .addColumn('carrier_service_name', 'text')
          .addColumn('received_at', 'varchar(40)', (c) => c.notNull())
          // Who recorded it: the tracker process's instance id, or "api" for an event pushed to POST /tracking/carrierevents.
          .addColumn('recorded_by', 'varchar(100)', (c) => c.notNull())
          .addUniqueConstraint('tracking_events_uq', ['consignment_id', 'package_reference', 'leg', 'code', 'at'])
          .execute();
        await id(db.schema.createTable('tracked_legs'))
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('consignment_id', 'integer', (c) => c.notNull().references('consignments.id'))
          .addColumn('leg', 'integer', (c) => c.notNull())
          .addColumn('carrier_reference', 'varchar(100)', (c) => c.notNull())
          .addColumn('next_poll_at', 'varchar(40)', (c) => c.notNull())
          // The "now" of the last answered question: the next one asks for events after it.
          .addColumn('last_polled_at', 'varchar(40)')
          .addColumn('polls', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('lease_owner', 'varchar(100)')
          .addColumn('lease_until', 'varchar(40)')
          .addColumn('last_error', 'text')
          .addUniqueConstraint('tracked_legs_uq', ['consignment_id', 'leg'])
          .execute();
        await db.schema.createIndex('tracked_legs_due').on('tracked_legs').columns(['next_poll_at']).execute();
        let numbers = db.schema
          .createTable('tracking_numbers')
          .addColumn('consignment_id', 'integer', (c) => c.notNull().references('consignments.id'))
          .addColumn('leg', 'integer', (c) => c.notNull())
          .addColumn('package_reference', 'varchar(20)', (c) => c.notNull())
          .addColumn('subscription_id', 'integer', (c) => c.notNull())
          .addColumn('tracking_reference', 'varchar(100)', (c) => c.notNull())
          .addPrimaryKeyConstraint('tracking_numbers_pk', ['consignment_id', 'leg', 'package_reference']);
        if (kind === 'sqlite') numbers = numbers.modifyEnd(sql`without rowid`);
        await numbers.execute();
        await db.schema.createIndex('tracking_numbers_reference').on('tracking_numbers').columns(['subscription_id', 'tracking_reference']).execute();
        for (const column of ['collected_at', 'delivered_at']) await db.schema.alterTable('consignments').addColumn(column, 'varchar(40)').execute();
        // Legs manifested before tracking existed are tracked from now on (paged by the members' key).
        let after = { manifest: -1, position: -1 };
        for (;;) {
          const rows = await db
            .selectFrom('manifest_members')
            .innerJoin('manifests', 'manifests.id', 'manifest_members.manifest_id')
            .select(['manifest_members.manifest_id', 'manifest_members.position', 'manifest_members.subscription_id', 'manifest_members.consignment_id', 'manifest_members.leg', 'manifest_members.line', 'manifests.carrier_reference'])
            .where('manifest_members.withdrawn_at', 'is', null)
            .where((eb) => eb.or([
              eb('manifest_members.manifest_id', '>', after.manifest),
              eb.and([eb('manifest_members.manifest_id', '=', after.manifest), eb('manifest_members.position', '>', after.position)]),
            ]))
            .orderBy('manifest_members.manifest_id')
            .orderBy('manifest_members.position')
            .limit(200)
            .execute();
          if (!rows.length) break;
          for (const r of rows) {
            await db
              .insertInto('tracked_legs')
              .values({ subscription_id: r.subscription_id, consignment_id: r.consignment_id, leg: r.leg, carrier_reference: r.carrier_reference, next_poll_at: '1970-01-01T00:00:00.000+00:00', polls: 0 })
              .onConflict((oc) => oc.columns(['consignment_id', 'leg']).doNothing())
              .execute();
            const line = JSON.parse(r.line) as { packages: { reference: string; trackingReference: string }[] };
            for (const p of line.packages) {
              await db
                .insertInto('tracking_numbers')
                .values({ consignment_id: r.consignment_id, leg: r.leg, package_reference: p.reference, subscription_id: r.subscription_id, tracking_reference: p.trackingReference.toUpperCase() })
                .onConflict((oc) => oc.columns(['consignment_id', 'leg', 'package_reference']).doNothing())
                .execute();
            }
          }
          const last = rows[rows.length - 1];
          after = { manifest: last.manifest_id, position: last.position };
        }
      },
      async down(db: Kysely<any>) {
        for (const column of ['collected_at', 'delivered_at']) await db.schema.alterTable('consignments').dropColumn(column).execute();
        for (const t of ['tracking_numbers', 'tracked_legs', 'tracking_events']) await db.schema.dropTable(t).ifExists().execute();
      },
    },
    '0010_subscription_settings_version': {
      // A subscription's settings version (keys' enabled services, allocation rules, service tags),
      // bumped in the transaction of every change, so that each process's caches of them can check
      // per request that they are still right (src/use-cases/subscriptions.ts) whichever process made it.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('subscriptions').addColumn('settings_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.alterTable('subscriptions').dropColumn('settings_version').execute();
      },
    },
    '0011_search_at_scale': {
      up: (db: Kysely<any>) => (kind === 'sqlite' ? db.transaction().execute((trx) => addSearchIndexes(trx, kind)) : addSearchIndexes(db, kind)),
      async down(db: Kysely<any>) {
        if (kind === 'sqlite') {
          for (const t of ['consignment_tracking_insert', 'consignment_tracking_forget', 'consignment_tracking_update', 'consignment_search_text_insert', 'consignment_search_text_delete', 'consignment_search_text_update']) await sql`drop trigger if exists ${sql.raw(t)}`.execute(db);
          await sql`drop table if exists consignment_search_text`.execute(db);
        } else {
          await sql`drop trigger if exists consignment_tracking_sync on consignments`.execute(db);
          await sql`drop function if exists consignment_tracking_sync()`.execute(db);
          await db.schema.dropIndex('consignment_search_text_trgm').ifExists().execute();
        }
        await db.schema.dropTable('consignment_tracking').ifExists().execute();
        for (const name of ['consignments_search_state', 'consignments_search_service', 'consignments_search_delivery_day', 'consignments_search_dispatched', 'consignments_search_labels', 'consignment_search_postcode']) await db.schema.dropIndex(name).ifExists().execute();
        for (const column of ['shipping_day', 'requested_delivery_day', 'weight_grams', 'value_amount', 'source', 'direction', 'origin_location_key', 'destination_country', 'destination_region_key']) await db.schema.dropIndex(`consignment_search_${column}`).ifExists().execute();
      },
    },
    '0012_collection_day': {
      up: (db: Kysely<any>) => (kind === 'sqlite' ? db.transaction().execute((trx) => addCollectionDay(trx, kind)) : addCollectionDay(db, kind)),
      async down(db: Kysely<any>) {
        await db.schema.alterTable('consignments').dropColumn('collection_day').execute();
      },
    },
    '0013_console_indexes': {
      // In a transaction on SQLite too, so that the state index is never left dropped and not made again.
      up: (db: Kysely<any>) => (kind === 'sqlite' ? db.transaction().execute((trx) => addConsoleIndexes(trx, kind)) : addConsoleIndexes(db, kind)),
      async down(db: Kysely<any>) {
        await db.schema.dropIndex('consignments_search_collection_day').ifExists().execute();
        await db.schema.dropIndex('consignments_search_state').execute();
        await db.schema.createIndex('consignments_search_state').on('consignments').columns(['subscription_id', 'state', 'created_at', 'reference']).execute();
      },
    },
    '0014_idempotency_keys': {
      // decisions.md §14: one row per subscription and Idempotency-Key; its primary key decides which
      // of two requests with one key runs, whichever process each reached.
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('idempotency_keys')
          .addColumn('subscription_id', 'integer', (c) => c.notNull())
          .addColumn('key', 'varchar(255)', (c) => c.notNull())
          .addColumn('fingerprint', 'varchar(64)', (c) => c.notNull())
          .addColumn('state', 'varchar(10)', (c) => c.notNull())
          .addColumn('owner', 'varchar(36)', (c) => c.notNull())
          .addColumn('lease_until', 'varchar(40)', (c) => c.notNull())
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('expires_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('status', 'integer')
          .addColumn('headers', 'text')
          .addColumn('body', 'text')
          .addPrimaryKeyConstraint('idempotency_keys_pk', ['subscription_id', 'key'])
          .execute();
        await db.schema.createIndex('idempotency_keys_expiry').on('idempotency_keys').column('expires_at').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('idempotency_keys').ifExists().execute();
      },
    },
    '0015_events': {
      up: (db: Kysely<any>) => (kind === 'sqlite' ? db.transaction().execute((trx) => addEvents(trx, kind)) : addEvents(db, kind)),
      async down(db: Kysely<any>) {
        for (const t of ['consignments_outbox', 'tracking_events_outbox', 'manifests_outbox']) {
          if (kind === 'sqlite') await sql.raw(`drop trigger if exists ${t}`).execute(db);
          else {
            await sql.raw(`drop trigger if exists ${t} on ${t.replace('_outbox', '')}`).execute(db);
            await sql.raw(`drop function if exists ${t}()`).execute(db);
          }
        }
        await db.schema.dropTable('events').ifExists().execute();
      },
    },
    '0016_webhooks': {
      // decisions.md §13: a subscription's endpoints, one delivery per endpoint and event (written by the
      // sequencer with the event's place), and every attempt of each.
      async up(db: Kysely<any>) {
        await id(db.schema.createTable('webhook_endpoints'))
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('reference', 'varchar(40)', (c) => c.notNull().unique())
          .addColumn('url', 'text', (c) => c.notNull())
          // '*', or the types between commas: ',consignment.allocated,manifest.created,'.
          .addColumn('event_types', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('secret', 'text', (c) => c.notNull())
          .addColumn('is_enabled', 'integer', (c) => c.notNull())
          .addColumn('disabled_reason', 'text')
          .addColumn('failing_since', 'varchar(40)')
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('webhook_endpoints_subscription').on('webhook_endpoints').columns(['subscription_id', 'is_enabled']).execute();
        // 64-bit ids: deliveries are events × endpoints, and attempts more again.
        const bigId = <T extends string>(b: CreateTableBuilder<T>) =>
          kind === 'sqlite' ? b.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()) : b.addColumn('id', 'bigserial', (c) => c.primaryKey());
        await bigId(db.schema.createTable('webhook_deliveries'))
          .addColumn('subscription_id', 'integer', (c) => c.notNull())
          .addColumn('endpoint_id', 'integer', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
          .addColumn('event_id', 'bigint', (c) => c.notNull())
          // pending, delivered or failed.
          .addColumn('state', 'varchar(10)', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_attempt_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('lease_owner', 'varchar(100)')
          .addColumn('lease_until', 'varchar(40)')
          .addColumn('last_status', 'integer')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('delivered_at', 'varchar(40)')
          .addUniqueConstraint('webhook_deliveries_uq', ['endpoint_id', 'event_id'])
          .execute();
        await sql`create index webhook_deliveries_due on webhook_deliveries (next_attempt_at, id) where state = 'pending'`.execute(db);
        await db.schema.createIndex('webhook_deliveries_log').on('webhook_deliveries').columns(['endpoint_id', 'id']).execute();
        await db.schema.createIndex('webhook_deliveries_created').on('webhook_deliveries').column('created_at').execute();
        await bigId(db.schema.createTable('webhook_attempts'))
          .addColumn('subscription_id', 'integer', (c) => c.notNull())
          .addColumn('delivery_id', 'bigint', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
          .addColumn('attempted_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('status', 'integer')
          .addColumn('duration_ms', 'integer', (c) => c.notNull())
          .addColumn('response_excerpt', 'text')
          .addColumn('error', 'text')
          .execute();
        await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'id']).execute();
      },
      async down(db: Kysely<any>) {
        for (const t of ['webhook_attempts', 'webhook_deliveries', 'webhook_endpoints']) await db.schema.dropTable(t).ifExists().execute();
      },
    },
    '0002_consignment_index': {
      // SQLite runs migrations outside a transaction (Kysely's choice); this one is wrapped in its
      // own, so that an interrupted backfill leaves the database as it was and the next start retries.
      up: (db: Kysely<any>) => (kind === 'sqlite' ? db.transaction().execute((trx) => addConsignmentIndex(trx, kind)) : addConsignmentIndex(db, kind)),
      async down(db: Kysely<any>) {
        await db.schema.dropTable('consignment_packages').ifExists().execute();
        await db.schema.dropTable('consignment_search').ifExists().execute();
        await db.schema.dropIndex('consignments_search_created').ifExists().execute();
        for (const column of ['service_key', 'tracking_references', 'delivery_day']) await db.schema.alterTable('consignments').dropColumn(column).execute();
      },
    },
  };
}

export async function migrate(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(kind) };
  // Kysely looks for its own bookkeeping tables in every schema unless told which one; with
  // several schemas in one PostgreSQL database (one per test run) it must be told.
  const migrationTableSchema =
    kind === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db, provider, migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
}
