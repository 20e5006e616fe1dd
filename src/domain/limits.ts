/**
 * Every bound Switchyard sets on what it accepts and keeps (docs/api.md, "Limits", lists them).
 * Sanity bounds are there because nothing real is heavier, longer or dearer, and beyond them
 * arithmetic loses meaning; the others keep one request's or one subscription's work bounded.
 */

// Measures and amounts (consignments, package sizes and allocation rules alike).
export const MAX_WEIGHT_KG = 1_000_000;
export const MAX_LENGTH_CM = 100_000;
export const MAX_AMOUNT = 1e12;

// Free text and tags.
/** Free-text fields (descriptions, address lines, notes). */
export const MAX_TEXT = 1000;
/** A consignment's tags, a service's tags, and the tags a rule names. */
export const MAX_TAGS = 100;
export const MAX_TAG_LENGTH = 100;
/** Names of subscriptions, rules, groups and shipping locations. */
export const MAX_NAME = 200;
/** References a subscription gives its own objects (locations, package sizes, rules, groups). */
export const MAX_NAMED_REFERENCE = 100;
/** Entries of one MetaData list (a consignment's, a package's or an item's); each key and value is free text. */
export const MAX_METADATA = 100;

// A consignment.
export const MAX_PACKAGES = 1000;
export const MAX_ITEMS_PER_PACKAGE = 1000;
/** One of each address type is all a consignment can use. */
export const MAX_ADDRESSES = 6;

// One request.
/** Consignment references in one allocation, deallocation, cancellation or other list request. */
export const MAX_REFERENCES = 10_000;
/** Consignments allocated by one "everything due by" request; the rest stay due for the next. */
export const MAX_DUE = 10_000;
/** Entries of one list a query filters by (a manifest-from-query's shipping locations, or its carriers). */
export const MAX_QUERY_FILTERS = 1000;
/** Create requests one POST /consignments/bulk may carry (consignments, when it is a CSV file). */
export const MAX_BULK_CREATE = 10_000;
/** Tracking events one POST /tracking/carrierevents may carry. */
export const MAX_TRACKING_EVENTS = 10_000;
/** Consignments whose labels one POST /labels/consignments joins into one PDF. */
export const MAX_LABEL_CONSIGNMENTS = 1000;
/** Labels (packages × legs, over every consignment) in that one PDF: about 12 KB and 5 ms of a render thread each. */
export const MAX_JOINED_LABELS = 5000;
/** Consignments on one page of a search. */
export const MAX_TAKE = 1000;
/** References one "references only" search answers. */
export const MAX_REFERENCES_RESULT = 10_000;
/** Characters of one search criterion's value. */
export const MAX_SEARCH_VALUE = 200;
export const MAX_SKIP = 1_000_000_000;

// One subscription's configuration (each allocation judges every rule, so they stay bounded).
export const MAX_RULES_PER_SUBSCRIPTION = 1_000;
export const MAX_GROUPS_PER_SUBSCRIPTION = 1_000;
/** Services one rule or group names. */
export const MAX_SERVICES = 1_000;
export const MAX_RULE_COUNTRIES = 300;
export const MAX_RULE_POSTCODES = 5_000;
