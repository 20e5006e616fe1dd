/** The carrier catalogue as the domain sees it: plain data, loaded and validated by src/catalogue. */
import { compileServiceRates, type ServiceRates } from './pricing.js';

export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7; // ISO: Monday = 1

export interface CollectionCalendar {
  weekdays: Weekday[];
  /** Latest booking time on a collection day, "HH:mm", in the shipping location's time zone. */
  cutOffTime: string;
  /** When the carrier collects, "HH:mm"; the allocation summary's "shipping on" time. */
  collectionTime: string;
  /** ISO dates (yyyy-MM-dd) with no collection and no delivery. */
  nonWorkingDates: string[];
}

export interface TrackingNumberFormat {
  prefix: string;
  digits: number;
  suffix: string;
  /** "mod10" appends a Luhn check digit to the numeric part. */
  checkDigit: 'none' | 'mod10';
}

export interface Carrier {
  reference: string;
  name: string;
  trackingNumberFormat: TrackingNumberFormat;
  collectionCalendar: CollectionCalendar;
  deliveryWeekdays: Weekday[];
  /** Which connector books with this carrier; "simulated" is built in (src/carriers/index.ts lists them). */
  connector: string;
  /** The connector's settings for this carrier, as the catalogue file gives them; each connector checks its own. */
  connectorSettings: Record<string, unknown>;
}

export type ServiceDirection = 'Outbound' | 'Inbound';
export type ServiceType = 'Scheduled' | 'AdHoc' | 'PickUp' | 'DropOff' | 'Timed' | 'Consolidated';
export type ContentClass = 'NotSpecified' | 'Unrestricted' | 'Dangerous' | 'Restricted' | 'Liquid';
export const CONTENT_CLASSES: ContentClass[] = ['NotSpecified', 'Unrestricted', 'Dangerous', 'Restricted', 'Liquid'];

export interface JourneyLeg {
  carrierReference: string;
  /** The carrier's own code for the product on this leg. */
  carrierServiceReference: string;
  carrierServiceName: string;
}

/** Limits and lists checked by the eligibility checks; null means "no limit". Units: kg, cm, service currency. */
export interface Capabilities {
  directions: ServiceDirection[];
  originCountries: string[] | null;
  destinationCountries: string[] | null;
  excludedDestinationCountries: string[];
  excludedPostcodes: string[];
  minPackageWeightKg: number;
  maxPackageWeightKg: number | null;
  maxConsignmentWeightKg: number | null;
  maxPackages: number | null;
  maxPackageLengthCm: number | null;
  maxLengthPlusGirthCm: number | null;
  maxValue: number | null;
  allowedContent: ContentClass[];
  tags: string[];
}

export type VatType = 'Standard' | 'Reduced' | 'Zero';

/** The VAT a price carries: which country's rate and how much (0.2 = 20 %). */
export interface VatSetting {
  countryIsoCode: string;
  type: VatType;
  rate: number;
}

/** One weight band: the price for a chargeable weight up to and including `upToKg`. */
export interface WeightBand {
  upToKg: number;
  price: number;
}

/**
 * Where a zone's prices apply: destinations in `countries` (null: any country, a "rest of the
 * world" zone), and GB destinations whose postcode falls under one of `postcodes` (UK area,
 * district or sector prefixes). A zone with postcodes matches GB only through them, even when
 * `countries` names GB or is null.
 */
export interface RateZone {
  name: string;
  countries: string[] | null;
  postcodes: string[];
  /** Overrides the card's VAT for this zone (zero-rated exports, say). */
  vat: VatSetting | null;
  /** Strictly increasing by `upToKg`, and never cheaper when heavier. */
  bands: WeightBand[];
  /** Price per started kilogram over the last band; null: heavier is not priced. */
  extraPerKg: number | null;
}

/** Each package on its own chargeable weight (parcels), or the consignment's total (freight). */
export type RateBasis = 'Package' | 'Consignment';

/** A service's prices (plain data, loaded from the catalogue file); amounts are in the service's currency. */
export interface RateCard {
  /** Cubic centimetres per kilogram of volumetric weight; null: chargeable weight is the actual weight. */
  volumetricDivisor: number | null;
  basis: RateBasis;
  vat: VatSetting;
  /** Applied to the band prices plus the per-package and per-consignment charges. */
  fuelSurchargePercent: number;
  perPackageCharge: number;
  perConsignmentCharge: number;
  /** In order: the first zone matching the destination prices it. */
  zones: RateZone[];
}

export interface CarrierService {
  reference: string;
  name: string;
  description: string;
  carrierReference: string;
  types: ServiceType[];
  journey: JourneyLeg[];
  transitDays: number;
  deliveryWindow: { start: string; end: string };
  currency: string;
  /** Overrides the carrier's calendar for this service (a drop-off service, say). */
  collectionCalendar: CollectionCalendar | null;
  capabilities: Capabilities;
  /** Null: the service has no prices and cannot be quoted or chosen as the cheapest. */
  rateCard: RateCard | null;
}

export interface Catalogue {
  defaultTimeZone: string;
  /** Value of one unit of each currency in the base currency. */
  exchangeRates: Record<string, number>;
  carriers: Carrier[];
  services: CarrierService[];
}

/**
 * Fast lookups over a catalogue; references match case-insensitively. It also holds each service's
 * rates, compiled when the catalogue is indexed, so that the first quote costs no more than the
 * next; an index is built once per application (see src/app.ts) and owns them.
 */
export class CatalogueIndex {
  private readonly services = new Map<string, CarrierService>();
  private readonly carriers = new Map<string, Carrier>();
  private readonly rates = new Map<CarrierService, ServiceRates | null>();

  constructor(readonly catalogue: Catalogue) {
    for (const c of catalogue.carriers) this.carriers.set(c.reference.toLowerCase(), c);
    for (const s of catalogue.services) this.services.set(s.reference.toLowerCase(), s);
    for (const s of catalogue.services) this.rates.set(s, compileServiceRates(s));
  }

  /** The service's rates for pricing (null: it has none); a service that is not this catalogue's is compiled on the spot. */
  ratesOf(service: CarrierService): ServiceRates | null {
    const rates = this.rates.get(service);
    return rates === undefined ? compileServiceRates(service) : rates;
  }

  service(reference: string): CarrierService | undefined {
    return this.services.get(reference.trim().toLowerCase());
  }

  carrier(reference: string): Carrier | undefined {
    return this.carriers.get(reference.trim().toLowerCase());
  }

  carrierOf(service: CarrierService): Carrier {
    const carrier = this.carrier(service.carrierReference);
    if (!carrier) throw new Error(`service ${service.reference} names unknown carrier ${service.carrierReference}`);
    return carrier;
  }

  calendarOf(service: CarrierService): CollectionCalendar {
    return service.collectionCalendar ?? this.carrierOf(service).collectionCalendar;
  }

  /** An amount's value in the base currency, for comparing prices in different currencies; NaN without a rate (the loader requires one for priced services). */
  inBaseCurrency(amount: number, currency: string): number {
    const rate = this.catalogue.exchangeRates[currency.toUpperCase()];
    return rate === undefined ? Number.NaN : amount * rate;
  }

  /** Converts an amount to another currency through the base currency; null when a rate is missing. */
  convert(amount: number, from: string, to: string): number | null {
    if (from.toUpperCase() === to.toUpperCase()) return amount;
    const a = this.catalogue.exchangeRates[from.toUpperCase()];
    const b = this.catalogue.exchangeRates[to.toUpperCase()];
    if (a === undefined || b === undefined) return null;
    return Math.round(((amount * a) / b) * 100) / 100;
  }
}
