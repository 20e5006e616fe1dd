import { ConsignmentFacts, exclusionBy } from '../allocation-rules.js';
import { fail, type EligibilityCheck } from './check.js';

/** The subscription's own allocation rules: one reason naming every rule that keeps the service from this consignment. */
export const ruleExcluded: EligibilityCheck = ({ consignment, service, catalogue, policy }) => {
  if (policy.rules.length === 0) return null;
  const facts = new ConsignmentFacts(consignment, catalogue);
  const reasons: string[] = [];
  for (const rule of policy.rules) {
    const reason = exclusionBy(rule, service.reference, facts);
    if (reason !== null) reasons.push(reason);
  }
  return reasons.length === 0 ? null : fail('RuleExcluded', reasons.join('; '));
};
