import { formatNumber, lengthPlusGirth } from '../units.js';
import { fail, type EligibilityCheck } from './check.js';

export const lengthPlusGirthAllowed: EligibilityCheck = ({ consignment, service }) => {
  const max = service.capabilities.maxLengthPlusGirthCm;
  if (max === null) return null;
  const problems = consignment.packages
    .filter((p) => lengthPlusGirth(p.dimensions) > max)
    .map((p) => `package ${p.reference} measures ${formatNumber(lengthPlusGirth(p.dimensions))} cm length plus girth`);
  return problems.length === 0 ? null : fail('LengthPlusGirthExceeded', `${problems.join(', ')}; the limit is ${formatNumber(max)} cm`);
};
