/**
 * What a subscription has set for itself that allocation must respect: its enabled allocation
 * rules and its own allocation-filtering tags per service. Plain data, read by the eligibility
 * checks (RuleExcluded, TagsNotMatched).
 */
import type { AllocationRule } from './allocation-rules/index.js';

export interface AllocationPolicy {
  /** The subscription's enabled rules, ordered by reference. */
  rules: readonly AllocationRule[];
  /** The subscription's own tags per service (key: service reference, lower-case), replacing the catalogue's. */
  serviceTags: ReadonlyMap<string, readonly string[]>;
}

export const EMPTY_POLICY: AllocationPolicy = Object.freeze({ rules: Object.freeze([]), serviceTags: new Map<string, readonly string[]>() });

/** The tags a service has for this subscription: its own when set, otherwise the catalogue's. */
export function serviceTagsOf(policy: AllocationPolicy, serviceReference: string, catalogueTags: readonly string[]): readonly string[] {
  return policy.serviceTags.get(serviceReference.toLowerCase()) ?? catalogueTags;
}
