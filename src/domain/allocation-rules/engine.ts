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

/** A rule as a policy holds it: with its services lower-cased once, since it is asked about every service of every consignment. */
export interface PolicyRule {
  rule: AllocationRule;
  /** The services it applies to, lower-cased; null: every service. */
  serviceKeys: ReadonlySet<string> | null;
}

export function policyRule(rule: AllocationRule): PolicyRule {
  return { rule, serviceKeys: rule.serviceReferences.length === 0 ? null : new Set(rule.serviceReferences.map((r) => r.toLowerCase())) };
}

/** Whether an enabled rule applies to the service (any spelling). */
export function ruleAppliesTo({ rule, serviceKeys }: PolicyRule, serviceReference: string): boolean {
  return rule.isEnabled && (serviceKeys === null || serviceKeys.has(serviceReference.toLowerCase()));
}

/** A rule judged against one consignment, when it keeps the services it applies to from it. */
export interface ExcludingRule extends PolicyRule {
  verdicts: ConditionVerdict[];
  match: Verdict;
}

/**
 * The rule's verdict on the consignment: whether it excludes its services (the service does not
 * matter), or null. A rule that cannot be shown not to apply (a condition it cannot judge)
 * excludes: a user who keeps a service from some consignments would not want it used where that
 * cannot be checked.
 */
export function judgeRule(policyRule: PolicyRule, facts: ConsignmentFacts): ExcludingRule | null {
  const verdicts = conditionVerdicts(policyRule.rule.conditions, facts);
  const match = combine(verdicts.map((v) => v.verdict));
  if (policyRule.rule.action === 'Exclude' ? match === 'fails' : match === 'holds') return null;
  return { ...policyRule, verdicts, match };
}

/** The enabled rules that keep their services from the consignment, in the given order: what RuleExcluded needs for every service. */
export function excludingRules(rules: readonly PolicyRule[], facts: ConsignmentFacts): ExcludingRule[] {
  const excluding: ExcludingRule[] = [];
  for (const r of rules) {
    if (!r.rule.isEnabled) continue;
    const judged = judgeRule(r, facts);
    if (judged) excluding.push(judged);
  }
  return excluding;
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
  const prepared = policyRule(rule);
  if (!ruleAppliesTo(prepared, serviceReference)) return null;
  const judged = judgeRule(prepared, facts);
  return judged && exclusionWords(judged);
}
