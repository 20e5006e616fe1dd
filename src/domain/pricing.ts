/**
 * Prices a consignment with a service's rate card (the catalogue's `Rates`): the zone of the
 * destination, the weight band of the chargeable weight, per-package and per-consignment charges,
 * the fuel surcharge and VAT. Pure; expected failures are `unpriced` results with a reason, like
 * the eligibility checks'.
 *
 * Money is computed in minor units (integer hundredths of the service's currency) and each line
 * (band price, extra kilograms, fuel surcharge, VAT) is rounded half-up on its own, so results
 * have at most two decimals and gross = net + VAT exactly. Quotes price one consignment against
 * every service, so nothing is worked out twice and the hot path allocates little beyond the
 * result: each service's rate card is compiled once, when the catalogue is indexed (zone lookups,
 * whole-unit amounts, labels; `CatalogueIndex.ratesOf`), and the destination is read once per
 * consignment (`pricingDestination`) by the caller that prices it against many services. There is
 * no state here: whoever prices holds both.
 */
import type { CarrierService, RateBasis, RateZone, VatSetting, VatType } from './catalogue.js';
import { destinationAddress, type ConsignmentData, type FailureReason, type PackageData } from './consignment.js';
import { fail } from './eligibility/check.js';
import { parseUkPostcode, type UkPostcode } from './postcode.js';
import { formatNumber, round } from './units.js';

export interface VatRate {
  /** Country and rate to four decimals, e.g. "GB-0.2000" (the vendor's form). */
  reference: string;
  countryIsoCode: string;
  type: VatType;
  /** 0.2 = 20 %. */
  rate: number;
}

export interface Amounts {
  net: number;
  vatAmount: number;
  gross: number;
}

export interface Surcharge {
  /** Stable code, e.g. "FUEL". */
  reference: string;
  /** For people: "Fuel surcharge 8.5%". */
  label: string;
  description: string;
  /** Net, in the price's currency. */
  amount: number;
}

export interface Price {
  currency: string;
  vat: VatRate;
  /** Before surcharges: weight bands plus the per-package and per-consignment charges. */
  base: Amounts;
  /** Including surcharges; what "cheapest" compares (gross). */
  total: Amounts;
  surcharges: Surcharge[];
  /** The weight the consignment was priced on: the sum of the packages' chargeable weights. */
  chargeableWeightKg: number;
  /** Name of the rate card zone that priced the destination. */
  zone: string;
}

export type PriceResult = { kind: 'priced'; price: Price } | { kind: 'unpriced'; reason: FailureReason };

/** Minor units per major unit: every catalogue amount is validated to whole hundredths. */
const MINOR = 100;
/** Percentages and VAT rates are held in ten-thousandths, so that 8.5 % or 0.175 stay exact integers. */
const PARTS = 10_000;
const NONE = Number.MAX_SAFE_INTEGER;

export function toMinorUnits(amount: number): number {
  return Math.round(amount * MINOR);
}

function fromMinorUnits(minor: number): number {
  return minor / MINOR;
}

/** round-half-up(value × parts / 10,000) for non-negative integers, without floating-point error. */
function share(value: number, parts: number): number {
  const product = value * parts;
  const whole = Math.floor(product / PARTS);
  return 2 * (product - whole * PARTS) >= PARTS ? whole + 1 : whole;
}

function amounts(netMinor: number, vatParts: number): Amounts {
  const vat = share(netMinor, vatParts);
  return { net: fromMinorUnits(netMinor), vatAmount: fromMinorUnits(vat), gross: fromMinorUnits(netMinor + vat) };
}

export function vatReference(countryIsoCode: string, rate: number): string {
  return `${countryIsoCode}-${rate.toFixed(4)}`;
}

/**
 * A package's chargeable weight: its actual weight, or its volumetric weight (L × W × H in cm³ over
 * the divisor) when that is more. Volumetric weight is rounded to the millionth of a kilogram that
 * all weights are normalised to, and never replaces a heavier actual weight.
 */
export function chargeableWeightKg(pkg: PackageData, volumetricDivisor: number | null): number {
  if (volumetricDivisor === null) return pkg.weightKg;
  const d = pkg.dimensions;
  const volumetric = round((d.lengthCm * d.widthCm * d.heightCm) / volumetricDivisor, 6);
  return volumetric > pkg.weightKg ? volumetric : pkg.weightKg;
}

interface CompiledZone {
  name: string;
  vat: VatRate;
  vatParts: number;
  bandsKg: number[];
  bandsMinor: number[];
  heaviestKg: number;
  /** Per started kilogram over the heaviest band, or -1 when heavier is not priced. */
  extraPerKgMinor: number;
}

