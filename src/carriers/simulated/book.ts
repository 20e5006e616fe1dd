/** Booking one leg with the simulated carrier: our request to its POST /v1/shipments, and its answer back to ours. */
import type { AddressData } from '../../domain/consignment.js';
import { CarrierUnreachable, type BookingOutcome, type BookingRequest } from '../connector.js';
import type { CarrierHttpRequest, CarrierHttpResponse } from '../transport.js';
import type { SimAddress, SimShipmentCreated, SimShipmentRequest } from './api.js';
import { isObject, messagesOf, refusalOf, unexpected } from './answers.js';

function address(a: AddressData): SimAddress {
  const person = [a.contact?.firstName, a.contact?.lastName].filter(Boolean).join(' ');
  return {
    name: a.companyName || person || a.customerName || null,
    lines: [a.addressLine1, a.addressLine2, a.addressLine3].filter((l): l is string => !!l),
    town: a.town,
    postcode: a.postcode,
    country: a.countryCode,
  };
}

export function bookingRequest({ leg, legNumber, bookingReference, shipment }: BookingRequest): CarrierHttpRequest {
  const body: SimShipmentRequest = {
    customerReference: bookingReference,
    consignmentReference: shipment.consignmentReference,
    leg: legNumber,
    product: leg.carrierServiceReference,
    collectionDate: shipment.collectionDate,
    sender: address(shipment.origin),
    recipient: address(shipment.destination),
    parcels: shipment.packages.map((p) => ({
      reference: p.reference,
      weightGrams: Math.round(p.weightKg * 1000),
      lengthMm: Math.round(p.dimensions.lengthCm * 10),
      widthMm: Math.round(p.dimensions.widthCm * 10),
      heightMm: Math.round(p.dimensions.heightCm * 10),
    })),
  };
  return { method: 'POST', path: '/v1/shipments', body };
}

/** 201: booked, one tracking number per parcel in our package order; 422: refused; anything else: not an answer. */
export function bookingOutcome(response: CarrierHttpResponse, { carrier, shipment }: BookingRequest): BookingOutcome {
  if (response.status === 422) return { kind: 'refused', refusal: refusalOf(response.body), messages: [] };
  if (response.status !== 201) throw unexpected(carrier.reference, response, 'a booking');
  const body = response.body as Partial<SimShipmentCreated>;
  const parcels = isObject(body) && Array.isArray(body.parcels) ? body.parcels : [];
  const byParcel = new Map(parcels.filter(isObject).map((p) => [String(p.reference), p.trackingNumber]));
  const trackingReferences = shipment.packages.map((p) => byParcel.get(p.reference));
  if (trackingReferences.some((t) => typeof t !== 'string' || t === '')) {
    throw new CarrierUnreachable(carrier.reference, `carrier ${carrier.reference} answered a booking without a tracking number for every parcel`);
  }
  const shipmentId = typeof body.shipmentId === 'string' && body.shipmentId ? body.shipmentId : null;
  return { kind: 'booked', carrierBookingReference: shipmentId, trackingReferences: trackingReferences as string[], documents: [], messages: messagesOf(body.notices) };
}
