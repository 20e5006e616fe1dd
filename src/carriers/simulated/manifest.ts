/** Manifesting with the simulated carrier: our manifest to its POST /v1/manifests, and its answer back to ours. */
import { CarrierUnreachable, type ManifestRequest, type ManifestResult } from '../connector.js';
import type { CarrierHttpRequest, CarrierHttpResponse } from '../transport.js';
import type { SimManifestCreated, SimManifestRequest } from './api.js';
import { isObject, messagesOf, refusalOf, unexpected } from './answers.js';

export function manifestRequest(request: ManifestRequest): CarrierHttpRequest {
  const body: SimManifestRequest = {
    site: request.shippingLocationReference,
    collectionDate: request.collectionDay,
    shipments: request.shipments.map((s) => ({
      customerReference: s.bookingReference,
      shipmentId: s.carrierBookingReference,
      consignmentReference: s.consignmentReference,
      leg: s.legNumber,
      product: s.carrierServiceReference,
      collectionDate: s.collectionDate,
      cutOff: s.cutOff,
      trackingNumbers: [...s.trackingReferences],
    })),
  };
  return { method: 'POST', path: '/v1/manifests', body };
}

/**
 * 201: the shipments it rejected are refused, each with the carrier's words, the others are
 * manifested, and an answer that does not account for every shipment is not an answer; 422: the
 * whole manifest refused; anything else: not an answer.
 */
export function manifestResult(response: CarrierHttpResponse, request: ManifestRequest): ManifestResult {
  const ours = new Set(request.shipments.map((s) => s.consignmentReference));
  if (response.status === 422) {
    const refusal = refusalOf(response.body);
    return { carrierManifestReference: null, refused: [...ours].map((consignmentReference) => ({ consignmentReference, refusal })), documents: [], messages: [] };
  }
  if (response.status !== 201) throw unexpected(request.carrier.reference, response, 'a manifest');
  const body = response.body as Partial<SimManifestCreated>;
  const nonsense = () => new CarrierUnreachable(request.carrier.reference, `carrier ${request.carrier.reference} answered a manifest without saying what became of every shipment`);
  if (!isObject(body) || !Array.isArray(body.accepted) || !Array.isArray(body.rejected)) throw nonsense();
  const accepted = new Set(body.accepted.filter((r): r is string => typeof r === 'string'));
  const rejected = body.rejected.filter(isObject).filter((r) => typeof r.consignmentReference === 'string' && ours.has(r.consignmentReference));
  const decided = new Set([...accepted, ...rejected.map((r) => r.consignmentReference)]);
  if ([...ours].some((r) => !decided.has(r))) throw nonsense();
  const manifestId = typeof body.manifestId === 'string' && body.manifestId ? body.manifestId : null;
  return {
    carrierManifestReference: manifestId,
    refused: rejected.map((r) => ({
      consignmentReference: r.consignmentReference,
      refusal: { code: 'CarrierRefused', message: `${String(r.text ?? 'refused without saying why')}${r.code ? ` (${String(r.code)})` : ''}` },
    })),
    documents: [],
    messages: messagesOf(body.notices),
  };
}
