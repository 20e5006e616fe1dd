/**
 * Tracking events, tracked legs and tracking numbers (migration 0009).
 *
 * A batch of events is recorded in one transaction: the consignments they are for are read (on
 * PostgreSQL locked, in id order, so that batches over the same consignments wait for each other
 * instead of deadlocking; SQLite has one writer anyway), events for a consignment that does not
 * take them are refused, the others inserted with the unique key refusing a duplicate (so any
 * number of writers may record the same event, and the first one wins), and each consignment
 * given new events gets the state and dates its events now mean.
 *
 * Tracked legs are leased as carrier cancellations are: a conditional UPDATE of due rows whose
 * lease is free or expired, the candidates locked with FOR UPDATE SKIP LOCKED on PostgreSQL, so
 * that processes sharing the database never take the same leg; every later write to a leg is
 * conditional on still holding its lease.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AllocationRecord, Consignment } from '../domain/consignment.js';
import type { ConsignmentState } from '../domain/states.js';
import { acceptsTrackingEvents, trackingOutcome, type RecordedEvent, type TrackingCode } from '../domain/tracking.js';
import type { DatabaseKind, Schema, TrackedLegsTable, TrackingEventsTable } from './database.js';
import type { Lease } from './carrier-cancellations.repository.js';

/** Keeps IN lists and multi-row inserts well inside both databases' bound-parameter limits. */
const CHUNK = 500;
const INSERT_ROWS = 200;
/** The next_poll_at of a leg no longer tracked: after any moment a clock gives. */
export const NEVER = '9999-12-31T23:59:59.999+00:00';

/** One event to record, its package and leg resolved. */
export interface NewTrackingEvent {
  consignmentId: number;
  packageReference: string;
  leg: number;
  /** As given, with its own offset. */
  timeStamp: string;
  /** The same moment as a UTC timestamp. */
  at: string;
  code: TrackingCode;
  description: string | null;
  signedBy: string | null;
  location: string | null;
  carrierServiceName: string | null;
  /**
   * The tracking number (upper-cased) the event was found by, when it was: it is recorded only
   * while that number is still the package's on that leg (checked under the consignment's lock),
   * so that an answer about a booking since released never lands on the new one.
   */
  trackingReference?: string;
}

export type RecordOutcome =
  | { kind: 'recorded' }
  | { kind: 'duplicate' }
  /** The consignment's state does not take tracking events. */
  | { kind: 'refused'; reference: string; state: ConsignmentState }
  /** Its tracking number is no longer the package's (the consignment was deallocated meanwhile). */
  | { kind: 'notCurrent'; reference: string; trackingReference: string };

/** What a batch did to each consignment whose state or dates it changed. */
export interface TrackedChange {
  consignmentId: number;
  reference: string;
  from: ConsignmentState;
  to: ConsignmentState;
}

export interface StoredTrackingEvent {
  packageReference: string;
  leg: number;
  timeStamp: string;
  at: string;
  code: string;
  description: string | null;
  signedBy: string | null;
  location: string | null;
  carrierServiceName: string | null;
}

/** A package's tracking number on a leg. */
export interface TrackingNumber {
  consignmentId: number;
  leg: number;
  packageReference: string;
}

export interface TrackedLeg {
  id: number;
  subscriptionId: number;
  consignmentId: number;
  leg: number;
  carrierReference: string;
  nextPollAt: string;
  lastPolledAt: string | null;
  polls: number;
}

/** A manifested leg, as the manifest's transaction hands it over for tracking. */
export interface ManifestedLeg {
  subscriptionId: number;
  consignmentId: number;
  leg: number;
  carrierReference: string;
  packages: { reference: string; trackingReference: string }[];
}

/** An event's identity, and the order a batch inserts in: by time within a package's leg, so that the feed lists a leg's events as they happened. */
const keyOf = (e: { consignmentId: number; packageReference: string; leg: number; code: string; at: string }) =>
  `${e.consignmentId}\u0000${e.packageReference}\u0000${e.leg}\u0000${e.at}\u0000${e.code}`;

function toTrackedLeg(row: Selectable<TrackedLegsTable>): TrackedLeg {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    consignmentId: row.consignment_id,
    leg: row.leg,
    carrierReference: row.carrier_reference,
    nextPollAt: row.next_poll_at,
    lastPolledAt: row.last_polled_at,
    polls: row.polls,
  };
}

