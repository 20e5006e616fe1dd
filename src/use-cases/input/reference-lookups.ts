/**
 * How a create or update request's named shipping locations and package sizes are found: straight
 * from the store, or (for one bulk create) through a cache, so that 10,000 requests naming the same
 * warehouse and box look each up once rather than 10,000 times.
 */
import { referenceKey } from '../../domain/named-reference.js';
import type { PackageSize } from '../../domain/package-size.js';
import type { ShippingLocation } from '../../store/shipping-locations.repository.js';
import type { AppContext } from '../app-context.js';

export interface ReferenceLookups {
  location(reference: string): Promise<ShippingLocation | undefined>;
  /** The sizes among `references` that exist, keyed by referenceKey. */
  packageSizes(references: string[]): Promise<Map<string, PackageSize>>;
}

export function storeLookups(ctx: AppContext, subscriptionId: number): ReferenceLookups {
  return {
    location: (reference) => ctx.locations.find(subscriptionId, reference),
    packageSizes: (references) => ctx.packageSizes.findMany(subscriptionId, references),
  };
}

/** Lookups that remember every answer (found or not) for the life of one request. */
export function cachedLookups(ctx: AppContext, subscriptionId: number): ReferenceLookups {
  const locations = new Map<string, Promise<ShippingLocation | undefined>>();
  const sizes = new Map<string, PackageSize | null>();
  return {
    location(reference) {
      const key = referenceKey(reference);
      let found = locations.get(key);
      if (!found) {
        found = ctx.locations.find(subscriptionId, reference);
        locations.set(key, found);
      }
      return found;
    },
    async packageSizes(references) {
      const missing = [...new Set(references.map(referenceKey))].filter((k) => !sizes.has(k));
      if (missing.length) {
        const fetched = await ctx.packageSizes.findMany(subscriptionId, missing);
        for (const k of missing) sizes.set(k, fetched.get(k) ?? null);
      }
      const out = new Map<string, PackageSize>();
      for (const r of references) {
        const size = sizes.get(referenceKey(r));
        if (size) out.set(referenceKey(r), size);
      }
      return out;
    },
  };
}
