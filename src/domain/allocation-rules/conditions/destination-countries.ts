/** The consignment goes to one of the rule's countries. */
import { isCountryCode } from '../../countries.js';
import { MAX_RULE_COUNTRIES } from '../../limits.js';
import type { RuleCondition } from './condition.js';
import { readList } from './list.js';

export interface DestinationCountriesSettings {
  /** ISO two-letter codes, upper case; empty: the condition is not given. */
  destinationCountries: string[];
}

export const destinationCountries: RuleCondition<DestinationCountriesSettings> = {
  fields: { destinationCountries: { kind: 'list' } },

  read(input, reading) {
    const countries = readList(input.destinationCountries, 'destinationCountries', MAX_RULE_COUNTRIES, reading, (value, target) => {
      const code = value.trim().toUpperCase();
      if (isCountryCode(code)) return code;
      reading.problems.push({ Code: 'Invalid', Target: target, Message: `${target} must be an ISO 3166 two-letter country code (got ${value.slice(0, 20)})` });
      return null;
    });
    return { destinationCountries: countries };
  },

  judge({ destinationCountries: countries }, { country }) {
    if (countries.length === 0) return null;
    return {
      verdict: countries.includes(country) ? 'holds' : 'fails',
      words: () => ({
        fact: `the destination country is ${country}`,
        requirement: `destinations in ${countries.join(', ')}`,
        actual: `goes to ${country || 'no country'}`,
      }),
    };
  },
};
