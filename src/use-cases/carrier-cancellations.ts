/**
 * Releasing carrier bookings so that none is ever left behind. A booking to release (a
 * deallocated or cancelled consignment's legs, the legs booked before a later leg failed, a
 * booking that lost a race or whose answer was lost) is first written down as a pending
 * cancellation; one this process holds is then tried at once. What the carrier does not confirm
 * stays written down, and the background job (src/workers/) tries it again later, from whichever
 * process takes its lease, until the carrier confirms, refuses, or it has been tried for a week.
 */
import { DateTime } from 'luxon';
import type { ConsignmentLegRecord } from '../domain/consignment.js';
import { utcTimestamp } from '../domain/dates.js';
import type { CancellationDraft, CancellationReason, Lease, PendingCancellation } from '../store/carrier-cancellations.repository.js';
import type { AppContext } from './app-context.js';
import { callCarrier, CarrierOutages } from './carrier-calls.js';

/** When a cancellation is tried again after its n-th failed attempt; hourly after the last. */
const RETRY_AFTER_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];
/** A cancellation that has failed for this long is given up, with an error in the log. */
export const GIVE_UP_AFTER_MS = 7 * 24 * 3600_000;
/** How many due cancellations one round of the background job takes (each is held only while it is tried). */
const BATCH = 10;
/** How long after a carrier found unreachable a cancellation for it is tried again, when none has been tried yet. */
const OUTAGE_WAIT_MS = RETRY_AFTER_MS[0];

export interface ReleaseSummary {
  cancelled: number;
  /** Left for a later attempt. */
  retrying: number;
  refused: number;
  abandoned: number;
  /** Taken over by another process (this one's lease had expired). */
  lost: number;
}

const none = (): ReleaseSummary => ({ cancelled: 0, retrying: 0, refused: 0, abandoned: 0, lost: 0 });

/** The consignment a release is for. */
export interface ReleasedFrom {
  id: number;
  subscriptionId: number;
  reference: string;
}

/** One cancellation of a leg's booking. */
export function releaseOf(consignment: ReleasedFrom, leg: ConsignmentLegRecord, reason: CancellationReason): CancellationDraft {
  return {
    subscriptionId: consignment.subscriptionId,
    consignmentId: consignment.id,
    consignmentReference: consignment.reference,
    carrierReference: leg.carrierReference,
    leg: leg.leg,
    carrierServiceReference: leg.carrierServiceReference,
    bookingReference: leg.bookingReference ?? null,
    carrierBookingReference: leg.carrierBookingReference ?? null,
    trackingReferences: [...leg.trackingReferences],
    reason,
  };
}

/** What releasing these legs' bookings means: one cancellation per leg whose carrier's connector can cancel. */
export function releasesOf(ctx: AppContext, consignment: ReleasedFrom, legs: readonly ConsignmentLegRecord[], reason: CancellationReason): CancellationDraft[] {
  return legs.flatMap((leg) => {
    const carrier = ctx.catalogue.carrier(leg.carrierReference);
    // A carrier whose connector cannot cancel has nothing to undo (the registry refuses such a carrier on a journey of several legs).
    if (carrier && !ctx.carriers.connectorFor(carrier).capabilities.has('cancel')) return [];
    return [releaseOf(consignment, leg, reason)];
  });
}

/** This process's hold on one cancellation while it is tried: long enough for the slowest carrier to answer. */
export function leaseFrom(ctx: AppContext, now: DateTime): Lease {
  const longest = Math.max(10_000, ...ctx.catalogue.catalogue.carriers.map((c) => ctx.carriers.connectorFor(c).timeoutMs));
  return { owner: ctx.instanceId, until: utcTimestamp(now.plus({ milliseconds: 2 * longest + 10_000 })) };
}

/**
 * Writes the cancellations down, held by this process, then tries each at once, except those for
 * a carrier `outages` already found unreachable: they are left to the background job, rather than
 * waited on once more.
 */
export async function releaseBookings(ctx: AppContext, drafts: CancellationDraft[], outages = new CarrierOutages()): Promise<ReleaseSummary> {
  if (drafts.length === 0) return none();
  const now = ctx.clock.now();
  const held = await ctx.carrierCancellations.add(drafts, utcTimestamp(now), { dueAt: utcTimestamp(now), lease: leaseFrom(ctx, now) });
  return workOff(ctx, held, outages);
}

/**
 * Writes cancellations down for the background job alone, first due `afterMs` from now: a booking
 * whose answer was lost may still be landing at the carrier, so cancelling it at once could miss it.
 */
export async function releaseLater(ctx: AppContext, drafts: CancellationDraft[], afterMs: number): Promise<void> {
  if (drafts.length === 0) return;
  const now = ctx.clock.now();
  await ctx.carrierCancellations.add(drafts, utcTimestamp(now), { dueAt: utcTimestamp(now.plus({ milliseconds: afterMs })), lease: null });
}

/**
 * Tries cancellations this process holds, one after another, and records what became of each.
 * Never throws for a carrier's failure: a cancellation not confirmed stays written down. Once
 * `signal` is aborted (the process is stopping), the rest are handed back untried.
 */
