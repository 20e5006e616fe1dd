import { CompiledQuery, sql, type Kysely, type Selectable } from 'kysely';
import type { AllocationRecord, Consignment, ConsignmentData, FailedAllocationRecord } from '../domain/consignment.js';
import type { ConsignmentState } from '../domain/states.js';
import { allocationColumns, documentColumns, packageRows } from './consignment-columns.js';
import type { ConsignmentsTable, DatabaseKind, Schema } from './database.js';
import { deleteHeld, insertCancellations, type CancellationDraft, type Lease, type PendingCancellation } from './carrier-cancellations.repository.js';
import { withdrawFromManifests } from './manifests.repository.js';
import { forgetTracking } from './tracking.repository.js';
import { PreparedQuery } from './prepared-query.js';
import { CommitQueue } from './commit-queue.js';

/** Keeps IN lists well inside both databases' bound-parameter limits. */
const CHUNK = 900;

/** No stored reference contains a NUL character, and PostgreSQL refuses one in a query: such references simply match nothing. */
function storable(references: string[]): string[] {
  return references.filter((r) => !r.includes('\u0000'));
}

export interface ConsignmentEventRow {
  at: string;
  action: string;
  from_state: string | null;
  to_state: string;
  message: string;
}

export interface ConsignmentEvent {
  action: string;
  message: string;
}

/** A change of one consignment: applied only while it is still in one of `fromStates`. */
export interface Transition {
  fromStates: readonly ConsignmentState[];
  to: ConsignmentState;
  allocation?: AllocationRecord | null;
  failedAllocation?: FailedAllocationRecord | null;
  at: string;
  event: ConsignmentEvent;
}

/** Allocations recorded before prices existed have no `price`: they read as unpriced. */
function readAllocation(json: string): AllocationRecord {
  const allocation = JSON.parse(json) as AllocationRecord;
  allocation.price ??= null;
  return allocation;
}

export function toConsignment(row: Selectable<ConsignmentsTable> & { data: string }): Consignment {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    reference: row.reference,
    state: row.state as ConsignmentState,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    data: JSON.parse(row.data),
    allocation: row.allocation ? readAllocation(row.allocation) : null,
    failedAllocation: row.failed_allocation ? JSON.parse(row.failed_allocation) : null,
    labelsFirstPrintedAt: row.labels_first_printed_at ?? null,
    failedManifest: row.failed_manifest_message ? { message: row.failed_manifest_message, at: row.failed_manifest_at ?? row.updated_at } : null,
    dispatchedAt: row.dispatched_at ?? null,
    dateCollected: row.collected_at ?? null,
    dateDelivered: row.delivered_at ?? null,
  };
}

function newRow(subscriptionId: number, reference: string, at: string) {
  return {
    subscription_id: subscriptionId,
    reference,
    state: 'Unallocated',
    created_at: at,
    updated_at: at,
    allocation: null,
    failed_allocation: null,
    last_action: 'Created',
    last_message: `Consignment ${reference} created`,
  };
}

/** The `consignment_search` row of a consignment's document. */
function searchRow(consignmentId: number, subscriptionId: number, reference: string, data: ConsignmentData) {
  return { consignment_id: consignmentId, subscription_id: subscriptionId, ...documentColumns(reference, data) };
}

/** Rows written down before their bookings were made (in-flight), held by `owner`: deleted with the allocation that records the bookings. */
export interface InFlightBookings {
  ids: readonly number[];
  owner: string;
}

/** One consignment's transition in a group commit. */
export interface GroupedTransition {
  consignment: Consignment;
  transition: Transition;
}

/** A change of a consignment's document (an edit): applied only while it is still in one of `fromStates`. */
export interface DocumentChange {
  fromStates: readonly ConsignmentState[];
  at: string;
  event: ConsignmentEvent;
}

const ALLOCATION_VALUES = ['allocation', 'service', 'tracking', 'deliveryDay', 'collectionDay'] as const;
const TRANSITION_VALUES = ['state', 'at', 'action', 'message', ...ALLOCATION_VALUES, 'failed', 'id', 'version'] as const;
type TransitionValue = (typeof TRANSITION_VALUES)[number];
const LABEL_PRINT_VALUES = ['at', 'action', 'message', 'id', 'tracking'] as const;

