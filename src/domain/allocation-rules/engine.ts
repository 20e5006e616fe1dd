/**
 * Judging a consignment against rules: the three-valued verdict of a rule's conditions, whether the
 * rule then keeps its services from the consignment, which services it applies to, and the words
 * for an exclusion. Pure.
 */
import type { CatalogueIndex } from '../catalogue.js';
import type { ConsignmentData } from '../consignment.js';
import { conditionVerdicts, type ConditionVerdict, type Verdict } from './conditions/index.js';
import { ConsignmentFacts } from './facts.js';
import type { AllocationRule } from './rule.js';

/** Whether every condition holds (three-valued: a failed condition decides; otherwise an unknown one leaves it open). */
export function combine(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('fails')) return 'fails';
  return verdicts.includes('unknown') ? 'unknown' : 'holds';
}

/** Whether the rule matches the consignment. */
export function ruleMatches(rule: AllocationRule, consignment: ConsignmentData, catalogue: CatalogueIndex): Verdict {
  return combine(conditionVerdicts(rule.conditions, new ConsignmentFacts(consignment, catalogue)).map((v) => v.verdict));
}

/** Each rule's services, lower-cased once (rules are asked about every service of every consignment). */
const serviceKeys = new WeakMap<readonly string[], ReadonlySet<string>>();

/** Whether an enabled rule applies to the service (any spelling; an empty list is every service). */
export function ruleAppliesTo(rule: AllocationRule, serviceReference: string): boolean {
  if (!rule.isEnabled) return false;
  if (rule.serviceReferences.length === 0) return true;
  let keys = serviceKeys.get(rule.serviceReferences);
  if (!keys) {
    keys = new Set(rule.serviceReferences.map((r) => r.toLowerCase()));
    serviceKeys.set(rule.serviceReferences, keys);
  }
  return keys.has(serviceReference.toLowerCase());
}

/** A rule judged against one consignment, when it keeps the services it applies to from it. */
export interface ExcludingRule {
  rule: AllocationRule;
  verdicts: ConditionVerdict[];
  match: Verdict;
}

/**
 * The rule's verdict on the consignment: whether it excludes its services (the service does not
 * matter), or null. A rule that cannot be shown not to apply (a condition it cannot judge)
 * excludes: a user who keeps a service from some consignments would not want it used where that
 * cannot be checked.
 */
export function judgeRule(rule: AllocationRule, facts: ConsignmentFacts): ExcludingRule | null {
  const verdicts = conditionVerdicts(rule.conditions, facts);
  const match = combine(verdicts.map((v) => v.verdict));
  if (rule.action === 'Exclude' ? match === 'fails' : match === 'holds') return null;
  return { rule, verdicts, match };
}

function and(parts: string[]): string {
  return parts.join(' and ');
}

/** Why an excluding rule keeps a service from the consignment, with the numbers. */
export function exclusionWords({ rule, verdicts, match }: ExcludingRule): string {
  const named = `rule ${rule.reference} (${rule.name})`;
  if (rule.action === 'Exclude') {
    if (verdicts.length === 0) return `${named} excludes this service: the rule has no conditions, so it covers every consignment`;
    const why = and(verdicts.map((v) => v.words().fact));
    return match === 'holds' ? `${named} excludes this service: ${why}` : `${named} excludes this service, as it cannot be shown not to apply: ${why}`;
  }
  const unmet = verdicts.filter((v) => v.verdict !== 'holds').map((v) => v.words());
  return `${named} restricts this service to ${and(unmet.map((w) => w.requirement))}; this one ${and(unmet.map((w) => w.actual))}`;
}

/** Why the rule excludes the service for this consignment, with the numbers, or null when it does not. */
export function exclusionBy(rule: AllocationRule, serviceReference: string, facts: ConsignmentFacts): string | null {
  if (!ruleAppliesTo(rule, serviceReference)) return null;
  const judged = judgeRule(rule, facts);
  return judged && exclusionWords(judged);
}
