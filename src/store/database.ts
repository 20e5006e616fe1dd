/** One Kysely data layer over SQLite (better-sqlite3, the embedded default) and PostgreSQL (pg). */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { WalCheckpoints } from './wal-checkpoints.js';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Generated, type SqliteDatabase } from 'kysely';

export interface SubscriptionsTable {
  id: Generated<number>;
  reference: string;
  name: string;
  api_key_hash: string;
  created_at: string;
  /** Bumped with every change of what the caches of src/use-cases keep per subscription (migration 0010). */
  settings_version: Generated<number>;
}

export interface SubscriptionServicesTable {
  subscription_id: number;
  /** Lower-cased service reference. */
  service_key: string;
}

export interface ShippingLocationsTable {
  id: Generated<number>;
  subscription_id: number;
  reference: string;
  reference_key: string;
  name: string;
  location_type: string;
  time_zone: string;
  address: string;
  /** 0 or 1; at most one per subscription (a partial unique index). */
  default_for_returns: number;
  notes: string | null;
}

export interface PackageSizesTable {
  id: Generated<number>;
  subscription_id: number;
  reference: string;
  reference_key: string;
  description: string;
  length_cm: number;
  width_cm: number;
  height_cm: number;
  weight_kg: number;
  /** 0 or 1; at most one per subscription (a partial unique index). */
  is_default: number;
}

export interface ConsignmentsTable {
  id: Generated<number>;
  subscription_id: number;
  reference: string;
  state: string;
  created_at: string;
  updated_at: string;
  allocation: string | null;
  failed_allocation: string | null;
  last_action: string;
  last_message: string;
  version: Generated<number>;
  // Search columns of the allocation (migration 0002), set with it: src/store/consignment-columns.ts.
  service_key: string | null;
  tracking_references: string | null;
  delivery_day: string | null;
  /** The allocation's collection day (migration 0012), set with it like `delivery_day`. */
  collection_day: string | null;
  /** When the labels were first fetched (migration 0007); null until then, and again once the allocation changes. */
  labels_first_printed_at: string | null;
  // What the wire shows of its manifest (migration 0008): the last refusal, and when it was dispatched.
  failed_manifest_message: string | null;
  failed_manifest_at: string | null;
  dispatched_at: string | null;
  // The dates tracking sets (migration 0009): the first COLLECTED event's moment, and the moment it was delivered in full.
  collected_at: string | null;
  delivered_at: string | null;
}

/**
 * Search columns of each consignment's document (migration 0002), written with the document:
 * src/store/consignment-columns.ts. A table of their own keeps them out of the row that every
 * state change rewrites.
 */
export interface ConsignmentSearchTable {
  consignment_id: number;
  subscription_id: number;
  customer_reference_key: string;
  search_text: string;
  source: string;
  direction: string;
  shipping_day: string | null;
  /** The ShippingDate as a UTC timestamp (text order is time order), for "due to ship by". */
  shipping_at: string | null;
  requested_delivery_day: string | null;
  weight_grams: number;
  value_amount: number | null;
  origin_location_key: string | null;
  destination_country: string | null;
  destination_postcode_key: string | null;
  destination_region_key: string | null;
}

/** Which consignment holds each package reference (migration 0002). */
export interface ConsignmentPackagesTable {
  consignment_id: number;
  package_reference: string;
}

/** One row per tracking reference of a consignment's allocation (migration 0010), kept by triggers from `consignments.tracking_references`. */
export interface ConsignmentTrackingTable {
  consignment_id: number;
  /** Upper-cased, as in `tracking_references`. */
  tracking_reference: string;
  subscription_id: number;
}

export interface ConsignmentDocumentsTable {
  consignment_id: number;
  data: string;
}

export interface ConsignmentEventsTable {
  consignment_id: number;
  seq: number;
  at: string;
  action: string;
  from_state: string | null;
  to_state: string;
  message: string;
}

/** A carrier booking still to be cancelled (migration 0006): src/store/carrier-cancellations.repository.ts. */
export interface CarrierCancellationsTable {
  id: Generated<number>;
  subscription_id: number;
  consignment_id: number;
  consignment_reference: string;
  carrier_reference: string;
  leg: number;
  carrier_service_reference: string;
  booking_reference: string | null;
  carrier_booking_reference: string | null;
  /** JSON array of strings; empty when the booking's answer was lost. */
  tracking_references: string;
  reason: string;
  /** pending (to be tried), refused (the carrier said no) or abandoned (tried for too long). */
  state: string;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
}

