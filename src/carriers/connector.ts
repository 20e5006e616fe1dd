/**
 * The seam every carrier is reached through (../shared/STYLE.md, "Carriers behind one interface").
 * A connector offers some of five operations (book, cancel, documents, manifest, track), each
 * optional and declared in its `capabilities`; every answer is data: what the carrier did, the
 * documents it made and the messages it gave. A carrier that *refuses* answers a typed outcome
 * (`refused`, with a reason the consignment keeps); a carrier that cannot be reached, times out or
 * answers nonsense *throws* (CarrierUnreachable, or anything else): the use-cases turn that into
 * 503 CarrierUnavailable with nothing changed.
 *
 * A connector's own folder (src/carriers/<name>/) holds one file per operation, each a pair of pure
 * functions (our request → the carrier's request; the carrier's response → our result), and a
 * `connector.ts` that wires them to an injected transport (transport.ts).
 */
import type { Carrier, JourneyLeg } from '../domain/catalogue.js';
import type { AddressData, CarrierMessage, PackageData } from '../domain/consignment.js';
import type { CustomsDeclaration } from '../domain/documents/customs-forms.js';
import type { LabelFormat, LabelPageSize } from '../domain/documents/label.js';

export type { LabelPageSize } from '../domain/documents/label.js';

export type CarrierOperation = 'book' | 'cancel' | 'documents' | 'manifest' | 'track';
export const CARRIER_OPERATIONS: readonly CarrierOperation[] = ['book', 'cancel', 'documents', 'manifest', 'track'];

export type { CarrierMessage } from '../domain/consignment.js';

export type DocumentKind = 'label' | 'commercialInvoice' | 'cn22' | 'cn23' | 'manifest';
export type DocumentFormat = LabelFormat;

/** A file a carrier made: a label, a customs form or a manifest. */
export interface CarrierDocument {
  kind: DocumentKind;
  format: DocumentFormat;
  contentType: string;
  /** The package it is for, when it is for one package (a label, a CN22). */
  packageReference: string | null;
  content: Uint8Array;
}

/** Why a carrier would not do what it was asked: kept as the consignment's failure reason. */
export interface CarrierRefusal {
  /** Our code for the refusal (`CarrierRefused` unless the connector knows better). */
  code: string;
  /** The carrier's explanation, in words a user can act on. */
  message: string;
}

/** The shipment one leg of a journey carries: what a carrier needs to book it. */
export interface Shipment {
  consignmentReference: string;
  customerReference: string;
  origin: AddressData;
  destination: AddressData;
  packages: readonly PackageData[];
  /** When the carrier collects, ISO 8601 with offset. */
  collectionDate: string;
}

export interface BookingRequest {
  carrier: Carrier;
  leg: JourneyLeg;
  /** 1 for the first leg of the journey. */
  legNumber: number;
  /**
   * Ours for this one booking attempt, unique (never reused, not even for the same consignment and
   * leg): a connector gives it to the carrier as the booking's own reference, so that a booking
   * whose answer was lost can be found and cancelled by it — and only that booking.
   */
  bookingReference: string;
  shipment: Shipment;
}

export type BookingOutcome =
  | {
      kind: 'booked';
      /** The carrier's own identity for the booking (a shipment id), when it gives one: handed back to cancel it, print its labels, manifest it. */
      carrierBookingReference: string | null;
      /** One per package, in package order. */
      trackingReferences: string[];
      /** Documents the carrier made with the booking (labels, for carriers that return them). */
      documents: CarrierDocument[];
      messages: CarrierMessage[];
    }
  | { kind: 'refused'; refusal: CarrierRefusal; messages: CarrierMessage[] };

export interface CancelRequest {
  carrier: Carrier;
  legNumber: number;
  carrierServiceReference: string;
  consignmentReference: string;
  /** The booking attempt's reference (BookingRequest.bookingReference); null for bookings recorded before there was one. */
  bookingReference: string | null;
  /** The carrier's own identity for the booking, when it gave one. */
  carrierBookingReference: string | null;
  /** The leg's tracking references; empty when the booking's answer was lost (a timeout): then the carrier finds it by `bookingReference`. */
  trackingReferences: string[];
}

/** `cancelled` also when the carrier no longer knows the booking: undoing twice is undoing once. */
export type CancelOutcome = { kind: 'cancelled'; messages: CarrierMessage[] } | { kind: 'refused'; refusal: CarrierRefusal; messages: CarrierMessage[] };

/** A consignment as far as its carrier's documents and manifests need it: the shipment and what booking it gave. */
export interface BookedShipment extends Shipment {
  legNumber: number;
  carrierServiceReference: string;
  bookingReference: string | null;
  carrierBookingReference: string | null;
  trackingReferences: string[];
}

/** Labels of some of a leg's packages, as one file. */
export interface LabelsWanted {
  kind: 'labels';
  /** In the order wanted; each one of the shipment's packages. */
  packageReferences: string[];
  format: DocumentFormat;
  pageSize: LabelPageSize;
}

