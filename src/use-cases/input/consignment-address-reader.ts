/**
 * Reading a consignment's addresses: each of a type (Origin, Destination, …), given in full or by
 * naming one of the subscription's shipping locations, which supplies what the request leaves out.
 */
import type { AddressData } from '../../domain/consignment.js';
import type { AddressInput } from '../../contract/consignments.js';
import type { ShippingLocation } from '../../store/shipping-locations.repository.js';
import { checkAddress, readAddressFields } from './address-reader.js';
import type { Problems } from './problems.js';
import type { ReferenceLookups } from './reference-lookups.js';

/** The shipping location each address names, by its position in `addresses`; one that does not exist is a problem, and undefined. */
export async function findShippingLocations(
  lookups: ReferenceLookups,
  addresses: AddressInput[],
  p: Problems,
): Promise<Map<number, ShippingLocation | undefined>> {
  const locations = new Map<number, ShippingLocation | undefined>();
  for (const [i, a] of addresses.entries()) {
    if (!a.ShippingLocationReference) continue;
    const location = await lookups.location(a.ShippingLocationReference);
    if (!location) p.add(`Addresses[${i}].ShippingLocationReference`, `names shipping location ${a.ShippingLocationReference}, which does not exist`, 'NotFound');
    locations.set(i, location);
  }
  return locations;
}

/** A shipping location supplies the address; anything the request gives explicitly still wins. */
function withLocation(given: AddressData, location: ShippingLocation): AddressData {
  const merged: AddressData = { ...given };
  const fromLocation = location.address as Partial<AddressData>;
  for (const key of Object.keys(merged) as (keyof AddressData)[]) {
    if ((merged[key] === null || merged[key] === '') && fromLocation[key] !== undefined) (merged as unknown as Record<string, unknown>)[key] = fromLocation[key];
  }
  return merged;
}

export function readAddress(a: AddressInput, target: string, p: Problems, location: ShippingLocation | undefined): AddressData {
  const given: AddressData = {
    addressType: a.AddressType as AddressData['addressType'],
    shippingLocationReference: location?.reference ?? null,
    shopLocationReference: a.ShopLocationReference ?? null,
    ...readAddressFields(a, target, p),
  };
  // An unknown shipping location is already reported; its missing address is not a second problem.
  if (!location && a.ShippingLocationReference) return given;
  const address = location ? withLocation(given, location) : given;
  checkAddress(address, target, p, location ? '' : ' unless ShippingLocationReference is given');
  return address;
}

/** The addresses, each with the location found for it; a consignment has exactly one Origin and one Destination. */
export function readAddresses(given: AddressInput[], locations: ReadonlyMap<number, ShippingLocation | undefined>, p: Problems): AddressData[] {
  const addresses = given.map((a, i) => readAddress(a, `Addresses[${i}]`, p, locations.get(i)));
  for (const type of ['Origin', 'Destination'] as const) {
    const count = addresses.filter((a) => a.addressType === type).length;
    if (count !== 1) p.add('Addresses', `must contain exactly one ${type} address (found ${count})`, count ? 'Invalid' : 'Required');
  }
  return addresses;
}
