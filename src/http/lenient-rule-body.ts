/**
 * A rule body as far as it can be read whatever its faults, for the checks beyond the schema
 * (lenient-fields.ts says why); its Conditions read field by field from the conditions' list.
 */
import { CONDITIONS, type ConditionField, type ConditionShape } from '../domain/allocation-rules/index.js';
import { wireName, type WireConditions } from '../contract/rules.js';
import type { AllocationRuleBody } from '../use-cases/allocation-rule-input.js';
import { asBoolean, asNumber, asObject, asString, asStringList } from './lenient-fields.js';

function lenientField(value: unknown, field: ConditionField): unknown {
  return field.kind === 'number' ? asNumber(value) : field.kind === 'text' ? asString(value) : asStringList(value);
}

/** A body's Conditions as far as they can be read whatever their faults: each condition's fields by their kinds. */
export function lenientConditions(value: unknown, conditions: readonly ConditionShape[] = CONDITIONS): WireConditions {
  const given = asObject(value);
  const read: Record<string, unknown> = {};
  for (const condition of conditions) {
    for (const [field, kind] of Object.entries(condition.fields)) read[wireName(field)] = lenientField(given[wireName(field)], kind);
  }
  // Each value is of its field's kind or absent, which is what WireConditions allows.
  return read as WireConditions;
}

/** The rule body for ruleProblems. */
export function lenientRuleBody(value: unknown): AllocationRuleBody {
  const body = asObject(value);
  return {
    Reference: asString(body.Reference),
    Name: asString(body.Name),
    IsEnabled: asBoolean(body.IsEnabled),
    Action: asString(body.Action),
    MpdCarrierServiceReferences: asStringList(body.MpdCarrierServiceReferences),
    Conditions: lenientConditions(body.Conditions),
  };
}