/**
 * Called in the transaction that manifests the legs: each becomes a tracked leg, due at once and
 * asked about from the start (a leg manifested again after a new allocation starts afresh), and
 * its packages' tracking numbers are indexed.
 */
export async function trackManifestedLegs(db: Kysely<Schema>, legs: readonly ManifestedLeg[], at: string): Promise<void> {
  for (let i = 0; i < legs.length; i += INSERT_ROWS) {
    const chunk = legs.slice(i, i + INSERT_ROWS);
    await db
      .insertInto('tracked_legs')
      .values(chunk.map((l) => ({ subscription_id: l.subscriptionId, consignment_id: l.consignmentId, leg: l.leg, carrier_reference: l.carrierReference, next_poll_at: at, last_polled_at: null, polls: 0 })))
      .onConflict((oc) =>
        oc.columns(['consignment_id', 'leg']).doUpdateSet((eb) => ({
          carrier_reference: eb.ref('excluded.carrier_reference'),
          next_poll_at: eb.ref('excluded.next_poll_at'),
          last_polled_at: null,
          polls: 0,
          lease_owner: null,
          lease_until: null,
          last_error: null,
        })),
      )
      .execute();
  }
  const numbers = legs.flatMap((l) =>
    l.packages.map((p) => ({ consignment_id: l.consignmentId, leg: l.leg, package_reference: p.reference, subscription_id: l.subscriptionId, tracking_reference: p.trackingReference.toUpperCase() })),
  );
  for (let i = 0; i < numbers.length; i += INSERT_ROWS * 2) {
    await db
      .insertInto('tracking_numbers')
      .values(numbers.slice(i, i + INSERT_ROWS * 2))
      .onConflict((oc) => oc.columns(['consignment_id', 'leg', 'package_reference']).doUpdateSet((eb) => ({ tracking_reference: eb.ref('excluded.tracking_reference') })))
      .execute();
  }
}

/**
 * Forgets a consignment's tracking: its events, tracked legs and tracking numbers belonged to the
 * bookings a deallocation or cancellation releases. Called in that change's transaction, so that a
 * new allocation starts with no history and an old tracking number finds nothing.
 */
export async function forgetTracking(db: Kysely<Schema>, consignment: { id: number; subscriptionId: number }): Promise<void> {
  for (const table of ['tracking_events', 'tracked_legs', 'tracking_numbers'] as const) {
    await db.deleteFrom(table).where('subscription_id', '=', consignment.subscriptionId).where('consignment_id', '=', consignment.id).execute();
  }
}

const numberKey = (consignmentId: number, leg: number, packageReference: string, trackingReference: string) => `${consignmentId}|${leg}|${packageReference}|${trackingReference}`;

/** What recording an event needs of its consignment. */
export type TrackedConsignment = Pick<Consignment, 'id' | 'reference' | 'state' | 'allocation'>;


interface ConsignmentUpdate {
  id: number;
  from: ConsignmentState;
  state: ConsignmentState;
  collected: string | null;
  delivered: string | null;
  message: string;
}

/**
 * The consignments' new states and dates, one statement for all of them (each row still only
 * from the state it was decided on): a round trip per consignment cost PostgreSQL half of a
 * batch's time. Setting the state makes the audit trigger record the change; rows whose state
 * stays the same are updated without it.
 */
async function updateConsignments(trx: Kysely<Schema>, updates: readonly ConsignmentUpdate[], setsState: boolean, at: string): Promise<void> {
  for (let i = 0; i < updates.length; i += CHUNK / 5) {
    const rows = sql.join(
      updates.slice(i, i + CHUNK / 5).map((u) => sql`(cast(${u.id} as integer), ${u.from}, ${u.state}, ${u.collected}, ${u.delivered}, ${u.message})`),
    );
    const state = setsState ? sql`state = v.state, last_action = 'Tracked', last_message = v.message, ` : sql``;
    await sql`with v (id, from_state, state, collected, delivered, message) as (values ${rows})
      update consignments set ${state}collected_at = v.collected, delivered_at = v.delivered, updated_at = ${at}, version = consignments.version + 1
      from v where consignments.id = v.id and consignments.state = v.from_state`.execute(trx);
  }
}

