/**
 * Reading a manifest-from-query body (decisions.md §11) into its criteria, every problem listed.
 * It also runs as the body's rules beside its schema (so one 400 lists every problem), so it reads
 * a value of the wrong type as absent: the schema reports that one.
 */
import { DateTime } from 'luxon';
import type { ManifestFromQueryRequest } from '../../contract/manifests.js';
import { stateNamed, type ConsignmentState } from '../../domain/states.js';
import { MAX_NAMED_REFERENCE, MAX_QUERY_FILTERS } from '../../domain/limits.js';
import { Problems } from './problems.js';

export interface ManifestQueryInput {
  /** Origin shipping location references; null: any. */
  locations: string[] | null;
  states: ConsignmentState[];
  /** Carrier references; null: any. */
  carriers: string[] | null;
  labelsPrinted: boolean | null;
  /** yyyy-MM-dd: consignments collected that day; null: any day. */
  collectionDay: string | null;
}

/** States manifested from a query when the body names none. */
export const DEFAULT_QUERY_STATES: readonly ConsignmentState[] = ['Allocated', 'ReadyToShip'];

/** The references of a list, once each (any case), at most MAX_QUERY_FILTERS; null when there is no list. */
function references(list: unknown, target: string, p: Problems): string[] | null {
  if (!Array.isArray(list)) return null;
  const seen = new Map<string, string>();
  list.forEach((value, i) => {
    if (typeof value !== 'string') return;
    const v = value.trim();
    if (!v || v.length > MAX_NAMED_REFERENCE) p.add(`${target}[${i}]`, `must be a reference of 1 to ${MAX_NAMED_REFERENCE} characters`);
    else if (!seen.has(v.toLowerCase())) seen.set(v.toLowerCase(), v);
  });
  if (seen.size > MAX_QUERY_FILTERS) p.add(target, `names ${seen.size} different references; at most ${MAX_QUERY_FILTERS}`);
  return [...seen.values()];
}

export function readManifestQuery(body: ManifestFromQueryRequest, p: Problems): ManifestQueryInput {
  const plural = references(body.ShippingLocationReferences, 'ShippingLocationReferences', p);
  const one = typeof body.ShippingLocationReference === 'string' ? body.ShippingLocationReference.trim() : '';
  const singular = one ? [one] : null;
  const locations = plural || singular ? [...(plural ?? []), ...(singular ?? [])] : null;
  const states = (Array.isArray(body.States) ? body.States : [...DEFAULT_QUERY_STATES]).flatMap((name, i) => {
    if (typeof name !== 'string') return [];
    const state = stateNamed(name);
    if (!state) p.add(`States[${i}]`, `is not a consignment state: ${name.slice(0, 50)}`);
    return state ? [state] : [];
  });
  let collectionDay: string | null = null;
  if (typeof body.ShippingDate === 'string' && body.ShippingDate) {
    const date = DateTime.fromISO(body.ShippingDate.trim(), { setZone: true });
    if (date.isValid) collectionDay = date.toISODate();
    else p.add('ShippingDate', 'must be an ISO 8601 date (yyyy-MM-dd) or date-time');
  }
  return {
    locations,
    states: [...new Set(states)],
    carriers: references(body.Carriers, 'Carriers', p),
    labelsPrinted: typeof body.LabelsPrinted === 'boolean' ? body.LabelsPrinted : null,
    collectionDay,
  };
}
