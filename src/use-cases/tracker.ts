/**
 * The tracker (decisions.md §12): the background work that asks each carrier whose connector can
 * track for the new events of its manifested legs, and records them as pushed events are
 * recorded. Legs are taken with leases (store/tracking.repository.ts), so that any number of
 * processes share the work and each leg is asked about by one at a time; each is asked again
 * after its carrier's interval (the connector's `trackingIntervalMs`), for the events after the
 * last answer. A leg stops being tracked once its consignment is delivered, no longer takes
 * events (deallocated, cancelled), or a month has passed since its latest delivery date.
 */
import { DateTime } from 'luxon';
import type { Carrier } from '../domain/catalogue.js';
import type { Consignment, ConsignmentLegRecord } from '../domain/consignment.js';
import { utcTimestamp } from '../domain/dates.js';
import { MAX_TEXT } from '../domain/limits.js';
import type { ConsignmentState } from '../domain/states.js';
import { acceptsTrackingEvents, trackingCodeNamed } from '../domain/tracking.js';
import type { TrackedShipment } from '../carriers/connector.js';
import type { Lease } from '../store/carrier-cancellations.repository.js';
import type { NewTrackingEvent, TrackedLeg } from '../store/tracking.repository.js';
import type { AppContext } from './app-context.js';
import { bookedShipmentOf } from './carrier-documents.js';
import { callCarrier, CarrierOutages } from './carrier-calls.js';
import { carrierServiceNameOf, readTimeStamp } from './tracking.js';

/** Legs taken in one round; a run takes rounds until fewer are due. */
const BATCH = 100;
/** At most this many rounds per run, so that a run ends and the next one starts afresh. */
const ROUNDS = 20;
/** How often a connector that does not say is asked. */
const DEFAULT_INTERVAL_MS = 3_600_000;
/** Tracked this long after its latest delivery date, a leg is given up. */
const GIVE_UP_AFTER_DAYS = 30;
/** Where tracking has nothing more to tell. */
const FINISHED: readonly ConsignmentState[] = ['Delivered', 'DeliveredDamaged'];

export interface TrackerSummary {
  /** Legs asked about. */
  asked: number;
  /** Events recorded (new ones; those already recorded are not counted). */
  recorded: number;
  /** Legs no longer tracked. */
  finished: number;
  /** Legs whose carrier could not be reached: asked again after its interval. */
  failed: number;
}

interface ActiveLeg {
  tracked: TrackedLeg;
  consignment: Consignment;
  record: ConsignmentLegRecord;
}

function intervalOf(ctx: AppContext, carrier: Carrier): number {
  return ctx.carriers.connectorFor(carrier).trackingIntervalMs ?? DEFAULT_INTERVAL_MS;
}

/**
 * The hold on one round's legs: the carriers are asked one after another, each for at most its
 * timeout, so the round may take all of them together; then its writes. No other process takes a
 * leg of the round meanwhile.
 */
function roundLease(ctx: AppContext, carriers: readonly Carrier[], now: DateTime): Lease {
  const asking = carriers.reduce((sum, c) => sum + ctx.carriers.connectorFor(c).timeoutMs, 0);
  return { owner: ctx.instanceId, until: utcTimestamp(now.plus({ milliseconds: asking + 30_000 })) };
}

/** What a carrier says, kept as text Switchyard can store: no NUL, at most MAX_TEXT characters. */
function carrierText(value: string | null): string | null {
  if (value === null) return null;
  const text = value.replaceAll('\u0000', '').trim().slice(0, MAX_TEXT);
  return text || null;
}

/** The background job: rounds of due legs until none (or few) are left, or the process stops. */
export async function trackDueLegs(ctx: AppContext, signal?: AbortSignal): Promise<TrackerSummary> {
  const summary: TrackerSummary = { asked: 0, recorded: 0, finished: 0, failed: 0 };
  const carriers = ctx.catalogue.catalogue.carriers.filter((c) => ctx.carriers.connectorFor(c).capabilities.has('track'));
  if (!carriers.length) return summary;
  for (let round = 0; round < ROUNDS && !signal?.aborted; round++) {
    const taken = await trackRound(ctx, carriers, summary, signal);
    if (taken < BATCH) break;
  }
  return summary;
}

async function trackRound(ctx: AppContext, carriers: Carrier[], summary: TrackerSummary, signal?: AbortSignal): Promise<number> {
  const now = ctx.clock.now();
  const owner = ctx.instanceId;
  const legs = await ctx.tracking.claim(roundLease(ctx, carriers, now), utcTimestamp(now), carriers.map((c) => c.reference), BATCH);
  if (!legs.length) return 0;
  const { active, finished } = await sortOut(ctx, legs, now);
  if (finished.length) await ctx.tracking.finish(finished, owner);
  summary.finished += finished.length;
  const outages = new CarrierOutages();
  for (const carrier of carriers) {
    const mine = active.filter((a) => a.tracked.carrierReference === carrier.reference);
    if (!mine.length) continue;
    const ids = mine.map((a) => a.tracked.id);
    if (signal?.aborted) {
      await ctx.tracking.handBack(ids, owner);
      continue;
    }
    await askCarrier(ctx, outages, carrier, mine, summary, signal);
  }
  return legs.length;
}

