/** The facts of a consignment that rule conditions look at. */
import type { CatalogueIndex } from '../catalogue.js';
import { destinationAddress, totalWeightKg, type ConsignmentData } from '../consignment.js';
import { parseUkPostcode, type UkPostcode } from '../postcode.js';
import { longestSide } from '../units.js';

/** A consignment's value in one currency, or the package whose value cannot be converted to it. */
export type ValueIn = { total: number } | { unconvertible: { reference: string; currency: string } };

/**
 * What rules look at in a consignment, each worked out once when first asked: every rule of a
 * subscription judges the consignment, and several look at the same fact.
 */
export class ConsignmentFacts {
  private destinationPostcode: UkPostcode | null | undefined;
  private weight: number | undefined;
  private longest: number | undefined;
  private readonly values = new Map<string, ValueIn>();
  readonly country: string;
  readonly postcodeGiven: string;

  constructor(
    readonly consignment: ConsignmentData,
    private readonly catalogue: CatalogueIndex,
  ) {
    const destination = destinationAddress(consignment);
    this.country = destination?.countryCode ?? '';
    this.postcodeGiven = destination?.postcode ?? '';
  }

  /** The destination's UK postcode; null outside GB or when it cannot be read. */
  get postcode(): UkPostcode | null {
    if (this.destinationPostcode === undefined) this.destinationPostcode = this.country === 'GB' && this.postcodeGiven ? parseUkPostcode(this.postcodeGiven) : null;
    return this.destinationPostcode;
  }

  get weightKg(): number {
    return (this.weight ??= totalWeightKg(this.consignment));
  }

  /** The longest side of the longest package (0 without packages). */
  get longestSideCm(): number {
    if (this.longest === undefined) {
      let longest = 0;
      for (const p of this.consignment.packages) longest = Math.max(longest, longestSide(p.dimensions));
      this.longest = longest;
    }
    return this.longest;
  }

  /** The sum of the package values in `currency` (packages without a value count nothing), or the package whose value cannot be converted. */
  valueIn(currency: string): ValueIn {
    let value = this.values.get(currency);
    if (!value) {
      value = this.sumValues(currency);
      this.values.set(currency, value);
    }
    return value;
  }

  private sumValues(currency: string): ValueIn {
    let total = 0;
    for (const p of this.consignment.packages) {
      if (!p.value) continue;
      const converted = this.catalogue.convert(p.value.amount, p.value.currency, currency);
      if (converted === null) return { unconvertible: { reference: p.reference, currency: p.value.currency } };
      total += converted;
    }
    return { total: Math.round(total * 100) / 100 };
  }
}
