/**
 * Reads the query string of the consignment searches (endpoints.md P1-32) into typed criteria,
 * once, at the edge. Keys match case-insensitively, so the Docs', the SDK's and the PHP client's
 * spellings (postCode/postcode, creference/cReference, State) are all one key; unknown keys are
 * ignored (as the vendor's .NET service ignores them) and an empty value means "not given". Every
 * bad value is one Details entry of a 400.
 */
import { DateTime } from 'luxon';
import { NEWEST_FIRST, ORDER_KEYS, postcodeKey, searchKey, type ConsignmentSearch, type SearchCriterion, type SearchOrder } from '../domain/consignment-search.js';
import { isCountryCode } from '../domain/countries.js';
import { utcTimestamp } from '../domain/dates.js';
import { canonicalReference } from '../domain/references.js';
import { STATE_SETS, stateNamed, type ConsignmentState, type StateSetName } from '../domain/states.js';
import { validationFailed, type ErrorDetail } from '../use-cases/errors.js';
import type { QueryDoc } from './route-docs.js';
import { MAX_REFERENCES_RESULT, MAX_SEARCH_VALUE, MAX_SKIP, MAX_TAKE } from '../domain/limits.js';

/** Free-text values longer than this cannot match anything stored and are refused. */
/** Skips beyond this are refused rather than handed to the database. */

type Parse = (value: string, key: string, problems: Problems) => SearchCriterion | null;

