/**
 * A leg's documents from the simulated carrier: our request to its POST /v1/labels or
 * POST /v1/customs, carrying what each document says (the views the domain makes from the stored
 * allocation: src/domain/documents/), and its answer, base64 files, back to our documents.
 */
import { CarrierUnreachable, type CarrierDocument, type DocumentsRequest, type DocumentsResult } from '../connector.js';
import { commercialInvoiceView, customsFormView, type CustomsFacts } from '../../domain/documents/customs-forms.js';
import { LABEL_CONTENT_TYPES, labelViews, type LabelFacts } from '../../domain/documents/label.js';
import type { CarrierHttpRequest, CarrierHttpResponse } from '../transport.js';
import type { SimCustomsRequest, SimFiles, SimLabelsRequest } from './api.js';
import { isObject, messagesOf, refusalOf, unexpected } from './answers.js';

function labelFacts({ carrier, leg, shipment }: DocumentsRequest): LabelFacts {
  return {
    carrierName: carrier.name,
    serviceName: leg.carrierServiceName,
    consignmentReference: shipment.consignmentReference,
    customerReference: shipment.customerReference,
    origin: shipment.origin,
    destination: shipment.destination,
    packages: shipment.packages,
    trackingReferences: shipment.trackingReferences,
    collectionDate: shipment.collectionDate,
  };
}

function customsFacts(request: DocumentsRequest, declaration: CustomsFacts['declaration']): CustomsFacts {
  const { carrier, leg, shipment } = request;
  return {
    consignmentReference: shipment.consignmentReference,
    customerReference: shipment.customerReference,
    carrierName: carrier.name,
    serviceName: leg.carrierServiceName,
    sender: shipment.origin,
    addressee: shipment.destination,
    packages: shipment.packages,
    trackingReferences: shipment.trackingReferences,
    declaration,
  };
}

export function documentsRequest(request: DocumentsRequest): CarrierHttpRequest {
  const { wanted, shipment } = request;
  if (wanted.kind === 'labels') {
    const body: SimLabelsRequest = {
      shipmentId: shipment.carrierBookingReference,
      format: wanted.format,
      pageSize: wanted.pageSize,
      labels: labelViews(labelFacts(request), wanted.packageReferences),
    };
    return { method: 'POST', path: '/v1/labels', body };
  }
  const facts = customsFacts(request, wanted.declaration);
  const body: SimCustomsRequest = {
    shipmentId: shipment.carrierBookingReference,
    documents: wanted.documents.map((d) =>
      d.kind === 'commercialInvoice' ? commercialInvoiceView(facts) : customsFormView(facts, d.kind === 'cn22' ? 'CN22' : 'CN23', d.packageReference!),
    ),
  };
  return { method: 'POST', path: '/v1/customs', body };
}

function decoded(carrierReference: string, file: unknown): Uint8Array {
  const content = isObject(file) ? file.content : undefined;
  const bytes = typeof content === 'string' ? Buffer.from(content, 'base64') : Buffer.alloc(0);
  if (bytes.length === 0) throw new CarrierUnreachable(carrierReference, `carrier ${carrierReference} answered a document without content`);
  return bytes;
}

/** 200: the files, which must be as many as asked for and of the format asked; 422: refused; anything else: not an answer. */
export function documentsResult(response: CarrierHttpResponse, request: DocumentsRequest): DocumentsResult {
  const ref = request.carrier.reference;
  if (response.status === 422) {
    // A carrier that will not print what it booked leaves nothing to print: no answer a caller can use.
    throw new CarrierUnreachable(ref, `carrier ${ref} would not make the documents: ${refusalOf(response.body).message}`, { mayHaveActed: false });
  }
  if (response.status !== 200) throw unexpected(ref, response, 'a documents request');
  const body = response.body as Partial<SimFiles>;
  const files = isObject(body) && Array.isArray(body.files) ? body.files : [];
  const { wanted } = request;
  const expected = wanted.kind === 'labels' ? 1 : wanted.documents.length;
  if (files.length !== expected) throw new CarrierUnreachable(ref, `carrier ${ref} answered ${files.length} documents where ${expected} were asked for`);
  let documents: CarrierDocument[];
  if (wanted.kind === 'labels') {
    const contentType = LABEL_CONTENT_TYPES[wanted.format];
    if (!isObject(files[0]) || files[0].contentType !== contentType) throw new CarrierUnreachable(ref, `carrier ${ref} answered labels that are not ${contentType}`);
    const only = wanted.packageReferences.length === 1 ? wanted.packageReferences[0] : null;
    documents = [{ kind: 'label', format: wanted.format, contentType, packageReference: only, content: decoded(ref, files[0]) }];
  } else {
    documents = wanted.documents.map((d, i) => {
      if (!isObject(files[i]) || files[i].contentType !== 'application/pdf') throw new CarrierUnreachable(ref, `carrier ${ref} answered a customs document that is not a PDF`);
      return { kind: d.kind, format: 'PDF', contentType: 'application/pdf', packageReference: d.packageReference, content: decoded(ref, files[i]) };
    });
  }
  return { documents, messages: messagesOf(body.notices) };
}