export class ConsignmentsRepository {
  private readonly transitions = new Map<string, PreparedQuery<TransitionValue>>();
  private readonly labelPrints = new Map<string, PreparedQuery<(typeof LABEL_PRINT_VALUES)[number]>>();

  /** Compiled once: every single-consignment request reads its consignment this way. */
  private readonly byReference: PreparedQuery<'subscription' | 'reference'>;

  /** Single transitions of concurrent requests, committed together. */
  private readonly commits = new CommitQueue<GroupedTransition>(
    { many: (changes) => this.transitionMany(changes), one: (change) => this.transitionAlone(change) },
    (change) => change.consignment.id,
  );

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly kind: DatabaseKind,
  ) {
    this.byReference = new PreparedQuery(db, ['subscription', 'reference'], (v) => this.withDocument().where('subscription_id', '=', v.subscription).where('reference', '=', v.reference));
  }

  /** Stores a new Unallocated consignment and its document; the audit trigger records its creation. */
  async insert(subscriptionId: number, reference: string, data: ConsignmentData, at: string): Promise<Consignment> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('consignments').values(newRow(subscriptionId, reference, at)).returningAll().executeTakeFirstOrThrow();
      const document = JSON.stringify(data);
      await trx.insertInto('consignment_documents').values({ consignment_id: row.id, data: document }).execute();
      await trx.insertInto('consignment_search').values(searchRow(row.id, subscriptionId, reference, data)).execute();
      await insertPackageRows(trx, packageRows(row.id, data));
      return toConsignment({ ...row, data: document });
    });
  }

  /** Stores many new consignments at once (imports, benchmarks), chunked, in one transaction. */
  async insertMany(subscriptionId: number, consignments: { reference: string; data: ConsignmentData }[], at: string): Promise<void> {
    // Keep each statement well under SQLite's and PostgreSQL's bound-parameter limits.
    const rowsPerStatement = 500;
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < consignments.length; i += rowsPerStatement) {
        const chunk = consignments.slice(i, i + rowsPerStatement);
        const rows = await trx
          .insertInto('consignments')
          .values(chunk.map((c) => newRow(subscriptionId, c.reference, at)))
          .returning(['id', 'reference'])
          .execute();
        const ids = new Map(rows.map((r) => [r.reference, r.id]));
        await trx
          .insertInto('consignment_documents')
          .values(chunk.map((c) => ({ consignment_id: ids.get(c.reference)!, data: JSON.stringify(c.data) })))
          .execute();
        await trx
          .insertInto('consignment_search')
          .values(chunk.map((c) => searchRow(ids.get(c.reference)!, subscriptionId, c.reference, c.data)))
          .execute();
        await insertPackageRows(trx, chunk.flatMap((c) => packageRows(ids.get(c.reference)!, c.data)));
      }
    });
  }

  /** Consignment rows with their documents. */
  private withDocument() {
    return this.db
      .selectFrom('consignments')
      .innerJoin('consignment_documents', 'consignment_documents.consignment_id', 'consignments.id')
      .selectAll('consignments')
      .select('consignment_documents.data');
  }

  /** The subscription's consignment holding a package (canonical reference). */
  async findByPackageReference(subscriptionId: number, packageReference: string): Promise<Consignment | undefined> {
    if (packageReference.includes('\u0000')) return undefined;
    const row = await this.withDocument()
      .innerJoin('consignment_packages', 'consignment_packages.consignment_id', 'consignments.id')
      .where('subscription_id', '=', subscriptionId)
      .where('consignment_packages.package_reference', '=', packageReference)
      .executeTakeFirst();
    return row && toConsignment(row);
  }

  async findByReference(subscriptionId: number, reference: string): Promise<Consignment | undefined> {
    if (reference.includes('\u0000')) return undefined;
    const { rows } = await this.byReference.execute({ subscription: subscriptionId, reference });
    return rows.length ? toConsignment(rows[0] as Selectable<ConsignmentsTable> & { data: string }) : undefined;
  }

  /** The subscription's consignments among `ids`, keyed by id. */
  async findByIds(subscriptionId: number, all: readonly number[]): Promise<Map<number, Consignment>> {
    const found = new Map<number, Consignment>();
    const ids = [...new Set(all)];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.withDocument().where('subscription_id', '=', subscriptionId).where('consignments.id', 'in', ids.slice(i, i + CHUNK)).execute();
      for (const row of rows) found.set(row.id, toConsignment(row));
    }
    return found;
  }

  /** The subscription's consignments among `references` (canonical form), keyed by reference. */
  async findByReferences(subscriptionId: number, all: string[]): Promise<Map<string, Consignment>> {
    const found = new Map<string, Consignment>();
    const references = storable(all);
    if (references.length === 1) {
      // One consignment (every single-consignment request): the statement compiled once.
      const one = await this.findByReference(subscriptionId, references[0]);
      if (one) found.set(one.reference, one);
      return found;
    }
    for (let i = 0; i < references.length; i += CHUNK) {
      const rows = await this.withDocument().where('subscription_id', '=', subscriptionId).where('reference', 'in', references.slice(i, i + CHUNK)).execute();
      for (const row of rows) found.set(row.reference, toConsignment(row));
    }
    return found;
  }

  /**
   * Which of `references` (canonical form) exist for the subscription, with the size of each one's
   * stored document in bytes: a cheap check before any change, and what batches are sized by.
   * (octet_length, unlike length, is read off the value's header: the document itself is not read.)
   */
  async existingReferences(subscriptionId: number, all: string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const references = storable(all);
    for (let i = 0; i < references.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('consignments')
        .innerJoin('consignment_documents', 'consignment_documents.consignment_id', 'consignments.id')
        .select(['reference', sql<number>`octet_length(consignment_documents.data)`.as('size')])
        .where('subscription_id', '=', subscriptionId)
        .where('reference', 'in', references.slice(i, i + CHUNK))
        .execute();
      for (const row of rows) found.set(row.reference, Number(row.size));
    }
    return found;
  }

  /**
   * Applies a transition as one conditional UPDATE; the audit trigger records it in the same
   * statement. It applies only to the version the caller read (a consignment deallocated and
   * allocated again meanwhile is Allocated again, but not the same), and only from `fromStates`;
   * otherwise it returns false and changes nothing. It is committed with the transitions other
   * requests make at the same moment (commit-queue.ts), and answered once committed.
   */
  async transition(consignment: Consignment, t: Transition, inFlight?: InFlightBookings): Promise<boolean> {
    if (inFlight && inFlight.ids.length > 0) return this.transitionSettling(consignment, t, inFlight);
    return this.commits.submit({ consignment, transition: t });
  }

  private async transitionAlone({ consignment, transition: t }: GroupedTransition): Promise<boolean> {
    const result = await this.transitionQuery(t).execute(transitionValues(consignment, t));
    return Number(result.numAffectedRows ?? 0) === 1;
  }

  /**
   * A group commit (decisions.md §4.8): several consignments' transitions committed together, each
   * conditional on its own version and states exactly as `transition` is, so that one that changed
   * meanwhile is simply not applied and never stops the others. Answers which were applied, in
   * order. On PostgreSQL it is one statement over arrays (one round trip), and a row another
   * transaction holds locked is skipped rather than waited for, as if it had changed: the caller
   * decides it again on its own. On SQLite it is one transaction of prepared updates.
   */
  async transitionMany(changes: readonly GroupedTransition[]): Promise<boolean[]> {
    if (changes.length === 0) return [];
    // One statement cannot tell two changes of one row apart (both would read as applied).
    if (new Set(changes.map((c) => c.consignment.id)).size !== changes.length) throw new Error('a group commit names one consignment twice');
    if (this.kind === 'postgres') {
      const applied = new Set<number>();
      for (let i = 0; i < changes.length; i += CHUNK) {
        const result = await this.db.executeQuery<{ id: number }>(groupTransitionQuery(changes.slice(i, i + CHUNK)));
        for (const row of result.rows) applied.add(Number(row.id));
      }
      return changes.map((c) => applied.has(c.consignment.id));
    }
    return this.db.transaction().execute(async (trx) => {
      const applied: boolean[] = [];
      for (const { consignment, transition } of changes) {
        const result = await this.transitionQuery(transition).executeOn(trx, transitionValues(consignment, transition));
        applied.push(Number(result.numAffectedRows ?? 0) === 1);
      }
      return applied;
    });
  }

  /**
   * A transition that records bookings written down before they were made: the change and the
   * deletion of their in-flight rows are one transaction. When the rows are no longer this
   * process's (it was so slow that their lease expired, and another process is cancelling the
   * bookings), nothing is written and the answer is false, as for a lost race.
   */
  private async transitionSettling(consignment: Consignment, t: Transition, inFlight: InFlightBookings): Promise<boolean> {
    const lost = new Error('in-flight bookings taken over');
    try {
      return await this.db.transaction().execute(async (trx) => {
        const result = await transitionStatement(trx, t, transitionValues(consignment, t)).executeTakeFirst();
        if (Number(result.numUpdatedRows ?? 0) !== 1) return false;
        if ((await deleteHeld(trx, inFlight.ids, inFlight.owner)) !== inFlight.ids.length) throw lost;
        return true;
      });
    } catch (e) {
      if (e === lost) return false;
      throw e;
    }
  }

  /**
   * Replaces a consignment's document (an edit), in one transaction: the row's version, the
   * document, its search columns and its package references. Like a transition it applies only to
   * the version the caller read and only from `fromStates`; otherwise it returns null and changes
   * nothing. The row update sets the state (to the same state) so that the audit trigger records
   * the edit.
   */
  async replaceDocument(consignment: Consignment, data: ConsignmentData, change: DocumentChange): Promise<Consignment | null> {
    const document = JSON.stringify(data);
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('consignments')
        .set({
          state: consignment.state,
          updated_at: change.at,
          version: (eb) => eb('version', '+', 1),
          last_action: change.event.action,
          last_message: change.event.message,
        })
        .where('id', '=', consignment.id)
        .where('version', '=', consignment.version)
        .where('state', 'in', change.fromStates)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return null;
      await trx.updateTable('consignment_documents').set({ data: document }).where('consignment_id', '=', consignment.id).execute();
      await trx.updateTable('consignment_search').set(documentColumns(consignment.reference, data)).where('consignment_id', '=', consignment.id).execute();
      await trx.deleteFrom('consignment_packages').where('consignment_id', '=', consignment.id).execute();
      await insertPackageRows(trx, packageRows(consignment.id, data));
      return { ...consignment, data, version: consignment.version + 1, updatedAt: change.at };
    });
  }

  /** The conditional UPDATE for a transition's shape (which columns it sets, from which states), compiled once. */
  private transitionQuery(t: Transition): PreparedQuery<TransitionValue> {
    const setsAllocation = t.allocation !== undefined;
    const setsFailure = t.failedAllocation !== undefined;
    const key = `${t.fromStates.join(',')}|${setsAllocation}|${setsFailure}`;
    let query = this.transitions.get(key);
    if (!query) {
      const allocationValue = (v: TransitionValue) => (ALLOCATION_VALUES as readonly string[]).includes(v);
      const names = TRANSITION_VALUES.filter((v) => (!allocationValue(v) || setsAllocation) && (v !== 'failed' || setsFailure));
      query = new PreparedQuery(this.db, names, (v) => transitionStatement(this.db, t, v));
      this.transitions.set(key, query);
    }
    return query;
  }

  /**
   * A transition that releases carrier bookings: the change, the cancellations still to be made and
   * the consignment's withdrawal from its manifests are written in one transaction, so that a
   * booking is never left behind by a change that committed (the cancellations are made after the
   * commit, never inside it). Null, with nothing written, when the consignment changed meanwhile.
   */
  async transitionReleasing(consignment: Consignment, t: Transition, releases: CancellationDraft[], lease: Lease): Promise<PendingCancellation[] | null> {
    return this.db.transaction().execute(async (trx) => {
      const result = await transitionStatement(trx, t, transitionValues(consignment, t)).executeTakeFirst();
      if (Number(result.numUpdatedRows ?? 0) !== 1) return null;
      // Bookings released, the consignment leaves the manifests it was on (its file shows it withdrawn)
      // and its bookings' tracking is forgotten.
      await withdrawFromManifests(trx, consignment, t.at);
      await forgetTracking(trx, consignment);
      return insertCancellations(trx, releases, t.at, { dueAt: t.at, lease });
    });
  }

  /**
   * Records the first fetch of a consignment's labels, once: one conditional UPDATE that applies
   * only while no fetch is recorded, the consignment is still in `printStates`, and the allocation
   * the labels were made from is still its own (its tracking references, unique to each booking,
   * are the row's). It sets the state to itself so that the audit trigger records the print.
   * False when another fetch recorded it first, or the consignment changed meanwhile.
   */
  async markLabelsPrinted(consignment: Consignment, printStates: readonly ConsignmentState[], at: string, event: ConsignmentEvent): Promise<boolean> {
    const tracking = allocationColumns(consignment.allocation).tracking_references;
    if (tracking === null) return false;
    const key = printStates.join(',');
    let query = this.labelPrints.get(key);
    if (!query) {
      query = new PreparedQuery(this.db, LABEL_PRINT_VALUES, (v) =>
        this.db
          .updateTable('consignments')
          .set({
            labels_first_printed_at: v.at,
            state: sql<string>`state`,
            updated_at: v.at,
            version: (eb) => eb('version', '+', 1),
            last_action: v.action,
            last_message: v.message,
          })
          .where('id', '=', v.id)
          .where('labels_first_printed_at', 'is', null)
          .where('state', 'in', printStates)
          .where('tracking_references', '=', v.tracking),
      );
      this.labelPrints.set(key, query);
    }
    const result = await query.execute({ at, action: event.action, message: event.message, id: consignment.id, tracking });
    return Number(result.numAffectedRows ?? 0) === 1;
  }

  async events(consignmentId: number): Promise<ConsignmentEventRow[]> {
    return this.db
      .selectFrom('consignment_events')
      .select(['at', 'action', 'from_state', 'to_state', 'message'])
      .where('consignment_id', '=', consignmentId)
      .orderBy('seq')
      .execute();
  }
}