class Problems {
  readonly list: ErrorDetail[] = [];
  add(key: string, message: string): void {
    if (this.list.length < 50) this.list.push({ Code: 'Invalid', Target: key, Message: `${key} ${message}` });
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A date (yyyy-MM-dd, the SDK's format) or an ISO 8601 date-time; without an offset, UTC. */
function parseDate(value: string, key: string, problems: Problems): DateTime | null {
  const parsed = DateTime.fromISO(value, { zone: 'utc', setZone: true });
  if (!parsed.isValid) {
    problems.add(key, 'must be a date (yyyy-MM-dd) or an ISO 8601 date-time');
    return null;
  }
  return parsed;
}

/** Creation time bound: a date-only lower bound starts its (UTC) day, a date-only upper bound ends it. */
/** An instant's bound (a date alone is the whole day, from its start or to its end), on when it was created or dispatched. */
function instantBound(kind: 'created' | 'shipped', side: 'from' | 'to'): Parse {
  return (value, key, problems) => {
    const parsed = parseDate(value, key, problems);
    if (!parsed) return null;
    const instant = DATE_ONLY.test(value) ? (side === 'from' ? parsed.startOf('day') : parsed.endOf('day')) : parsed;
    return { kind, range: { [side]: utcTimestamp(instant) } };
  };
}

/** Calendar-day bound: the day as written (a date-time's own date), compared with the consignment's own day. */
function dayBound(field: 'shipping' | 'requestedDelivery' | 'scheduledDelivery' | 'collection', side: 'from' | 'to'): Parse {
  return (value, key, problems) => {
    const parsed = parseDate(value, key, problems);
    if (!parsed) return null;
    const range = { [side]: parsed.toISODate()! };
    if (field === 'scheduledDelivery') return { kind: 'scheduledDeliveryDay', range };
    if (field === 'collection') return { kind: 'collectionDay', range };
    return { kind: 'day', field, range };
  };
}

function numberBound(kind: 'weightGrams' | 'value', side: 'from' | 'to'): Parse {
  return (value, key, problems) => {
    const n = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(n)) {
      problems.add(key, 'must be a number, 0 or more');
      return null;
    }
    return { kind, range: { [side]: n } };
  };
}

function key(kind: 'customerReference' | 'carrierService' | 'originLocation' | 'destinationRegion'): Parse {
  return (value) => ({ kind, value: searchKey(value) });
}

function readStates(value: string, key: string, problems: Problems): ConsignmentState[] {
  const states: ConsignmentState[] = [];
  for (const name of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const state = stateNamed(name);
    if (state) states.push(state);
    else problems.add(key, `names no consignment state: ${name.slice(0, 50)}`);
  }
  return states;
}

const STATE_SET_NAMES = Object.keys(STATE_SETS) as StateSetName[];

function oneOf<T extends string>(kind: 'source' | 'direction', allowed: readonly T[]): Parse {
  return (value, key, problems) => {
    const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (!match) {
      problems.add(key, `must be one of ${allowed.join(', ')}`);
      return null;
    }
    return { kind, value: match } as SearchCriterion;
  };
}

const CRITERIA: Record<string, Parse> = {
  startfrom: instantBound('created', 'from'),
  createddatefrom: instantBound('created', 'from'),
  endat: instantBound('created', 'to'),
  createddateto: instantBound('created', 'to'),
  shippingdatefrom: dayBound('shipping', 'from'),
  shippingdateto: dayBound('shipping', 'to'),
  requesteddeliverydatefrom: dayBound('requestedDelivery', 'from'),
  requesteddeliverydateto: dayBound('requestedDelivery', 'to'),
  scheduleddeliverydatefrom: dayBound('scheduledDelivery', 'from'),
  scheduleddeliverydateto: dayBound('scheduledDelivery', 'to'),
  collectiondatefrom: dayBound('collection', 'from'),
  collectiondateto: dayBound('collection', 'to'),
  shippeddatefrom: instantBound('shipped', 'from'),
  shippeddateto: instantBound('shipped', 'to'),
  reference: (v) => ({ kind: 'reference', value: canonicalReference(v) }),
  consignmentnumber: (v) => ({ kind: 'reference', value: canonicalReference(v) }),
  creference: (v) => ({ kind: 'reference', value: canonicalReference(v) }),
  packagenumber: (v) => ({ kind: 'packageReference', value: canonicalReference(v) }),
  preference: (v) => ({ kind: 'packageReference', value: canonicalReference(v) }),
  referenceprovidedbycustomer: key('customerReference'),
  trackingreference: (v) => ({ kind: 'trackingReference', value: v.trim().toUpperCase() }),
  state: (v, k, p) => {
    const states = readStates(v, k, p);
    return states.length ? { kind: 'states', states } : null;
  },
  stateattribute: (v, k, p) => {
    const name = STATE_SET_NAMES.find((s) => s.toLowerCase() === v.trim().toLowerCase());
    if (!name) {
      p.add(k, `must be one of ${STATE_SET_NAMES.join(', ')}`);
      return null;
    }
    return { kind: 'states', states: [...STATE_SETS[name]] };
  },
  weightingramsfrom: numberBound('weightGrams', 'from'),
  weightingramsto: numberBound('weightGrams', 'to'),
  valuefrom: numberBound('value', 'from'),
  valueto: numberBound('value', 'to'),
  carrierservice: key('carrierService'),
  source: oneOf('source', ['Api', 'Web']),
  direction: oneOf('direction', ['Outbound', 'Inbound']),
  postcode: (v) => ({ kind: 'postcodePrefix', value: postcodeKey(v) }),
  shippinglocationreference: key('originLocation'),
  destinationregion: key('destinationRegion'),
  destinationcountrycode: (v, k, p) => {
    const code = v.trim().toUpperCase();
    if (!isCountryCode(code)) {
      p.add(k, `must be an ISO 3166 two-letter country code (got ${v.slice(0, 20)})`);
      return null;
    }
    return { kind: 'destinationCountry', value: code };
  },
  searchterm: (v) => ({ kind: 'text', value: v.trim().toLowerCase() }),
  labelsprinted: (v, k, p) => {
    const b = v.trim().toLowerCase();
    if (b !== 'true' && b !== 'false') {
      p.add(k, 'must be true or false');
      return null;
    }
    return { kind: 'labelsPrinted', value: b === 'true' };
  },
};

const CREATED = 'a date (yyyy-MM-dd: the whole UTC day) or an ISO 8601 date-time';
const SAME_AS = (name: string): QueryDoc => ({ description: `The same as ${name}` });

/**
 * The criteria as /openapi.json shows them, under the names the SDK, the PHP client and the Docs
 * write (CRITERIA holds each lower-cased; a check when this module loads keeps the two lists the same).
 */
export const SEARCH_CRITERIA_DOCS: Record<string, QueryDoc> = {
  startFrom: { description: `Created at or after: ${CREATED}` },
  createdDateFrom: SAME_AS('startFrom'),
  endAt: { description: `Created at or before: ${CREATED}` },
  createdDateTo: SAME_AS('endAt'),
  shippingDateFrom: { description: 'Shipping date on or after this day (the consignment’s own day)', type: 'date' },
  shippingDateTo: { description: 'Shipping date on or before this day', type: 'date' },
  requestedDeliveryDateFrom: { description: 'Requested delivery date on or after this day', type: 'date' },
  requestedDeliveryDateTo: { description: 'Requested delivery date on or before this day', type: 'date' },
  scheduledDeliveryDateFrom: { description: 'The allocation’s earliest delivery on or after this day', type: 'date' },
  scheduledDeliveryDateTo: { description: 'The allocation’s earliest delivery on or before this day', type: 'date' },
  shippedDateFrom: { description: `Dispatched at or after: ${CREATED}` },
  shippedDateTo: { description: `Dispatched at or before: ${CREATED}` },
  reference: { description: 'The consignment reference (EC-…), any case' },
  consignmentNumber: SAME_AS('reference'),
  cReference: SAME_AS('reference'),
  packageNumber: { description: 'A package reference (EP-…) of the consignment, any case' },
  pReference: SAME_AS('packageNumber'),
  referenceProvidedByCustomer: { description: 'ConsignmentReferenceProvidedByCustomer, any case' },
  trackingReference: { description: 'A tracking reference of any leg' },
  state: { description: 'One or more states, comma-separated or the parameter repeated: any of them' },
  stateAttribute: { description: 'A set of states', enum: STATE_SET_NAMES },
  weightInGramsFrom: { description: 'Total weight at least this many grams', type: 'number' },
  weightInGramsTo: { description: 'Total weight at most this many grams', type: 'number' },
  valueFrom: { description: 'Total value at least this', type: 'number' },
  valueTo: { description: 'Total value at most this', type: 'number' },
  carrierService: { description: 'The allocated carrier service’s reference, any case' },
  source: { description: 'Where it was created', enum: ['Api', 'Web'] },
  direction: { description: 'Outbound or Inbound', enum: ['Outbound', 'Inbound'] },
  postcode: { description: 'The destination postcode starts with this (any case, spaces ignored)' },
  shippingLocationReference: { description: 'The origin’s shipping location reference, any case' },
  destinationRegion: { description: 'The destination’s region, any case' },
  destinationCountryCode: { description: 'The destination country (ISO 3166 two-letter code)' },
  searchTerm: { description: 'Contained (any case) in the reference, the customer’s reference, or the destination’s name, company, town or postcode' },
  labelsPrinted: { description: 'Whether the labels have been fetched', type: 'boolean' },
  collectionDateFrom: { description: 'The allocation’s collection on or after this day (its own day) (Switchyard)', type: 'date' },
  collectionDateTo: { description: 'The allocation’s collection on or before this day (Switchyard)', type: 'date' },
};

/** The searches' order (Switchyard), beside the criteria. */
export const ORDER_BY_DOCS: Record<string, QueryDoc> = {
  orderBy: {
    description: 'The order (Switchyard): a key, - before it for descending (ties by reference, the same way; consignments without the key last); newest first when absent',
    enum: ORDER_KEYS.flatMap((k) => [k, `-${k}`]),
  },
};

// Every criterion read is documented, under one name, and every name documented is read.
{
  const documented = Object.keys(SEARCH_CRITERIA_DOCS).map((name) => name.toLowerCase());
  const read = Object.keys(CRITERIA);
  if (documented.length !== read.length || read.some((key) => !documented.includes(key))) {
    throw new Error(`SEARCH_CRITERIA_DOCS must name exactly the criteria CRITERIA reads: ${read.filter((k) => !documented.includes(k)).join(', ') || documented.filter((k) => !read.includes(k)).join(', ')}`);
  }
}

/** GET /consignments/getConsignmentReferences's paging, beside the criteria. */
export const REFERENCES_PAGING_DOCS: Record<string, QueryDoc> = {
  pageSize: { description: `References per page (at most ${MAX_REFERENCES_RESULT.toLocaleString('en-GB')}, the default)`, type: 'integer' },
  startPage: { description: 'The page, from 0', type: 'integer' },
};

/** The values of a parsed query string, by lower-cased key, empty ones dropped. */
function queryValues(query: unknown): [key: string, original: string, value: string][] {
  const out: [string, string, string][] = [];
  for (const [key, raw] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (typeof value === 'string' && value.trim() !== '') out.push([key.toLowerCase(), key, value.trim()]);
    }
  }
  return out;
}

function readCriteria(query: unknown, problems: Problems): ConsignmentSearch {
  const criteria: SearchCriterion[] = [];
  const states: ConsignmentState[] = [];
  for (const [key, original, value] of queryValues(query)) {
    const parse = CRITERIA[key];
    if (!parse) continue;
    // PostgreSQL refuses a NUL in text, and no stored value holds one or is this long.
    if (value.includes('\u0000') || value.length > MAX_SEARCH_VALUE) {
      problems.add(original, `must be at most ${MAX_SEARCH_VALUE} characters, without NUL`);
      continue;
    }
    const criterion = parse(value, original, problems);
    // Several `state` values (repeated, or comma-separated) mean any of them.
    if (criterion?.kind === 'states' && key === 'state') states.push(...criterion.states);
    else if (criterion) criteria.push(criterion);
  }
  if (states.length) criteria.push({ kind: 'states', states: [...new Set(states)] });
  return { criteria };
}

function readCount(value: string | undefined, key: string, max: number, problems: Problems): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value) || Number(value) > max) {
    problems.add(key, `must be a whole number from 0 to ${max.toLocaleString('en-GB')}`);
    return 0;
  }
  return Number(value);
}

