/**
 * The search columns of a consignment, derived from its document (the `consignment_search` row)
 * and its allocation (columns of the `consignments` row). Searches are SQL over these columns (and
 * the package-reference table), never a scan of JSON documents, so they must always agree with
 * the document: every path that writes a document takes its columns from `documentColumns`, and
 * every transition that sets an allocation from `allocationColumns`.
 */
import { destinationAddress, originAddress, totalValue, totalWeightKg, type AllocationRecord, type ConsignmentData } from '../domain/consignment.js';
import { postcodeKey, searchable, searchKey } from '../domain/consignment-search.js';
import { DateTime } from 'luxon';
import { requestedDay, utcTimestamp } from '../domain/dates.js';
import type { ConsignmentSearchTable } from './database.js';

/** Separates the fields of `search_text`, so that a search term never matches across two fields. */
const FIELD_SEPARATOR = '\u001f';

/** The `consignment_search` row of a document, less the keys it is stored under. */
export type DocumentColumns = Omit<ConsignmentSearchTable, 'consignment_id' | 'subscription_id'>;

export interface AllocationColumns {
  service_key: string | null;
  /** Every tracking reference of every leg, each with a space either side, so that one is found with LIKE '% REF %'. */
  tracking_references: string | null;
  delivery_day: string | null;
  /** The day it is collected (yyyy-MM-dd, in the collection's own offset, as `delivery_day`): the dashboard's collections per carrier. */
  collection_day: string | null;
}

/** The calendar day an ISO date-time names in its own offset ("2026-11-20T00:30:00+01:00" is the 20th). */
function dayOf(iso: string | null | undefined): string | null {
  return iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : null;
}

function utcOf(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const millis = Date.parse(iso);
  return Number.isNaN(millis) ? null : utcTimestamp(DateTime.fromMillis(millis));
}

export function documentColumns(reference: string, data: ConsignmentData): DocumentColumns {
  const destination = destinationAddress(data);
  const origin = originAddress(data);
  const contact = destination?.contact;
  const name = [contact?.firstName, contact?.lastName].filter(Boolean).join(' ');
  const postcode = destination?.postcode ?? '';
  const text = [reference, data.consignmentReferenceProvidedByCustomer, name, destination?.companyName, destination?.customerName, destination?.town, postcode, postcodeKey(postcode)];
  return {
    customer_reference_key: searchKey(data.consignmentReferenceProvidedByCustomer),
    search_text: searchable(text.filter((t) => t).join(FIELD_SEPARATOR).toLowerCase()),
    source: data.source,
    direction: data.direction,
    shipping_day: dayOf(data.shippingDate),
    shipping_at: utcOf(data.shippingDate),
    requested_delivery_day: data.requestedDeliveryDate ? requestedDay(data.requestedDeliveryDate) : null,
    weight_grams: Math.round(totalWeightKg(data) * 1e6) / 1e3,
    value_amount: totalValue(data)?.amount ?? null,
    origin_location_key: origin?.shippingLocationReference ? searchKey(origin.shippingLocationReference) : null,
    destination_country: destination?.countryCode || null,
    destination_postcode_key: postcode ? postcodeKey(postcode) : null,
    destination_region_key: destination?.region ? searchKey(destination.region) : null,
  };
}

/** Cheap on purpose: it runs in the allocation hot path. */
export function allocationColumns(allocation: AllocationRecord | null): AllocationColumns {
  if (!allocation) return { service_key: null, tracking_references: null, delivery_day: null, collection_day: null };
  let tracking = ' ';
  for (const leg of allocation.legs) for (const t of leg.trackingReferences) tracking += `${t.toUpperCase()} `;
  return {
    service_key: allocation.mpdCarrierServiceReference.toLowerCase(),
    tracking_references: tracking,
    delivery_day: dayOf(allocation.earliestDeliveryDate),
    collection_day: dayOf(allocation.collectionDate),
  };
}

/** The rows of the package-reference table for a consignment's document. */
export function packageRows(consignmentId: number, data: ConsignmentData): { consignment_id: number; package_reference: string }[] {
  return [...new Set(data.packages.map((p) => p.reference))].map((reference) => ({ consignment_id: consignmentId, package_reference: reference }));
}
