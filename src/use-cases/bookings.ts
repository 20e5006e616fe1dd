/**
 * Booking a journey with its carriers, leg by leg, through each carrier's connector; and undoing
 * it. A journey is booked whole or not at all, and no booking is ever left behind:
 * - each booking attempt has a reference of its own, which the carrier keeps, so that a booking
 *   whose answer was lost is cancelled by it and a later booking of the same leg is never touched;
 * - with a carrier that keeps bookings, the attempt is written down (in flight) before it is made,
 *   and the row is deleted with the allocation that records it: a process that stops in between
 *   leaves the row, and the background job cancels the booking once the row's lease has expired;
 * - when a leg cannot be booked, the legs booked before it are released, and so is the failed
 *   leg itself when its booking may exist although its answer was lost.
 */
import { randomFillSync } from 'node:crypto';
import type { CarrierMessage, Shipment } from '../carriers/connector.js';
import type { Carrier, CarrierService, JourneyLeg } from '../domain/catalogue.js';
import { destinationAddress, originAddress, type Consignment, type ConsignmentLegRecord, type FailureReason } from '../domain/consignment.js';
import { utcTimestamp } from '../domain/dates.js';
import type { InFlightBookings } from '../store/consignments.repository.js';
import type { PendingCancellation } from '../store/carrier-cancellations.repository.js';
import type { AppContext } from './app-context.js';
import { callCarrier, type CarrierOutages } from './carrier-calls.js';
import { leaseFrom, releaseBookings, releaseLater, releaseOf, releasesOf, workOff } from './carrier-cancellations.js';

/** A journey booked whole: its legs, and the in-flight rows to delete with the allocation that records them. */
export interface BookedJourney {
  kind: 'booked';
  legs: ConsignmentLegRecord[];
  inFlight: InFlightBookings;
  /** Per leg, its in-flight row (null for a carrier that keeps no bookings). */
  rows: (PendingCancellation | null)[];
}

export type JourneyBooking =
  | BookedJourney
  /** A carrier would not book a leg: the consignment's failure reason. */
  | { kind: 'refused'; reason: FailureReason }
  /** A carrier could not be reached: nothing is booked, nothing changes. */
  | { kind: 'unavailable'; carrier: Carrier; message: string };

/** What a carrier is told about the consignment it carries. */
export function shipmentOf(consignment: Consignment, collectionDate: string): Shipment {
  const { data } = consignment;
  return {
    consignmentReference: consignment.reference,
    customerReference: data.consignmentReferenceProvidedByCustomer,
    origin: originAddress(data)!,
    destination: destinationAddress(data)!,
    packages: data.packages,
    collectionDate,
  };
}

/** Random bytes drawn a few kilobytes at a time: one call into the system's generator per thousand bookings, not per booking. */
const entropy = Buffer.alloc(4096);
let drawn = entropy.length;

function randomHex(bytes: number): string {
  if (drawn + bytes > entropy.length) {
    randomFillSync(entropy);
    drawn = 0;
  }
  return entropy.toString('hex', drawn, (drawn += bytes)).toUpperCase();
}

/** A reference for one booking attempt, never reused: the consignment's and the leg's, and a random part. */
export function newBookingReference(consignmentReference: string, legNumber: number): string {
  return `${consignmentReference}-${legNumber}-${randomHex(4)}`;
}

/** Carrier messages worth keeping with the allocation: all but plain information. */
function worthKeeping(messages: CarrierMessage[]): CarrierMessage[] {
  return messages.filter((m) => m.severity !== 'info');
}

function legRecord(carrier: Carrier, leg: JourneyLeg, legNumber: number, bookingReference: string): ConsignmentLegRecord {
  return { leg: legNumber, carrierReference: carrier.reference, carrierName: carrier.name, carrierServiceReference: leg.carrierServiceReference, trackingReferences: [], bookingReference };
}

