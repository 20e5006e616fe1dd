/**
 * Allocation rules: the model (rule.ts), the facts of a consignment they look at (facts.ts), the
 * engine that judges a consignment against them (engine.ts), and one file per condition
 * (conditions/, listed in CONDITIONS). Reading a rule from a request body is the use-case's
 * (src/use-cases/allocation-rule-input.ts); the domain takes its camelCase settings.
 */
export { RULE_ACTIONS, storedRule, type AllocationRule, type RuleAction } from './rule.js';
export { ConsignmentFacts } from './facts.js';
export { combine, exclusionBy, exclusionWords, excludingRules, judgeRule, policyRule, ruleAppliesTo, ruleMatches, type ExcludingRule, type PolicyRule } from './engine.js';
export {
  CONDITIONS,
  conditionVerdicts,
  noConditions,
  readConditions,
  type ConditionField,
  type ConditionReading,
  type ConditionShape,
  type ConditionVerdict,
  type RuleCondition,
  type RuleConditions,
  type RuleConditionsInput,
  type Verdict,
  type Words,
} from './conditions/index.js';
