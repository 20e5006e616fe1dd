/**
 * Small builders for the pure domain: a carrier, a service, a catalogue index and a consignment,
 * each with plain defaults (a GB-domestic outbound parcel service with no limits set, and a 2 kg
 * 30 × 20 × 10 cm parcel from Manchester to London) that a test overrides field by field.
 */
import { DateTime } from 'luxon';
import {
  CatalogueIndex,
  type Capabilities,
  type Carrier,
  type CarrierService,
  type Catalogue,
  type CollectionCalendar,
  type RateCard,
  type RateZone,
} from '../../src/domain/catalogue.js';
import type { AddressData, ConsignmentData, ItemData, PackageData } from '../../src/domain/consignment.js';
import type { CustomsDeclaration } from '../../src/domain/documents/customs-forms.js';
import type { DatePlan } from '../../src/domain/dates.js';
import type { EligibilityContext } from '../../src/domain/eligibility/index.js';
import { EMPTY_POLICY, judgeRules } from '../../src/domain/allocation-policy.js';

export function calendar(overrides: Partial<CollectionCalendar> = {}): CollectionCalendar {
  return { weekdays: [1, 2, 3, 4, 5], cutOffTime: '17:00', collectionTime: '17:30', nonWorkingDates: [], ...overrides };
}

export function carrier(overrides: Partial<Carrier> = {}): Carrier {
  return {
    reference: 'TEST_CARRIER',
    name: 'Test Carrier',
    trackingNumberFormat: { prefix: 'TC', digits: 10, suffix: '', checkDigit: 'none' },
    collectionCalendar: calendar(),
    deliveryWeekdays: [1, 2, 3, 4, 5],
    connector: 'simulated',
    connectorSettings: {},
    ...overrides,
  };
}

/** Capabilities with every limit off: null maxima, no exclusions, no tags. */
export function capabilities(overrides: Partial<Capabilities> = {}): Capabilities {
  return {
    directions: ['Outbound'],
    originCountries: null,
    destinationCountries: null,
    excludedDestinationCountries: [],
    excludedPostcodes: [],
    minPackageWeightKg: 0,
    maxPackageWeightKg: null,
    maxConsignmentWeightKg: null,
    maxPackages: null,
    maxPackageLengthCm: null,
    maxLengthPlusGirthCm: null,
    maxValue: null,
    allowedContent: ['NotSpecified', 'Unrestricted'],
    tags: [],
    ...overrides,
  };
}

export function service(overrides: Partial<Omit<CarrierService, 'capabilities'>> & { capabilities?: Partial<Capabilities> } = {}): CarrierService {
  const { capabilities: caps, ...rest } = overrides;
  return {
    reference: 'TEST-SERVICE',
    name: 'Test Service',
    description: '',
    carrierReference: 'TEST_CARRIER',
    types: ['Scheduled'],
    journey: [{ carrierReference: 'TEST_CARRIER', carrierServiceReference: 'TS', carrierServiceName: 'Test Service' }],
    transitDays: 1,
    deliveryWindow: { start: '09:00', end: '18:00' },
    currency: 'GBP',
    collectionCalendar: null,
    rateCard: null,
    ...rest,
    capabilities: capabilities(caps),
  };
}

/** A zone "UK mainland" for GB with bands ≤ 2 kg 3.95, ≤ 10 kg 5.60, ≤ 30 kg 8.90 and nothing beyond. */
export function rateZone(overrides: Partial<RateZone> = {}): RateZone {
  return {
    name: 'UK mainland',
    countries: ['GB'],
    postcodes: [],
    vat: null,
    bands: [
      { upToKg: 2, price: 3.95 },
      { upToKg: 10, price: 5.6 },
      { upToKg: 30, price: 8.9 },
    ],
    extraPerKg: null,
    ...overrides,
  };
}

/** A plain rate card: per package on actual weight, VAT GB 20 %, no charges or surcharges, one rateZone(). */
export function rateCard(overrides: Partial<RateCard> = {}): RateCard {
  return {
    volumetricDivisor: null,
    basis: 'Package',
    vat: { countryIsoCode: 'GB', type: 'Standard', rate: 0.2 },
    fuelSurchargePercent: 0,
    perPackageCharge: 0,
    perConsignmentCharge: 0,
    zones: [rateZone()],
    ...overrides,
  };
}

export function catalogueIndex(overrides: Partial<Catalogue> = {}): CatalogueIndex {
  return new CatalogueIndex({
    defaultTimeZone: 'Europe/London',
    exchangeRates: { GBP: 1, EUR: 0.86, USD: 0.79 },
    carriers: [carrier()],
    services: [service()],
    ...overrides,
  });
}

