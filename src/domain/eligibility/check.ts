import type { CarrierService, CatalogueIndex } from '../catalogue.js';
import type { ConsignmentData, FailureReason } from '../consignment.js';
import type { AllocationPolicy } from '../allocation-policy.js';
import type { ExcludingRule } from '../allocation-rules/index.js';
import type { DatePlan } from '../dates.js';

/** What every eligibility check may look at. `plan` is null when no collection day could be found. */
export interface EligibilityContext {
  consignment: ConsignmentData;
  service: CarrierService;
  catalogue: CatalogueIndex;
  plan: DatePlan | null;
  /** The subscription's own allocation rules and service tags. */
  policy: AllocationPolicy;
  /**
   * The policy's rules that keep their services from this consignment (judgeRules). A rule's verdict
   * does not depend on the service, so whoever checks several services for one consignment judges
   * the rules once and hands the same list to each.
   */
  excludingRules: readonly ExcludingRule[];
}

/** One independent eligibility rule: null when it passes, otherwise the reason with its numbers. */
export type EligibilityCheck = (ctx: EligibilityContext) => FailureReason | null;

export function fail(Code: string, Message: string): FailureReason {
  return { Code, Message };
}