/** Customs documents (decisions.md §10), each its own PDF, in the order wanted. */
export interface CustomsDocumentsWanted {
  kind: 'customs';
  /** `commercialInvoice` for the consignment (packageReference null), `cn22` or `cn23` for a package. */
  documents: { kind: 'commercialInvoice' | 'cn22' | 'cn23'; packageReference: string | null }[];
  declaration: CustomsDeclaration;
}

/**
 * Documents of one leg's booking. A connector whose carrier makes labels on request asks for them;
 * one whose carrier cannot makes them from the request (it carries everything a label or customs
 * form says), as the simulated carrier does.
 */
export interface DocumentsRequest {
  carrier: Carrier;
  /** The leg's product, whose name the label shows. */
  leg: JourneyLeg;
  shipment: BookedShipment;
  wanted: LabelsWanted | CustomsDocumentsWanted;
}

/**
 * For labels: exactly one document, of the format wanted, holding the labels in the order wanted.
 * For customs documents: one PDF per document wanted, in that order.
 */
export interface DocumentsResult {
  documents: CarrierDocument[];
  messages: CarrierMessage[];
}

/** A booked leg handed over on a manifest. */
export interface ManifestShipment extends BookedShipment {
  /** Until when its collection can be manifested: the booked service's cut-off on the collection day (ISO 8601 with offset). */
  cutOff: string;
}

/** The shipments one carrier collects from one shipping location on one day (decisions.md §11). */
export interface ManifestRequest {
  carrier: Carrier;
  shippingLocationReference: string | null;
  /** The collection day the manifest is for (yyyy-MM-dd). */
  collectionDay: string;
  shipments: ManifestShipment[];
}

export interface ManifestResult {
  /** The carrier's reference for the manifest, when it gives one. */
  carrierManifestReference: string | null;
  /** Consignments the carrier would not take, each with why (a reason a user can act on); the others are manifested. */
  refused: { consignmentReference: string; refusal: CarrierRefusal }[];
  documents: CarrierDocument[];
  messages: CarrierMessage[];
}

/** A booked leg the tracker asks about. */
export interface TrackedShipment extends BookedShipment {
  /** The latest day the allocation promised delivery on (ISO 8601 with offset). */
  latestDeliveryDate: string;
  /** Events after this instant are wanted (null: all); earlier ones may come again, and are ignored. */
  since: string | null;
}

export interface TrackRequest {
  carrier: Carrier;
  shipments: TrackedShipment[];
  /** The injected clock's now: a simulated carrier makes events up to it. */
  now: string;
}

/** One event of one package, as the carrier reported it, in the published vocabulary. */
export interface CarrierTrackingEvent {
  /** One of the tracking references asked about. */
  trackingReference: string;
  /** One of the published vocabulary (decisions.md §12), mapped by the connector's status map. */
  code: string;
  timeStamp: string;
  description: string;
  location: string | null;
  signedBy: string | null;
}

export interface TrackResult {
  events: CarrierTrackingEvent[];
  messages: CarrierMessage[];
}

/** What every connector call is given: the signal aborts it when the caller stops waiting. */
export interface CallOptions {
  signal: AbortSignal;
}

export interface CarrierConnector {
  /** Which operations it offers; exactly those methods are present (the contract suite checks). */
  readonly capabilities: ReadonlySet<CarrierOperation>;
  /** How long a call may take before the carrier counts as unavailable. */
  readonly timeoutMs: number;
  /**
   * Whether a booking lives on at the carrier until it is cancelled (true for every real carrier).
   * Switchyard then writes each booking down before making it, so that one interrupted by a crash
   * is still cancelled afterwards. The simulated carrier keeps nothing.
   */
  readonly keepsBookings: boolean;
  /** For a connector with `track`: how often the tracker asks it about each leg (its carrier's own schedule). */
  readonly trackingIntervalMs?: number;
  book?(request: BookingRequest, options: CallOptions): Promise<BookingOutcome>;
  cancel?(request: CancelRequest, options: CallOptions): Promise<CancelOutcome>;
  documents?(request: DocumentsRequest, options: CallOptions): Promise<DocumentsResult>;
  manifest?(request: ManifestRequest, options: CallOptions): Promise<ManifestResult>;
  track?(request: TrackRequest, options: CallOptions): Promise<TrackResult>;
}

/**
 * The carrier could not be reached, timed out, or answered something that is not an answer.
 * `mayHaveActed` is false only when the request surely never arrived (the connection was
 * refused): otherwise a booking may exist at the carrier although its answer was lost.
 */
export class CarrierUnreachable extends Error {
  readonly mayHaveActed: boolean;

  constructor(
    readonly carrierReference: string,
    message: string,
    options: { cause?: unknown; mayHaveActed?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.mayHaveActed = options.mayHaveActed ?? true;
  }
}
