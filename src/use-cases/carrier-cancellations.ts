/**
 * Releasing carrier bookings so that none is ever left behind. A booking to release (a
 * deallocated or cancelled consignment's legs, the legs booked before a later leg failed, a
 * booking that lost a race) is first written down as a pending cancellation, held by this
 * process; then it is tried at once. What the carrier does not confirm stays written down, and
 * the background worker (src/workers/) tries it again later, from whichever process takes its
 * lease, until the carrier confirms, refuses, or it has been tried for a week.
 */
import { DateTime } from 'luxon';
import type { ConsignmentLegRecord } from '../domain/consignment.js';
import { utcTimestamp } from '../domain/dates.js';
import type { CancellationDraft, CancellationReason, Lease, PendingCancellation } from '../store/carrier-cancellations.repository.js';
import type { AppContext } from './app-context.js';
import { callCarrier } from './carrier-calls.js';

/** When a cancellation is tried again after its n-th failed attempt; hourly after the last. */
const RETRY_AFTER_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];
/** A cancellation that has failed for this long is given up, with an error in the log. */
export const GIVE_UP_AFTER_MS = 7 * 24 * 3600_000;
/** How many due cancellations one round of the worker takes. */
const BATCH = 50;

export interface ReleaseSummary {
  cancelled: number;
  /** Left for a later attempt. */
  retrying: number;
  refused: number;
  abandoned: number;
}

const none = (): ReleaseSummary => ({ cancelled: 0, retrying: 0, refused: 0, abandoned: 0 });

/** The consignment a release is for. */
export interface ReleasedFrom {
  id: number;
  subscriptionId: number;
  reference: string;
}

/** What releasing these legs' bookings means: one cancellation per leg whose carrier's connector can cancel. */
export function releasesOf(ctx: AppContext, consignment: ReleasedFrom, legs: readonly ConsignmentLegRecord[], reason: CancellationReason): CancellationDraft[] {
  return legs.flatMap((leg) => {
    const carrier = ctx.catalogue.carrier(leg.carrierReference);
    // A carrier whose connector cannot cancel has nothing to undo; one no longer in the catalogue is still written down, and given up by the worker with an error.
    if (carrier && !ctx.carriers.connectorFor(carrier).capabilities.has('cancel')) return [];
    return [
      {
        subscriptionId: consignment.subscriptionId,
        consignmentId: consignment.id,
        consignmentReference: consignment.reference,
        carrierReference: leg.carrierReference,
        leg: leg.leg,
        carrierServiceReference: leg.carrierServiceReference,
        trackingReferences: [...leg.trackingReferences],
        reason,
      },
    ];
  });
}

/** This process's hold on cancellations it is about to try: long enough for the slowest carrier to answer. */
export function leaseFrom(ctx: AppContext, now: DateTime): Lease {
  const longest = Math.max(10_000, ...ctx.catalogue.catalogue.carriers.map((c) => ctx.carriers.connectorFor(c).timeoutMs));
  return { owner: ctx.instanceId, until: utcTimestamp(now.plus({ milliseconds: 2 * longest + 10_000 })) };
}

/** Writes the cancellations down, held by this process, then tries each at once. */
export async function releaseBookings(ctx: AppContext, drafts: CancellationDraft[]): Promise<ReleaseSummary> {
  if (drafts.length === 0) return none();
  const now = ctx.clock.now();
  return workOff(ctx, await ctx.carrierCancellations.add(drafts, utcTimestamp(now), leaseFrom(ctx, now)));
}

/**
 * Tries cancellations this process holds, one after another, and records what became of each.
 * Never throws for a carrier's failure: a cancellation not confirmed stays written down.
 */
export async function workOff(ctx: AppContext, held: readonly PendingCancellation[]): Promise<ReleaseSummary> {
  const summary = none();
  for (const row of held) summary[await attempt(ctx, row)]++;
  return summary;
}

/** The background work: takes the cancellations that are due (and free) and tries them. */
export async function retryDueCancellations(ctx: AppContext, limit = BATCH): Promise<ReleaseSummary> {
  const now = ctx.clock.now();
  const claimed = await ctx.carrierCancellations.claim(leaseFrom(ctx, now), utcTimestamp(now), limit);
  return workOff(ctx, claimed);
}

async function attempt(ctx: AppContext, row: PendingCancellation): Promise<keyof ReleaseSummary> {
  const owner = ctx.instanceId;
  const what = `cancellation of consignment ${row.consignmentReference}'s leg ${row.leg}`;
  const carrier = ctx.catalogue.carrier(row.carrierReference);
  if (!carrier) return giveUp(ctx, row, `carrier ${row.carrierReference} is no longer in the catalogue`);
  const connector = ctx.carriers.connectorFor(carrier);
  if (!connector.cancel) {
    await ctx.carrierCancellations.complete(row.id, owner);
    return 'cancelled';
  }
  const call = await callCarrier(ctx, carrier, connector.timeoutMs, `the ${what}`, (options) =>
    connector.cancel!(
      {
        carrier,
        legNumber: row.leg,
        carrierServiceReference: row.carrierServiceReference,
        consignmentReference: row.consignmentReference,
        trackingReferences: row.trackingReferences,
      },
      options,
    ),
  );
  if (call.kind === 'answered') {
    const outcome = call.value;
    if (outcome.kind === 'cancelled') {
      await ctx.carrierCancellations.complete(row.id, owner);
      return 'cancelled';
    }
    const why = `${carrier.name} refused the ${what}: ${outcome.refusal.message}`;
    ctx.logger.warn({ carrier: carrier.reference, consignment: row.consignmentReference, trackingReferences: row.trackingReferences }, why);
    await ctx.carrierCancellations.settle(row.id, owner, 'refused', why);
    return 'refused';
  }
  const now = ctx.clock.now();
  if (now.toMillis() - DateTime.fromISO(row.createdAt).toMillis() >= GIVE_UP_AFTER_MS) return giveUp(ctx, row, call.message);
  const wait = RETRY_AFTER_MS[Math.min(row.attempts, RETRY_AFTER_MS.length) - 1] ?? RETRY_AFTER_MS[0];
  await ctx.carrierCancellations.retryLater(row.id, owner, utcTimestamp(now.plus({ milliseconds: wait })), call.message);
  return 'retrying';
}

async function giveUp(ctx: AppContext, row: PendingCancellation, why: string): Promise<'abandoned'> {
  ctx.logger.error(
    { carrier: row.carrierReference, consignment: row.consignmentReference, trackingReferences: row.trackingReferences, attempts: row.attempts },
    `gave up cancelling consignment ${row.consignmentReference}'s leg ${row.leg} booking: ${why}; cancel it with the carrier by hand`,
  );
  await ctx.carrierCancellations.settle(row.id, ctx.instanceId, 'abandoned', why);
  return 'abandoned';
}
