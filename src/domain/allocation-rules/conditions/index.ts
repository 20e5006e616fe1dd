/**
 * The conditions a rule can give, in the order they are read, judged, put into words and shown.
 * Adding a condition is adding a file and a line in CONDITIONS: the rule's settings, the wire
 * schema, the lenient reading of a faulty body and the presented rule all follow from the list.
 */
import type { ConsignmentFacts } from '../facts.js';
import type { ConditionInput, ConditionReading, ConditionVerdict, RuleCondition } from './condition.js';
import { destinationCountries } from './destination-countries.js';
import { destinationPostcodes } from './destination-postcodes.js';
import { weightRange } from './weight-range.js';
import { packageLengthRange } from './package-length-range.js';
import { valueRange } from './value-range.js';
import { directions } from './directions.js';
import { tags } from './tags.js';

export type { ConditionField, ConditionReading, ConditionShape, ConditionVerdict, RuleCondition, Verdict, Words } from './condition.js';

export const CONDITIONS = [destinationCountries, destinationPostcodes, weightRange, packageLengthRange, valueRange, directions, tags] as const;

type SettingsOf<C> = C extends RuleCondition<infer S, infer _I> ? S : never;
type AllSettings<L extends readonly unknown[]> = L extends readonly [infer First, ...infer Rest] ? SettingsOf<First> & AllSettings<Rest> : unknown;

/**
 * What a rule matches: the settings of every condition in CONDITIONS; every condition given must
 * hold. Empty lists and null bounds are conditions not given. Ranges are inclusive.
 */
export type RuleConditions = { [K in keyof AllSettings<typeof CONDITIONS>]: AllSettings<typeof CONDITIONS>[K] };

/** A rule's conditions as a body gives them (camelCase, any setting missing or null). */
export type RuleConditionsInput = ConditionInput<RuleConditions>;

/** Every condition's settings read from the input, in CONDITIONS order, each problem found on the way appended to `reading.problems`. */
export function readConditions(input: RuleConditionsInput, reading: ConditionReading): RuleConditions {
  const conditions = {};
  for (const condition of CONDITIONS) Object.assign(conditions, condition.read(input, reading));
  return conditions as RuleConditions;
}

/** Conditions that are none given: every list empty, every bound null, the currency GBP. */
export function noConditions(): RuleConditions {
  return readConditions({}, { knownCurrency: () => true, target: String, problems: [] });
}

/** The verdict of each condition the rule gives, in CONDITIONS order. */
export function conditionVerdicts(conditions: RuleConditions, facts: ConsignmentFacts): ConditionVerdict[] {
  const verdicts: ConditionVerdict[] = [];
  for (const condition of CONDITIONS) {
    const verdict = condition.judge(conditions, facts);
    if (verdict) verdicts.push(verdict);
  }
  return verdicts;
}
