/**
 * Shipping locations: SortedPRO's reads (endpoints.md P1-26 … P1-29) and our management of a
 * subscription's sites. A consignment naming a location copies its address and time zone when it
 * is created, so changing or deleting a location never rewrites an existing consignment.
 */
import { isCountryCode } from '../domain/countries.js';
import { namedReferenceProblem, referenceKey } from '../domain/named-reference.js';
import { RESERVED_LOCATION_REFERENCES, SHIPPING_LOCATION_TYPES, type ShippingLocation, type ShippingLocationData } from '../domain/shipping-location.js';
import { allowedStates } from '../domain/states.js';
import { canonicalTimeZone, defaultTimeZone, distinctClocks } from '../domain/time-zones.js';
import type { ShippingLocationRequest } from '../contract/locations.js';
import { checkAddress, readAddressFields } from './input/address-reader.js';
import type { AppContext, Caller } from './app-context.js';
import { AppError, validationFailed } from './errors.js';
import { Problems, text } from './input/problems.js';
import { MAX_NAME } from '../domain/limits.js';

/** How many of the consignments that keep a location from being deleted the refusal names. */
const BLOCKERS_SHOWN = 10;

function notFound(reference: string): AppError {
  return new AppError('ShippingLocationNotFound', `Shipping location ${reference} not found`, [
    { Code: 'NotFound', Target: 'shippingLocationReference', Message: `No shipping location ${reference} exists for this subscription` },
  ]);
}

/** The caller's locations, by name. We link no locations to accounts, so this is also the "assigned" list. */
export async function listShippingLocations(ctx: AppContext, caller: Caller): Promise<ShippingLocation[]> {
  return ctx.locations.list(caller.subscriptionId);
}

export async function getShippingLocation(ctx: AppContext, caller: Caller, reference: string): Promise<ShippingLocation> {
  const location = await ctx.locations.find(caller.subscriptionId, reference);
  if (!location) throw notFound(reference);
  return location;
}

/** Whether a new location of the caller's could take this reference: well formed and not used by another of its locations. */
export async function isLocationReferenceAvailable(ctx: AppContext, caller: Caller, reference: string): Promise<boolean> {
  if (namedReferenceProblem(reference.trim(), RESERVED_LOCATION_REFERENCES) !== null) return false;
  return !(await ctx.locations.find(caller.subscriptionId, reference));
}

/**
 * The location's clock: the zone given, or the country's when all its zones keep one clock. A
 * country whose zones differ (US, ES, AU, …) needs the zone named: a guess would put cut-offs hours out.
 */
function readTimeZone(given: string | null | undefined, country: string, p: Problems): string {
  if (given?.trim()) {
    const zone = canonicalTimeZone(given);
    if (!zone) p.add('TimeZone', `is not an IANA time zone: ${given.slice(0, 100)} (use a region name such as Europe/London)`);
    return zone ?? '';
  }
  if (!isCountryCode(country)) return ''; // the country's own problem is reported already
  const zone = defaultTimeZone(country);
  if (zone) return zone;
  const clocks = distinctClocks(country);
  const examples = clocks.length > 6 ? `${clocks.slice(0, 6).join(', ')}, …` : clocks.join(', ');
  p.add('TimeZone', clocks.length ? `is required for ${country}, whose time zones differ (such as ${examples})` : `is required: no time zone is known for ${country}`, 'Required');
  return '';
}

/** Reads a location body; `existing` is the location a PUT replaces, whose reference stays. */
function readLocation(body: ShippingLocationRequest, p: Problems, existing?: ShippingLocation): ShippingLocationData {
  let reference = body.Reference?.trim() ?? '';
  if (existing) {
    if (reference && referenceKey(reference) !== referenceKey(existing.reference)) p.add('Reference', `must be ${existing.reference} or absent: a location's reference cannot change`);
    reference = existing.reference;
  } else if (!reference) {
    p.add('Reference', 'is required', 'Required');
  } else {
    const problem = namedReferenceProblem(reference, RESERVED_LOCATION_REFERENCES);
    if (problem) p.add('Reference', problem);
  }
  const name = body.Name?.trim() ?? '';
  if (!name) p.add('Name', 'is required', 'Required');
  else if (name.length > MAX_NAME) p.add('Name', `must be at most ${MAX_NAME} characters`);
  if (!body.ShippingLocationType) p.add('ShippingLocationType', `is required: one of ${SHIPPING_LOCATION_TYPES.join(', ')}`, 'Required');
  const notes = text(body.Notes, 'Notes', p);
  const address = readAddressFields(body, '', p);
  checkAddress(address, '', p);
  return {
    reference,
    name,
    locationType: body.ShippingLocationType ?? 'Warehouse',
    defaultLocationForReturns: body.DefaultLocationForReturns ?? false,
    notes,
    timeZone: readTimeZone(body.TimeZone, address.countryCode, p),
    address,
  };
}

/** POST /shippingLocations: 400 listing every problem, 409 DuplicateReference when the reference is taken. */
export async function createShippingLocation(ctx: AppContext, caller: Caller, body: ShippingLocationRequest): Promise<ShippingLocation> {
  const p = new Problems();
  const data = readLocation(body, p);
  if (p.list.length) throw validationFailed(p.list);
  const created = await ctx.locations.create(caller.subscriptionId, data);
  if (created === 'duplicate') {
    throw new AppError('DuplicateReference', `Shipping location ${data.reference} already exists`, [
      { Code: 'Duplicate', Target: 'Reference', Message: `Reference ${data.reference} is already used by another shipping location of this subscription` },
    ]);
  }
  return created;
}

/** PUT /shippingLocations/{ref}: replaces every field; consignments created from it keep the address they copied. */
export async function replaceShippingLocation(ctx: AppContext, caller: Caller, reference: string, body: ShippingLocationRequest): Promise<ShippingLocation> {
  const existing = await getShippingLocation(ctx, caller, reference);
  const p = new Problems();
  const data = readLocation(body, p, existing);
  if (p.list.length) throw validationFailed(p.list);
  const replaced = await ctx.locations.replace(caller.subscriptionId, existing.id, data);
  if (!replaced) throw notFound(reference);
  return replaced;
}

/**
 * DELETE /shippingLocations/{ref}: refused (409 ShippingLocationInUse) while consignments still
 * awaiting allocation name the location in an address, so that work still to be planned from a
 * site is not left pointing at nothing; allocated and later consignments are history and do not count.
 */
export async function deleteShippingLocation(ctx: AppContext, caller: Caller, reference: string): Promise<void> {
  const location = await getShippingLocation(ctx, caller, reference);
  const { deleted, blockers } = await ctx.locations.remove(caller.subscriptionId, location, allowedStates('allocate'), BLOCKERS_SHOWN + 1);
  if (blockers.length) {
    const shown = blockers.slice(0, BLOCKERS_SHOWN);
    const more = blockers.length > BLOCKERS_SHOWN ? ' and more' : '';
    throw new AppError(
      'ShippingLocationInUse',
      `Shipping location ${location.reference} cannot be deleted while consignments awaiting allocation use it: ${shown.map((b) => b.reference).join(', ')}${more}; allocate, update or cancel them first`,
      shown.map((b) => ({ Code: 'InUse', Target: b.reference, Message: `Consignment ${b.reference} is ${b.state} and uses shipping location ${location.reference}` })),
    );
  }
  if (!deleted) throw notFound(reference);
}
