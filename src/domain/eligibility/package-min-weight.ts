import { formatNumber } from '../units.js';
import { fail, type EligibilityCheck } from './check.js';

/** Freight services refuse parcels below their minimum weight. */
export const packageMinimumWeightMet: EligibilityCheck = ({ consignment, service }) => {
  const min = service.capabilities.minPackageWeightKg;
  const problems = consignment.packages.filter((p) => p.weightKg < min).map((p) => `package ${p.reference} weighs ${formatNumber(p.weightKg)} kg`);
  return problems.length === 0 ? null : fail('PackageTooLight', `${problems.join(', ')}; the minimum is ${formatNumber(min)} kg`);
};
