/**
 * The simulated carrier's own API, as a real carrier's would be documented: its requests and
 * answers, which the mapping functions (book.ts, cancel.ts, documents.ts) translate to and from ours.
 */
import type { CustomsDocumentView } from '../../domain/documents/customs-forms.js';
import type { LabelView } from '../../domain/documents/label.js';

export interface SimParcel {
  reference: string;
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
}

export interface SimAddress {
  name: string | null;
  lines: string[];
  town: string | null;
  postcode: string | null;
  country: string;
}

/** POST /v1/shipments */
export interface SimShipmentRequest {
  /** Ours, unique per booking: by it a shipment can be cancelled when our copy of its answer was lost. */
  customerReference: string;
  /** Ours, for the carrier's staff: the consignment the shipment is part of. */
  consignmentReference: string;
  leg: number;
  product: string;
  collectionDate: string;
  sender: SimAddress;
  recipient: SimAddress;
  parcels: SimParcel[];
}

export interface SimNotice {
  level: 'info' | 'warning';
  code: string;
  text: string;
}

/** 201 to POST /v1/shipments */
export interface SimShipmentCreated {
  shipmentId: string;
  parcels: { reference: string; trackingNumber: string }[];
  notices: SimNotice[];
}

/** 422 to any request it will not do */
export interface SimRejection {
  errors: { code: string; text: string }[];
}

/** POST /v1/shipments/cancel: the parcels given, or the shipment with that customer reference when none are. */
export interface SimCancelRequest {
  customerReference: string;
  /** The carrier's shipment id, when known. */
  shipmentId: string | null;
  trackingNumbers: string[];
}

/** 200 to POST /v1/shipments/cancel */
export interface SimCancelled {
  cancelled: string[];
  notices: SimNotice[];
}

/**
 * POST /v1/labels: the simulated carrier draws labels from what they say (the label views of
 * src/domain/documents/label.ts), as a label service does; it keeps no shipments to draw them from.
 */
export interface SimLabelsRequest {
  shipmentId: string | null;
  format: 'PDF' | 'PNG' | 'ZPL';
  pageSize: 'A6' | 'A4';
  labels: LabelView[];
}

/** POST /v1/customs: one PDF per customs document view (src/domain/documents/customs-forms.ts). */
export interface SimCustomsRequest {
  shipmentId: string | null;
  documents: CustomsDocumentView[];
}

/** 200 to POST /v1/labels (one file) and POST /v1/customs (one file per document, in order). */
export interface SimFiles {
  files: { contentType: string; content: string }[];
  notices: SimNotice[];
}

/** One booked shipment handed over on a manifest. */
export interface SimManifestShipment {
  /** Ours, the booking's own reference at the carrier. */
  customerReference: string | null;
  shipmentId: string | null;
  consignmentReference: string;
  leg: number;
  product: string;
  /** When the carrier collects it, as booked (ISO 8601 with offset). */
  collectionDate: string;
  /** The last moment it can still be handed over for that collection (ISO 8601 with offset). */
  cutOff: string;
  trackingNumbers: string[];
}

/** POST /v1/manifests: the shipments one site hands over for one collection day. */
export interface SimManifestRequest {
  site: string | null;
  /** yyyy-MM-dd */
  collectionDate: string;
  shipments: SimManifestShipment[];
}

/** 201 to POST /v1/manifests: every shipment is either accepted or rejected, by its consignment reference. */
export interface SimManifestCreated {
  /** Null when nothing was accepted. */
  manifestId: string | null;
  accepted: string[];
  rejected: { consignmentReference: string; code: string; text: string }[];
  notices: SimNotice[];
}

/** One parcel asked about on POST /v1/tracking. */
export interface SimTrackedParcel {
  trackingNumber: string;
  /** When it was (or will be) collected, as booked (ISO 8601 with offset). */
  collectionDate: string;
  /** The day it is delivered on (ISO 8601 with offset; its calendar day counts). */
  deliveryDate: string;
  /** Where it is collected from and delivered to (towns), and who signs for it. */
  from: string | null;
  to: string | null;
  recipient: string | null;
}

/** POST /v1/tracking: events of these parcels after `since` (all when null) up to `until`. */
export interface SimTrackingRequest {
  parcels: (SimTrackedParcel & { since: string | null })[];
  until: string;
}

export type SimParcelStatus = 'collected' | 'in_transit' | 'out_for_delivery' | 'delivered';

/** 200 to POST /v1/tracking. */
export interface SimTrackingEvents {
  events: { trackingNumber: string; status: SimParcelStatus | string; at: string; text: string; place: string | null; signedBy: string | null }[];
  notices: SimNotice[];
}