/** One carrier's collection from one shipping location on one day (migration 0008): src/store/manifests.repository.ts. */
export interface ManifestsTable {
  id: Generated<number>;
  subscription_id: number;
  /** 32 lower-case hex digits. */
  reference: string;
  carrier_reference: string;
  carrier_name: string;
  shipping_location_reference: string | null;
  /** Lower-cased shipping location reference, to filter by. */
  shipping_location_key: string | null;
  shipping_location_name: string | null;
  /** yyyy-MM-dd, in the shipping location's time zone. */
  collection_day: string;
  /** The shipping location's IANA zone when the manifest was made, for the times its file prints. */
  time_zone: string;
  created_at: string;
  carrier_manifest_reference: string | null;
}

/** A consignment leg on a manifest, with the lines the manifest's file prints for it (JSON ManifestLine). */
export interface ManifestMembersTable {
  manifest_id: number;
  position: number;
  subscription_id: number;
  consignment_id: number;
  leg: number;
  line: string;
  /** Set when the consignment left the manifest (deallocated or cancelled); the file shows it withdrawn. */
  withdrawn_at: string | null;
}

/** One tracking event of a package on a leg (migration 0009): src/store/tracking.repository.ts. */
export interface TrackingEventsTable {
  id: Generated<number>;
  subscription_id: number;
  consignment_id: number;
  package_reference: string;
  leg: number;
  /** As given, with its own offset. */
  time_stamp: string;
  /** The same moment as a UTC timestamp (text order is time order); part of the unique key. */
  at: string;
  code: string;
  description: string | null;
  signed_by: string | null;
  location: string | null;
  carrier_service_name: string | null;
  received_at: string;
  /** The tracker process's instance id, or "api". */
  recorded_by: string;
}

/** A manifested leg the tracker asks its carrier about (migration 0009), leased like carrier cancellations. */
export interface TrackedLegsTable {
  id: Generated<number>;
  subscription_id: number;
  consignment_id: number;
  leg: number;
  carrier_reference: string;
  next_poll_at: string;
  last_polled_at: string | null;
  polls: Generated<number>;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
}

/** A package's tracking number on one leg (migration 0009), written when the leg is manifested. */
export interface TrackingNumbersTable {
  consignment_id: number;
  leg: number;
  package_reference: string;
  subscription_id: number;
  /** Upper-cased. */
  tracking_reference: string;
}

export interface SequencesTable {
  name: string;
  next_value: number | string;
}

export interface QuoteRequestsTable {
  reference: string;
  subscription_id: number;
  created_at: string;
  expires_at: string;
  /** The QuoteResultRecord as JSON. */
  result: string;
}

export interface AllocationRulesTable {
  id: Generated<number>;
  subscription_id: number;
  reference: string;
  /** Lower-cased reference. */
  reference_key: string;
  /** 1 or 0. */
  is_enabled: number;
  /** The whole rule as JSON. */
  definition: string;
}

export interface ServiceTagsTable {
  subscription_id: number;
  /** Lower-cased service reference. */
  service_key: string;
  /** JSON array of strings. */
  tags: string;
}

export interface ServiceGroupsTable {
  id: Generated<number>;
  subscription_id: number;
  reference: string;
  reference_key: string;
  name: string;
  is_enabled: number;
  /** JSON array of service references, in the group's order. */
  services: string;
}

/**
 * An Idempotency-Key of a POST and the answer it got (migration 0014, decisions.md §14): claimed
 * while its request runs (leased to `owner` until `lease_until`), then kept with the answer until
 * `expires_at`.
 */
export interface IdempotencyKeysTable {
  /** The caller's subscription. */
  subscription_id: number;
  key: string;
  /** SHA-256 (hex) of what makes the request the same one: method, route, parameters, formats, body. */
  fingerprint: string;
  /** 'running' or 'done'. */
  state: string;
  /** The claim's own id, so that only its request stores or frees it. */
  owner: string;
  lease_until: string;
  created_at: string;
  expires_at: string;
  status: number | null;
  /** The answer's headers that make it the same answer (content-type, location …), as JSON. */
  headers: string | null;
  /** The answer's bytes, base64. */
  body: string | null;
}

/**
 * An event of the feed and of webhooks (migration 0015), written by triggers in the transaction of
 * the change it reports; `position` is its place in commit order, given by the sequencer.
 */
