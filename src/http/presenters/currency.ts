/** Currency (models.md §3.4): ISO 4217 code and English name, shared by Money and Rate. */
import { typed } from '../xml-codec.js';

const NAMES = new Intl.DisplayNames(['en'], { type: 'currency' });
/** Where the vendor's documents name a currency otherwise than Unicode does ("British Pound"). */
const VENDOR_NAMES: Record<string, string> = { GBP: 'Pound Sterling' };

export function currencyName(isoCode: string): string | null {
  return VENDOR_NAMES[isoCode] ?? NAMES.of(isoCode) ?? null;
}

export function presentCurrency(isoCode: string): object {
  return typed('Currency', { Name: currencyName(isoCode), IsoCode: isoCode });
}
