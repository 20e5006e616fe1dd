/** The consignment goes in one of the rule's directions. */
import type { ServiceDirection } from '../../catalogue.js';
import type { RuleCondition } from './condition.js';
import { readList } from './list.js';

const DIRECTIONS: readonly ServiceDirection[] = ['Outbound', 'Inbound'];

export interface DirectionsSettings {
  /** Empty: the condition is not given. */
  directions: ServiceDirection[];
}

export const directions: RuleCondition<DirectionsSettings> = {
  fields: { directions: { kind: 'list', oneOf: DIRECTIONS } },

  read(input, reading) {
    // The schema refuses any other word (and reports it), so one is simply left out here.
    return { directions: readList(input.directions, 'directions', DIRECTIONS.length, reading, (value) => DIRECTIONS.find((d) => d === value) ?? null) };
  },

  judge({ directions: wanted }, { consignment }) {
    if (wanted.length === 0) return null;
    return {
      verdict: wanted.includes(consignment.direction) ? 'holds' : 'fails',
      words: () => ({ fact: `the consignment is ${consignment.direction}`, requirement: `${wanted.join(' or ')} consignments`, actual: `is ${consignment.direction}` }),
    };
  },
};
