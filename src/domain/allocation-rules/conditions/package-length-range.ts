/** The longest side of the consignment's longest package is within the rule's bounds. */
import { MAX_LENGTH_CM } from '../../limits.js';
import { formatNumber } from '../../units.js';
import { rangeCondition } from './range.js';

export const packageLengthRange = rangeCondition({
  min: 'minPackageLengthCm',
  max: 'maxPackageLengthCm',
  limit: MAX_LENGTH_CM,
  show: (n) => `${formatNumber(n)} cm`,
  measure: (facts) => facts.longestSideCm,
  words: {
    subject: 'the longest side of its longest package is',
    requirement: 'consignments whose longest package side is',
    actual: 'has a longest package side of',
  },
});
