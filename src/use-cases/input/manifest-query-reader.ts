/** Reading a manifest-from-query body (decisions.md §11) into its criteria, every problem listed. */
import { DateTime } from 'luxon';
import type { ManifestFromQueryRequest } from '../../contract/manifests.js';
import { stateNamed, type ConsignmentState } from '../../domain/states.js';
import { MAX_NAMED_REFERENCE } from '../../domain/limits.js';
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

function references(list: string[] | null | undefined, target: string, p: Problems): string[] | null {
  if (list === undefined || list === null) return null;
  return list.flatMap((value, i) => {
    const v = value.trim();
    if (!v || v.length > MAX_NAMED_REFERENCE) {
      p.add(`${target}[${i}]`, `must be a reference of 1 to ${MAX_NAMED_REFERENCE} characters`);
      return [];
    }
    return [v];
  });
}

export function readManifestQuery(body: ManifestFromQueryRequest, p: Problems): ManifestQueryInput {
  const plural = references(body.ShippingLocationReferences, 'ShippingLocationReferences', p);
  const singular = body.ShippingLocationReference?.trim() ? [body.ShippingLocationReference.trim()] : null;
  const locations = plural || singular ? [...(plural ?? []), ...(singular ?? [])] : null;
  const states = (body.States ?? [...DEFAULT_QUERY_STATES]).flatMap((name, i) => {
    const state = stateNamed(name);
    if (!state) p.add(`States[${i}]`, `is not a consignment state: ${name.slice(0, 50)}`);
    return state ? [state] : [];
  });
  let collectionDay: string | null = null;
  if (body.ShippingDate) {
    const date = DateTime.fromISO(body.ShippingDate.trim(), { setZone: true });
    if (date.isValid) collectionDay = date.toISODate();
    else p.add('ShippingDate', 'must be an ISO 8601 date (yyyy-MM-dd) or date-time');
  }
  return {
    locations,
    states: [...new Set(states)],
    carriers: references(body.Carriers, 'Carriers', p),
    labelsPrinted: body.LabelsPrinted ?? null,
    collectionDay,
  };
}
