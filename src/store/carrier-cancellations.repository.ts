/**
 * Carrier bookings still to be cancelled, each worked off by whichever process holds its lease.
 * A row is taken by a conditional UPDATE of rows whose lease is free or expired: on PostgreSQL
 * the candidates are locked with FOR UPDATE SKIP LOCKED, so processes sharing the database never
 * take the same row; SQLite has one writer, so its UPDATE is atomic as it is. Every later write
 * to a row is conditional on still holding its lease, so a process whose lease expired (it was
 * slow, or stopped) can never undo what the row's new holder did.
 */
import type { Kysely, Selectable } from 'kysely';
import type { CarrierCancellationsTable, DatabaseKind, Schema } from './database.js';

/**
 * Why a booking is to be cancelled: the consignment was deallocated or cancelled; its journey
 * could not be booked whole, or its allocation lost a race (undone); the carrier's answer to it was
 * lost (a timeout); or it is being made right now (in flight: the row is deleted with the
 * allocation that records the booking, and cancels it if the process stops before that).
 */
export type CancellationReason = 'Deallocated' | 'Cancelled' | 'BookingUndone' | 'AnswerLost' | 'InFlight';

/** One leg's booking to cancel. */
export interface CancellationDraft {
  subscriptionId: number;
  consignmentId: number;
  consignmentReference: string;
  carrierReference: string;
  leg: number;
  carrierServiceReference: string;
  /** Ours for the booking; null for bookings recorded before there was one. */
  bookingReference: string | null;
  carrierBookingReference: string | null;
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

/** Who holds the rows being written, and until when. */
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
    bookingReference: row.booking_reference,
    carrierBookingReference: row.carrier_booking_reference,
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

export interface InsertOptions {
  /** When the rows are first due. */
  dueAt: string;
  /** Held by this lease (their writer tries them at once), or free for any process once due. */
  lease: Lease | null;
}

/**
 * Writes cancellations on `db`, which may be a transaction: a deallocation writes them in the same
 * transaction as its change of state, so that the booking's release can never be lost.
 */
export async function insertCancellations(db: Kysely<Schema>, drafts: CancellationDraft[], at: string, { dueAt, lease }: InsertOptions): Promise<PendingCancellation[]> {
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
        booking_reference: d.bookingReference,
        carrier_booking_reference: d.carrierBookingReference,
        tracking_references: JSON.stringify(d.trackingReferences),
        reason: d.reason,
        state: 'pending',
        attempts: 0,
        next_attempt_at: dueAt,
        lease_owner: lease?.owner ?? null,
        lease_until: lease?.until ?? null,
        last_error: null,
        created_at: at,
      })),
    )
    .returningAll()
    .execute();
  return rows.map(toCancellation);
}

/** Deletes rows this lease holds, on `db` (a transaction: an allocation deletes its bookings' in-flight rows as it records them). */
export async function deleteHeld(db: Kysely<Schema>, ids: readonly number[], owner: string): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.deleteFrom('carrier_cancellations').where('id', 'in', [...ids]).where('lease_owner', '=', owner).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}

export class CarrierCancellationsRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly kind: DatabaseKind,
  ) {}

  add(drafts: CancellationDraft[], at: string, options: InsertOptions): Promise<PendingCancellation[]> {
    return insertCancellations(this.db, drafts, at, options);
  }

  /** Takes up to `limit` pending rows due at `now` whose lease is free or expired, oldest due first. */
  async claim(lease: Lease, now: string, limit: number): Promise<PendingCancellation[]> {
    const rows = await this.db
      .updateTable('carrier_cancellations')
      .set({ lease_owner: lease.owner, lease_until: lease.until })
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

  /** Extends a held lease and counts the attempt about to be made; false when the lease was lost (another process holds the row now). */
  async startAttempt(id: number, lease: Lease): Promise<boolean> {
    const result = await this.db
      .updateTable('carrier_cancellations')
      .set((eb) => ({ lease_until: lease.until, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('lease_owner', '=', lease.owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows ?? 0) === 1;
  }

  /** The carrier cancelled it (or there was nothing to cancel): the row goes. False when the lease was lost meanwhile. */
  async complete(id: number, owner: string): Promise<boolean> {
    return (await deleteHeld(this.db, [id], owner)) === 1;
  }

  /** Not this time: tried again from `nextAttemptAt`, by whoever takes it then. */
  async retryLater(id: number, owner: string, nextAttemptAt: string, error: string | null): Promise<boolean> {
    const result = await this.db
      .updateTable('carrier_cancellations')
      .set({ next_attempt_at: nextAttemptAt, last_error: error?.slice(0, 2000) ?? null, lease_owner: null, lease_until: null })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows ?? 0) === 1;
  }

  /**
   * A held in-flight row becomes a booking to release: the booking was made (with these tracking
   * references) but will not be recorded, or its answer was lost. Still held, for its writer to try.
   */
  async toRelease(id: number, owner: string, reason: 'BookingUndone' | 'AnswerLost', booked: { trackingReferences: string[]; carrierBookingReference: string | null }): Promise<PendingCancellation | undefined> {
    const row = await this.db
      .updateTable('carrier_cancellations')
      .set({ reason, tracking_references: JSON.stringify(booked.trackingReferences), carrier_booking_reference: booked.carrierBookingReference })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .returningAll()
      .executeTakeFirst();
    return row && toCancellation(row);
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

  /** Rows not yet done, deployment-wide, those needing an operator first (abandoned, refused), then by age; at most `limit`. */
  async outstanding(limit: number): Promise<PendingCancellation[]> {
    const rows = await this.db
      .selectFrom('carrier_cancellations')
      .selectAll()
      .orderBy((eb) => eb.case().when('state', '=', 'abandoned').then(0).when('state', '=', 'refused').then(1).else(2).end())
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toCancellation);
  }

  /** How many rows are in each state, deployment-wide. */
  async countByState(): Promise<Record<PendingCancellation['state'], number>> {
    const rows = await this.db.selectFrom('carrier_cancellations').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
    const counts = { pending: 0, refused: 0, abandoned: 0 };
    for (const r of rows) counts[r.state as PendingCancellation['state']] = Number(r.n);
    return counts;
  }
}
