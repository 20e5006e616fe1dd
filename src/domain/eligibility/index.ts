/**
 * The eligibility engine: every check runs, and a service is eligible for a consignment when all
 * pass. Adding a check is adding a file and a line in CHECKS.
 */
import type { FailureReason } from '../consignment.js';
import type { EligibilityCheck, EligibilityContext } from './check.js';
import { directionServed } from './direction.js';
import { originServed } from './origin.js';
import { destinationServed } from './destination.js';
import { postcodeAllowed } from './postcode.js';
import { packageWeightAllowed } from './package-weight.js';
import { packageMinimumWeightMet } from './package-min-weight.js';
import { consignmentWeightAllowed } from './consignment-weight.js';
import { packageCountAllowed } from './package-count.js';
import { packageLengthAllowed } from './package-length.js';
import { lengthPlusGirthAllowed } from './length-plus-girth.js';
import { valueAllowed } from './value.js';
import { contentAllowed } from './content.js';
import { tagsMatched } from './tags.js';
import { ruleExcluded } from './rule-excluded.js';
import { deliveryPromiseKept } from './delivery-promise.js';

export type { EligibilityCheck, EligibilityContext } from './check.js';

export const CHECKS: readonly EligibilityCheck[] = [
  directionServed,
  originServed,
  destinationServed,
  postcodeAllowed,
  packageWeightAllowed,
  packageMinimumWeightMet,
  consignmentWeightAllowed,
  packageCountAllowed,
  packageLengthAllowed,
  lengthPlusGirthAllowed,
  valueAllowed,
  contentAllowed,
  tagsMatched,
  ruleExcluded,
  deliveryPromiseKept,
];

/** Every failed check, in CHECKS order; empty when the service is eligible. */
export function failedChecks(ctx: EligibilityContext, checks: readonly EligibilityCheck[] = CHECKS): FailureReason[] {
  const reasons: FailureReason[] = [];
  for (const check of checks) {
    const reason = check(ctx);
    if (reason) reasons.push(reason);
  }
  return reasons;
}

/** Whether every check passes, stopping at the first failure: for choosing, where reasons are not needed. */
export function passesAll(ctx: EligibilityContext, checks: readonly EligibilityCheck[] = CHECKS): boolean {
  for (const check of checks) if (check(ctx)) return false;
  return true;
}
