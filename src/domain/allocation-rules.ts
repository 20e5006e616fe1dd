/**
 * A subscription's own allocation rules (our API, not SortedPRO's): each rule names the services it
 * applies to and the consignments it matches. An Exclude rule switches its services off for the
 * consignments it matches; a Restrict rule lets its services carry only the consignments it
 * matches. Pure: reading a rule body into a rule, and judging a consignment against a rule.
 */
import type { CatalogueIndex, ServiceDirection } from './catalogue.js';
import { destinationAddress, totalWeightKg, type ConsignmentData } from './consignment.js';
import { isCountryCode } from './countries.js';
import { parsePostcodePrefix, parseUkPostcode, type UkPostcode } from './postcode.js';
import { formatNumber, longestSide } from './units.js';
import { readName, readReference, readServiceReferences, type Problem } from './subscription-objects.js';
import { MAX_AMOUNT, MAX_LENGTH_CM, MAX_RULE_COUNTRIES, MAX_RULE_POSTCODES, MAX_TAGS, MAX_TAG_LENGTH, MAX_WEIGHT_KG } from './limits.js';

export type RuleAction = 'Exclude' | 'Restrict';
export const RULE_ACTIONS: readonly RuleAction[] = ['Exclude', 'Restrict'];

/** What a rule matches; every condition given must hold. Empty lists and null bounds are conditions not given. Ranges are inclusive. */
export interface RuleConditions {
  /** ISO two-letter codes, upper case. */
  destinationCountries: string[];
  /** UK area, district or sector prefixes, normalised ("IV", "PA20", "HS1 2"); only GB destinations can match. */
  destinationPostcodes: string[];
  /** Bounds on the consignment's total weight. */
  minWeightKg: number | null;
  maxWeightKg: number | null;
  /** Bounds on the longest side of the consignment's longest package. */
  minPackageLengthCm: number | null;
  maxPackageLengthCm: number | null;
  /** Bounds on the consignment's total value (the sum of its packages' values) in `currency`. */
  minValue: number | null;
  maxValue: number | null;
  currency: string;
  directions: ServiceDirection[];
  /** The consignment carries any of these tags (case-insensitive). */
  tags: string[];
}

export interface AllocationRule {
  /** 1-100 characters of [A-Za-z0-9_.-], unique per subscription case-insensitively; stored as first given. */
  reference: string;
  name: string;
  isEnabled: boolean;
  action: RuleAction;
  /** The services the rule applies to, in the catalogue's spelling; empty means every service. */
  serviceReferences: string[];
  conditions: RuleConditions;
}

// ---------------------------------------------------------------------------------------------
// Reading a rule body

/** A rule body as the HTTP schema reads it (PascalCase, every field optional): checked here into a rule. */
export interface AllocationRuleDraft {
  Reference?: string | null;
  Name?: string | null;
  IsEnabled?: boolean | null;
  Action?: string | null;
  MpdCarrierServiceReferences?: string[] | null;
  Conditions?: {
    DestinationCountries?: string[] | null;
    DestinationPostcodes?: string[] | null;
    MinWeightKg?: number | null;
    MaxWeightKg?: number | null;
    MinPackageLengthCm?: number | null;
    MaxPackageLengthCm?: number | null;
    MinValue?: number | null;
    MaxValue?: number | null;
    Currency?: string | null;
    Directions?: string[] | null;
    Tags?: string[] | null;
  } | null;
}

/** What reading a rule needs to know about the world. */
export interface RuleReadingContext {
  /** The catalogue spelling of a service the subscription has enabled, or undefined. */
  enabledService(reference: string): string | undefined;
  /** Whether amounts in this (upper-case) currency can be converted. */
  knownCurrency(code: string): boolean;
}

function readBound(value: number | null | undefined, target: string, limit: number, problems: Problem[]): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isFinite(value) || value < 0 || value > limit) {
    problems.push({ Code: 'Invalid', Target: target, Message: `${target} must be a number from 0 to ${limit}` });
    return null;
  }
  return value;
}

function readRange(
  min: number | null | undefined,
  max: number | null | undefined,
  names: [string, string],
  limit: number,
  problems: Problem[],
): [number | null, number | null] {
  const lo = readBound(min, `Conditions.${names[0]}`, limit, problems);
  const hi = readBound(max, `Conditions.${names[1]}`, limit, problems);
  if (lo !== null && hi !== null && lo > hi) {
    problems.push({
      Code: 'Invalid',
      Target: `Conditions.${names[0]}`,
      Message: `Conditions.${names[0]} (${formatNumber(lo)}) must not exceed Conditions.${names[1]} (${formatNumber(hi)})`,
    });
  }
  return [lo, hi];
}