/** The values a transition writes, by name. */
function transitionValues(consignment: Consignment, t: Transition): Record<TransitionValue, unknown> {
  const columns = t.allocation !== undefined ? allocationColumns(t.allocation) : null;
  return {
    state: t.to,
    at: t.at,
    action: t.event.action,
    message: t.event.message,
    allocation: t.allocation ? JSON.stringify(t.allocation) : null,
    service: columns?.service_key ?? null,
    tracking: columns?.tracking_references ?? null,
    deliveryDay: columns?.delivery_day ?? null,
    collectionDay: columns?.collection_day ?? null,
    failed: t.failedAllocation ? JSON.stringify(t.failedAllocation) : null,
    id: consignment.id,
    version: consignment.version,
  };
}

/** The columns of a PostgreSQL group transition's rows, with their types. */
const GROUP_COLUMNS = [
  ['id', 'int'],
  ['version', 'int'],
  ['from_states', 'text'],
  ['state', 'text'],
  ['at', 'text'],
  ['action', 'text'],
  ['message', 'text'],
  ['sets_allocation', 'boolean'],
  ['allocation', 'json'],
  ['service', 'text'],
  ['tracking', 'text'],
  ['delivery_day', 'text'],
  ['collection_day', 'text'],
  ['sets_failure', 'boolean'],
  ['failed', 'json'],
] as const;

