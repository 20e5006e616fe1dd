/** The carrier catalogue as the domain sees it: plain data, loaded and validated by src/catalogue. */

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
  /** Which connector books with this carrier; "simulated" is built in. */
  connector: string;
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
}

export interface Catalogue {
  defaultTimeZone: string;
  /** Value of one unit of each currency in the base currency. */
  exchangeRates: Record<string, number>;
  carriers: Carrier[];
  services: CarrierService[];
}

/** Fast lookups over a catalogue; references match case-insensitively. */
export class CatalogueIndex {
  private readonly services = new Map<string, CarrierService>();
  private readonly carriers = new Map<string, Carrier>();

  constructor(readonly catalogue: Catalogue) {
    for (const c of catalogue.carriers) this.carriers.set(c.reference.toLowerCase(), c);
    for (const s of catalogue.services) this.services.set(s.reference.toLowerCase(), s);
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

  /** Converts an amount to another currency through the base currency; null when a rate is missing. */
  convert(amount: number, from: string, to: string): number | null {
    if (from.toUpperCase() === to.toUpperCase()) return amount;
    const a = this.catalogue.exchangeRates[from.toUpperCase()];
    const b = this.catalogue.exchangeRates[to.toUpperCase()];
    if (a === undefined || b === undefined) return null;
    return Math.round(((amount * a) / b) * 100) / 100;
  }
}
