/**
 * A subscription's own allocation rules (our API, not SortedPRO's): each rule names the services it
 * applies to and the consignments it matches. An Exclude rule switches its services off for the
 * consignments it matches; a Restrict rule lets its services carry only the consignments it
 * matches. Plain data, stored whole as JSON (allocation_rules.definition).
 */
import { noConditions, type RuleConditions } from './conditions/index.js';

export type RuleAction = 'Exclude' | 'Restrict';
export const RULE_ACTIONS: readonly RuleAction[] = ['Exclude', 'Restrict'];

export interface AllocationRule {
  /** 1-100 characters of [A-Za-z0-9_.-], unique per subscription case-insensitively; stored as first given. */
  reference: string;
  name: string;
  isEnabled: boolean;
  action: RuleAction;
  /** The services the rule applies to, in the catalogue's spelling; empty means every service. */
  serviceReferences: string[];
  conditions: RuleConditions;
}

/**
 * A rule as stored, read back. A rule stored before a condition was added lacks that condition's
 * settings: they read as not given, so that adding a condition needs no change to stored rules.
 */
export function storedRule(stored: AllocationRule): AllocationRule {
  return { ...stored, conditions: { ...noConditions(), ...stored.conditions } };
}
