/**
 * Tracking with the simulated carrier: our question (booked legs, each with the moment after
 * which events are wanted) to its POST /v1/tracking, and its events back in the published
 * vocabulary (decisions.md §12) through its status map.
 */
import { DateTime } from 'luxon';
import type { AddressData } from '../../domain/consignment.js';
import { CarrierUnreachable, type CarrierTrackingEvent, type TrackRequest, type TrackResult } from '../connector.js';
import type { CarrierHttpRequest, CarrierHttpResponse } from '../transport.js';
import type { SimParcelStatus, SimTrackingEvents, SimTrackingRequest } from './api.js';
import { isObject, messagesOf, unexpected } from './answers.js';

/** The simulated carrier's parcel statuses, in the published vocabulary. */
export const STATUS_CODES: Record<SimParcelStatus, string> = {
  collected: 'COLLECTED',
  in_transit: 'IN_TRANSIT',
  out_for_delivery: 'OUT_FOR_DELIVERY',
  delivered: 'DELIVERED',
};

function recipientOf(a: AddressData): string | null {
  const person = [a.contact?.firstName, a.contact?.lastName].filter(Boolean).join(' ');
  return person || a.customerName || a.companyName || null;
}

export function trackRequest(request: TrackRequest): CarrierHttpRequest {
  const body: SimTrackingRequest = {
    until: request.now,
    parcels: request.shipments.flatMap((s) =>
      s.trackingReferences.map((trackingNumber) => ({
        trackingNumber,
        collectionDate: s.collectionDate,
        deliveryDate: s.latestDeliveryDate,
        from: s.origin.town,
        to: s.destination.town,
        recipient: recipientOf(s.destination),
        since: s.since,
      })),
    ),
  };
  return { method: 'POST', path: '/v1/tracking', body };
}

/**
 * 200: the events, each of a parcel asked about, at a valid moment; a status outside the map is
 * reported as INFO (it tells something, but no state). Anything else is not an answer.
 */
export function trackResult(response: CarrierHttpResponse, request: TrackRequest): TrackResult {
  const ref = request.carrier.reference;
  if (response.status !== 200) throw unexpected(ref, response, 'a tracking request');
  const body = response.body as Partial<SimTrackingEvents>;
  if (!isObject(body) || !Array.isArray(body.events)) throw new CarrierUnreachable(ref, `carrier ${ref} answered a tracking request without events`);
  const asked = new Set(request.shipments.flatMap((s) => s.trackingReferences));
  const events: CarrierTrackingEvent[] = [];
  for (const e of body.events) {
    if (!isObject(e) || typeof e.trackingNumber !== 'string' || !asked.has(e.trackingNumber)) continue;
    const at = typeof e.at === 'string' ? DateTime.fromISO(e.at, { setZone: true }) : null;
    if (!at?.isValid) continue;
    events.push({
      trackingReference: e.trackingNumber,
      code: STATUS_CODES[e.status as SimParcelStatus] ?? 'INFO',
      timeStamp: e.at as string,
      description: typeof e.text === 'string' ? e.text : '',
      location: typeof e.place === 'string' ? e.place : null,
      signedBy: typeof e.signedBy === 'string' ? e.signedBy : null,
    });
  }
  return { events, messages: messagesOf(body.notices) };
}
