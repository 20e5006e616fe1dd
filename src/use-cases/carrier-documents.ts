/**
 * Asking a leg's carrier for documents through its connector: labels or customs forms, made from
 * the stored allocation. Whether the carrier renders them or the connector does is the
 * connector's affair (the simulated carrier draws them on request); the use-cases only ever go
 * through the seam. A carrier that cannot be reached, is too slow or answers something that is
 * not the documents asked for is 503 CarrierUnavailable, with nothing changed.
 */
import type { BookedShipment, CarrierDocument, CustomsDocumentsWanted, LabelsWanted } from '../carriers/connector.js';
import type { Carrier, JourneyLeg } from '../domain/catalogue.js';
import type { Consignment, ConsignmentLegRecord } from '../domain/consignment.js';
import type { AppContext } from './app-context.js';
import { callCarrier, CarrierOutages } from './carrier-calls.js';
import { shipmentOf } from './bookings.js';
import { AppError } from './errors.js';
import { canonicalReference } from '../domain/references.js';

/** 409 InvalidState, naming the state, for a consignment whose state has no such documents (states.md §3.2). */
export function cannotHaveDocuments(consignment: Consignment, what: string): AppError {
  const message = `Consignment ${consignment.reference} has no ${what}: it is ${consignment.state}`;
  return new AppError('InvalidState', message, [{ Code: 'InvalidState', Target: consignment.reference, Message: message }]);
}

/** The package of the consignment named by `reference` (any case), or 404 PackageNotFound. */
export function packageOf(consignment: Consignment, reference: string): string {
  const wanted = canonicalReference(reference);
  const found = consignment.data.packages.find((p) => p.reference.toUpperCase() === wanted);
  if (!found) {
    const message = `Consignment ${consignment.reference} has no package ${wanted}`;
    throw new AppError('PackageNotFound', message, [{ Code: 'NotFound', Target: 'packageReference', Message: message }]);
  }
  return found.reference;
}

/** A leg of a consignment's allocation as its carrier's documents need it. */
export function bookedShipmentOf(consignment: Consignment, leg: ConsignmentLegRecord): BookedShipment {
  return {
    ...shipmentOf(consignment, consignment.allocation!.collectionDate),
    legNumber: leg.leg,
    carrierServiceReference: leg.carrierServiceReference,
    bookingReference: leg.bookingReference ?? null,
    carrierBookingReference: leg.carrierBookingReference ?? null,
    trackingReferences: leg.trackingReferences,
  };
}

/** The leg's product as the catalogue names it; the allocated service's name when the catalogue no longer has the journey. */
function journeyLegOf(ctx: AppContext, consignment: Consignment, leg: ConsignmentLegRecord): JourneyLeg {
  const allocation = consignment.allocation!;
  const planned = ctx.catalogue.service(allocation.mpdCarrierServiceReference)?.journey[leg.leg - 1];
  if (planned && planned.carrierReference.toLowerCase() === leg.carrierReference.toLowerCase()) return planned;
  return { carrierReference: leg.carrierReference, carrierServiceReference: leg.carrierServiceReference, carrierServiceName: allocation.mpdCarrierServiceName };
}

function carrierOf(ctx: AppContext, consignment: Consignment, leg: ConsignmentLegRecord): Carrier {
  const carrier = ctx.catalogue.carrier(leg.carrierReference);
  if (!carrier) {
    const message = `Consignment ${consignment.reference}'s documents cannot be made: its carrier ${leg.carrierReference} is no longer in the catalogue`;
    throw new AppError('DocumentNotFound', message, [{ Code: 'DocumentNotFound', Target: consignment.reference, Message: message }]);
  }
  return carrier;
}

/** Whether documents are those asked for: one label file of the format, or each customs document in order, none empty. */
function answers(wanted: LabelsWanted | CustomsDocumentsWanted, documents: CarrierDocument[]): boolean {
  const filled = documents.every((d) => d.content instanceof Uint8Array && d.content.length > 0);
  if (wanted.kind === 'labels') return filled && documents.length === 1 && documents[0].kind === 'label' && documents[0].format === wanted.format;
  return filled && documents.length === wanted.documents.length && documents.every((d, i) => d.kind === wanted.documents[i].kind && d.format === 'PDF');
}

/**
 * The documents a leg's carrier makes for the consignment, as its connector answered them (and
 * checked them). `outages` are the carriers this piece of work already found down (a batch's).
 */
export async function legDocuments(
  ctx: AppContext,
  consignment: Consignment,
  leg: ConsignmentLegRecord,
  wanted: LabelsWanted | CustomsDocumentsWanted,
  outages = new CarrierOutages(),
): Promise<CarrierDocument[]> {
  const carrier = carrierOf(ctx, consignment, leg);
  const connector = ctx.carriers.connectorFor(carrier);
  const what = wanted.kind === 'labels' ? 'labels' : 'customs documents';
  if (!connector.documents) {
    const message = `${carrier.name} makes no ${what} for consignment ${consignment.reference}`;
    throw new AppError('DocumentNotFound', message, [{ Code: 'DocumentNotFound', Target: consignment.reference, Message: message }]);
  }
  const request = { carrier, leg: journeyLegOf(ctx, consignment, leg), shipment: bookedShipmentOf(consignment, leg), wanted };
  const call = await callCarrier(ctx, outages, carrier, connector.timeoutMs, `a request for consignment ${consignment.reference}'s ${what}`, (options) =>
    connector.documents!(request, options),
  );
  const documents = call.kind === 'answered' ? call.value.documents : [];
  if (call.kind === 'unreachable' || !answers(wanted, documents)) {
    const why = call.kind === 'unreachable' ? call.message : `carrier ${carrier.reference} answered other documents than those asked for`;
    const message = `The ${what} of consignment ${consignment.reference} could not be had from ${carrier.name}: ${why}; nothing was changed, try again later`;
    throw new AppError('CarrierUnavailable', message, [{ Code: 'CarrierUnavailable', Target: consignment.reference, Message: message }]);
  }
  return documents;
}
