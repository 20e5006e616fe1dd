/**
 * What the customs documents say (decisions.md §10): the commercial invoice of a consignment and
 * the CN22 or CN23 of a package, with the UPU forms' fields — sender, addressee, importer and its
 * references, each line's description, quantity, net weight, value, HS code and country of
 * origin, the totals, the category of item, the invoice number and the date. One view shape
 * serves the three forms; each renderer shows the fields its form has.
 */
import type { AddressData, Money, PackageData } from '../consignment.js';
import { formatNumber } from '../units.js';
import { addressLines, type AddressLines } from './address-lines.js';
import { customsLines, declaredValues, type CustomsForm, type CustomsLine } from './customs-rules.js';

/** The consignment's CustomsDocumentation as the forms need it, with the invoice's number and date resolved from stored data. */
export interface CustomsDeclaration {
  /** Gift, CommercialSample, Documents, ReturnedGoods, SaleOfGoods or Other (the SDK's default). */
  category: string;
  categoryExplanation: string | null;
  reasonForExport: string | null;
  /** The Incoterm (DAP, DDP, …), when given. */
  shippingTerms: string | null;
  invoiceNumber: string;
  /** yyyy-MM-dd */
  invoiceDate: string;
  /** The declaration's date (yyyy-MM-dd): the one given, else the invoice's. */
  declarationDate: string;
  officeOfPosting: string | null;
  comments: string | null;
  attachedInvoices: string[];
  attachedCertificates: string[];
  attachedLicences: string[];
  designatedPersonResponsible: string | null;
  shipperVatNumber: string | null;
  shipperEori: string | null;
  shipperCustomsReference: string | null;
  importer: AddressData | null;
  importerVatNumber: string | null;
  importerTaxCode: string | null;
  importerCode: string | null;
  importerTelephone: string | null;
  importerFax: string | null;
  importerEmail: string | null;
  receiverVatNumber: string | null;
  receiverTaxCode: string | null;
}

/** What the forms are made from: the consignment as its carrier carries it, and its declaration. */
export interface CustomsFacts {
  consignmentReference: string;
  customerReference: string;
  /** The designated operator: the carrier that presents the goods to customs. */
  carrierName: string;
  serviceName: string;
  sender: AddressData;
  addressee: AddressData;
  packages: readonly PackageData[];
  /** The carrier's tracking references, one per package, in package order. */
  trackingReferences: readonly string[];
  declaration: CustomsDeclaration;
}

export type CustomsDocumentKind = 'CommercialInvoice' | CustomsForm;

export interface CustomsLineView {
  description: string;
  quantity: string;
  netWeight: string;
  value: string;
  hsCode: string;
  origin: string;
}

/** A label and its value, shown only when the value is given. */
export interface Reference {
  label: string;
  value: string;
}

export interface CustomsDocumentView {
  kind: CustomsDocumentKind;
  title: string;
  consignmentReference: string;
  customerReference: string | null;
  /** The package the form is for (a CN22 or CN23), or null (the invoice). */
  packageReference: string | null;
  /** "2 of 3" for a package's form, or the number of packages for the invoice ("3 packages"). */
  packages: string;
  carrierName: string;
  serviceName: string;
  trackingReferences: string[];
  sender: AddressLines;
  senderReferences: Reference[];
  addressee: AddressLines;
  addresseeReferences: Reference[];
  importer: AddressLines | null;
  /** The importer's reference (tax code, VAT number, importer code) and how to reach it. */
  importerReferences: Reference[];
  category: string;
  categoryExplanation: string | null;
  lines: CustomsLineView[];
  totalNetWeight: string;
  totalGrossWeight: string;
  totalValue: string;
  invoiceNumber: string;
  date: string;
  details: Reference[];
  designatedPersonResponsible: string | null;
}

const TITLES: Record<CustomsDocumentKind, string> = {
  CommercialInvoice: 'Commercial invoice',
  CN22: 'Customs declaration CN 22',
  CN23: 'Customs declaration CN 23',
};

const CATEGORY_NAMES: Record<string, string> = {
  gift: 'Gift',
  commercialsample: 'Commercial sample',
  documents: 'Documents',
  returnedgoods: 'Returned goods',
  saleofgoods: 'Sale of goods',
  personal: 'Personal',
  other: 'Other',
  none: 'Other',
};

export function categoryName(category: string): string {
  return CATEGORY_NAMES[category.replace(/[\s_]/g, '').toLowerCase()] ?? category;
}