type GroupRow = Record<(typeof GROUP_COLUMNS)[number][0], unknown>;

/*
 * The rows arrive as one JSON array, read by json_to_recordset: one JSON.stringify for the whole
 * group, where arrays of text would have the driver quote and escape every value again (the
 * allocations' JSON above all). The allocation and failure are `json` there, and a `json` value
 * cast to text is its text exactly as sent: what JSON.stringify makes of the record, as stored alone.
 */
const GROUP_TRANSITION_SQL = `WITH v AS (
  SELECT * FROM json_to_recordset($1::json) AS v(${GROUP_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})
), locked AS (
  SELECT c.id FROM consignments c JOIN v ON v.id = c.id
  WHERE c.version = v.version AND c.state = ANY(string_to_array(v.from_states, ','))
  FOR UPDATE OF c SKIP LOCKED
)
UPDATE consignments AS c SET
  state = v.state, updated_at = v.at, version = c.version + 1, last_action = v.action, last_message = v.message,
  allocation = CASE WHEN v.sets_allocation THEN v.allocation::text ELSE c.allocation END,
  service_key = CASE WHEN v.sets_allocation THEN v.service ELSE c.service_key END,
  tracking_references = CASE WHEN v.sets_allocation THEN v.tracking ELSE c.tracking_references END,
  delivery_day = CASE WHEN v.sets_allocation THEN v.delivery_day ELSE c.delivery_day END,
  collection_day = CASE WHEN v.sets_allocation THEN v.collection_day ELSE c.collection_day END,
  labels_first_printed_at = CASE WHEN v.sets_allocation THEN NULL ELSE c.labels_first_printed_at END,
  failed_allocation = CASE WHEN v.sets_failure THEN v.failed::text ELSE c.failed_allocation END
FROM v
WHERE c.id = v.id AND c.id IN (SELECT id FROM locked)
  AND c.version = v.version AND c.state = ANY(string_to_array(v.from_states, ','))
RETURNING c.id`;

