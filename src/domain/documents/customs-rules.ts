/**
 * Which customs documents a consignment needs (decisions.md §10). Customs are needed when origin
 * and destination countries differ, unless both are in the EU customs union (GB, and the Channel
 * Islands, are outside it). Then the consignment has a commercial invoice and each package a CN22
 * when its declared value is at most 270 GBP and it weighs at most 2 kg, else a CN23.
 */
import type { ConsignmentData, Money, PackageData } from '../consignment.js';
import { destinationAddress, originAddress } from '../consignment.js';

/**
 * The EU's 27 members and Monaco, which is part of its customs territory through France. (Turkey,
 * Andorra and San Marino have customs unions of their own with the EU that do not free every good
 * from a declaration, so they count as outside.)
 */
export const EU_CUSTOMS_UNION: ReadonlySet<string> = new Set(
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK MC'.split(' '),
);

export const CN22_MAX_VALUE_GBP = 270;
export const CN22_MAX_WEIGHT_KG = 2;

export type CustomsForm = 'CN22' | 'CN23';

export interface CustomsRequirement {
  commercialInvoice: boolean;
  /** Per package, in package order: empty when no customs are needed. */
  forms: { packageReference: string; form: CustomsForm }[];
}

export const NO_CUSTOMS: CustomsRequirement = { commercialInvoice: false, forms: [] };

export function needsCustoms(originCountry: string, destinationCountry: string): boolean {
  if (originCountry === destinationCountry) return false;
  return !(EU_CUSTOMS_UNION.has(originCountry) && EU_CUSTOMS_UNION.has(destinationCountry));
}

/** One line a customs form declares: an item of the package, or the package itself when it lists no items. */
export interface CustomsLine {
  description: string;
  quantity: number;
  /** The line's net weight (the item's weight times its quantity); null when the item gives none. */
  netWeightKg: number | null;
  /** The line's value (the item's value times its quantity); null when the item gives none. */
  value: Money | null;
  hsCode: string | null;
  originCountry: string | null;
}

/** What a package declares: its items (an item's Weight and Value are per unit), or one line from its own description, weight and value. */
export function customsLines(pkg: PackageData): CustomsLine[] {
  if (pkg.items.length === 0) {
    return [{ description: pkg.description?.trim() || 'Goods', quantity: 1, netWeightKg: pkg.weightKg, value: pkg.value, hsCode: null, originCountry: null }];
  }
  return pkg.items.map((item) => ({
    description: item.description?.trim() || item.sku?.trim() || 'Goods',
    quantity: item.quantity,
    netWeightKg: item.weightKg === null ? null : Math.round(item.weightKg * item.quantity * 1e6) / 1e6,
    value: item.value && { amount: Math.round(item.value.amount * item.quantity * 100) / 100, currency: item.value.currency },
    hsCode: item.harmonisationCode?.trim() || null,
    originCountry: item.countryOfOrigin,
  }));
}

/**
 * What a package declares it is worth, as the form's total says: its items' values when every item
 * gives one, else the package's own value when it has one (items with no value of their own never
 * make a valuable package look worthless), else the values the items do give.
 */
export function declaredValues(pkg: PackageData): Money[] {
  const itemValues = customsLines(pkg).map((l) => l.value);
  if (itemValues.every((v) => v !== null)) return itemValues as Money[];
  if (pkg.value) return [pkg.value];
  return itemValues.filter((v): v is Money => v !== null);
}

/**
 * The package's value in GBP at the catalogue's rates (`inGbp`) for choosing its form: the larger
 * of its own value and its items' together, so that neither can hide the other; Infinity when a
 * value's currency has no rate, so that a value that cannot be judged is never taken for a small one.
 */
export function declaredValueGbp(pkg: PackageData, inGbp: (money: Money) => number | null): number {
  let items = 0;
  for (const line of customsLines(pkg)) {
    if (!line.value) continue;
    const gbp = inGbp(line.value);
    if (gbp === null) return Number.POSITIVE_INFINITY;
    items += gbp;
  }
  const own = pkg.value ? inGbp(pkg.value) : 0;
  if (own === null) return Number.POSITIVE_INFINITY;
  return Math.round(Math.max(items, own) * 100) / 100;
}

export function formFor(pkg: PackageData, inGbp: (money: Money) => number | null): CustomsForm {
  return pkg.weightKg <= CN22_MAX_WEIGHT_KG && declaredValueGbp(pkg, inGbp) <= CN22_MAX_VALUE_GBP ? 'CN22' : 'CN23';
}

export function customsRequirement(data: ConsignmentData, inGbp: (money: Money) => number | null): CustomsRequirement {
  const origin = originAddress(data)?.countryCode;
  const destination = destinationAddress(data)?.countryCode;
  if (!origin || !destination || !needsCustoms(origin, destination)) return NO_CUSTOMS;
  return { commercialInvoice: true, forms: data.packages.map((p) => ({ packageReference: p.reference, form: formFor(p, inGbp) })) };
}
