/**
 * Reading an allocation rule body (the wire's PascalCase) into a rule: the rule's own fields here,
 * and its conditions by the conditions themselves (src/domain/allocation-rules/conditions/), from
 * their camelCase settings. Every problem is listed, each with its target in the body.
 */
import { CONDITIONS, RULE_ACTIONS, readConditions, type AllocationRule, type RuleConditionsInput } from '../domain/allocation-rules/index.js';
import { readName, readReference, readServiceReferences, type Problem } from '../domain/subscription-objects.js';
import { wireName, type WireConditions } from '../contract/rules.js';

/** A rule body as far as it could be read: the schema's type, or the lenient reading of a body that breaks the schema (any text for Action). */
export interface AllocationRuleBody {
  Reference?: string | null;
  Name?: string | null;
  IsEnabled?: boolean | null;
  Action?: string | null;
  MpdCarrierServiceReferences?: readonly string[] | null;
  Conditions?: WireConditions | null;
}

/** What reading a rule needs to know about the world. */
export interface RuleReadingContext {
  /** The catalogue spelling of a service the subscription has enabled, or undefined. */
  enabledService(reference: string): string | undefined;
  /** Whether amounts in this (upper-case) currency can be converted. */
  knownCurrency(code: string): boolean;
}

/** The conditions' settings under their own (camelCase) names. */
function conditionsInput(wire: WireConditions | null | undefined): RuleConditionsInput {
  const given: Readonly<Record<string, unknown>> = wire ?? {};
  const input: Record<string, unknown> = {};
  for (const condition of CONDITIONS) for (const field of Object.keys(condition.fields)) input[field] = given[wireName(field)];
  // WireConditions is RuleConditionsInput under capitalised names, so each value is of its setting's kind.
  return input as RuleConditionsInput;
}

function readAction(value: string | null | undefined, problems: Problem[]): AllocationRule['action'] {
  const action = RULE_ACTIONS.find((a) => a.toLowerCase() === (value ?? '').trim().toLowerCase());
  if (!value) problems.push({ Code: 'Required', Target: 'Action', Message: 'Action is required: Exclude or Restrict' });
  else if (!action) problems.push({ Code: 'Invalid', Target: 'Action', Message: 'Action must be one of Exclude, Restrict' });
  return action ?? 'Exclude';
}

/**
 * Reads a rule body into a rule, listing every problem. `reference` overrides the body's
 * Reference (a PUT's path reference wins over its body).
 */
export function readAllocationRule(body: AllocationRuleBody, world: RuleReadingContext, reference?: string): { rule: AllocationRule; problems: Problem[] } {
  const problems: Problem[] = [];
  const ref = reference ?? readReference(body.Reference, 'Reference', problems);
  const name = readName(body.Name, 'Name', problems);
  const action = readAction(body.Action, problems);
  const serviceReferences = readServiceReferences(body.MpdCarrierServiceReferences, 'MpdCarrierServiceReferences', world.enabledService, problems);
  const conditions = readConditions(conditionsInput(body.Conditions), {
    knownCurrency: (code) => world.knownCurrency(code),
    target: (field) => `Conditions.${wireName(field)}`,
    problems,
  });
  return { rule: { reference: ref, name, isEnabled: body.IsEnabled ?? true, action, serviceReferences, conditions }, problems };
}