/** A PostgreSQL group transition: its rows as one JSON parameter. */
function groupTransitionQuery(changes: readonly GroupedTransition[]): CompiledQuery<{ id: number }> {
  const rows = changes.map(({ consignment, transition: t }): GroupRow => {
    const columns = t.allocation !== undefined ? allocationColumns(t.allocation) : null;
    return {
      id: consignment.id,
      version: consignment.version,
      from_states: t.fromStates.join(','),
      state: t.to,
      at: t.at,
      action: t.event.action,
      message: t.event.message,
      sets_allocation: t.allocation !== undefined,
      // A null allocation (none) is JSON null, which json_to_recordset reads as SQL NULL.
      allocation: t.allocation ?? null,
      service: columns?.service_key ?? null,
      tracking: columns?.tracking_references ?? null,
      delivery_day: columns?.delivery_day ?? null,
      collection_day: columns?.collection_day ?? null,
      sets_failure: t.failedAllocation !== undefined,
      failed: t.failedAllocation ?? null,
    };
  });
  return CompiledQuery.raw(GROUP_TRANSITION_SQL, [JSON.stringify(rows)]) as CompiledQuery<{ id: number }>;
}

/** A transition as one conditional UPDATE: applied only to the version read, and only from `fromStates`. */
function transitionStatement(db: Kysely<Schema>, t: Transition, v: Record<TransitionValue, any>) {
  const setsAllocation = t.allocation !== undefined;
  const setsFailure = t.failedAllocation !== undefined;
  return db
    .updateTable('consignments')
    .set({
      state: v.state,
      updated_at: v.at,
      version: (eb) => eb('version', '+', 1),
      last_action: v.action,
      last_message: v.message,
      // A new allocation (or none) has labels that were never printed.
      ...(setsAllocation ? { allocation: v.allocation, service_key: v.service, tracking_references: v.tracking, delivery_day: v.deliveryDay, collection_day: v.collectionDay, labels_first_printed_at: null } : {}),
      ...(setsFailure ? { failed_allocation: v.failed } : {}),
    })
    .where('id', '=', v.id)
    .where('version', '=', v.version)
    .where('state', 'in', t.fromStates);
}

/** Package-reference rows, a statement per few hundred (a consignment may hold 1,000 packages). */
async function insertPackageRows(db: Kysely<Schema>, rows: { consignment_id: number; package_reference: string }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('consignment_packages').values(rows.slice(i, i + 500)).execute();
}
