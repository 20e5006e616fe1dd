import { exclusionWords, ruleAppliesTo } from '../allocation-rules/index.js';
import { fail, type EligibilityCheck } from './check.js';

/**
 * The subscription's own allocation rules: one reason naming every rule that keeps the service from
 * this consignment. The rules were judged once for the consignment (EligibilityContext.excludingRules);
 * here they are only asked whether they apply to the service.
 */
export const ruleExcluded: EligibilityCheck = ({ service, excludingRules }) => {
  let reasons: string[] | null = null;
  for (const judged of excludingRules) {
    if (ruleAppliesTo(judged, service.reference)) (reasons ??= []).push(exclusionWords(judged));
  }
  return reasons === null ? null : fail('RuleExcluded', reasons.join('; '));
};
