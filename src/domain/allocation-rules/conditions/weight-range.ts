/** The consignment's total weight is within the rule's bounds. */
import { MAX_WEIGHT_KG } from '../../limits.js';
import { formatNumber } from '../../units.js';
import { rangeCondition } from './range.js';

export const weightRange = rangeCondition({
  min: 'minWeightKg',
  max: 'maxWeightKg',
  limit: MAX_WEIGHT_KG,
  show: (n) => `${formatNumber(n)} kg`,
  measure: (facts) => facts.weightKg,
  words: { subject: 'the consignment weighs', requirement: 'consignments of', actual: 'weighs' },
});
