/**
 * What a carrier label says (decisions.md §9), decided once for every format: the carrier and its
 * product, sender and recipient in full, which package of how many and its weight, the
 * consignment's and the package's references, the collection date, and the leg's tracking
 * reference, which the label carries as a Code 128 barcode and, with the destination's postcode
 * and country, as a DataMatrix. The renderers (src/documents/label-*.ts) only decide how it looks.
 */
import type { AddressData, PackageData } from '../consignment.js';
import { formatNumber } from '../units.js';
import { addressLines, type AddressLines } from './address-lines.js';

/** The files a label comes in: PDF, PNG at 203 dpi, or ZPL II for thermal printers (decisions.md §9). */
export type LabelFormat = 'PDF' | 'PNG' | 'ZPL';

/** The media type of each format, as the labels endpoints answer it (`ContentType`). */
export const LABEL_CONTENT_TYPES: Record<LabelFormat, string> = { PDF: 'application/pdf', PNG: 'image/png', ZPL: 'application/zpl' };

/** How labels sit on paper: one 4 × 6 in label a page (A6, the SDK's PageSize 0), or four to an A4 sheet (1). PDF only. */
export type LabelPageSize = 'A6' | 'A4';

/** What one leg's labels are made from: the stored allocation's leg and the consignment it carries. */
export interface LabelFacts {
  carrierName: string;
  /** The carrier's product on this leg, as the catalogue names it ("Next Day", "Trunk to Dover"). */
  serviceName: string;
  consignmentReference: string;
  /** The shipper's own reference for the consignment ("" when none). */
  customerReference: string;
  origin: AddressData;
  destination: AddressData;
  /** Every package of the consignment, in order (a label says which of them it is). */
  packages: readonly PackageData[];
  /** This leg's tracking references, one per package, in package order. */
  trackingReferences: readonly string[];
  /** When the carrier collects, ISO 8601 with offset, as stored with the allocation. */
  collectionDate: string;
}

export interface LabelView {
  carrierName: string;
  serviceName: string;
  sender: AddressLines;
  recipient: AddressLines;
  /** "1 of 3" */
  packageOf: string;
  /** "2.5 kg" */
  weight: string;
  consignmentReference: string;
  packageReference: string;
  /** The shipper's reference for the consignment, or the package's own when it has one; null when neither is given. */
  customerReference: string | null;
  /** The collection day as the allocation states it (yyyy-MM-dd, in its own offset). */
  collectionDay: string;
  trackingReference: string;
  /** What the DataMatrix holds: tracking reference, destination postcode and country code, separated by `|`. */
  dataMatrix: string;
}

/** The separator of the DataMatrix's fields: never part of a tracking reference, postcode or country code. */
export const DATA_MATRIX_SEPARATOR = '|';

export function dataMatrixContent(trackingReference: string, destination: AddressData): string {
  const postcode = (destination.postcode ?? '').replaceAll(DATA_MATRIX_SEPARATOR, ' ').trim();
  return [trackingReference, postcode, destination.countryCode].join(DATA_MATRIX_SEPARATOR);
}

/**
 * The labels of the packages named (in the order named; each must be one of `facts.packages`), one
 * per package. A package's number is its place among all the consignment's packages.
 */
export function labelViews(facts: LabelFacts, packageReferences: readonly string[]): LabelView[] {
  const sender = addressLines(facts.origin);
  const recipient = addressLines(facts.destination);
  const count = facts.packages.length;
  return packageReferences.map((reference) => {
    const index = facts.packages.findIndex((p) => p.reference === reference);
    if (index < 0) throw new RangeError(`package ${reference} is not one of consignment ${facts.consignmentReference}'s`);
    const pkg = facts.packages[index];
    const trackingReference = facts.trackingReferences[index];
    if (!trackingReference) throw new RangeError(`package ${reference} has no tracking reference on this leg`);
    return {
      carrierName: facts.carrierName,
      serviceName: facts.serviceName,
      sender,
      recipient,
      packageOf: `${index + 1} of ${count}`,
      weight: `${formatNumber(Math.round(pkg.weightKg * 1000) / 1000)} kg`,
      consignmentReference: facts.consignmentReference,
      packageReference: pkg.reference,
      customerReference: pkg.packageReferenceProvidedByCustomer?.trim() || facts.customerReference.trim() || null,
      collectionDay: facts.collectionDate.slice(0, 10),
      trackingReference,
      dataMatrix: dataMatrixContent(trackingReference, facts.destination),
    };
  });
}
