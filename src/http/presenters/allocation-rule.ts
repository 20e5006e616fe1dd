/** An allocation rule as our API shows it: PascalCase, every condition present (empty lists and nulls for those not given). */
import { CONDITIONS, type AllocationRule, type ConditionShape, type RuleConditions } from '../../domain/allocation-rules/index.js';
import { wireName } from '../../contract/rules.js';
import { typed } from '../xml-codec.js';

/** Each condition's settings under their wire names, in CONDITIONS order; lists copied. */
export function presentConditions(conditions: RuleConditions, list: readonly ConditionShape[] = CONDITIONS): object {
  const settings: Readonly<Record<string, unknown>> = conditions;
  const shown: Record<string, unknown> = {};
  for (const condition of list) {
    for (const field of Object.keys(condition.fields)) {
      const value = settings[field];
      shown[wireName(field)] = Array.isArray(value) ? [...value] : value;
    }
  }
  return typed('AllocationRuleConditions', shown);
}

export function presentRule(rule: AllocationRule): object {
  return typed('AllocationRule', {
    Reference: rule.reference,
    Name: rule.name,
    IsEnabled: rule.isEnabled,
    Action: rule.action,
    MpdCarrierServiceReferences: [...rule.serviceReferences],
    Conditions: presentConditions(rule.conditions),
  });
}
