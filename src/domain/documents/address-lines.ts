/**
 * How an address is printed on a label or a customs form: every part that was given, each on its
 * own line, as written (nothing is transliterated or shortened, so that Łódź prints as Łódź).
 */
import type { AddressData, ContactData } from '../consignment.js';
import { countryName } from '../countries.js';

/** Title, first and last name, as one line; empty when none is given. */
export function personName(contact: ContactData | null): string {
  return [contact?.title, contact?.firstName, contact?.lastName].map((s) => s?.trim()).filter(Boolean).join(' ');
}

/** A telephone number to reach the addressee: the contact's telephone, else mobile, else land line. */
export function telephoneOf(address: AddressData): string | null {
  const c = address.contact;
  return c?.telephone?.trim() || c?.mobile?.trim() || c?.landLine?.trim() || null;
}

export interface AddressLines {
  /** The person, the company, the customer's name (each when given and not a repeat), then the street lines, town and region. */
  lines: string[];
  postcode: string | null;
  countryCode: string;
  /** The country's English name ("Poland"). */
  country: string;
  telephone: string | null;
}

export function addressLines(address: AddressData): AddressLines {
  const lines: string[] = [];
  const add = (value: string | null | undefined) => {
    const v = value?.trim();
    if (v && !lines.includes(v)) lines.push(v);
  };
  add(personName(address.contact));
  add(address.companyName);
  add(address.customerName);
  add(address.addressLine1);
  add(address.addressLine2);
  add(address.addressLine3);
  add(address.town);
  add(address.region);
  return {
    lines,
    postcode: address.postcode?.trim() || null,
    countryCode: address.countryCode,
    country: countryName(address.countryCode),
    telephone: telephoneOf(address),
  };
}
