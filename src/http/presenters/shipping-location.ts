/** The ShippingLocation resource (models.md §5.7, the SDK's Profile/ShippingLocation): the location's fields, then its address's, then our TimeZone. */
import type { ShippingLocation } from '../../domain/shipping-location.js';
import { typed } from '../xml-codec.js';
import { contact, country } from './consignment.js';

export function presentShippingLocation(l: ShippingLocation, customerReference: string): object {
  const a = l.address;
  return typed('ShippingLocation', {
    Id: l.id,
    Reference: l.reference,
    Name: l.name,
    ShippingLocationType: l.locationType,
    DefaultLocationForReturns: l.defaultLocationForReturns,
    Notes: l.notes,
    CustomerReference: customerReference,
    // Locations are the subscription's; no account links exist to list.
    LinkedAccounts: [],
    Contact: contact(a.contact),
    CompanyName: a.companyName,
    CustomerName: a.customerName,
    AddressLine1: a.addressLine1,
    AddressLine2: a.addressLine2,
    AddressLine3: a.addressLine3,
    Town: a.town,
    Region: a.region,
    RegionCode: a.regionCode,
    Postcode: a.postcode,
    Country: a.countryCode ? country(a.countryCode) : null,
    SpecialInstructions: a.specialInstructions,
    LatLong: a.latLong ? typed('LatLong', { Latitude: a.latLong.latitude, Longitude: a.latLong.longitude }) : null,
    IsCached: false,
    TimeZone: l.timeZone,
  });
}
