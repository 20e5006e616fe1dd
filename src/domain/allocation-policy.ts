/**
 * What a subscription has set for itself that allocation must respect: its enabled allocation
 * rules and its own allocation-filtering tags per service. Plain data, read by the eligibility
 * checks (RuleExcluded, TagsNotMatched).
 */
import type { CatalogueIndex } from './catalogue.js';
import type { ConsignmentData } from './consignment.js';
import { ConsignmentFacts, excludingRules, policyRule, type AllocationRule, type ExcludingRule, type PolicyRule } from './allocation-rules/index.js';

export interface AllocationPolicy {
  /** The subscription's enabled rules, ordered by reference, each with its services prepared for asking. */
  rules: readonly PolicyRule[];
  /** The subscription's own tags per service (key: service reference, lower-case), replacing the catalogue's. */
  serviceTags: ReadonlyMap<string, readonly string[]>;
}

export const EMPTY_POLICY: AllocationPolicy = Object.freeze({ rules: Object.freeze([]), serviceTags: new Map<string, readonly string[]>() });

export function allocationPolicy(rules: readonly AllocationRule[], serviceTags: ReadonlyMap<string, readonly string[]>): AllocationPolicy {
  return { rules: rules.map(policyRule), serviceTags };
}

/**
 * The policy's rules that keep their services from this consignment. Whether a rule matches
 * depends on the consignment, not on the service, so whoever checks services for a consignment
 * judges the rules once with this and hands the result to every service's checks.
 */
export function judgeRules(policy: AllocationPolicy, consignment: ConsignmentData, catalogue: CatalogueIndex): readonly ExcludingRule[] {
  return policy.rules.length === 0 ? [] : excludingRules(policy.rules, new ConsignmentFacts(consignment, catalogue));
}

/** The tags a service has for this subscription: its own when set, otherwise the catalogue's. */
export function serviceTagsOf(policy: AllocationPolicy, serviceReference: string, catalogueTags: readonly string[]): readonly string[] {
  return policy.serviceTags.get(serviceReference.toLowerCase()) ?? catalogueTags;
}