/** A service's rate card compiled for pricing, with the currency its amounts are in: plain data, built by `compileServiceRates`. */
export interface ServiceRates {
  currency: string;
  basis: RateBasis;
  divisor: number | null;
  zones: CompiledZone[];
  /** Country -> index of the first zone that prices it outright (for GB: a zone without postcodes). */
  firstByCountry: Map<string, number>;
  /** First "any country" zone, for countries other than GB / for GB (one without postcodes). */
  firstAnyCountry: number;
  firstAnyCountryForGb: number;
  /** UK postcode prefix (area, district or sector) -> index of the first zone naming it. */
  firstByPostcodePrefix: Map<string, number>;
  firstPostcodeZone: number;
  perPackageMinor: number;
  perConsignmentMinor: number;
  fuelParts: number;
  fuelLabel: string;
  fuelDescription: string;
}

function vatRate(v: VatSetting): VatRate {
  return Object.freeze({ reference: vatReference(v.countryIsoCode, v.rate), countryIsoCode: v.countryIsoCode, type: v.type, rate: v.rate });
}

function compileZone(zone: RateZone, cardVat: VatRate): CompiledZone {
  const vat = zone.vat ? vatRate(zone.vat) : cardVat;
  return {
    name: zone.name,
    vat,
    vatParts: Math.round(vat.rate * PARTS),
    bandsKg: zone.bands.map((b) => b.upToKg),
    bandsMinor: zone.bands.map((b) => toMinorUnits(b.price)),
    heaviestKg: zone.bands[zone.bands.length - 1].upToKg,
    extraPerKgMinor: zone.extraPerKg === null ? -1 : toMinorUnits(zone.extraPerKg),
  };
}

/** A service's rates compiled once for every consignment it prices; null when the service has no rate card. */
export function compileServiceRates(service: CarrierService): ServiceRates | null {
  const card = service.rateCard;
  if (card === null) return null;
  const cardVat = vatRate(card.vat);
  const firstByCountry = new Map<string, number>();
  const firstByPostcodePrefix = new Map<string, number>();
  let firstAnyCountry = NONE;
  let firstAnyCountryForGb = NONE;
  let firstPostcodeZone = NONE;
  card.zones.forEach((zone, i) => {
    const narrowsGb = zone.postcodes.length > 0;
    if (narrowsGb && firstPostcodeZone === NONE) firstPostcodeZone = i;
    for (const prefix of zone.postcodes) if (!firstByPostcodePrefix.has(prefix)) firstByPostcodePrefix.set(prefix, i);
    if (zone.countries === null) {
      if (firstAnyCountry === NONE) firstAnyCountry = i;
      if (!narrowsGb && firstAnyCountryForGb === NONE) firstAnyCountryForGb = i;
      return;
    }
    for (const country of zone.countries) {
      if (country === 'GB' && narrowsGb) continue;
      if (!firstByCountry.has(country)) firstByCountry.set(country, i);
    }
  });
  const percent = formatNumber(card.fuelSurchargePercent);
  return {
    currency: service.currency,
    basis: card.basis,
    divisor: card.volumetricDivisor,
    zones: card.zones.map((z) => compileZone(z, cardVat)),
    firstByCountry,
    firstAnyCountry,
    firstAnyCountryForGb,
    firstByPostcodePrefix,
    firstPostcodeZone,
    perPackageMinor: toMinorUnits(card.perPackageCharge),
    perConsignmentMinor: toMinorUnits(card.perConsignmentCharge),
    fuelParts: Math.round(card.fuelSurchargePercent * 100),
    fuelLabel: `Fuel surcharge ${percent}%`,
    fuelDescription: `${percent}% of the price before surcharges`,
  };
}

/** A consignment's destination as rate cards read it: read once per consignment, then priced against every service. */
export interface PricingDestination {
  /** '' when the consignment has no destination. */
  countryCode: string;
  postcode: string | null;
  /** The postcode read as a UK one, for a GB destination; null when there is none or it cannot be read. */
  ukPostcode: UkPostcode | null;
}

export function pricingDestination(consignment: ConsignmentData): PricingDestination {
  const destination = destinationAddress(consignment);
  const countryCode = destination?.countryCode ?? '';
  const postcode = destination?.postcode ?? null;
  return { countryCode, postcode, ukPostcode: countryCode === 'GB' && postcode !== null ? parseUkPostcode(postcode) : null };
}

function prefixZone(card: ServiceRates, prefix: string | null): number {
  if (prefix === null) return NONE;
  return card.firstByPostcodePrefix.get(prefix) ?? NONE;
}

/** Index of the zone pricing the destination; -1 when none does, -2 when a GB postcode cannot be read but would decide it. */
function zoneIndex(card: ServiceRates, { countryCode: country, ukPostcode: parsed }: PricingDestination): number {
  let best: number;
  if (country !== 'GB') {
    best = Math.min(card.firstByCountry.get(country) ?? NONE, card.firstAnyCountry);
  } else {
    best = Math.min(card.firstByCountry.get('GB') ?? NONE, card.firstAnyCountryForGb);
    if (card.firstPostcodeZone < best) {
      // An unreadable postcode cannot be shown to lie outside a (dearer) postcode zone listed first.
      if (parsed === null) return -2;
      best = Math.min(best, prefixZone(card, parsed.area), prefixZone(card, parsed.district), prefixZone(card, parsed.sector));
    }
  }
  return best === NONE ? -1 : best;
}