/**
 * `orderBy` (Switchyard): one of ORDER_KEYS in any case, `-` before it for descending; absent or
 * empty, newest first.
 */
function readOrder(query: unknown, problems: Problems): SearchOrder {
  const given = queryValues(query).filter(([key]) => key === 'orderby');
  if (given.length === 0) return NEWEST_FIRST;
  const [, original, value] = given[0];
  if (given.length > 1) {
    problems.add(original, 'must be given once');
    return NEWEST_FIRST;
  }
  const descending = value.startsWith('-');
  const name = (descending ? value.slice(1) : value).trim().toLowerCase();
  const key = ORDER_KEYS.find((k) => k.toLowerCase() === name);
  if (!key) {
    problems.add(original, `must be one of ${ORDER_KEYS.join(', ')}, each optionally prefixed with - for descending (got ${value.slice(0, 50)})`);
    return NEWEST_FIRST;
  }
  return { key, descending };
}

export interface SearchRequest {
  search: ConsignmentSearch;
  order: SearchOrder;
  take: number;
  skip: number;
}

/** GET /consignments/{take}/{skip}?{criteria}. */
export function readSearchRequest(take: string, skip: string, query: unknown): SearchRequest {
  const problems = new Problems();
  const paging = { take: readCount(take.trim(), 'take', MAX_TAKE, problems), skip: readCount(skip.trim(), 'skip', MAX_SKIP, problems) };
  const search = readCriteria(query, problems);
  const order = readOrder(query, problems);
  if (problems.list.length) throw validationFailed(problems.list);
  return { search, order, ...paging };
}

