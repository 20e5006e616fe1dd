/** The pure part of allocating one consignment to one service: which outcome, and the words for it. */
import type { DateTime } from 'luxon';
import type { CarrierService, CatalogueIndex } from './catalogue.js';
import type { Consignment, FailureReason } from './consignment.js';
import { planDates, type DatePlan } from './dates.js';
import { failedChecks } from './eligibility/index.js';
import { canPerform, type ConsignmentState } from './states.js';

export type AllocationDecision =
  | { kind: 'eligible'; plan: DatePlan }
  | { kind: 'ineligible'; reasons: FailureReason[] }
  | { kind: 'alreadyAllocated' }
  | { kind: 'invalidState'; state: ConsignmentState };

/**
 * Plans collection and delivery dates for one moment ("now" of a request). Consignments of a batch
 * mostly share a time zone and shipping date, so plans are memoised by what they depend on.
 */
export class DatePlanner {
  private readonly plans = new Map<string, DatePlan | null>();

  constructor(
    private readonly catalogue: CatalogueIndex,
    readonly now: DateTime,
  ) {}

  planFor(consignment: Consignment, service: CarrierService): DatePlan | null {
    const key = `${service.reference}\u0000${consignment.data.timeZone}\u0000${consignment.data.shippingDate ?? ''}`;
    let plan = this.plans.get(key);
    if (plan === undefined) {
      plan = planDates({
        now: this.now,
        shippingDate: consignment.data.shippingDate,
        timeZone: consignment.data.timeZone,
        calendar: this.catalogue.calendarOf(service),
        deliveryWeekdays: this.catalogue.carrierOf(service).deliveryWeekdays,
        transitDays: service.transitDays,
        deliveryWindow: service.deliveryWindow,
      });
      if (this.plans.size > 10_000) this.plans.clear();
      this.plans.set(key, plan);
    }
    return plan;
  }
}

/** decisions.md §4.3: the outcome for one consignment, before anything is written. */
export function decideAllocation(
  consignment: Consignment,
  service: CarrierService,
  catalogue: CatalogueIndex,
  planner: DatePlanner,
): AllocationDecision {
  if (
    consignment.state === 'Allocated' &&
    consignment.allocation?.mpdCarrierServiceReference.toLowerCase() === service.reference.toLowerCase()
  ) {
    return { kind: 'alreadyAllocated' };
  }
  if (!canPerform('allocate', consignment.state)) return { kind: 'invalidState', state: consignment.state };
  const plan = planner.planFor(consignment, service);
  const reasons = failedChecks({ consignment: consignment.data, service, catalogue, plan });
  if (reasons.length > 0 || !plan) return { kind: 'ineligible', reasons };
  return { kind: 'eligible', plan };
}

export function serviceDisplayName(carrierName: string, serviceName: string): string {
  return `${carrierName} ${serviceName}`;
}

export function successDescription(reference: string, displayName: string, collection: DateTime): string {
  return `Consignment ${reference} has been successfully allocated with ${displayName} for shipping on ${collection.toFormat('dd/MM/yyyy HH:mm:ss ZZ')}`;
}

export function failureDescription(reference: string, displayName: string, reasons: FailureReason[]): string {
  return `Consignment ${reference} could not be allocated with ${displayName}: ${reasons.map((r) => `${r.Code}: ${r.Message}`).join('; ')}`;
}

export function invalidStateDescription(reference: string, state: ConsignmentState): string {
  return `Consignment ${reference} cannot be allocated: it is ${state}`;
}
