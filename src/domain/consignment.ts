/** The consignment as Switchyard stores it: normalised units, expanded addresses, plain data. */
import type { ConsignmentState } from './states.js';
import type { ContentClass, ServiceDirection } from './catalogue.js';
import type { Price } from './pricing.js';
import { round } from './units.js';

export interface Money {
  amount: number;
  currency: string;
}

export interface ContactData {
  title: string | null;
  firstName: string | null;
  lastName: string | null;
  position: string | null;
  telephone: string | null;
  mobile: string | null;
  landLine: string | null;
  email: string | null;
}

export type AddressType = 'Origin' | 'Destination' | 'Return' | 'Sender' | 'Recipient' | 'Importer';

export interface AddressData {
  addressType: AddressType;
  shippingLocationReference: string | null;
  shopLocationReference: string | null;
  contact: ContactData | null;
  companyName: string | null;
  customerName: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  addressLine3: string | null;
  town: string | null;
  region: string | null;
  regionCode: string | null;
  postcode: string | null;
  countryCode: string;
  specialInstructions: string | null;
  latLong: { latitude: number; longitude: number } | null;
}

export interface MetaDataEntry {
  KeyValue: string;
  StringValue: string | null;
  IntValue: number | null;
  DecimalValue: number | null;
  DateTimeValue: string | null;
  BoolValue: boolean | null;
}

export interface ItemData {
  reference: string;
  itemReferenceProvidedByCustomer: string | null;
  sku: string | null;
  model: string | null;
  description: string | null;
  countryOfOrigin: string | null;
  harmonisationCode: string | null;
  weightKg: number | null;
  dimensions: { lengthCm: number; widthCm: number; heightCm: number } | null;
  value: Money | null;
  quantity: number;
  unit: string | null;
  contentClassification: ContentClass[];
  metaData: MetaDataEntry[];
}

export interface PackageData {
  reference: string;
  packageReferenceProvidedByCustomer: string | null;
  description: string | null;
  weightKg: number;
  dimensions: { lengthCm: number; widthCm: number; heightCm: number };
  value: Money | null;
  packageSizeReference: string | null;
  barcode: { Code: string; BarcodeType: string } | null;
  items: ItemData[];
  metaData: MetaDataEntry[];
}

export interface RequestedDeliveryDate {
  /** ISO date-time as given (its own offset kept); the calendar day is what is promised. */
  date: string;
  isToBeExactlyOnTheDateSpecified: boolean;
  window: { start: string; end: string } | null;
}

export interface ConsignmentData {
  consignmentReferenceProvidedByCustomer: string;
  source: string;
  direction: ServiceDirection;
  tags: string[];
  /** ISO date-time with offset, or null for "as soon as possible". */
  shippingDate: string | null;
  requestedDeliveryDate: RequestedDeliveryDate | null;
  customsDocumentation: Record<string, unknown> | null;
  metaData: MetaDataEntry[];
  addresses: AddressData[];
  packages: PackageData[];
  /** The time zone of the consignment's own shipping location, for dates and cut-offs. */
  timeZone: string;
}

/** Something a carrier said about a request (a booking's warning, say), kept with what it was about. */
export interface CarrierMessage {
  severity: 'info' | 'warning' | 'error';
  /** The carrier's own code, when it gives one. */
  code: string | null;
  text: string;
}

export interface ConsignmentLegRecord {
  leg: number;
  carrierReference: string;
  carrierName: string;
  carrierServiceReference: string;
  /** Tracking references of this leg, one per package, in package order. */
  trackingReferences: string[];
  /** Ours for the booking, as the carrier keeps it (absent on allocations recorded before there was one). */
  bookingReference?: string;
  /** The carrier's own identity for the booking, when it gave one. */
  carrierBookingReference?: string | null;
  /** What the carrier warned of when it booked the leg; absent when it said nothing worth keeping. */
  carrierMessages?: CarrierMessage[];
}

export interface AllocationRecord {
  mpdCarrierServiceReference: string;
  mpdCarrierServiceName: string;
  carrierReference: string;
  carrierName: string;
  carrierServiceGroupReference: string;
  mpdCarrierServiceGroupName: string | null;
  allocationDate: string;
  collectionDate: string;
  earliestDeliveryDate: string;
  latestDeliveryDate: string;
  legs: ConsignmentLegRecord[];
  /**
   * The service's price for the consignment when it was allocated (shown as `Allocation.Price`);
   * null when the service has no rate card. Optional only because allocations recorded before
   * prices existed lack it: the store reads those as null.
   */
  price?: Price | null;
}

export interface FailureReason {
  Code: string;
  Message: string;
  /** Which service the reason is about, when the engine chose among several. */
  MpdCarrierServiceReference?: string;
}

export interface FailedAllocationRecord {
  mpdCarrierServiceReference: string;
  mpdCarrierServiceName: string;
  carrierServiceGroupReference: string;
  mpdCarrierServiceGroupName: string | null;
  attemptedAllocationDate: string;
  message: string;
  reasons: FailureReason[];
}

/** Why the last manifest of a consignment did not complete (the wire's FailedManifestMessage and FailedManifestTimeStamp). */
export interface FailedManifestRecord {
  message: string;
  at: string;
}

export interface Consignment {
  id: number;
  subscriptionId: number;
  reference: string;
  state: ConsignmentState;
  /** Counts the consignment's changes: a change is applied only to the version it was decided on. */
  version: number;
  createdAt: string;
  updatedAt: string;
  data: ConsignmentData;
  allocation: AllocationRecord | null;
  failedAllocation: FailedAllocationRecord | null;
  /** When its labels were first fetched (LabelsPrinted, DateLabelsWereFirstPrinted); null until then. */
  labelsFirstPrintedAt: string | null;
  /** The last manifest attempt's failure; kept after a later success, as history (like failedAllocation). */
  failedManifest: FailedManifestRecord | null;
  /** When it was marked Dispatched (the wire's DateShipped / ShippedDate). */
  dispatchedAt: string | null;
  /** When it was first collected: the earliest COLLECTED tracking event (the wire's DateCollected / CollectedDate). */
  dateCollected: string | null;
  /** When its last package was delivered, once all are (the wire's DateDelivered / DeliveryDate). */
  dateDelivered: string | null;
}

export function originAddress(data: ConsignmentData): AddressData | undefined {
  return data.addresses.find((a) => a.addressType === 'Origin');
}

export function destinationAddress(data: ConsignmentData): AddressData | undefined {
  return data.addresses.find((a) => a.addressType === 'Destination');
}

export function totalWeightKg(data: ConsignmentData): number {
  return Math.round(data.packages.reduce((sum, p) => sum + p.weightKg, 0) * 1e6) / 1e6;
}

/** The sum of the package values, or null when none has a value or they are in different currencies. */
export function totalValue(data: ConsignmentData): Money | null {
  const values = data.packages.map((p) => p.value).filter((v): v is Money => v !== null);
  if (!values.length) return null;
  const currency = values[0].currency;
  if (values.some((v) => v.currency !== currency)) return null;
  return { amount: round(values.reduce((s, v) => s + v.amount, 0), 2), currency };
}
