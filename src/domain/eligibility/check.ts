import type { AllocationPolicy } from '../allocation-policy.js';
import type { CarrierService, CatalogueIndex } from '../catalogue.js';
import type { ConsignmentData, FailureReason } from '../consignment.js';
import type { DatePlan } from '../dates.js';

/** What every eligibility check may look at. `plan` is null when no collection day could be found. */
export interface EligibilityContext {
  consignment: ConsignmentData;
  service: CarrierService;
  catalogue: CatalogueIndex;
  plan: DatePlan | null;
  /** The subscription's own rules and service tags. */
  policy: AllocationPolicy;
}

/** One independent eligibility rule: null when it passes, otherwise the reason with its numbers. */
export type EligibilityCheck = (ctx: EligibilityContext) => FailureReason | null;

export function fail(Code: string, Message: string): FailureReason {
  return { Code, Message };
}
