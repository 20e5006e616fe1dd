import { totalWeightKg } from '../consignment.js';
import { formatNumber } from '../units.js';
import { fail, type EligibilityCheck } from './check.js';

export const consignmentWeightAllowed: EligibilityCheck = ({ consignment, service }) => {
  const max = service.capabilities.maxConsignmentWeightKg;
  const total = totalWeightKg(consignment);
  return max === null || total <= max
    ? null
    : fail('ConsignmentTooHeavy', `the consignment weighs ${formatNumber(total)} kg; the limit is ${formatNumber(max)} kg`);
};