function kg(value: number): string {
  return `${formatNumber(Math.round(value * 1000) / 1000)} kg`;
}

function money(m: Money): string {
  return `${m.amount.toFixed(2)} ${m.currency}`;
}

/** The total of some values, one amount per currency (a form never converts what the shipper declared). */
function total(values: readonly Money[]): string {
  const byCurrency = new Map<string, number>();
  for (const v of values) byCurrency.set(v.currency, (byCurrency.get(v.currency) ?? 0) + v.amount);
  if (byCurrency.size === 0) return '0.00';
  return [...byCurrency].map(([currency, amount]) => money({ amount: Math.round(amount * 100) / 100, currency })).join(' + ');
}

function lineView(line: CustomsLine): CustomsLineView {
  return {
    description: line.description,
    quantity: String(line.quantity),
    netWeight: line.netWeightKg === null ? '' : kg(line.netWeightKg),
    value: line.value ? money(line.value) : '',
    hsCode: line.hsCode ?? '',
    origin: line.originCountry ?? '',
  };
}

function references(pairs: [label: string, value: string | null][]): Reference[] {
  return pairs.filter((p): p is [string, string] => !!p[1]).map(([label, value]) => ({ label, value }));
}

function view(facts: CustomsFacts, kind: CustomsDocumentKind, packages: readonly PackageData[], packageLabel: string, packageReference: string | null): CustomsDocumentView {
  const d = facts.declaration;
  const lines = packages.flatMap((p) => customsLines(p));
  const net = lines.reduce((sum, l) => sum + (l.netWeightKg ?? 0), 0);
  const gross = packages.reduce((sum, p) => sum + p.weightKg, 0);
  const tracking = packages.map((p) => facts.trackingReferences[facts.packages.indexOf(p)]).filter((t): t is string => !!t);
  return {
    kind,
    title: TITLES[kind],
    consignmentReference: facts.consignmentReference,
    customerReference: facts.customerReference.trim() || null,
    packageReference,
    packages: packageLabel,
    carrierName: facts.carrierName,
    serviceName: facts.serviceName,
    trackingReferences: tracking,
    sender: addressLines(facts.sender),
    senderReferences: references([
      ['EORI', d.shipperEori],
      ['VAT number', d.shipperVatNumber],
      ["Sender's customs reference", d.shipperCustomsReference],
    ]),
    addressee: addressLines(facts.addressee),
    addresseeReferences: references([
      ['VAT number', d.receiverVatNumber],
      ['Tax code', d.receiverTaxCode],
    ]),
    importer: d.importer ? addressLines(d.importer) : null,
    importerReferences: references([
      ["Importer's reference", d.importerCode],
      ['Tax code', d.importerTaxCode],
      ['VAT number', d.importerVatNumber],
      ['Telephone', d.importerTelephone],
      ['Fax', d.importerFax],
      ['Email', d.importerEmail],
    ]),
    category: categoryName(d.category),
    categoryExplanation: d.categoryExplanation,
    lines: lines.map(lineView),
    totalNetWeight: kg(net),
    totalGrossWeight: kg(gross),
    totalValue: total(packages.flatMap(declaredValues)),
    invoiceNumber: d.invoiceNumber,
    date: d.declarationDate,
    details: references([
      ['Invoice date', d.invoiceDate],
      ['Reason for export', d.reasonForExport],
      ['Terms of delivery', d.shippingTerms],
      ['Office of posting', d.officeOfPosting],
      ['Comments', d.comments],
      ['Invoices attached', d.attachedInvoices.join(', ') || null],
      ['Certificates attached', d.attachedCertificates.join(', ') || null],
      ['Licences attached', d.attachedLicences.join(', ') || null],
    ]),
    designatedPersonResponsible: d.designatedPersonResponsible,
  };
}

/** The consignment's commercial invoice: every package's lines. */
export function commercialInvoiceView(facts: CustomsFacts): CustomsDocumentView {
  const n = facts.packages.length;
  return view(facts, 'CommercialInvoice', facts.packages, `${n} package${n === 1 ? '' : 's'}`, null);
}

/** A package's CN22 or CN23. */
export function customsFormView(facts: CustomsFacts, form: CustomsForm, packageReference: string): CustomsDocumentView {
  const index = facts.packages.findIndex((p) => p.reference === packageReference);
  if (index < 0) throw new RangeError(`package ${packageReference} is not one of consignment ${facts.consignmentReference}'s`);
  return view(facts, form, [facts.packages[index]], `${index + 1} of ${facts.packages.length}`, packageReference);
}
