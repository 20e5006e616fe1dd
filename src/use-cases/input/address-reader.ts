/**
 * Reading and checking postal addresses, the same for a consignment's addresses and a shipping
 * location's: contact, text fields, country code and the postcode rule.
 */
import type { ContactData } from '../../domain/consignment.js';
import { countryUsesPostcodes, isCountryCode } from '../../domain/countries.js';
import type { LocationAddress } from '../../domain/shipping-location.js';
import type { AddressInput } from '../../contract/consignments.js';
import { field, text, type Problems } from './problems.js';

/** The fields of an address that a shipping location shares with a consignment address. */
export type AddressFieldsInput = Pick<
  AddressInput,
  'Contact' | 'CompanyName' | 'CustomerName' | 'AddressLine1' | 'AddressLine2' | 'AddressLine3' | 'Town' | 'Region' | 'RegionCode' | 'Postcode' | 'Country' | 'SpecialInstructions' | 'LatLong' | 'LatitudeLongitude'
>;

/**
 * The SDK treats Telephone and Mobile as one number (models.md §3.10: Telephone's setter writes
 * Mobile, its getter reads Mobile ?? LandLine), so a contact that gives a Telephone and no Mobile
 * has it under both. A Mobile given as null is no mobile: a contact sent back as GET showed it
 * (Telephone set, Mobile null) keeps its blank.
 */
export function readContact(c: AddressInput['Contact']): ContactData | null {
  if (!c) return null;
  return {
    title: c.Title ?? null,
    firstName: c.FirstName ?? null,
    lastName: c.LastName ?? null,
    position: c.Position ?? null,
    telephone: c.Telephone ?? c.Mobile ?? c.LandLine ?? null,
    mobile: c.Mobile !== undefined ? c.Mobile : (c.Telephone ?? null),
    landLine: c.LandLine ?? null,
    email: c.Email ?? null,
  };
}

/** The address fields as given, texts checked for length; `target` is where the address is in the body ('' for the body itself). */
export function readAddressFields(a: AddressFieldsInput, target: string, p: Problems): LocationAddress {
  const latLong = a.LatLong ?? a.LatitudeLongitude ?? null;
  return {
    contact: readContact(a.Contact),
    companyName: text(a.CompanyName, field(target, 'CompanyName'), p),
    customerName: text(a.CustomerName, field(target, 'CustomerName'), p),
    addressLine1: text(a.AddressLine1, field(target, 'AddressLine1'), p),
    addressLine2: text(a.AddressLine2, field(target, 'AddressLine2'), p),
    addressLine3: text(a.AddressLine3, field(target, 'AddressLine3'), p),
    town: text(a.Town, field(target, 'Town'), p),
    region: text(a.Region, field(target, 'Region'), p),
    regionCode: a.RegionCode ?? null,
    postcode: text(a.Postcode?.trim(), field(target, 'Postcode'), p),
    countryCode: a.Country?.IsoCode.TwoLetterCode.trim().toUpperCase() ?? '',
    specialInstructions: text(a.SpecialInstructions, field(target, 'SpecialInstructions'), p),
    latLong: latLong ? { latitude: latLong.Latitude, longitude: latLong.Longitude } : null,
  };
}

/**
 * What every usable address has: a first line, a known ISO country code and, where the country
 * has postcodes, a postcode. `unless` ends the "is required" messages (" unless ShippingLocationReference is given").
 */
export function checkAddress(address: LocationAddress, target: string, p: Problems, unless = ''): void {
  if (!address.addressLine1?.trim()) p.add(field(target, 'AddressLine1'), `is required${unless}`, 'Required');
  if (!address.countryCode) p.add(field(target, 'Country'), `is required${unless}`, 'Required');
  else if (!isCountryCode(address.countryCode)) p.add(field(target, 'Country.IsoCode.TwoLetterCode'), `has unknown country code ${address.countryCode}`);
  else if (countryUsesPostcodes(address.countryCode) && !address.postcode) p.add(field(target, 'Postcode'), `is required for ${address.countryCode}`, 'Required');
}