function readList<T>(
  values: string[] | null | undefined,
  target: string,
  max: number,
  problems: Problem[],
  read: (value: string, target: string) => T | null,
  key: (value: T) => string = String,
): T[] {
  const list = values ?? [];
  if (list.length > max) {
    problems.push({ Code: 'TooMany', Target: target, Message: `${target} must have at most ${max} entries` });
    return [];
  }
  const out: T[] = [];
  const seen = new Set<string>();
  list.forEach((value, i) => {
    const item = read(value, `${target}[${i}]`);
    if (item === null) return;
    const k = key(item).toLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      out.push(item);
    }
  });
  return out;
}

function readConditions(draft: AllocationRuleDraft['Conditions'], world: RuleReadingContext, problems: Problem[]): RuleConditions {
  const c = draft ?? {};
  const destinationCountries = readList(c.DestinationCountries, 'Conditions.DestinationCountries', MAX_RULE_COUNTRIES, problems, (value, target) => {
    const code = value.trim().toUpperCase();
    if (isCountryCode(code)) return code;
    problems.push({ Code: 'Invalid', Target: target, Message: `${target} must be an ISO 3166 two-letter country code (got ${value.slice(0, 20)})` });
    return null;
  });
  const destinationPostcodes = readList(c.DestinationPostcodes, 'Conditions.DestinationPostcodes', MAX_RULE_POSTCODES, problems, (value, target) => {
    const parsed = parsePostcodePrefix(value);
    if (parsed !== null) return parsed.prefix;
    problems.push({
      Code: 'Invalid',
      Target: target,
      Message: `${target} must be a UK postcode area, district or sector such as IV, PA20 or HS1 2 (got ${value.slice(0, 20)})`,
    });
    return null;
  });
  if (destinationPostcodes.length > 0 && destinationCountries.length > 0 && !destinationCountries.includes('GB')) {
    problems.push({
      Code: 'Invalid',
      Target: 'Conditions.DestinationPostcodes',
      Message: 'Conditions.DestinationPostcodes match GB destinations only, but Conditions.DestinationCountries leaves out GB, so the rule could never match',
    });
  }
  const [minWeightKg, maxWeightKg] = readRange(c.MinWeightKg, c.MaxWeightKg, ['MinWeightKg', 'MaxWeightKg'], MAX_WEIGHT_KG, problems);
  const [minPackageLengthCm, maxPackageLengthCm] = readRange(c.MinPackageLengthCm, c.MaxPackageLengthCm, ['MinPackageLengthCm', 'MaxPackageLengthCm'], MAX_LENGTH_CM, problems);
  const [minValue, maxValue] = readRange(c.MinValue, c.MaxValue, ['MinValue', 'MaxValue'], MAX_AMOUNT, problems);
  const currency = (c.Currency ?? '').trim().toUpperCase() || 'GBP';
  if (!/^[A-Z]{3}$/.test(currency) || !world.knownCurrency(currency)) {
    problems.push({ Code: 'Invalid', Target: 'Conditions.Currency', Message: `Conditions.Currency must be a currency the catalogue can convert (got ${(c.Currency ?? '').slice(0, 20)})` });
  }
  // The schema has already limited directions to Inbound and Outbound.
  const directions = readList(c.Directions, 'Conditions.Directions', 2, problems, (value) => value as ServiceDirection);
  const tags = readList(c.Tags, 'Conditions.Tags', MAX_TAGS, problems, (value, target) => {
    const tag = value.trim();
    if (tag && tag.length <= MAX_TAG_LENGTH) return tag;
    problems.push({ Code: 'Invalid', Target: target, Message: `${target} must be 1 to ${MAX_TAG_LENGTH} characters` });
    return null;
  });
  return { destinationCountries, destinationPostcodes, minWeightKg, maxWeightKg, minPackageLengthCm, maxPackageLengthCm, minValue, maxValue, currency, directions, tags };
}

/**
 * Reads a rule body into a rule, listing every problem. `reference` overrides the body's
 * Reference (a PUT's path reference wins over its body).
 */
