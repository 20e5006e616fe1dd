import type { AllocationPolicy } from '../allocation-policy.js';
import { ConsignmentFacts, exclusionWords, judgeRule, ruleAppliesTo, type ExcludingRule } from '../allocation-rules/index.js';
import type { CatalogueIndex } from '../catalogue.js';
import type { ConsignmentData } from '../consignment.js';
import { fail, type EligibilityCheck } from './check.js';

interface Judged {
  policy: AllocationPolicy;
  catalogue: CatalogueIndex;
  excluding: ExcludingRule[];
}

/**
 * Whether a rule matches depends on the consignment, not on the service: the rules are judged once
 * per consignment (and policy) and the verdict reused for every service it is checked against.
 */
const judgements = new WeakMap<ConsignmentData, Judged>();

function excludingRules(consignment: ConsignmentData, catalogue: CatalogueIndex, policy: AllocationPolicy): ExcludingRule[] {
  const hit = judgements.get(consignment);
  if (hit && hit.policy === policy && hit.catalogue === catalogue) return hit.excluding;
  const facts = new ConsignmentFacts(consignment, catalogue);
  const excluding: ExcludingRule[] = [];
  for (const rule of policy.rules) {
    if (!rule.isEnabled) continue;
    const judged = judgeRule(rule, facts);
    if (judged) excluding.push(judged);
  }
  judgements.set(consignment, { policy, catalogue, excluding });
  return excluding;
}

/** The subscription's own allocation rules: one reason naming every rule that keeps the service from this consignment. */
export const ruleExcluded: EligibilityCheck = ({ consignment, service, catalogue, policy }) => {
  if (policy.rules.length === 0) return null;
  let reasons: string[] | null = null;
  for (const judged of excludingRules(consignment, catalogue, policy)) {
    if (ruleAppliesTo(judged.rule, service.reference)) (reasons ??= []).push(exclusionWords(judged));
  }
  return reasons === null ? null : fail('RuleExcluded', reasons.join('; '));
};
