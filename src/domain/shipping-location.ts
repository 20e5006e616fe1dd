/** A subscription's shipping location (models.md §5.7): a named site whose address and clock consignments use. */
import type { AddressData } from './consignment.js';

/** The SDK's ShippingLocationType, by name (DistributionCentre 1, Office 2, Store 3, Warehouse 4). */
export const SHIPPING_LOCATION_TYPES = ['DistributionCentre', 'Office', 'Store', 'Warehouse'] as const;
export type ShippingLocationType = (typeof SHIPPING_LOCATION_TYPES)[number];

/** Path words beside a location reference: `GET /shippingLocations/assigned` is the list, not a location. */
export const RESERVED_LOCATION_REFERENCES = ['assigned'] as const;

/** The address part of a location: what a consignment address naming it is filled from. */
export type LocationAddress = Omit<AddressData, 'addressType' | 'shippingLocationReference' | 'shopLocationReference'>;

export interface ShippingLocationData {
  reference: string;
  name: string;
  locationType: ShippingLocationType;
  defaultLocationForReturns: boolean;
  notes: string | null;
  /** IANA zone of the site's clock: its consignments' cut-offs and dates follow it. */
  timeZone: string;
  address: LocationAddress;
}

export interface ShippingLocation extends ShippingLocationData {
  id: number;
}

/** Locations as lists show them: by name, then reference, the same on every database. */
export function byName(a: ShippingLocationData, b: ShippingLocationData): number {
  return a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.reference.localeCompare(b.reference, 'en');
}