/**
 * GET /consignments/getConsignmentReferences?{criteria}: at most MAX_REFERENCES_RESULT references,
 * paged by the SDK's pageSize and startPage when given.
 */
export function readReferencesRequest(query: unknown): SearchRequest {
  const problems = new Problems();
  const values = new Map(queryValues(query).map(([key, , value]) => [key, value]));
  const pageSize = values.has('pagesize') ? readCount(values.get('pagesize'), 'pageSize', MAX_REFERENCES_RESULT, problems) : MAX_REFERENCES_RESULT;
  const startPage = readCount(values.get('startpage'), 'startPage', MAX_SKIP, problems);
  const search = readCriteria(query, problems);
  const order = readOrder(query, problems);
  if (problems.list.length) throw validationFailed(problems.list);
  return { search, order, take: pageSize, skip: Math.min(pageSize * startPage, MAX_SKIP) };
}

/** Any other search (count, summary): criteria only. */
export function readSearchCriteria(query: unknown): ConsignmentSearch {
  const problems = new Problems();
  const search = readCriteria(query, problems);
  if (problems.list.length) throw validationFailed(problems.list);
  return search;
}

/** The created-date bounds a search was given (for the state summary's StartFrom and EndAt), or null. */
export function createdBounds(search: ConsignmentSearch): { from: string | null; to: string | null } {
  let from: string | null = null;
  let to: string | null = null;
  for (const c of search.criteria) {
    if (c.kind !== 'created') continue;
    if (c.range.from !== undefined && (from === null || c.range.from > from)) from = c.range.from;
    if (c.range.to !== undefined && (to === null || c.range.to < to)) to = c.range.to;
  }
  return { from, to };
}
