/** An allocation rule as our API shows it: PascalCase, every condition present (empty lists and nulls for those not given). */
import type { AllocationRule } from '../../domain/allocation-rules.js';
import { typed } from '../xml-codec.js';

export function presentRule(rule: AllocationRule): object {
  const c = rule.conditions;
  return typed('AllocationRule', {
    Reference: rule.reference,
    Name: rule.name,
    IsEnabled: rule.isEnabled,
    Action: rule.action,
    MpdCarrierServiceReferences: [...rule.serviceReferences],
    Conditions: typed('AllocationRuleConditions', {
      DestinationCountries: [...c.destinationCountries],
      DestinationPostcodes: [...c.destinationPostcodes],
      MinWeightKg: c.minWeightKg,
      MaxWeightKg: c.maxWeightKg,
      MinPackageLengthCm: c.minPackageLengthCm,
      MaxPackageLengthCm: c.maxPackageLengthCm,
      MinValue: c.minValue,
      MaxValue: c.maxValue,
      Currency: c.currency,
      Directions: [...c.directions],
      Tags: [...c.tags],
    }),
  });
}