export function address(overrides: Partial<AddressData> = {}): AddressData {
  return {
    addressType: 'Destination',
    shippingLocationReference: null,
    shopLocationReference: null,
    contact: null,
    companyName: null,
    customerName: null,
    addressLine1: '1 Test Street',
    addressLine2: null,
    addressLine3: null,
    town: 'London',
    region: null,
    regionCode: null,
    postcode: 'SW1A 1AA',
    countryCode: 'GB',
    specialInstructions: null,
    latLong: null,
    ...overrides,
  };
}

export function item(overrides: Partial<ItemData> = {}): ItemData {
  return {
    reference: 'ITEM-1',
    itemReferenceProvidedByCustomer: null,
    sku: null,
    model: null,
    description: null,
    countryOfOrigin: null,
    harmonisationCode: null,
    weightKg: null,
    dimensions: null,
    value: null,
    quantity: 1,
    unit: null,
    contentClassification: [],
    metaData: [],
    ...overrides,
  };
}

let packageCounter = 0;

export function pkg(overrides: Partial<PackageData> = {}): PackageData {
  packageCounter++;
  return {
    reference: `EP-000-000-${String(packageCounter % 1000).padStart(3, '0')}`,
    packageReferenceProvidedByCustomer: null,
    description: null,
    weightKg: 2,
    dimensions: { lengthCm: 30, widthCm: 20, heightCm: 10 },
    value: { amount: 20, currency: 'GBP' },
    packageSizeReference: null,
    barcode: null,
    items: [],
    metaData: [],
    ...overrides,
  };
}

export interface ConsignmentOverrides extends Partial<Omit<ConsignmentData, 'addresses'>> {
  origin?: Partial<AddressData>;
  destination?: Partial<AddressData>;
}

export function consignmentData(overrides: ConsignmentOverrides = {}): ConsignmentData {
  const { origin, destination, ...rest } = overrides;
  return {
    consignmentReferenceProvidedByCustomer: 'TEST-ORDER',
    source: 'test',
    direction: 'Outbound',
    tags: [],
    shippingDate: null,
    requestedDeliveryDate: null,
    customsDocumentation: null,
    metaData: [],
    addresses: [
      address({ addressType: 'Origin', town: 'Manchester', postcode: 'M1 1AE', ...origin }),
      address({ addressType: 'Destination', ...destination }),
    ],
    packages: [pkg()],
    timeZone: 'Europe/London',
    ...rest,
  };
}

/** A plan delivering on the given local day, 09:00–18:00 London time, collected the working day before. */
export function plan(deliveryDay = '2026-11-19', window = { start: '09:00', end: '18:00' }, zone = 'Europe/London'): DatePlan {
  const day = DateTime.fromISO(deliveryDay, { zone });
  const [sh, sm] = window.start.split(':').map(Number);
  const [eh, em] = window.end.split(':').map(Number);
  return {
    collection: day.minus({ days: 1 }).set({ hour: 17, minute: 30 }),
    earliestDelivery: day.set({ hour: sh, minute: sm }),
    latestDelivery: day.set({ hour: eh, minute: em }),
    validUntil: day.minus({ days: 1 }).set({ hour: 17 }).toMillis(),
  };
}

/** A check's context; unless given, the policy's rules are judged for the consignment as the engine judges them. */
export function context(overrides: Partial<EligibilityContext> = {}): EligibilityContext {
  const svc = overrides.service ?? service();
  const base = {
    consignment: consignmentData(),
    service: svc,
    catalogue: catalogueIndex({ services: [svc] }),
    plan: plan(),
    policy: EMPTY_POLICY,
    ...overrides,
  };
  return { ...base, excludingRules: overrides.excludingRules ?? judgeRules(base.policy, base.consignment, base.catalogue) };
}

/** A customs declaration of goods for sale, with the shipper's EORI and VAT number and nothing else given. */
export function customsDeclaration(overrides: Partial<CustomsDeclaration> = {}): CustomsDeclaration {
  return {
    category: 'SaleOfGoods',
    categoryExplanation: null,
    reasonForExport: null,
    shippingTerms: 'DAP',
    invoiceNumber: 'INV-1001',
    invoiceDate: '2026-11-18',
    declarationDate: '2026-11-18',
    officeOfPosting: null,
    comments: null,
    attachedInvoices: [],
    attachedCertificates: [],
    attachedLicences: [],
    designatedPersonResponsible: null,
    shipperVatNumber: 'GB123456789',
    shipperEori: 'GB123456789000',
    shipperCustomsReference: null,
    importer: null,
    importerVatNumber: null,
    importerTaxCode: null,
    importerCode: null,
    importerTelephone: null,
    importerFax: null,
    importerEmail: null,
    receiverVatNumber: null,
    receiverTaxCode: null,
    ...overrides,
  };
}
