import { formatNumber } from '../units.js';
import { fail, type EligibilityCheck } from './check.js';

export const packageWeightAllowed: EligibilityCheck = ({ consignment, service }) => {
  const { minPackageWeightKg: min, maxPackageWeightKg: max } = service.capabilities;
  const problems = consignment.packages
    .filter((p) => (max !== null && p.weightKg > max) || p.weightKg < min)
    .map((p) => `package ${p.reference} weighs ${formatNumber(p.weightKg)} kg`);
  if (problems.length === 0) return null;
  const limit = max === null ? `at least ${formatNumber(min)} kg` : `${formatNumber(min)} to ${formatNumber(max)} kg`;
  return fail('PackageTooHeavy', `${problems.join(', ')}; the limit is ${limit}`);
};
