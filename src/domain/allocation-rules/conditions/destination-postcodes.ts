/** The consignment goes to a UK postcode in one of the rule's areas, districts or sectors. */
import { MAX_RULE_POSTCODES } from '../../limits.js';
import { parsePostcodePrefix } from '../../postcode.js';
import type { ConditionInput, RuleCondition } from './condition.js';
import { destinationCountries, type DestinationCountriesSettings } from './destination-countries.js';
import { readList } from './list.js';

export interface DestinationPostcodesSettings {
  /** UK area, district or sector prefixes, normalised ("IV", "PA20", "HS1 2"); only GB destinations can match. */
  destinationPostcodes: string[];
}

/** Read beside the countries, which must leave GB in for a postcode to match. */
export const destinationPostcodes: RuleCondition<DestinationPostcodesSettings, ConditionInput<DestinationPostcodesSettings & DestinationCountriesSettings>> = {
  fields: { destinationPostcodes: { kind: 'list' } },

  read(input, reading) {
    const prefixes = readList(input.destinationPostcodes, 'destinationPostcodes', MAX_RULE_POSTCODES, reading, (value, target) => {
      const parsed = parsePostcodePrefix(value);
      if (parsed !== null) return parsed.prefix;
      reading.problems.push({
        Code: 'Invalid',
        Target: target,
        Message: `${target} must be a UK postcode area, district or sector such as IV, PA20 or HS1 2 (got ${value.slice(0, 20)})`,
      });
      return null;
    });
    // The countries as their own condition reads them; it reports their problems itself.
    const countries = destinationCountries.read(input, { ...reading, problems: [] }).destinationCountries;
    if (prefixes.length > 0 && countries.length > 0 && !countries.includes('GB')) {
      const [target, countriesTarget] = [reading.target('destinationPostcodes'), reading.target('destinationCountries')];
      reading.problems.push({
        Code: 'Invalid',
        Target: target,
        Message: `${target} match GB destinations only, but ${countriesTarget} leaves out GB, so the rule could never match`,
      });
    }
    return { destinationPostcodes: prefixes };
  },

  judge({ destinationPostcodes: prefixes }, facts) {
    if (prefixes.length === 0) return null;
    const listed = () => prefixes.join(', ');
    const requirement = () => `destination postcodes in ${listed()}`;
    if (facts.country !== 'GB') {
      return { verdict: 'fails', words: () => ({ fact: 'the destination is outside GB', requirement: requirement(), actual: 'goes outside GB' }) };
    }
    const postcode = facts.postcode;
    if (!postcode) {
      const given = facts.postcodeGiven;
      return {
        verdict: 'unknown',
        words: () => ({
          fact: `the destination postcode ${given || '(none)'} is not a valid UK postcode, so whether it is in ${listed()} cannot be told`,
          requirement: requirement(),
          actual: given ? `has the destination postcode ${given}, which is not a valid UK postcode` : 'has no destination postcode',
        }),
      };
    }
    // A rule's prefixes are stored normalised, so they compare as they are (whole parts only: B is not BT).
    const prefix = prefixes.find((p) => p === postcode.area || p === postcode.district || p === postcode.sector);
    return {
      verdict: prefix !== undefined ? 'holds' : 'fails',
      words: () => ({ fact: `the destination postcode ${postcode.normalised} is in ${prefix ?? listed()}`, requirement: requirement(), actual: `goes to ${postcode.normalised}` }),
    };
  },
};
