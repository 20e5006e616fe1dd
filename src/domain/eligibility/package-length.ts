import { formatNumber, longestSide } from '../units.js';
import { fail, type EligibilityCheck } from './check.js';

export const packageLengthAllowed: EligibilityCheck = ({ consignment, service }) => {
  const max = service.capabilities.maxPackageLengthCm;
  if (max === null) return null;
  const problems = consignment.packages
    .filter((p) => longestSide(p.dimensions) > max)
    .map((p) => `package ${p.reference} is ${formatNumber(longestSide(p.dimensions))} cm long`);
  return problems.length === 0 ? null : fail('PackageTooLong', `${problems.join(', ')}; the limit is ${formatNumber(max)} cm`);
};