export function readAllocationRule(draft: AllocationRuleDraft, world: RuleReadingContext, reference?: string): { rule: AllocationRule; problems: Problem[] } {
  const problems: Problem[] = [];
  const ref = reference ?? readReference(draft.Reference, 'Reference', problems);
  const name = readName(draft.Name, 'Name', problems);
  const action = RULE_ACTIONS.find((a) => a.toLowerCase() === (draft.Action ?? '').trim().toLowerCase());
  if (!draft.Action) problems.push({ Code: 'Required', Target: 'Action', Message: 'Action is required: Exclude or Restrict' });
  else if (!action) problems.push({ Code: 'Invalid', Target: 'Action', Message: 'Action must be one of Exclude, Restrict' });
  const serviceReferences = readServiceReferences(draft.MpdCarrierServiceReferences, 'MpdCarrierServiceReferences', world.enabledService, problems);
  const conditions = readConditions(draft.Conditions, world, problems);
  return {
    rule: { reference: ref, name, isEnabled: draft.IsEnabled ?? true, action: action ?? 'Exclude', serviceReferences, conditions },
    problems,
  };
}

// ---------------------------------------------------------------------------------------------
// Judging a consignment

/**
 * A condition's verdict on one consignment. `unknown` when the consignment lacks what the condition
 * needs (an unreadable UK postcode, a value in a currency that cannot be converted).
 */
export type Verdict = 'holds' | 'fails' | 'unknown';

/** How a condition's verdict is put into words, when a rule excludes. */
interface Words {
  /** What is true of the consignment, said when an Exclude rule applies ("the destination postcode IV1 1AA is in IV"). */
  fact: string;
  /** What a Restrict rule asks for ("consignments of 20 kg to 1000 kg"), and what this one is instead ("weighs 3 kg"). */
  requirement: string;
  actual: string;
}

/**
 * Rules are judged for every consignment against every service, and mostly exclude nothing, so
 * the words are made only when a rule does exclude.
 */
interface ConditionVerdict {
  verdict: Verdict;
  words(): Words;
}

function rangeText(min: number | null, max: number | null, show: (n: number) => string): string {
  if (min !== null && max !== null) return `${show(min)} to ${show(max)}`;
  return min !== null ? `at least ${show(min)}` : `at most ${show(max!)}`;
}

function within(value: number, min: number | null, max: number | null): boolean {
  return (min === null || value >= min) && (max === null || value <= max);
}

function rangeVerdict(
  value: number,
  min: number | null,
  max: number | null,
  show: (n: number) => string,
  subject: string,
  requirement: string,
  actual: string,
): ConditionVerdict {
  return {
    verdict: within(value, min, max) ? 'holds' : 'fails',
    words() {
      const range = rangeText(min, max, show);
      const inRange = min !== null && max !== null ? `in the range ${range}` : range;
      return { fact: `${subject} ${show(value)}, which is ${inRange}`, requirement: `${requirement} ${range}`, actual: `${actual} ${show(value)}` };
    },
  };
}

const kg = (n: number) => `${formatNumber(n)} kg`;
const cm = (n: number) => `${formatNumber(n)} cm`;

type ValueIn = { total: number } | { unconvertible: { reference: string; currency: string } };

/**
 * What rules look at in a consignment, each worked out once when first asked: one consignment is
 * judged by every rule for every service.
 */
export class ConsignmentFacts {
  private destinationPostcode: UkPostcode | null | undefined;
  private weight: number | undefined;
  private longest: number | undefined;
  private readonly values = new Map<string, ValueIn>();
  readonly country: string;
  readonly postcodeGiven: string;

  constructor(
    readonly consignment: ConsignmentData,
    private readonly catalogue: CatalogueIndex,
  ) {
    const destination = destinationAddress(consignment);
    this.country = destination?.countryCode ?? '';
    this.postcodeGiven = destination?.postcode ?? '';
  }

  /** The destination's UK postcode; null outside GB or when it cannot be read. */
  get postcode(): UkPostcode | null {
    if (this.destinationPostcode === undefined) this.destinationPostcode = this.country === 'GB' && this.postcodeGiven ? parseUkPostcode(this.postcodeGiven) : null;
    return this.destinationPostcode;
  }

  get weightKg(): number {
    return (this.weight ??= totalWeightKg(this.consignment));
  }

