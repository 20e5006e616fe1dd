/**
 * What a rule condition is, as the eligibility checks' EligibilityCheck is for services: its
 * settings (camelCase fields, each of a kind a request body can carry), how they are read from a
 * rule body, and its verdict on a consignment with the words for it. Each condition is one file in
 * this folder, listed in CONDITIONS (index.ts); the wire schema, the lenient reading of a faulty
 * body and the presented rule are made from the fields each condition declares.
 */
import type { Problem } from '../../subscription-objects.js';
import type { ConsignmentFacts } from '../facts.js';

/** The kinds of value a setting takes: a bound (a number, or null for none), a text, or a list of texts, optionally limited to some words. */
export type ConditionField = NumberField | TextField | ListField;
export interface NumberField {
  readonly kind: 'number';
}
export interface TextField {
  readonly kind: 'text';
}
export interface ListField {
  readonly kind: 'list';
  /** The words an entry may be (the schema refuses any other); absent: any text. */
  readonly oneOf?: readonly string[];
}

type FieldFor<T> = T extends readonly string[] ? ListField : T extends string ? TextField : T extends number | null ? NumberField : never;
type InputFor<T> = T extends readonly string[] ? readonly string[] : T extends string ? string : T extends number | null ? number : never;

/** Each setting's field, in the order the API shows them: the kind follows from the setting's type. */
export type ConditionFields<S> = { readonly [K in keyof S]-?: FieldFor<S[K]> };

/** Settings as a body gives them: any may be missing or null. */
export type ConditionInput<S> = { readonly [K in keyof S]?: InputFor<S[K]> | null };

/** What reading settings needs: the world, how a problem names a setting, and where problems go. */
export interface ConditionReading {
  /** Whether amounts in this (upper-case) currency can be converted. */
  knownCurrency(code: string): boolean;
  /** The name problems give a setting (the body's spelling of the field, with its place in the body). */
  target(field: string): string;
  /** One problem per fault, in the order found. */
  problems: Problem[];
}

/**
 * A condition's verdict on one consignment. `unknown` when the consignment lacks what the condition
 * needs (an unreadable UK postcode, a value in a currency that cannot be converted).
 */
export type Verdict = 'holds' | 'fails' | 'unknown';

/** How a condition's verdict is put into words, when a rule excludes. */
export interface Words {
  /** What is true of the consignment, said when an Exclude rule applies ("the destination postcode IV1 1AA is in IV"). */
  fact: string;
  /** What a Restrict rule asks for ("consignments of 20 kg to 1000 kg"), and what this one is instead ("weighs 3 kg"). */
  requirement: string;
  actual: string;
}

/**
 * Rules are judged for every consignment, and mostly exclude nothing, so the words are made only
 * when a rule does exclude.
 */
export interface ConditionVerdict {
  verdict: Verdict;
  words(): Words;
}

/** The fields alone: what the wire schema and the presenter need of a condition. */
export interface ConditionShape {
  readonly fields: Readonly<Record<string, ConditionField>>;
}

/**
 * One condition of a rule. `I` is what its reading looks at: its own settings, and those of other
 * conditions it must agree with.
 */
export interface RuleCondition<S extends object, I = ConditionInput<S>> {
  readonly fields: ConditionFields<S>;
  /** The settings from a body, checked; a setting not given reads as "not given" (an empty list, a null bound). */
  read(input: I, reading: ConditionReading): S;
  /** The verdict on the consignment, or null when the rule leaves this condition out. */
  judge(settings: S, facts: ConsignmentFacts): ConditionVerdict | null;
}
