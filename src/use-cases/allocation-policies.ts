/**
 * The allocation policy of each subscription (its enabled rules and its own service tags), read
 * once and kept while the subscription's settings version holds, since every allocation request
 * needs it. Every change of rules or tags bumps that version in its transaction, and each request's
 * caller carries the version read with its key (ApiKeyAuthenticator), so a change made through any
 * process is obeyed by the very next request in every other. Writes through this process also call
 * invalidate(). A caller without a version (one made without a key lookup) keeps an entry for a
 * few seconds.
 */
import { allocationPolicy, type AllocationPolicy } from '../domain/allocation-policy.js';
import type { AllocationRulesRepository } from '../store/allocation-rules.repository.js';
import type { ServiceTagsRepository } from '../store/service-tags.repository.js';
import type { Caller } from './app-context.js';

interface Entry {
  policy: Promise<AllocationPolicy>;
  until: number;
  /** The settings version the load began at or after; -1 when unknown. */
  version: number;
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
    const version = caller.settingsVersion;
    if (hit && (version === undefined ? at < hit.until : hit.version >= version)) return hit.policy;
    // The load's promise is the entry, so concurrent requests share one read; invalidate() drops it,
    // and a read begun before a write therefore never lands in the cache after it. A load begun at
    // an older version than the entry's does not replace it.
    const entry: Entry = { policy: this.load(id), until: at + this.ttlMs, version: version ?? -1 };
    if (hit && hit.version > entry.version) return entry.policy;
    if (!hit && this.cache.size >= 10_000) this.cache.clear();
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
