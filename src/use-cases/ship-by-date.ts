/**
 * The SDK's "allocate everything due" endpoints (endpoints.md P1-7..P1-9): every Unallocated
 * consignment of the caller due to ship by a date-time (those without a ShippingDate ship as soon
 * as possible, so they are due), optionally only from one shipping location.
 */
import { DateTime } from 'luxon';
import { searchKey } from '../domain/consignment-search.js';
import { parseShipByDate } from '../domain/ship-by-date.js';
import type { AppContext, Caller } from './app-context.js';
import { validationFailed } from './errors.js';
import { getShippingLocation } from './shipping-locations.js';

/** At most this many consignments are allocated by one request; the rest stay due for the next. */
export const MAX_DUE = 10_000;

/** The references due by `shipByText` (read in the location's time zone, or the catalogue's), oldest first. */
export async function dueConsignments(ctx: AppContext, caller: Caller, shipByText: string, locationReference: string | null): Promise<string[]> {
  const location = locationReference ? await getShippingLocation(ctx, caller, locationReference) : null;
  const timeZone = location?.timeZone ?? ctx.catalogue.catalogue.defaultTimeZone;
  const shipBy = parseShipByDate(shipByText, timeZone);
  if (!shipBy) {
    throw validationFailed([
      { Code: 'Invalid', Target: 'ShipByDate', Message: `ShipByDate ${shipByText.slice(0, 100)} is not a date-time; give ISO 8601 (2026-11-20T17:00:00) or dd/MM/yyyy HH:mm:ss` },
    ]);
  }
  // Shipping days are stored as the consignment's own calendar day; a day's margin covers any
  // offset between its clock and ShipByDate's, and the exact comparison follows on the documents.
  const lastDay = shipBy.plus({ days: 1 }).toISODate()!;
  const candidates = await ctx.consignmentSearch.dueToShip(caller.subscriptionId, lastDay, location ? searchKey(location.reference) : null, MAX_DUE);
  const due: string[] = [];
  for (let i = 0; i < candidates.length; i += 500) {
    const found = await ctx.consignments.findByReferences(caller.subscriptionId, candidates.slice(i, i + 500));
    for (const reference of candidates.slice(i, i + 500)) {
      const shippingDate = found.get(reference)?.data.shippingDate;
      if (shippingDate === undefined) continue;
      if (shippingDate === null || DateTime.fromISO(shippingDate, { setZone: true }) <= shipBy) due.push(reference);
    }
  }
  return due;
}

/** The ShipByDate of a path (the SDK puts it there, slashes and all), else of the body. */
export function shipByText(fromPath: string, fromBody: unknown): string {
  const text = fromPath.trim() || (typeof fromBody === 'string' ? fromBody.trim() : '');
  if (!text) throw validationFailed([{ Code: 'Required', Target: 'ShipByDate', Message: 'ShipByDate is required (in the path, or in the body)' }]);
  return text;
}

