/**
 * What a consignment search asks for (endpoints.md P1-32), as typed values: every criterion must
 * hold (AND). The HTTP layer reads query strings into this; the store turns it into SQL over the
 * consignments' search columns.
 */
import type { ConsignmentState } from './states.js';

/** Bounds of a range, both inclusive; a missing one is open. */
export interface Range<T> {
  from?: T;
  to?: T;
}

export type SearchCriterion =
  /** Creation time, as UTC timestamps (the format every stored timestamp has). */
  | { kind: 'created'; range: Range<string> }
  /** Calendar days (yyyy-MM-dd) as the consignment states them, in its own time zone. */
  | { kind: 'day'; field: 'shipping' | 'requestedDelivery'; range: Range<string> }
  /** The allocation's earliest delivery day (yyyy-MM-dd, in the delivery's own offset). */
  | { kind: 'scheduledDeliveryDay'; range: Range<string> }
  /** The allocation's collection day (yyyy-MM-dd, in the collection's own offset). */
  | { kind: 'collectionDay'; range: Range<string> }
  /** When it was dispatched (ShippedDate), as UTC timestamps like `created`. */
  | { kind: 'shipped'; range: Range<string> }
  /** Whether the labels of its allocation have been fetched. */
  | { kind: 'labelsPrinted'; value: boolean }
  /** Canonical (upper-case) consignment reference. */
  | { kind: 'reference'; value: string }
  /** Canonical (upper-case) package reference. */
  | { kind: 'packageReference'; value: string }
  | { kind: 'customerReference'; value: string }
  /** One tracking reference of any leg of the allocation. */
  | { kind: 'trackingReference'; value: string }
  /** Any of these states. */
  | { kind: 'states'; states: ConsignmentState[] }
  | { kind: 'weightGrams'; range: Range<number> }
  | { kind: 'value'; range: Range<number> }
  /** The allocated MPD carrier service. */
  | { kind: 'carrierService'; value: string }
  | { kind: 'source'; value: 'Api' | 'Web' }
  | { kind: 'direction'; value: 'Outbound' | 'Inbound' }
  /** The destination postcode starts with this (upper case, no spaces). */
  | { kind: 'postcodePrefix'; value: string }
  /** The origin's shipping location reference. */
  | { kind: 'originLocation'; value: string }
  | { kind: 'destinationCountry'; value: string }
  | { kind: 'destinationRegion'; value: string }
  /** Contained (any case) in the reference, the customer's reference or the destination's name, town or postcode. */
  | { kind: 'text'; value: string };

export interface ConsignmentSearch {
  criteria: SearchCriterion[];
}

/**
 * What a page of matches can be ordered by (Switchyard's `orderBy`): when it was created, its
 * ShippingDate (the instant), its reference, the customer's reference (any case), its state (in
 * the SDK's order of states, as the state summary lists them), its destination country then
 * postcode, and its allocated service (the MPD service reference, any case).
 */
export const ORDER_KEYS = ['created', 'shippingDate', 'reference', 'customerReference', 'state', 'destinationCountry', 'service'] as const;
export type OrderKey = (typeof ORDER_KEYS)[number];

/**
 * An order of matches: by the key, then by reference in the same direction, so that every
 * consignment has one place and pages never overlap or skip. Consignments without the key (no
 * ShippingDate, no customer reference, no destination country or postcode, no service) come last
 * whichever the direction.
 */
export interface SearchOrder {
  key: OrderKey;
  descending: boolean;
}

/** The order of every search that names none: newest first (then by reference, descending). */
export const NEWEST_FIRST: SearchOrder = { key: 'created', descending: true };

/** How many summaries one search page may hold, and how many references one references search returns. */

/** Keys are compared on at most this many characters: it keeps index entries small (PostgreSQL refuses entries over 2.7 kB). */
export const KEY_LENGTH = 200;

/**
 * Text as a search column holds it: without NUL characters, which free text may contain (it is
 * stored escaped in the JSON document) but PostgreSQL refuses in a text column. Criteria never
 * contain one (the query reader refuses it).
 */
export function searchable(value: string): string {
  return value.replace(/\u0000/g, '');
}

/** A value as a case-insensitive criterion compares it (and as its search column holds it). */
export function searchKey(value: string): string {
  return searchable(value).trim().toLowerCase().slice(0, KEY_LENGTH).trimEnd();
}

/** A postcode as the postcode criterion compares it: upper case, without spaces. */
export function postcodeKey(value: string): string {
  return searchable(value).replace(/\s+/g, '').toUpperCase().slice(0, KEY_LENGTH);
}