/** Price of one chargeable weight in a zone, in minor units; -1 when it is beyond the zone's bands. */
function bandPrice(zone: CompiledZone, kg: number): number {
  const bands = zone.bandsKg;
  for (let i = 0; i < bands.length; i++) if (kg <= bands[i]) return zone.bandsMinor[i];
  if (zone.extraPerKgMinor < 0) return -1;
  // Per started kilogram, counted in millionths of a kilogram so that float noise cannot add one.
  const overMicro = Math.round(kg * 1e6) - Math.round(zone.heaviestKg * 1e6);
  const startedKg = Math.max(1, Math.ceil(overMicro / 1e6));
  return zone.bandsMinor[bands.length - 1] + startedKg * zone.extraPerKgMinor;
}

function tooHeavy(card: ServiceRates, zone: CompiledZone, packages: PackageData[], total: number): FailureReason {
  const heaviest = `the heaviest band of zone ${zone.name} (${formatNumber(zone.heaviestKg)} kg)`;
  if (card.basis === 'Consignment') return fail('NoRateForWeight', `chargeable weight ${formatNumber(total)} kg is beyond ${heaviest}`);
  const over = packages
    .map((p) => ({ p, kg: chargeableWeightKg(p, card.divisor) }))
    .filter(({ kg }) => kg > zone.heaviestKg)
    .map(({ p, kg }) => `${formatNumber(kg)} kg (package ${p.reference})`);
  return fail('NoRateForWeight', `chargeable weight${over.length > 1 ? 's' : ''} ${over.join(', ')} ${over.length > 1 ? 'are' : 'is'} beyond ${heaviest}`);
}

function destinationText(country: string, postcode: string | null): string {
  if (!country) return 'unknown';
  return country === 'GB' && postcode ? `GB (postcode ${postcode})` : country;
}

const NO_SURCHARGES: Surcharge[] = Object.freeze([]) as unknown as Surcharge[];

/**
 * The price of a consignment with a service's rates (null: the service has none), or why they
 * cannot price it. `destination` must be the consignment's; a caller pricing it against many
 * services reads it once and passes it to each.
 */
export function priceConsignment(consignment: ConsignmentData, rates: ServiceRates | null, destination: PricingDestination = pricingDestination(consignment)): PriceResult {
  if (rates === null) return { kind: 'unpriced', reason: fail('NoRates', 'the service has no rate card') };
  const z = zoneIndex(rates, destination);
  const { countryCode: country, postcode } = destination;
  if (z === -2) {
    return { kind: 'unpriced', reason: fail('NoRateForDestination', `destination postcode ${postcode ?? '(none)'} is not a valid UK postcode, so the rate card's postcode zones cannot be applied`) };
  }
  if (z === -1) return { kind: 'unpriced', reason: fail('NoRateForDestination', `the rate card has no zone for destination ${destinationText(country, postcode)}`) };
  const zone = rates.zones[z];
  const packages = consignment.packages;

  let chargeable = 0;
  let bandsMinor = 0;
  for (let i = 0; i < packages.length; i++) {
    const kg = chargeableWeightKg(packages[i], rates.divisor);
    chargeable += kg;
    if (rates.basis === 'Package') {
      const price = bandPrice(zone, kg);
      if (price < 0) return { kind: 'unpriced', reason: tooHeavy(rates, zone, packages, 0) };
      bandsMinor += price;
    }
  }
  chargeable = round(chargeable, 6);
  if (rates.basis === 'Consignment') {
    bandsMinor = bandPrice(zone, chargeable);
    if (bandsMinor < 0) return { kind: 'unpriced', reason: tooHeavy(rates, zone, packages, chargeable) };
  }

  const baseMinor = bandsMinor + rates.perPackageMinor * packages.length + rates.perConsignmentMinor;
  const fuelMinor = share(baseMinor, rates.fuelParts);
  const surcharges: Surcharge[] =
    rates.fuelParts === 0 ? NO_SURCHARGES : [{ reference: 'FUEL', label: rates.fuelLabel, description: rates.fuelDescription, amount: fromMinorUnits(fuelMinor) }];
  return {
    kind: 'priced',
    price: {
      currency: rates.currency,
      vat: zone.vat,
      base: amounts(baseMinor, zone.vatParts),
      total: amounts(baseMinor + fuelMinor, zone.vatParts),
      surcharges,
      chargeableWeightKg: chargeable,
      zone: zone.name,
    },
  };
}
