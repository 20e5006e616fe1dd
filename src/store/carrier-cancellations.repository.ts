/**
 * Carrier bookings still to be cancelled, each worked off by whichever process holds its lease.
 * A row is taken by a conditional UPDATE of rows whose lease is free or expired: on PostgreSQL
 * the candidates are locked with FOR UPDATE SKIP LOCKED, so processes sharing the database never
 * take the same row; SQLite has one writer, so its UPDATE is atomic as it is.
 */
import type { Kysely, Selectable } from 'kysely';
import type { CarrierCancellationsTable, DatabaseKind, Schema } from './database.js';

export type CancellationReason = 'Deallocated' | 'Cancelled' | 'BookingUndone' | 'AnswerLost';

/** One leg's booking to cancel. */
export interface CancellationDraft {
  subscriptionId: number;
  consignmentId: number;
  consignmentReference: string;
  carrierReference: string;
  leg: number;
  carrierServiceReference: string;
  trackingReferences: string[];
  reason: CancellationReason;
}

export interface PendingCancellation extends CancellationDraft {
  id: number;
  state: 'pending' | 'refused' | 'abandoned';
  attempts: number;
  nextAttemptAt: string;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
}

/** Who holds the rows being written, and until when; the first attempt is counted. */
export interface Lease {
  owner: string;
  until: string;
}

function toCancellation(row: Selectable<CarrierCancellationsTable>): PendingCancellation {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    consignmentId: row.consignment_id,
    consignmentReference: row.consignment_reference,
    carrierReference: row.carrier_reference,
    leg: row.leg,
    carrierServiceReference: row.carrier_service_reference,
    trackingReferences: JSON.parse(row.tracking_references),
    reason: row.reason as CancellationReason,
    state: row.state as PendingCancellation['state'],
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

/**
 * Writes cancellations, held by `lease` (so that no worker takes them while their writer tries
 * them at once), on `db`, which may be a transaction: a deallocation writes them in the same
 * transaction as its change of state, so that the booking's release can never be lost.
 */
export async function insertCancellations(db: Kysely<Schema>, drafts: CancellationDraft[], at: string, lease: Lease): Promise<PendingCancellation[]> {
  if (drafts.length === 0) return [];
  const rows = await db
    .insertInto('carrier_cancellations')
    .values(
      drafts.map((d) => ({
        subscription_id: d.subscriptionId,
        consignment_id: d.consignmentId,
        consignment_reference: d.consignmentReference,
        carrier_reference: d.carrierReference,
        leg: d.leg,
        carrier_service_reference: d.carrierServiceReference,
        tracking_references: JSON.stringify(d.trackingReferences),
        reason: d.reason,
        state: 'pending',
        attempts: 1,
        next_attempt_at: at,
        lease_owner: lease.owner,
        lease_until: lease.until,
        last_error: null,
        created_at: at,
      })),
    )
    .returningAll()
    .execute();
  return rows.map(toCancellation);
}

export class CarrierCancellationsRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly kind: DatabaseKind,
  ) {}

  add(drafts: CancellationDraft[], at: string, lease: Lease): Promise<PendingCancellation[]> {
    return insertCancellations(this.db, drafts, at, lease);
  }

  /** Takes up to `limit` pending rows due at `now` whose lease is free or expired, oldest due first, counting the attempt. */
  async claim(lease: Lease, now: string, limit: number): Promise<PendingCancellation[]> {
    const rows = await this.db
      .updateTable('carrier_cancellations')
      .set((eb) => ({ lease_owner: lease.owner, lease_until: lease.until, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', (eb) => {
        const due = eb
          .selectFrom('carrier_cancellations')
          .select('id')
          .where('state', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', now)]))
          .orderBy('next_attempt_at')
          .orderBy('id')
          .limit(limit);
        return this.kind === 'postgres' ? due.forUpdate().skipLocked() : due;
      })
      .returningAll()
      .execute();
    return rows.map(toCancellation).sort((a, b) => (a.nextAttemptAt < b.nextAttemptAt ? -1 : a.nextAttemptAt > b.nextAttemptAt ? 1 : a.id - b.id));
  }

  /** The carrier cancelled it: the row goes. False when the lease was lost meanwhile (another process holds it now). */
  async complete(id: number, owner: string): Promise<boolean> {
    const result = await this.db.deleteFrom('carrier_cancellations').where('id', '=', id).where('lease_owner', '=', owner).executeTakeFirst();
    return Number(result.numDeletedRows ?? 0) === 1;
  }

  /** Not this time: tried again from `nextAttemptAt`, by whoever takes it then. */
  async retryLater(id: number, owner: string, nextAttemptAt: string, error: string): Promise<boolean> {
    const result = await this.db
      .updateTable('carrier_cancellations')
      .set({ next_attempt_at: nextAttemptAt, last_error: error.slice(0, 2000), lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows ?? 0) === 1;
  }

  /** Never again: the carrier refused, or it was tried for too long. The row stays, for the operator to see. */
  async settle(id: number, owner: string, state: 'refused' | 'abandoned', error: string): Promise<boolean> {
    const result = await this.db
      .updateTable('carrier_cancellations')
      .set({ state, last_error: error.slice(0, 2000), lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows ?? 0) === 1;
  }

  /** A consignment's cancellations not yet done (pending, refused or abandoned), oldest first. */
  async forConsignment(subscriptionId: number, consignmentId: number): Promise<PendingCancellation[]> {
    const rows = await this.db
      .selectFrom('carrier_cancellations')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .where('consignment_id', '=', consignmentId)
      .orderBy('id')
      .execute();
    return rows.map(toCancellation);
  }

  /** How many rows are in each state, deployment-wide (for health and tests). */
  async countByState(): Promise<Record<PendingCancellation['state'], number>> {
    const rows = await this.db.selectFrom('carrier_cancellations').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
    const counts = { pending: 0, refused: 0, abandoned: 0 };
    for (const r of rows) counts[r.state as PendingCancellation['state']] = Number(r.n);
    return counts;
  }
}