export class TrackingRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly kind: DatabaseKind,
  ) {}

  /** The subscription's consignments among `ids`, as far as recording events needs them (no document). */
  async consignmentsForEvents(subscriptionId: number, ids: readonly number[]): Promise<Map<number, TrackedConsignment>> {
    const found = new Map<number, TrackedConsignment>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('consignments')
        .select(['id', 'reference', 'state', 'allocation'])
        .where('subscription_id', '=', subscriptionId)
        .where('id', 'in', unique.slice(i, i + CHUNK))
        .execute();
      for (const r of rows) found.set(r.id, { id: r.id, reference: r.reference, state: r.state as ConsignmentState, allocation: r.allocation ? (JSON.parse(r.allocation) as AllocationRecord) : null });
    }
    return found;
  }

  /** The subscription's packages carrying each of `references` (upper-cased tracking references). */
  async findTrackingNumbers(subscriptionId: number, references: readonly string[]): Promise<Map<string, TrackingNumber[]>> {
    const found = new Map<string, TrackingNumber[]>();
    const wanted = [...new Set(references)].filter((r) => !r.includes('\u0000'));
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('tracking_numbers')
        .select(['tracking_reference', 'consignment_id', 'leg', 'package_reference'])
        .where('subscription_id', '=', subscriptionId)
        .where('tracking_reference', 'in', wanted.slice(i, i + CHUNK))
        .execute();
      for (const r of rows) {
        const list = found.get(r.tracking_reference) ?? [];
        list.push({ consignmentId: r.consignment_id, leg: r.leg, packageReference: r.package_reference });
        found.set(r.tracking_reference, list);
      }
    }
    return found;
  }

  /**
   * Records a batch in one transaction (see the file's comment). Answers each event's outcome in
   * order, and the consignments whose state changed.
   */
  async record(subscriptionId: number, events: readonly NewTrackingEvent[], receivedAt: string, recordedBy: string): Promise<{ outcomes: RecordOutcome[]; changes: TrackedChange[] }> {
    if (events.length === 0) return { outcomes: [], changes: [] };
    return this.db.transaction().execute(async (trx) => {
      const ids = [...new Set(events.map((e) => e.consignmentId))].sort((a, b) => a - b);
      const consignments = new Map<number, { reference: string; state: ConsignmentState; collected: string | null; delivered: string | null }>();
      for (let i = 0; i < ids.length; i += CHUNK) {
        let query = trx
          .selectFrom('consignments')
          .select(['id', 'reference', 'state', 'collected_at', 'delivered_at'])
          .where('subscription_id', '=', subscriptionId)
          .where('id', 'in', ids.slice(i, i + CHUNK))
          .orderBy('id');
        if (this.kind === 'postgres') query = query.forUpdate();
        for (const r of await query.execute()) consignments.set(r.id, { reference: r.reference, state: r.state as ConsignmentState, collected: r.collected_at, delivered: r.delivered_at });
      }
      const current = await this.currentNumbers(trx, events);
      const outcomes: (RecordOutcome | null)[] = events.map((e) => {
        const c = consignments.get(e.consignmentId);
        if (!c) throw new Error(`consignment ${e.consignmentId} is not the subscription's`);
        if (!acceptsTrackingEvents(c.state)) return { kind: 'refused', reference: c.reference, state: c.state };
        if (e.trackingReference !== undefined && !current.has(numberKey(e.consignmentId, e.leg, e.packageReference, e.trackingReference))) {
          return { kind: 'notCurrent', reference: c.reference, trackingReference: e.trackingReference };
        }
        return null;
      });
      // The first of the same event in a batch is the one inserted; in key order, so that
      // concurrent batches never wait for each other's rows in opposite orders.
      const firstOf = new Map<string, number>();
      events.forEach((e, i) => {
        if (outcomes[i] === null && !firstOf.has(keyOf(e))) firstOf.set(keyOf(e), i);
      });
      const toInsert = [...firstOf.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, i]) => events[i]);
      const inserted = new Set<string>();
      for (let i = 0; i < toInsert.length; i += INSERT_ROWS) {
        const rows = await trx
          .insertInto('tracking_events')
          .values(toInsert.slice(i, i + INSERT_ROWS).map((e) => ({
            subscription_id: subscriptionId,
            consignment_id: e.consignmentId,
            package_reference: e.packageReference,
            leg: e.leg,
            time_stamp: e.timeStamp,
            at: e.at,
            code: e.code,
            description: e.description,
            signed_by: e.signedBy,
            location: e.location,
            carrier_service_name: e.carrierServiceName,
            received_at: receivedAt,
            recorded_by: recordedBy,
          })))
          .onConflict((oc) => oc.columns(['consignment_id', 'package_reference', 'leg', 'code', 'at']).doNothing())
          .returning(['consignment_id', 'package_reference', 'leg', 'code', 'at'])
          .execute();
        for (const r of rows) inserted.add(keyOf({ consignmentId: r.consignment_id, packageReference: r.package_reference, leg: r.leg, code: r.code, at: r.at }));
      }
      const final: RecordOutcome[] = events.map((e, i) => {
        const refused = outcomes[i];
        if (refused) return refused;
        return firstOf.get(keyOf(e)) === i && inserted.has(keyOf(e)) ? { kind: 'recorded' } : { kind: 'duplicate' };
      });
      const touched = [...new Set(events.filter((e, i) => final[i].kind === 'recorded').map((e) => e.consignmentId))].sort((a, b) => a - b);
      const changes = await this.applyOutcomes(trx, touched, consignments, receivedAt);
      return { outcomes: final, changes };
    });
  }

  /** The tracking numbers the events were found by that are still their packages' (read under the consignments' lock). */
  private async currentNumbers(trx: Kysely<Schema>, events: readonly NewTrackingEvent[]): Promise<Set<string>> {
    const ids = [...new Set(events.filter((e) => e.trackingReference !== undefined).map((e) => e.consignmentId))];
    const current = new Set<string>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await trx.selectFrom('tracking_numbers').select(['consignment_id', 'leg', 'package_reference', 'tracking_reference']).where('consignment_id', 'in', ids.slice(i, i + CHUNK)).execute();
      for (const r of rows) current.add(numberKey(r.consignment_id, r.leg, r.package_reference, r.tracking_reference));
    }
    return current;
  }

  /** Each consignment's state and dates as all its events now say, written where they differ. */
  private async applyOutcomes(
    trx: Kysely<Schema>,
    ids: readonly number[],
    consignments: Map<number, { reference: string; state: ConsignmentState; collected: string | null; delivered: string | null }>,
    at: string,
  ): Promise<TrackedChange[]> {
    const changes: TrackedChange[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      // Only each package's latest event that means a state, and the first COLLECTED: all the rule
      // needs, and a tenth of the rows (reading a row costs fifty times finding it).
      const [events, collected, packages, lastLegs] = await Promise.all([
        trx
          .selectFrom((db) =>
            db
              .selectFrom('tracking_events')
              .select(['id', 'consignment_id', 'package_reference', 'leg', 'code', 'at', sql<number>`row_number() over (partition by consignment_id, package_reference order by at desc, id desc)`.as('rank')])
              .where('consignment_id', 'in', chunk)
              .where('code', '<>', 'INFO')
              .as('e'),
          )
          .select(['e.id', 'e.consignment_id', 'e.package_reference', 'e.leg', 'e.code', 'e.at'])
          .where('e.rank', '=', 1)
          .execute(),
        trx
          .selectFrom('tracking_events')
          .select(['consignment_id', (eb) => eb.fn.min('at').as('first')])
          .where('consignment_id', 'in', chunk)
          .where('code', '=', 'COLLECTED')
          .groupBy('consignment_id')
          .execute(),
        trx.selectFrom('consignment_packages').select(['consignment_id', 'package_reference']).where('consignment_id', 'in', chunk).execute(),
        // The journey's last leg: only it delivers.
        trx.selectFrom('tracking_numbers').select(['consignment_id', (eb) => eb.fn.max('leg').as('last')]).where('consignment_id', 'in', chunk).groupBy('consignment_id').execute(),
      ]);
      const lastLegOf = new Map(lastLegs.map((l) => [l.consignment_id, Number(l.last)]));
      const firstCollected = new Map(collected.map((c) => [c.consignment_id, c.first as string]));
      const packagesOf = new Map<number, string[]>();
      for (const p of packages) (packagesOf.get(p.consignment_id) ?? packagesOf.set(p.consignment_id, []).get(p.consignment_id)!).push(p.package_reference);
      const eventsOf = new Map<number, RecordedEvent[]>();
      for (const e of events) {
        (eventsOf.get(e.consignment_id) ?? eventsOf.set(e.consignment_id, []).get(e.consignment_id)!).push({ packageReference: e.package_reference, code: e.code as TrackingCode, at: e.at, seq: e.id, leg: e.leg });
      }
      const stateChanges: ConsignmentUpdate[] = [];
      const dateChanges: ConsignmentUpdate[] = [];
      for (const id of chunk) {
        const c = consignments.get(id)!;
        const outcome = { ...trackingOutcome(packagesOf.get(id) ?? [], eventsOf.get(id) ?? [], lastLegOf.get(id) ?? 1), dateCollected: firstCollected.get(id) ?? null };
        const state = outcome.state ?? c.state;
        if (state === c.state && outcome.dateCollected === c.collected && outcome.dateDelivered === c.delivered) continue;
        const update = { id, from: c.state, state, collected: outcome.dateCollected, delivered: outcome.dateDelivered, message: `Consignment ${c.reference} is ${state}, as its tracking events say` };
        if (state !== c.state) {
          stateChanges.push(update);
          changes.push({ consignmentId: id, reference: c.reference, from: c.state, to: state });
        } else dateChanges.push(update);
      }
      await updateConsignments(trx, stateChanges, true, at);
      await updateConsignments(trx, dateChanges, false, at);
    }
    return changes;
  }

  /** A consignment's events, oldest first by TimeStamp (then in the order recorded). */
  async eventsOf(subscriptionId: number, consignmentId: number): Promise<StoredTrackingEvent[]> {
    const rows = await this.db
      .selectFrom('tracking_events')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .where('consignment_id', '=', consignmentId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((r: Selectable<TrackingEventsTable>) => ({
      packageReference: r.package_reference,
      leg: r.leg,
      timeStamp: r.time_stamp,
      at: r.at,
      code: r.code,
      description: r.description,
      signedBy: r.signed_by,
      location: r.location,
      carrierServiceName: r.carrier_service_name,
    }));
  }

  /** Takes up to `limit` legs of these carriers that are due at `now` and free (or their lease expired), the longest due first. */
  async claim(lease: Lease, now: string, carrierReferences: readonly string[], limit: number): Promise<TrackedLeg[]> {
    if (carrierReferences.length === 0) return [];
    const rows = await this.db
      .updateTable('tracked_legs')
      .set((eb) => ({ lease_owner: lease.owner, lease_until: lease.until, polls: eb('polls', '+', 1) }))
      .where('id', 'in', (eb) => {
        const due = eb
          .selectFrom('tracked_legs')
          .select('id')
          .where('carrier_reference', 'in', [...carrierReferences])
          .where('next_poll_at', '<=', now)
          .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', now)]))
          .orderBy('next_poll_at')
          .orderBy('id')
          .limit(limit);
        return this.kind === 'postgres' ? due.forUpdate().skipLocked() : due;
      })
      .returningAll()
      .execute();
    return rows.map(toTrackedLeg).sort((a, b) => (a.nextPollAt < b.nextPollAt ? -1 : a.nextPollAt > b.nextPollAt ? 1 : a.id - b.id));
  }

  /** Asked (and answered) at `polledAt`: asked again from `nextPollAt`, for events after `polledAt`. False for a leg whose lease was lost. */
  async polled(ids: readonly number[], owner: string, polledAt: string, nextPollAt: string): Promise<number> {
    return this.releaseWith(ids, owner, { last_polled_at: polledAt, next_poll_at: nextPollAt, last_error: null });
  }

  /** Not answered: asked again from `nextPollAt`, for the same events as before. */
  async failed(ids: readonly number[], owner: string, nextPollAt: string, error: string): Promise<number> {
    return this.releaseWith(ids, owner, { next_poll_at: nextPollAt, last_error: error.slice(0, 2000) });
  }

  /** Handed back untried (the process is stopping): due as it was. */
  async handBack(ids: readonly number[], owner: string): Promise<number> {
    return this.releaseWith(ids, owner, {});
  }

  private async releaseWith(ids: readonly number[], owner: string, values: { last_polled_at?: string; next_poll_at?: string; last_error?: string | null }): Promise<number> {
    let n = 0;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const result = await this.db
        .updateTable('tracked_legs')
        .set({ ...values, lease_owner: null, lease_until: null })
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      n += Number(result.numUpdatedRows ?? 0);
    }
    return n;
  }

  /**
   * Legs no longer tracked (their consignment delivered, deallocated or cancelled): never due again
   * (a leg manifested again starts afresh), the row kept with how often it was asked.
   */
  async finish(ids: readonly number[], owner: string): Promise<number> {
    return this.releaseWith(ids, owner, { next_poll_at: NEVER });
  }
}
