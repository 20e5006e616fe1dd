/**
 * GET /collectioncalendar/{location}/{carrier} (endpoints.md P2-37): the carrier's collection
 * calendar at one of the caller's shipping locations, from the catalogue's calendars. The
 * calendar covers the carrier's services the caller has enabled; the location gives it its clock.
 */
import { carrierCalendar, type CarrierCalendar } from '../domain/collection-calendar.js';
import type { Carrier } from '../domain/catalogue.js';
import type { AppContext, Caller } from './app-context.js';
import { enabledServices } from './carrier-services.js';
import { AppError } from './errors.js';
import { getShippingLocation } from './shipping-locations.js';

function requireCarrier(ctx: AppContext, reference: string): Carrier {
  const carrier = ctx.catalogue.carrier(reference);
  if (!carrier) {
    const shown = reference.slice(0, 100);
    throw new AppError('CarrierNotFound', `Carrier ${shown} not found`, [
      { Code: 'NotFound', Target: 'mpdCarrierReference', Message: `No carrier ${shown} is in the catalogue` },
    ]);
  }
  return carrier;
}

/** 404 ShippingLocationNotFound for a location the caller does not have (looked at first), 404 CarrierNotFound for a carrier the catalogue does not have. */
export async function getCollectionCalendar(ctx: AppContext, caller: Caller, locationReference: string, carrierReference: string): Promise<CarrierCalendar> {
  const location = await getShippingLocation(ctx, caller, locationReference);
  const carrier = requireCarrier(ctx, carrierReference);
  const services = enabledServices(ctx, caller)
    .filter((s) => s.carrierReference.toLowerCase() === carrier.reference.toLowerCase())
    .map((s) => ({ serviceReference: s.reference, calendar: ctx.catalogue.calendarOf(s) }));
  return carrierCalendar({
    carrierReference: carrier.reference,
    carrierCalendar: carrier.collectionCalendar,
    services,
    shippingLocationReference: location.reference,
    timeZone: location.timeZone,
  });
}