/** Books every leg of the service's journey; each leg gets one tracking reference per package. */
export async function bookJourney(ctx: AppContext, outages: CarrierOutages, consignment: Consignment, service: CarrierService, collectionDate: string): Promise<JourneyBooking> {
  const carriers = service.journey.map((leg) => ctx.catalogue.carrier(leg.carrierReference)!);
  // A carrier of the journey already found down: nothing is booked (not even the legs before it).
  for (const carrier of carriers) {
    const down = outages.of(carrier);
    if (down !== undefined) return { kind: 'unavailable', carrier, message: down };
  }
  const shipment = shipmentOf(consignment, collectionDate);
  const booked: BookedJourney = { kind: 'booked', legs: [], inFlight: { ids: [], owner: ctx.instanceId }, rows: [] };
  for (const [i, leg] of service.journey.entries()) {
    const legNumber = i + 1;
    const carrier = carriers[i];
    const connector = ctx.carriers.connectorFor(carrier);
    const record = legRecord(carrier, leg, legNumber, newBookingReference(consignment.reference, legNumber));
    const row = connector.keepsBookings && connector.cancel ? await writeInFlight(ctx, consignment, record) : null;
    // The registry refuses, at start-up, a journey whose carrier's connector cannot book.
    const call = await callCarrier(ctx, outages, carrier, connector.timeoutMs, `a booking of consignment ${consignment.reference}'s leg ${legNumber}`, (options) =>
      connector.book!({ carrier, leg, legNumber, bookingReference: record.bookingReference!, shipment }, options),
    );
    if (call.kind === 'unreachable') {
      // A booking may exist although its answer was lost; not at a carrier that keeps no bookings.
      await answerLost(ctx, consignment, record, row, call.mayHaveActed && connector.keepsBookings ? connector.timeoutMs : null);
      await releaseJourney(ctx, outages, consignment, booked);
      return { kind: 'unavailable', carrier, message: call.message };
    }
    const outcome = call.value;
    if (outcome.kind === 'refused') {
      if (row) await ctx.carrierCancellations.complete(row.id, ctx.instanceId);
      await releaseJourney(ctx, outages, consignment, booked);
      const where = service.journey.length > 1 ? ` leg ${legNumber} (${leg.carrierServiceName})` : '';
      return { kind: 'refused', reason: { Code: outcome.refusal.code, Message: `${carrier.name} refused to book${where}: ${outcome.refusal.message}` } };
    }
    const kept = worthKeeping(outcome.messages);
    booked.legs.push({
      ...record,
      trackingReferences: outcome.trackingReferences,
      carrierBookingReference: outcome.carrierBookingReference,
      ...(kept.length ? { carrierMessages: kept } : {}),
    });
    booked.rows.push(row);
    if (row) (booked.inFlight.ids as number[]).push(row.id);
  }
  return booked;
}

/** Writes a booking attempt down before it is made, held by this process: if the process stops before recording it, the background job cancels it. */
async function writeInFlight(ctx: AppContext, consignment: Consignment, record: ConsignmentLegRecord): Promise<PendingCancellation> {
  const now = ctx.clock.now();
  const [row] = await ctx.carrierCancellations.add([releaseOf(consignment, record, 'InFlight')], utcTimestamp(now), { dueAt: utcTimestamp(now), lease: leaseFrom(ctx, now) });
  return row;
}

/**
 * A booking call that failed: when the booking may exist although its answer was lost, it is
 * cancelled by its reference — later, since it may still be landing; otherwise nothing was booked.
 */
async function answerLost(ctx: AppContext, consignment: Consignment, record: ConsignmentLegRecord, row: PendingCancellation | null, waitMs: number | null): Promise<void> {
  const owner = ctx.instanceId;
  if (waitMs === null) {
    if (row) await ctx.carrierCancellations.complete(row.id, owner);
    return;
  }
  const due = utcTimestamp(ctx.clock.now().plus({ milliseconds: waitMs }));
  if (!row) return releaseLater(ctx, [releaseOf(consignment, record, 'AnswerLost')], waitMs);
  if (await ctx.carrierCancellations.toRelease(row.id, owner, 'AnswerLost', { trackingReferences: [], carrierBookingReference: null })) {
    await ctx.carrierCancellations.retryLater(row.id, owner, due, null);
  }
}

/**
 * Releases a journey's bookings that will not be used (a later leg failed, or the consignment
 * changed before the allocation could be written): in-flight rows become releases, the other
 * legs are written down, and all are tried at once except at carriers found down.
 */
export async function releaseJourney(ctx: AppContext, outages: CarrierOutages, consignment: Consignment, journey: BookedJourney): Promise<void> {
  const held: PendingCancellation[] = [];
  const plain: ConsignmentLegRecord[] = [];
  for (const [i, leg] of journey.legs.entries()) {
    const row = journey.rows[i];
    if (!row) plain.push(leg);
    else {
      const release = await ctx.carrierCancellations.toRelease(row.id, ctx.instanceId, 'BookingUndone', { trackingReferences: leg.trackingReferences, carrierBookingReference: leg.carrierBookingReference ?? null });
      if (release) held.push(release);
    }
  }
  await workOff(ctx, held, outages);
  await releaseBookings(ctx, releasesOf(ctx, consignment, plain, 'BookingUndone'), outages);
}
