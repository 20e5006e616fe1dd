/**
 * The allocation policy of each subscription (its enabled rules and its own service tags), read
 * once and kept for a few seconds, since every allocation request needs it. Writes through this
 * server's API call invalidate(), so they take effect for the very next allocation; a change made
 * by another process is seen once the entry expires.
 */
import { allocationPolicy, type AllocationPolicy } from '../domain/allocation-policy.js';
import type { AllocationRulesRepository } from '../store/allocation-rules.repository.js';
import type { ServiceTagsRepository } from '../store/service-tags.repository.js';
import type { Caller } from './app-context.js';

interface Entry {
  policy: Promise<AllocationPolicy>;
  until: number;
}

export class AllocationPolicies {
  private readonly cache = new Map<number, Entry>();

  constructor(
    private readonly rules: Pick<AllocationRulesRepository, 'list'>,
    private readonly tags: Pick<ServiceTagsRepository, 'all'>,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  forCaller(caller: Caller): Promise<AllocationPolicy> {
    const id = caller.subscriptionId;
    const at = this.now();
    const hit = this.cache.get(id);
    if (hit && at < hit.until) return hit.policy;
    // The load's promise is the entry, so concurrent requests share one read; invalidate() drops it,
    // and a read begun before a write therefore never lands in the cache after it.
    const entry: Entry = { policy: this.load(id), until: at + this.ttlMs };
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(id, entry);
    entry.policy.catch(() => {
      if (this.cache.get(id) === entry) this.cache.delete(id);
    });
    return entry.policy;
  }

  /** Forgets a subscription's policy after its rules or tags changed. */
  invalidate(subscriptionId: number): void {
    this.cache.delete(subscriptionId);
  }

  private async load(subscriptionId: number): Promise<AllocationPolicy> {
    const [rules, serviceTags] = await Promise.all([this.rules.list(subscriptionId, true), this.tags.all(subscriptionId)]);
    return allocationPolicy(rules, serviceTags);
  }
}
