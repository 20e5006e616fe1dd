/**
 * Reading a consignment's CustomsDocumentation (kept as the wire gave it, PascalCase) into the
 * declaration the customs forms print, with what the wire leaves open resolved from stored data:
 * the invoice's number (the first attached invoice, else the consignment's reference), its date
 * (the one given, else the day it was allocated: never "today", so that a reprint is the same),
 * the importer (the consignment's Importer address), and the shipper's EORI (the `ShippersEORI`
 * metadata the SortedPRO docs name).
 */
import type { Consignment } from '../../domain/consignment.js';
import type { CustomsDeclaration } from '../../domain/documents/customs-forms.js';

function text(record: Record<string, unknown>, key: string): string | null {
  const v = record[key];
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

function list(record: Record<string, unknown>, key: string): string[] {
  const v = record[key];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim()) : [];
}

/** The calendar day a date or date-time names (yyyy-MM-dd, in its own offset), or null. */
function day(value: string | null | undefined): string | null {
  return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
}

export function readCustomsDeclaration(consignment: Consignment): CustomsDeclaration {
  const record = consignment.data.customsDocumentation ?? {};
  const invoiceDate = day(text(record, 'InvoiceDate')) ?? day(consignment.allocation?.allocationDate) ?? day(consignment.createdAt)!;
  const eori = consignment.data.metaData.find((m) => m.KeyValue.trim().toLowerCase() === 'shipperseori')?.StringValue?.trim() || null;
  return {
    category: text(record, 'CategoryType') ?? 'Other',
    categoryExplanation: text(record, 'CategoryTypeExplanation'),
    reasonForExport: text(record, 'ReasonForExport'),
    shippingTerms: text(record, 'ShippingTerms'),
    invoiceNumber: list(record, 'ReferencesOfAttachedInvoices')[0] ?? consignment.reference,
    invoiceDate,
    declarationDate: day(text(record, 'DeclarationDate')) ?? invoiceDate,
    officeOfPosting: text(record, 'OfficeOfPosting'),
    comments: text(record, 'CN23Comments'),
    attachedInvoices: list(record, 'ReferencesOfAttachedInvoices'),
    attachedCertificates: list(record, 'ReferencesOfAttachedCertificates'),
    attachedLicences: list(record, 'ReferencesOfAttachedLicences'),
    designatedPersonResponsible: text(record, 'DesignatedPersonResponsible'),
    shipperVatNumber: text(record, 'ShippersVatNumber'),
    shipperEori: eori,
    shipperCustomsReference: text(record, 'ShipperCustomsReference'),
    importer: consignment.data.addresses.find((a) => a.addressType === 'Importer') ?? null,
    importerVatNumber: text(record, 'ImportersVatNumber'),
    importerTaxCode: text(record, 'ImportersTaxCode'),
    importerCode: text(record, 'ImportersCode'),
    importerTelephone: text(record, 'ImportersTelephone'),
    importerFax: text(record, 'ImportersFax'),
    importerEmail: text(record, 'ImportersEmail'),
    receiverVatNumber: text(record, 'ReceiversVatNumber'),
    receiverTaxCode: text(record, 'ReceiversTaxCode'),
  };
}
