import { fail, type EligibilityCheck } from './check.js';

export const valueAllowed: EligibilityCheck = ({ consignment, service, catalogue }) => {
  const max = service.capabilities.maxValue;
  if (max === null) return null;
  let total = 0;
  for (const p of consignment.packages) {
    if (!p.value) continue;
    const converted = catalogue.convert(p.value.amount, p.value.currency, service.currency);
    if (converted === null) {
      return fail('ValueTooHigh', `package ${p.reference} is valued in ${p.value.currency}, which cannot be converted to ${service.currency}`);
    }
    total += converted;
  }
  total = Math.round(total * 100) / 100;
  return total <= max
    ? null
    : fail('ValueTooHigh', `the consignment is valued at ${total.toFixed(2)} ${service.currency}; the limit is ${max.toFixed(2)} ${service.currency}`);
};
