/**
 * A range condition: a measure of the consignment bounded from below, above or both (inclusive),
 * each bound a setting of its own (null: no bound). Weight and package length are range
 * conditions as they are; value is one with a currency (value-range.ts).
 */
import { formatNumber } from '../../units.js';
import type { ConsignmentFacts } from '../facts.js';
import type { ConditionReading, ConditionVerdict, RuleCondition } from './condition.js';

function readBound(value: number | null | undefined, field: string, limit: number, reading: ConditionReading): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isFinite(value) || value < 0 || value > limit) {
    const target = reading.target(field);
    reading.problems.push({ Code: 'Invalid', Target: target, Message: `${target} must be a number from 0 to ${limit}` });
    return null;
  }
  return value;
}

/** Both bounds, each from 0 to `limit`, the lower not above the upper. */
export function readRange(
  min: number | null | undefined,
  max: number | null | undefined,
  [minField, maxField]: [string, string],
  limit: number,
  reading: ConditionReading,
): [number | null, number | null] {
  const lo = readBound(min, minField, limit, reading);
  const hi = readBound(max, maxField, limit, reading);
  if (lo !== null && hi !== null && lo > hi) {
    const [loTarget, hiTarget] = [reading.target(minField), reading.target(maxField)];
    reading.problems.push({ Code: 'Invalid', Target: loTarget, Message: `${loTarget} (${formatNumber(lo)}) must not exceed ${hiTarget} (${formatNumber(hi)})` });
  }
  return [lo, hi];
}

export function rangeText(min: number | null, max: number | null, show: (n: number) => string): string {
  if (min !== null && max !== null) return `${show(min)} to ${show(max)}`;
  return min !== null ? `at least ${show(min)}` : `at most ${show(max!)}`;
}

/** How a range condition speaks of the consignment: "the consignment weighs", "consignments of", "weighs". */
export interface RangeWords {
  subject: string;
  requirement: string;
  actual: string;
}

export function rangeVerdict(value: number, min: number | null, max: number | null, show: (n: number) => string, words: RangeWords): ConditionVerdict {
  return {
    verdict: (min === null || value >= min) && (max === null || value <= max) ? 'holds' : 'fails',
    words() {
      const range = rangeText(min, max, show);
      const inRange = min !== null && max !== null ? `in the range ${range}` : range;
      return { fact: `${words.subject} ${show(value)}, which is ${inRange}`, requirement: `${words.requirement} ${range}`, actual: `${words.actual} ${show(value)}` };
    },
  };
}

/** A range condition on one measure of the consignment, its bounds the settings `min` and `max`. */
export function rangeCondition<Min extends string, Max extends string>(spec: {
  min: Min;
  max: Max;
  limit: number;
  show: (n: number) => string;
  measure: (facts: ConsignmentFacts) => number;
  words: RangeWords;
}): RuleCondition<Record<Min | Max, number | null>> {
  const { min, max } = spec;
  return {
    fields: { [min]: { kind: 'number' }, [max]: { kind: 'number' } } as RuleCondition<Record<Min | Max, number | null>>['fields'],
    read(input, reading) {
      const [lo, hi] = readRange(input[min], input[max], [min, max], spec.limit, reading);
      return { [min]: lo, [max]: hi } as Record<Min | Max, number | null>;
    },
    judge(settings, facts) {
      const [lo, hi] = [settings[min], settings[max]];
      return lo === null && hi === null ? null : rangeVerdict(spec.measure(facts), lo, hi, spec.show, spec.words);
    },
  };
}
