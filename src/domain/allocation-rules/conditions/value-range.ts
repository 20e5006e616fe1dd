/** The consignment's total value (the sum of its packages' values), in the rule's currency, is within the rule's bounds. */
import { MAX_AMOUNT } from '../../limits.js';
import type { RuleCondition } from './condition.js';
import { rangeText, rangeVerdict, readRange } from './range.js';

export interface ValueRangeSettings {
  minValue: number | null;
  maxValue: number | null;
  /** The bounds' currency, upper case; GBP when not given. */
  currency: string;
}

export const valueRange: RuleCondition<ValueRangeSettings> = {
  fields: { minValue: { kind: 'number' }, maxValue: { kind: 'number' }, currency: { kind: 'text' } },

  read(input, reading) {
    const [minValue, maxValue] = readRange(input.minValue, input.maxValue, ['minValue', 'maxValue'], MAX_AMOUNT, reading);
    const given = input.currency ?? '';
    const currency = given.trim().toUpperCase() || 'GBP';
    if (!/^[A-Z]{3}$/.test(currency) || !reading.knownCurrency(currency)) {
      const target = reading.target('currency');
      reading.problems.push({ Code: 'Invalid', Target: target, Message: `${target} must be a currency the catalogue can convert (got ${given.slice(0, 20)})` });
    }
    return { minValue, maxValue, currency };
  },

  judge({ minValue, maxValue, currency }, facts) {
    if (minValue === null && maxValue === null) return null;
    const money = (n: number) => `${n.toFixed(2)} ${currency}`;
    const value = facts.valueIn(currency);
    if ('total' in value) return rangeVerdict(value.total, minValue, maxValue, money, { subject: 'the consignment is worth', requirement: 'consignments worth', actual: 'is worth' });
    const { reference, currency: valuedIn } = value.unconvertible;
    return {
      verdict: 'unknown',
      words() {
        const why = `package ${reference} is valued in ${valuedIn}, which cannot be converted to ${currency}`;
        return {
          fact: `the consignment's value cannot be told: ${why}`,
          requirement: `consignments worth ${rangeText(minValue, maxValue, money)}`,
          actual: `has a value that cannot be told (${why})`,
        };
      },
    };
  },
};
