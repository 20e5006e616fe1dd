/** Our allocation rules, service tags and service groups (SDK groups plus our management). */
import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { CONDITIONS, type ConditionField, type ConditionShape, type RuleConditionsInput } from '../domain/allocation-rules/index.js';
import { Num, Opt, Str } from './fields.js';

/** A rule condition's setting as the wire names it: the same word, capitalised (minWeightKg is MinWeightKg). */
export function wireName(field: string): string {
  return field.charAt(0).toUpperCase() + field.slice(1);
}

/** A rule's conditions on the wire: every condition's settings under their wire names, each optional and nullable. */
export type WireConditions = { [K in keyof RuleConditionsInput & string as Capitalize<K>]?: RuleConditionsInput[K] };

function fieldSchema(field: ConditionField): TSchema {
  switch (field.kind) {
    case 'number':
      return Num;
    case 'text':
      return Str;
    case 'list':
      return Opt(Type.Array(field.oneOf ? Type.Union(field.oneOf.map((word) => Type.Literal(word))) : Type.String()));
  }
}

/** The schema of a rule's Conditions, made from the fields each condition declares, in CONDITIONS order. */
export function conditionsSchema(conditions: readonly ConditionShape[] = CONDITIONS): TUnsafe<WireConditions> {
  const properties: Record<string, TSchema> = {};
  for (const condition of conditions) {
    for (const [field, kind] of Object.entries(condition.fields)) properties[wireName(field)] = fieldSchema(kind);
  }
  // TypeBox cannot follow the loop's properties into a static type; WireConditions says the same from the list's types.
  return Type.Object(properties) as TSchema as TUnsafe<WireConditions>;
}

/** A condition's setting in an answer: a number or a text is null when not given, a list is empty. */
function shownFieldSchema(field: ConditionField): TSchema {
  switch (field.kind) {
    case 'number':
      return Type.Union([Type.Number(), Type.Null()]);
    case 'text':
      return Type.Union([Type.String(), Type.Null()]);
    case 'list':
      return Type.Array(field.oneOf ? Type.Union(field.oneOf.map((word) => Type.Literal(word))) : Type.String());
  }
}

/** A rule's Conditions as answers show them (src/http/presenters/allocation-rule.ts): every condition's settings, in CONDITIONS order. */
export function shownConditionsSchema(conditions: readonly ConditionShape[] = CONDITIONS): TSchema {
  const properties: Record<string, TSchema> = {};
  for (const condition of conditions) {
    for (const [field, kind] of Object.entries(condition.fields)) properties[wireName(field)] = shownFieldSchema(kind);
  }
  return Type.Object(properties, { additionalProperties: false });
}

/** Our allocation rules API; src/use-cases/allocation-rule-input.ts and the conditions (src/domain/allocation-rules/conditions/) check what a schema cannot say. */
export const AllocationRuleRequest = Type.Object({
  Reference: Str,
  Name: Str,
  IsEnabled: Opt(Type.Boolean()),
  Action: Opt(Type.Union([Type.Literal('Exclude'), Type.Literal('Restrict')])),
  MpdCarrierServiceReferences: Opt(Type.Array(Type.String())),
  Conditions: Opt(conditionsSchema()),
});
export type AllocationRuleRequest = Static<typeof AllocationRuleRequest>;

/** A carrier service's allocation-filtering tags for the subscription. */
export const TagList = Type.Array(Type.String());

export const ServiceGroupRequest = Type.Object({
  Reference: Str,
  Name: Str,
  IsEnabled: Opt(Type.Boolean()),
  MpdCarrierServiceReferences: Opt(Type.Array(Type.String())),
});
export type ServiceGroupRequest = Static<typeof ServiceGroupRequest>;
