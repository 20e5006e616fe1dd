/** Booking with carriers (and undoing it), leg by leg, through each carrier's connector. */
import type { CarrierService } from '../domain/catalogue.js';
import type { Consignment, ConsignmentLegRecord } from '../domain/consignment.js';
import type { AppContext } from './app-context.js';

/** Books every leg of the service's journey; each leg gets one tracking reference per package. */
export async function bookJourney(ctx: AppContext, consignment: Consignment, service: CarrierService): Promise<ConsignmentLegRecord[]> {
  const packageReferences = consignment.data.packages.map((p) => p.reference);
  const legs: ConsignmentLegRecord[] = [];
  for (const [i, leg] of service.journey.entries()) {
    const carrier = ctx.catalogue.carrier(leg.carrierReference)!;
    const booking = await ctx.carriers.connectorFor(carrier).book({ carrier, leg, consignmentReference: consignment.reference, packageReferences });
    legs.push({
      leg: i + 1,
      carrierReference: carrier.reference,
      carrierName: carrier.name,
      carrierServiceReference: leg.carrierServiceReference,
      trackingReferences: booking.trackingReferences,
    });
  }
  return legs;
}

/** Cancels the bookings of the given legs with their carriers. */
export async function releaseJourney(ctx: AppContext, legs: ConsignmentLegRecord[]): Promise<void> {
  for (const leg of legs) {
    const carrier = ctx.catalogue.carrier(leg.carrierReference);
    if (carrier) await ctx.carriers.connectorFor(carrier).cancel({ carrier, trackingReferences: leg.trackingReferences });
  }
}