/** Which legs are still to be asked about (with their consignments), and which are finished. */
async function sortOut(ctx: AppContext, legs: TrackedLeg[], now: DateTime): Promise<{ active: ActiveLeg[]; finished: number[] }> {
  const active: ActiveLeg[] = [];
  const finished: number[] = [];
  for (const subscriptionId of new Set(legs.map((l) => l.subscriptionId))) {
    const ours = legs.filter((l) => l.subscriptionId === subscriptionId);
    const consignments = await ctx.consignments.findByIds(subscriptionId, ours.map((l) => l.consignmentId));
    for (const tracked of ours) {
      const consignment = consignments.get(tracked.consignmentId);
      const record = consignment?.allocation?.legs.find((l) => l.leg === tracked.leg);
      const givenUp = consignment?.allocation && DateTime.fromISO(consignment.allocation.latestDeliveryDate).plus({ days: GIVE_UP_AFTER_DAYS }) < now;
      if (!consignment || !record || !acceptsTrackingEvents(consignment.state) || FINISHED.includes(consignment.state) || givenUp) finished.push(tracked.id);
      else active.push({ tracked, consignment, record });
    }
  }
  return { active, finished };
}

/** Asks one carrier about its legs, records what it answers, and when each is to be asked again. */
async function askCarrier(ctx: AppContext, outages: CarrierOutages, carrier: Carrier, legs: ActiveLeg[], summary: TrackerSummary, stopping?: AbortSignal): Promise<void> {
  const connector = ctx.carriers.connectorFor(carrier);
  const owner = ctx.instanceId;
  const now = ctx.clock.now();
  const next = utcTimestamp(now.plus({ milliseconds: intervalOf(ctx, carrier) }));
  const ids = legs.map((l) => l.tracked.id);
  const shipments: TrackedShipment[] = legs.map((l) => ({
    ...bookedShipmentOf(l.consignment, l.record),
    latestDeliveryDate: l.consignment.allocation!.latestDeliveryDate,
    since: l.tracked.lastPolledAt,
  }));
  summary.asked += legs.length;
  const call = await callCarrier(ctx, outages, carrier, connector.timeoutMs, `a tracking request for ${legs.length} legs`, (options) =>
    // A process that stops does not wait for a slow carrier: the call is aborted, and the legs asked about again later.
    connector.track!({ carrier, shipments, now: utcTimestamp(now) }, { signal: stopping ? AbortSignal.any([options.signal, stopping]) : options.signal }),
  );
  if (call.kind === 'unreachable') {
    summary.failed += legs.length;
    await ctx.tracking.failed(ids, owner, next, call.message);
    return;
  }
  // Each tracking number of the legs asked about: its leg and package.
  const byNumber = new Map<string, { leg: ActiveLeg; packageReference: string }>();
  for (const leg of legs) {
    leg.record.trackingReferences.forEach((t, i) => {
      const pkg = leg.consignment.data.packages[i];
      if (pkg) byNumber.set(t.toUpperCase(), { leg, packageReference: pkg.reference });
    });
  }
  const bySubscription = new Map<number, NewTrackingEvent[]>();
  for (const e of call.value.events) {
    const target = byNumber.get(e.trackingReference.toUpperCase());
    const code = trackingCodeNamed(e.code);
    const at = readTimeStamp(e.timeStamp);
    if (!target || !code || !at) {
      ctx.logger.warn({ carrier: carrier.reference, event: e }, `carrier ${carrier.reference} reported an event that is not of a leg asked about, or not in the published vocabulary; ignored`);
      continue;
    }
    const { consignment, tracked } = target.leg;
    const list = bySubscription.get(tracked.subscriptionId) ?? [];
    list.push({
      consignmentId: consignment.id,
      packageReference: target.packageReference,
      leg: tracked.leg,
      timeStamp: at.text,
      at: at.utc,
      code,
      description: carrierText(e.description),
      signedBy: carrierText(e.signedBy),
      location: carrierText(e.location),
      carrierServiceName: carrierServiceNameOf(ctx, consignment, tracked.leg),
      trackingReference: e.trackingReference.toUpperCase(),
    });
    bySubscription.set(tracked.subscriptionId, list);
  }
  const done = new Set<number>();
  try {
    for (const [subscriptionId, events] of bySubscription) {
      const { outcomes, changes } = await ctx.tracking.record(subscriptionId, events, utcTimestamp(ctx.clock.now()), owner);
      summary.recorded += outcomes.filter((o) => o.kind === 'recorded').length;
      for (const c of changes) if (FINISHED.includes(c.to)) done.add(c.consignmentId);
    }
  } catch (err) {
    // An answer that cannot be recorded never holds the legs until their lease runs out, nor stops the carriers after it.
    ctx.logger.error({ err, carrier: carrier.reference }, `the events carrier ${carrier.reference} reported could not be recorded; its legs are asked again later`);
    summary.failed += legs.length;
    await ctx.tracking.failed(ids, owner, next, `events not recorded: ${(err as Error).message}`.slice(0, MAX_TEXT));
    return;
  }
  // Delivered by this answer: nothing more to ask about.
  const finished = legs.filter((l) => done.has(l.consignment.id)).map((l) => l.tracked.id);
  summary.finished += finished.length;
  if (finished.length) await ctx.tracking.finish(finished, owner);
  await ctx.tracking.polled(ids.filter((id) => !finished.includes(id)), owner, utcTimestamp(now), next);
}
