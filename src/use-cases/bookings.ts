/**
 * Booking a journey with its carriers, leg by leg, through each carrier's connector; and undoing
 * it. When a leg cannot be booked (the carrier refuses, or cannot be reached) the legs booked
 * before it are released (src/use-cases/carrier-cancellations.ts), and so is the failed leg
 * itself when its booking may exist although its answer was lost: a journey is booked whole or
 * not at all, and no booking is left behind.
 */
import type { CarrierMessage, Shipment } from '../carriers/connector.js';
import type { Carrier, CarrierService } from '../domain/catalogue.js';
import { destinationAddress, originAddress, type Consignment, type ConsignmentLegRecord, type FailureReason } from '../domain/consignment.js';
import type { AppContext } from './app-context.js';
import { callCarrier } from './carrier-calls.js';
import { releaseBookings, releasesOf } from './carrier-cancellations.js';

export type JourneyBooking =
  | { kind: 'booked'; legs: ConsignmentLegRecord[] }
  /** A carrier would not book a leg: the consignment's failure reason. */
  | { kind: 'refused'; reason: FailureReason }
  /** A carrier could not be reached: nothing is booked, nothing changes. */
  | { kind: 'unavailable'; carrier: Carrier; message: string };

/**
 * One request's bookings. A carrier found unreachable is not tried again within the request, so
 * that a batch of 10,000 for a carrier that is down answers at once instead of waiting for each.
 */
export class BookingSession {
  private readonly unreachable = new Map<string, string>();

  unreachableMessage(carrier: Carrier): string | undefined {
    return this.unreachable.get(carrier.reference.toLowerCase());
  }

  markUnreachable(carrier: Carrier, message: string): void {
    this.unreachable.set(carrier.reference.toLowerCase(), message);
  }
}

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

/** Carrier messages worth keeping with the allocation: all but plain information. */
function worthKeeping(messages: CarrierMessage[]): CarrierMessage[] {
  return messages.filter((m) => m.severity !== 'info');
}

/** Books every leg of the service's journey; each leg gets one tracking reference per package. */
export async function bookJourney(
  ctx: AppContext,
  session: BookingSession,
  consignment: Consignment,
  service: CarrierService,
  collectionDate: string,
): Promise<JourneyBooking> {
  const shipment = shipmentOf(consignment, collectionDate);
  const legs: ConsignmentLegRecord[] = [];
  const undo = (failedLeg: ConsignmentLegRecord | null) =>
    releaseBookings(ctx, [
      ...releasesOf(ctx, consignment, legs, 'BookingUndone'),
      ...(failedLeg ? releasesOf(ctx, consignment, [failedLeg], 'AnswerLost') : []),
    ]);
  for (const [i, leg] of service.journey.entries()) {
    const legNumber = i + 1;
    const carrier = ctx.catalogue.carrier(leg.carrierReference)!;
    const record = (trackingReferences: string[]): ConsignmentLegRecord => ({
      leg: legNumber,
      carrierReference: carrier.reference,
      carrierName: carrier.name,
      carrierServiceReference: leg.carrierServiceReference,
      trackingReferences,
    });
    const known = session.unreachableMessage(carrier);
    if (known !== undefined) {
      await undo(null);
      return { kind: 'unavailable', carrier, message: known };
    }
    const connector = ctx.carriers.connectorFor(carrier);
    // The registry refuses, at start-up, a journey whose carrier's connector cannot book.
    const call = await callCarrier(ctx, carrier, connector.timeoutMs, `a booking of consignment ${consignment.reference}'s leg ${legNumber}`, (options) =>
      connector.book!({ carrier, leg, legNumber, shipment }, options),
    );
    if (call.kind === 'unreachable') {
      session.markUnreachable(carrier, call.message);
      // Its booking may exist although the answer was lost: cancelled by our reference, with no tracking references.
      await undo(call.mayHaveActed ? record([]) : null);
      return { kind: 'unavailable', carrier, message: call.message };
    }
    const outcome = call.value;
    if (outcome.kind === 'refused') {
      await undo(null);
      const where = service.journey.length > 1 ? ` leg ${legNumber} (${leg.carrierServiceName})` : '';
      return { kind: 'refused', reason: { Code: outcome.refusal.code, Message: `${carrier.name} refused to book${where}: ${outcome.refusal.message}` } };
    }
    const kept = worthKeeping(outcome.messages);
    legs.push({ ...record(outcome.trackingReferences), ...(kept.length ? { carrierMessages: kept } : {}) });
  }
  return { kind: 'booked', legs };
}

/** Releases an allocation's bookings that will not be used (the consignment changed before it could be written). */
export async function releaseJourney(ctx: AppContext, consignment: Consignment, legs: ConsignmentLegRecord[]): Promise<void> {
  await releaseBookings(ctx, releasesOf(ctx, consignment, legs, 'BookingUndone'));
}