  /** The longest side of the longest package (0 without packages). */
  get longestSideCm(): number {
    if (this.longest === undefined) {
      let longest = 0;
      for (const p of this.consignment.packages) longest = Math.max(longest, longestSide(p.dimensions));
      this.longest = longest;
    }
    return this.longest;
  }

  /** The sum of the package values in `currency` (packages without a value count nothing), or the package whose value cannot be converted. */
  valueIn(currency: string): ValueIn {
    let value = this.values.get(currency);
    if (!value) {
      value = this.sumValues(currency);
      this.values.set(currency, value);
    }
    return value;
  }

  private sumValues(currency: string): ValueIn {
    let total = 0;
    for (const p of this.consignment.packages) {
      if (!p.value) continue;
      const converted = this.catalogue.convert(p.value.amount, p.value.currency, currency);
      if (converted === null) return { unconvertible: { reference: p.reference, currency: p.value.currency } };
      total += converted;
    }
    return { total: Math.round(total * 100) / 100 };
  }
}

/** The verdict of each condition the rule gives, in a fixed order. */
export function conditionVerdicts(conditions: RuleConditions, facts: ConsignmentFacts): ConditionVerdict[] {
  const c = conditions;
  const out: ConditionVerdict[] = [];
  const { consignment, country } = facts;
  if (c.destinationCountries.length > 0) {
    out.push({
      verdict: c.destinationCountries.includes(country) ? 'holds' : 'fails',
      words: () => ({
        fact: `the destination country is ${country}`,
        requirement: `destinations in ${c.destinationCountries.join(', ')}`,
        actual: `goes to ${country || 'no country'}`,
      }),
    });
  }
  if (c.destinationPostcodes.length > 0) {
    const prefixes = () => c.destinationPostcodes.join(', ');
    const requirement = () => `destination postcodes in ${prefixes()}`;
    const postcode = facts.postcode;
    if (country !== 'GB') {
      out.push({ verdict: 'fails', words: () => ({ fact: 'the destination is outside GB', requirement: requirement(), actual: 'goes outside GB' }) });
    } else if (!postcode) {
      const given = facts.postcodeGiven;
      out.push({
        verdict: 'unknown',
        words: () => ({
          fact: `the destination postcode ${given || '(none)'} is not a valid UK postcode, so whether it is in ${prefixes()} cannot be told`,
          requirement: requirement(),
          actual: given ? `has the destination postcode ${given}, which is not a valid UK postcode` : 'has no destination postcode',
        }),
      });
    } else {
      // A rule's prefixes are stored normalised, so they compare as they are (whole parts only: B is not BT).
      const prefix = c.destinationPostcodes.find((p) => p === postcode.area || p === postcode.district || p === postcode.sector);
      out.push({
        verdict: prefix !== undefined ? 'holds' : 'fails',
        words: () => ({ fact: `the destination postcode ${postcode.normalised} is in ${prefix ?? prefixes()}`, requirement: requirement(), actual: `goes to ${postcode.normalised}` }),
      });
    }
  }
  if (c.minWeightKg !== null || c.maxWeightKg !== null) {
    out.push(rangeVerdict(facts.weightKg, c.minWeightKg, c.maxWeightKg, kg, 'the consignment weighs', 'consignments of', 'weighs'));
  }
  if (c.minPackageLengthCm !== null || c.maxPackageLengthCm !== null) {
    out.push(
      rangeVerdict(
        facts.longestSideCm,
        c.minPackageLengthCm,
        c.maxPackageLengthCm,
        cm,
        'the longest side of its longest package is',
        'consignments whose longest package side is',
        'has a longest package side of',
      ),
    );
  }
  if (c.minValue !== null || c.maxValue !== null) {
    const money = (n: number) => `${n.toFixed(2)} ${c.currency}`;
    const value = facts.valueIn(c.currency);
    if ('total' in value) {
      out.push(rangeVerdict(value.total, c.minValue, c.maxValue, money, 'the consignment is worth', 'consignments worth', 'is worth'));
    } else {
      const { reference, currency } = value.unconvertible;
      out.push({
        verdict: 'unknown',
        words() {
          const why = `package ${reference} is valued in ${currency}, which cannot be converted to ${c.currency}`;
          return {
            fact: `the consignment's value cannot be told: ${why}`,
            requirement: `consignments worth ${rangeText(c.minValue, c.maxValue, money)}`,
            actual: `has a value that cannot be told (${why})`,
          };
        },
      });
    }
  }
  if (c.directions.length > 0) {
    out.push({
      verdict: c.directions.includes(consignment.direction) ? 'holds' : 'fails',
      words: () => ({ fact: `the consignment is ${consignment.direction}`, requirement: `${c.directions.join(' or ')} consignments`, actual: `is ${consignment.direction}` }),
    });
  }
  if (c.tags.length > 0) {
    const wanted = c.tags.map((t) => t.toLowerCase());
    const matching = consignment.tags.filter((t) => wanted.includes(t.toLowerCase()));
    out.push({
      verdict: matching.length > 0 ? 'holds' : 'fails',
      words: () => ({
        fact: `the consignment is tagged ${matching.join(', ')}`,
        requirement: `consignments tagged ${c.tags.join(' or ')}`,
        actual: consignment.tags.length ? `is tagged ${consignment.tags.join(', ')}` : 'has no tags',
      }),
    });
  }
  return out;
}

