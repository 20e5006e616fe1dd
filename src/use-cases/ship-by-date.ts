/**
 * The SDK's "allocate everything due" endpoints (endpoints.md P1-7..P1-9): every Unallocated
 * consignment of the caller due to ship by a date-time (those without a ShippingDate ship as soon
 * as possible, so they are due), optionally only from one shipping location.
 */
import { searchKey } from '../domain/consignment-search.js';
import { utcTimestamp } from '../domain/dates.js';
import { parseShipByDate } from '../domain/ship-by-date.js';
import type { AppContext, Caller } from './app-context.js';
import { validationFailed, type ErrorDetail } from './errors.js';
import { getShippingLocation } from './shipping-locations.js';
import { MAX_DUE } from '../domain/limits.js';

const unreadable = (text: string): ErrorDetail => ({
  Code: 'Invalid',
  Target: 'ShipByDate',
  Message: `ShipByDate ${text.slice(0, 100)} is not a date-time; give ISO 8601 (2026-11-20T17:00:00), dd/MM/yyyy HH:mm:ss or M/d/yyyy h:mm:ss tt`,
});

/**
 * The ShipByDate of a path (the SDK puts it there, slashes and all), else of the body, checked to
 * be a date-time; problems are added to `problems`, so that one 400 lists them with the body's.
 */
export function readShipBy(fromPath: string, fromBody: unknown, problems: ErrorDetail[]): string {
  const text = fromPath.trim() || (typeof fromBody === 'string' ? fromBody.trim() : '');
  if (!text) problems.push({ Code: 'Required', Target: 'ShipByDate', Message: 'ShipByDate is required (in the path, or in the body)' });
  else if (!parseShipByDate(text, 'UTC')) problems.push(unreadable(text));
  return text;
}

/** The references due by `shipBy` (read in the location's time zone, or the catalogue's), oldest first. */
export async function dueConsignments(ctx: AppContext, caller: Caller, shipBy: string, locationReference: string | null): Promise<string[]> {
  const location = locationReference ? await getShippingLocation(ctx, caller, locationReference) : null;
  const at = parseShipByDate(shipBy, location?.timeZone ?? ctx.catalogue.catalogue.defaultTimeZone);
  if (!at) throw validationFailed([unreadable(shipBy)]);
  return ctx.consignmentSearch.dueToShip(caller.subscriptionId, utcTimestamp(at), location ? searchKey(location.reference) : null, MAX_DUE);
}