export async function workOff(ctx: AppContext, held: readonly PendingCancellation[], outages: CarrierOutages, signal?: AbortSignal): Promise<ReleaseSummary> {
  const summary = none();
  for (const row of held) {
    if (signal?.aborted) {
      summary[(await ctx.carrierCancellations.retryLater(row.id, ctx.instanceId, row.nextAttemptAt, row.lastError)) ? 'retrying' : 'lost']++;
      continue;
    }
    summary[await attempt(ctx, row, outages)]++;
  }
  return summary;
}

/** The background work: takes the cancellations that are due (and free) and tries them. */
export async function retryDueCancellations(ctx: AppContext, signal?: AbortSignal): Promise<ReleaseSummary> {
  const now = ctx.clock.now();
  const claimed = await ctx.carrierCancellations.claim(leaseFrom(ctx, now), utcTimestamp(now), BATCH);
  return workOff(ctx, claimed, new CarrierOutages(), signal);
}

function retryDelay(attempts: number): number {
  return RETRY_AFTER_MS[Math.min(Math.max(attempts, 1), RETRY_AFTER_MS.length) - 1];
}

async function attempt(ctx: AppContext, row: PendingCancellation, outages: CarrierOutages): Promise<keyof ReleaseSummary> {
  const owner = ctx.instanceId;
  const now = ctx.clock.now();
  const age = now.toMillis() - DateTime.fromISO(row.createdAt).toMillis();
  const what = `cancellation of consignment ${row.consignmentReference}'s leg ${row.leg}`;
  const carrier = ctx.catalogue.carrier(row.carrierReference);
  if (!carrier) {
    // Perhaps a process with a newer catalogue knows it (a rolling deployment): left for one that does.
    const why = `carrier ${row.carrierReference} is not in this process's catalogue`;
    if (age >= GIVE_UP_AFTER_MS) return giveUp(ctx, row, why);
    return (await ctx.carrierCancellations.retryLater(row.id, owner, utcTimestamp(now.plus({ milliseconds: RETRY_AFTER_MS.at(-1)! })), why)) ? 'retrying' : 'lost';
  }
  const connector = ctx.carriers.connectorFor(carrier);
  if (!connector.cancel) return (await ctx.carrierCancellations.complete(row.id, owner)) ? 'cancelled' : 'lost';
  const down = outages.of(carrier);
  if (down !== undefined) {
    const later = utcTimestamp(now.plus({ milliseconds: row.attempts ? retryDelay(row.attempts) : OUTAGE_WAIT_MS }));
    return (await ctx.carrierCancellations.retryLater(row.id, owner, later, down)) ? 'retrying' : 'lost';
  }
  // Held afresh for this one attempt, and counted; a row whose lease this process lost is another's now.
  if (!(await ctx.carrierCancellations.startAttempt(row.id, leaseFrom(ctx, now)))) return 'lost';
  const call = await callCarrier(ctx, outages, carrier, connector.timeoutMs, `the ${what}`, (options) =>
    connector.cancel!(
      {
        carrier,
        legNumber: row.leg,
        carrierServiceReference: row.carrierServiceReference,
        consignmentReference: row.consignmentReference,
        bookingReference: row.bookingReference,
        carrierBookingReference: row.carrierBookingReference,
        trackingReferences: row.trackingReferences,
      },
      options,
    ),
  );
  if (call.kind === 'answered') {
    const outcome = call.value;
    if (outcome.kind === 'cancelled') return (await ctx.carrierCancellations.complete(row.id, owner)) ? 'cancelled' : 'lost';
    const why = `${carrier.name} refused the ${what}: ${outcome.refusal.message}`;
    ctx.logger.warn({ carrier: carrier.reference, consignment: row.consignmentReference, trackingReferences: row.trackingReferences }, why);
    return (await ctx.carrierCancellations.settle(row.id, owner, 'refused', why)) ? 'refused' : 'lost';
  }
  if (age >= GIVE_UP_AFTER_MS) return giveUp(ctx, row, call.message);
  const later = ctx.clock.now().plus({ milliseconds: retryDelay(row.attempts + 1) });
  return (await ctx.carrierCancellations.retryLater(row.id, owner, utcTimestamp(later), call.message)) ? 'retrying' : 'lost';
}

async function giveUp(ctx: AppContext, row: PendingCancellation, why: string): Promise<'abandoned' | 'lost'> {
  if (!(await ctx.carrierCancellations.settle(row.id, ctx.instanceId, 'abandoned', why))) return 'lost';
  ctx.logger.error(
    { carrier: row.carrierReference, consignment: row.consignmentReference, bookingReference: row.bookingReference, trackingReferences: row.trackingReferences, attempts: row.attempts },
    `gave up cancelling consignment ${row.consignmentReference}'s leg ${row.leg} booking: ${why}; cancel it with the carrier by hand`,
  );
  return 'abandoned';
}

/** The most outstanding cancellations the admin API lists. */
export const MAX_LISTED = 1000;

export interface OutstandingCancellations {
  counts: Record<PendingCancellation['state'], number>;
  /** Those needing an operator first (abandoned: cancel by hand; refused: the carrier said no), then the pending, oldest first. */
  cancellations: PendingCancellation[];
}

/** For the operator (admin API): every booking not yet cancelled at its carrier, across subscriptions. */
export async function outstandingCancellations(ctx: AppContext): Promise<OutstandingCancellations> {
  const [counts, cancellations] = await Promise.all([ctx.carrierCancellations.countByState(), ctx.carrierCancellations.outstanding(MAX_LISTED)]);
  return { counts, cancellations };
}
