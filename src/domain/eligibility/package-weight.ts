import { formatNumber } from '../units.js';
import { fail, type EligibilityCheck } from './check.js';

export const packageWeightAllowed: EligibilityCheck = ({ consignment, service }) => {
  const max = service.capabilities.maxPackageWeightKg;
  if (max === null) return null;
  const problems = consignment.packages.filter((p) => p.weightKg > max).map((p) => `package ${p.reference} weighs ${formatNumber(p.weightKg)} kg`);
  return problems.length === 0 ? null : fail('PackageTooHeavy', `${problems.join(', ')}; the limit is ${formatNumber(max)} kg`);
};
