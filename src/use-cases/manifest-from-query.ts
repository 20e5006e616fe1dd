/**
 * Manifest from query (decisions.md §11): every consignment of the caller that matches the
 * criteria is manifested before the answer (no hidden queue), in slices of at most 10,000, exactly
 * as PUT /consignments/manifest would; the answer counts what was found, what was manifested and
 * what was not (by reference).
 */
import { searchKey } from '../domain/consignment-search.js';
import { collectionDayOf } from '../domain/manifest.js';
import { MAX_REFERENCES } from '../domain/limits.js';
import type { AppContext, Caller } from './app-context.js';
import type { ManifestQueryInput } from './input/manifest-query-reader.js';
import { manifestFound } from './manifest-consignments.js';

export interface ManifestFromQueryResult {
  found: number;
  manifested: number;
  /** References not manifested (refused, wrong state, carrier unavailable, changed meanwhile), in the order found. */
  failed: string[];
}

/** The services a consignment of one of `carriers` is allocated to: those with any of them on their journey. */
function serviceKeysOf(ctx: AppContext, carriers: string[]): string[] {
  const wanted = new Set(carriers.map((c) => c.toLowerCase()));
  return ctx.catalogue.catalogue.services.filter((s) => s.journey.some((leg) => wanted.has(leg.carrierReference.toLowerCase()))).map((s) => s.reference.toLowerCase());
}

export async function manifestFromQuery(ctx: AppContext, caller: Caller, query: ManifestQueryInput): Promise<ManifestFromQueryResult> {
  const references = await ctx.manifests.referencesMatching(caller.subscriptionId, {
    states: query.states,
    originKeys: query.locations?.map(searchKey) ?? null,
    serviceKeys: query.carriers ? serviceKeysOf(ctx, query.carriers) : null,
    labelsPrinted: query.labelsPrinted,
  });
  const result: ManifestFromQueryResult = { found: 0, manifested: 0, failed: [] };
  for (let i = 0; i < references.length; i += MAX_REFERENCES) {
    const slice = references.slice(i, i + MAX_REFERENCES);
    const found = await ctx.consignments.findByReferences(caller.subscriptionId, slice);
    // The collection day is in the allocation's document, not a column: judged here, on what was read.
    const matching = slice.flatMap((r) => found.get(r) ?? []).filter((c) => query.collectionDay === null || (c.allocation && collectionDayOf(c.allocation.collectionDate) === query.collectionDay));
    result.found += matching.length;
    for (const outcome of await manifestFound(ctx, caller, matching)) {
      if (outcome.kind === 'manifested') result.manifested++;
      else result.failed.push(outcome.reference);
    }
  }
  return result;
}
