/** Cancelling one leg's booking with the simulated carrier: our request to its POST /v1/shipments/cancel, and its answer back. */
import type { CancelOutcome, CancelRequest } from '../connector.js';
import type { CarrierHttpRequest, CarrierHttpResponse } from '../transport.js';
import type { SimCancelRequest, SimCancelled } from './api.js';
import { messagesOf, refusalOf, unexpected } from './answers.js';

export function cancelRequest(request: CancelRequest): CarrierHttpRequest {
  const body: SimCancelRequest = {
    // Bookings recorded before there were booking references were made under the consignment's.
    customerReference: request.bookingReference ?? request.consignmentReference,
    shipmentId: request.carrierBookingReference,
    trackingNumbers: [...request.trackingReferences],
  };
  return { method: 'POST', path: '/v1/shipments/cancel', body };
}

/** 200: cancelled (also when there was nothing left to cancel); 422: refused; anything else: not an answer. */
export function cancelOutcome(response: CarrierHttpResponse, request: CancelRequest): CancelOutcome {
  if (response.status === 422) return { kind: 'refused', refusal: refusalOf(response.body), messages: [] };
  if (response.status !== 200) throw unexpected(request.carrier.reference, response, 'a cancellation');
  return { kind: 'cancelled', messages: messagesOf((response.body as Partial<SimCancelled> | null)?.notices) };
}