/** Whether every condition holds (three-valued: a failed condition decides; otherwise an unknown one leaves it open). */
export function combine(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('fails')) return 'fails';
  return verdicts.includes('unknown') ? 'unknown' : 'holds';
}

/** Whether the rule matches the consignment. */
export function ruleMatches(rule: AllocationRule, consignment: ConsignmentData, catalogue: CatalogueIndex): Verdict {
  return combine(conditionVerdicts(rule.conditions, new ConsignmentFacts(consignment, catalogue)).map((v) => v.verdict));
}

/** Each rule's services, lower-cased once (rules are asked about every service of every consignment). */
const serviceKeys = new WeakMap<readonly string[], ReadonlySet<string>>();

/** Whether an enabled rule applies to the service (any spelling; an empty list is every service). */
export function ruleAppliesTo(rule: AllocationRule, serviceReference: string): boolean {
  if (!rule.isEnabled) return false;
  if (rule.serviceReferences.length === 0) return true;
  let keys = serviceKeys.get(rule.serviceReferences);
  if (!keys) {
    keys = new Set(rule.serviceReferences.map((r) => r.toLowerCase()));
    serviceKeys.set(rule.serviceReferences, keys);
  }
  return keys.has(serviceReference.toLowerCase());
}

function and(parts: string[]): string {
  return parts.join(' and ');
}

/**
 * Why the rule excludes the service for this consignment, with the numbers, or null when it does
 * not. A rule that cannot be shown not to apply (a condition it cannot judge) excludes: a user who
 * keeps a service from some consignments would not want it used where that cannot be checked.
 */
export function exclusionBy(rule: AllocationRule, serviceReference: string, facts: ConsignmentFacts): string | null {
  if (!ruleAppliesTo(rule, serviceReference)) return null;
  const judged = judgeRule(rule, facts);
  return judged && exclusionWords(judged);
}

/** A rule judged against one consignment, when it keeps the services it applies to from it. */
export interface ExcludingRule {
  rule: AllocationRule;
  verdicts: ConditionVerdict[];
  match: Verdict;
}

/** The rule's verdict on the consignment: whether it excludes its services (the service does not matter), or null. */
export function judgeRule(rule: AllocationRule, facts: ConsignmentFacts): ExcludingRule | null {
  const verdicts = conditionVerdicts(rule.conditions, facts);
  const match = combine(verdicts.map((v) => v.verdict));
  if (rule.action === 'Exclude' ? match === 'fails' : match === 'holds') return null;
  return { rule, verdicts, match };
}

/** Why an excluding rule keeps a service from the consignment, with the numbers. */
export function exclusionWords({ rule, verdicts, match }: ExcludingRule): string {
  const named = `rule ${rule.reference} (${rule.name})`;
  if (rule.action === 'Exclude') {
    if (verdicts.length === 0) return `${named} excludes this service: the rule has no conditions, so it covers every consignment`;
    const why = and(verdicts.map((v) => v.words().fact));
    return match === 'holds' ? `${named} excludes this service: ${why}` : `${named} excludes this service, as it cannot be shown not to apply: ${why}`;
  }
  const unmet = verdicts.filter((v) => v.verdict !== 'holds').map((v) => v.words());
  return `${named} restricts this service to ${and(unmet.map((w) => w.requirement))}; this one ${and(unmet.map((w) => w.actual))}`;
}