export interface EventsTable {
  id: Generated<number>;
  subscription_id: number;
  type: string;
  /** The consignment's or the manifest's reference. */
  subject: string;
  /** The event's data, JSON. */
  data: string;
  occurred_at: string;
  position: number | string | null;
}

/** A subscription's webhook endpoint (migration 0016). */
export interface WebhookEndpointsTable {
  id: Generated<number>;
  subscription_id: number;
  reference: string;
  url: string;
  /** '*', or the types between commas: ',consignment.allocated,manifest.created,'. */
  event_types: string;
  description: string | null;
  /** whsec_ and the key in base64, as the endpoint's owner verifies with it. */
  secret: string;
  /** 1 or 0. */
  is_enabled: number;
  disabled_reason: string | null;
  /** When its deliveries started failing (the first failure since the last success); null while they succeed. */
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

/** One event to deliver to one endpoint (migration 0016), leased like carrier cancellations. */
export interface WebhookDeliveriesTable {
  /** 64-bit on PostgreSQL, which answers it as a string. */
  id: Generated<number | string>;
  subscription_id: number;
  endpoint_id: number;
  event_id: number | string;
  /** pending, delivered or failed. */
  state: string;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** One attempt of a delivery (migration 0016). */
export interface WebhookAttemptsTable {
  id: Generated<number | string>;
  subscription_id: number;
  delivery_id: number | string;
  attempted_at: string;
  status: number | null;
  duration_ms: number;
  /** The answer's first bytes, as text. */
  response_excerpt: string | null;
  error: string | null;
}

export interface Schema {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  events: EventsTable;
  idempotency_keys: IdempotencyKeysTable;
  subscriptions: SubscriptionsTable;
  subscription_services: SubscriptionServicesTable;
  shipping_locations: ShippingLocationsTable;
  consignments: ConsignmentsTable;
  consignment_documents: ConsignmentDocumentsTable;
  consignment_events: ConsignmentEventsTable;
  sequences: SequencesTable;
  quote_requests: QuoteRequestsTable;
  package_sizes: PackageSizesTable;
  allocation_rules: AllocationRulesTable;
  service_tags: ServiceTagsTable;
  service_groups: ServiceGroupsTable;
  consignment_packages: ConsignmentPackagesTable;
  consignment_search: ConsignmentSearchTable;
  consignment_tracking: ConsignmentTrackingTable;
  carrier_cancellations: CarrierCancellationsTable;
  manifests: ManifestsTable;
  manifest_members: ManifestMembersTable;
  tracking_events: TrackingEventsTable;
  tracked_legs: TrackedLegsTable;
  tracking_numbers: TrackingNumbersTable;
}

export type DatabaseKind = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<Schema>;
  kind: DatabaseKind;
  /** Where it points, without credentials, for logs. */
  description: string;
  /**
   * Brings the query planner's statistics up to date where they are missing or stale: called once
   * the schema is migrated, then every 15 seconds (STATISTICS_EVERY_MS); it costs next to nothing when
   * none is stale. Plans made from statistics of a store a hundredth of its size read whole indexes.
   */
  optimize(): Promise<void>;
  /** Its connections now (for /metrics): PostgreSQL's pool, or SQLite's one connection. */
  connections(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

/**
 * How often the planner's statistics are checked. A bulk import (or a store grown by another
 * process) makes them stale at once, and the plans made from them then read whole indexes, so the
 * check is frequent; it is cheap when nothing is stale.
 */
export const STATISTICS_EVERY_MS = 15_000;

/**
 * PostgreSQL: ANALYZE the schema's tables changed by more than a fifth since they were last
 * analyzed (and by at least 1,000 rows), and VACUUM those that grew by as much since they were last
 * vacuumed: until a page is marked all-visible, a count read off an index visits every row's page
 * too (at a million consignments, 500 ms rather than 30 ms for a count by state). Autovacuum does
 * both, but only when its workers get round to it, which after a bulk import can be many minutes.
 */
async function analyzeStale(db: Kysely<Schema>): Promise<void> {
  // Every process sharing the schema checks; one at a time does the work (a session advisory lock,
  // taken and released on one pooled connection), so that several never vacuum the same tables at once.
  await db.connection().execute(async (conn) => {
    const lock = sql`hashtext('switchyard:statistics:' || current_schema())`;
    const taken = await sql<{ taken: boolean }>`select pg_try_advisory_lock(${lock}) as taken`.execute(conn);
    if (!taken.rows[0]?.taken) return;
    try {
      const stale = await sql<{ relname: string; grown: boolean }>`
        select relname, n_ins_since_vacuum > 1000 + 0.2 * greatest(n_live_tup - n_ins_since_vacuum, 0) as grown from pg_stat_user_tables
        where schemaname = current_schema() and n_mod_since_analyze > 1000 + 0.2 * greatest(n_live_tup - n_mod_since_analyze, 0)`.execute(conn);
      for (const { relname, grown } of stale.rows) await (grown ? sql`vacuum (analyze) ${sql.table(relname)}` : sql`analyze ${sql.table(relname)}`).execute(conn);
    } finally {
      await sql`select pg_advisory_unlock(${lock})`.execute(conn);
    }
  });
}

export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:")`);
}

export interface OpenOptions {
  /** PostgreSQL schema to use (created if missing); tests give each run its own. */
  schema?: string;
  poolSize?: number;
  /** Errors of idle pooled connections (PostgreSQL restarted, a connection killed): reported, never fatal. */
  onIdleError?: (error: Error) => void;
}

/**
 * Kysely prepares every query it runs; better-sqlite3 statements can be reused, so the same SQL
 * text is prepared once. The queries are built from a fixed set of shapes, so the cache stays small
 * (it is capped anyway, for IN lists of varying length).
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        if (cache.size >= 500) cache.clear();
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

/** A database URL fit for messages and logs: any password is removed. */
export function redactedUrl(url: string): string {
  if (!URL.canParse(url)) return url.startsWith('sqlite:') ? url : '(unparseable database URL)';
  const safe = new URL(url);
  if (safe.password) safe.password = '***';
  return safe.toString();
}

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const kind = databaseKind(url);
  if (kind === 'sqlite') {
    const file = url.slice('sqlite:'.length) || ':memory:';
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    // A statement that writes several tables (a transition, through the audit and tracking
    // triggers) keeps a statement journal, and in a transaction (a group commit) that journal grows
    // with every statement until the commit; better-sqlite3's build keeps temporary files on disk,
    // so past 64 KiB every page it journals was a write to a temporary file: 16 writes per
    // allocation, a third of a group commit's time. In memory, it is the few megabytes a slice's
    // pages take. Other temporary storage (sorts, DISTINCT, IN lists) is bounded by the queries' pages.
    sqlite.pragma('temp_store = MEMORY');
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    // Searches filter on one index and sort on another; without statistics SQLite takes the index
    // that spares the sort and reads every row of a subscription (60 ms at 50,000 consignments,
    // against 0.2 ms by customer reference). PRAGMA optimize, as SQLite advises for long-lived
    // connections, samples (analysis_limit) the tables whose statistics are missing or stale (a
    // table is stale once its size has changed 25-fold); when none is, it costs microseconds.
    sqlite.pragma('analysis_limit = 1000');
    const optimize = async () => {
      await sql`pragma optimize = 0x10002`.execute(db);
    };
    const periodically = setInterval(() => optimize().catch(() => undefined), STATISTICS_EVERY_MS).unref();
    const checkpoints = file === ':memory:' ? null : WalCheckpoints.start(sqlite, file);
    return {
      db,
      kind,
      description: `sqlite:${file}`,
      optimize,
      connections: () => ({ total: 1, idle: 1, waiting: 0 }),
      close: async () => {
        clearInterval(periodically);
        await db.destroy();
        // Last, so that its connection, the last to close, checkpoints what is left and removes the WAL.
        await checkpoints?.stop();
      },
    };
  }
  pg.types.setTypeParser(20, (v) => Number(v)); // int8 values here stay far below 2^53
  const schema = options.schema;
  if (schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // Without a listener, an idle connection's error (the server restarting, a killed backend) would
  // crash the process; the pool drops that connection and the next query opens a fresh one.
  pool.on('error', (error) => options.onIdleError?.(error));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const optimize = () => analyzeStale(db);
  const periodically = setInterval(() => optimize().catch(() => undefined), STATISTICS_EVERY_MS).unref();
  return {
    db,
    kind,
    description: `${redactedUrl(url)}${schema ? ` (schema ${schema})` : ''}`,
    optimize,
    connections: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => {
      clearInterval(periodically);
      return db.destroy();
    },
  };
}

export async function isReachable(database: Database): Promise<boolean> {
  try {
    await sql`select 1`.execute(database.db);
    return true;
  } catch {
    return false;
  }
}
