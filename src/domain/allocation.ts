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

export function planFor(consignment: Consignment, service: CarrierService, catalogue: CatalogueIndex, now: DateTime): DatePlan | null {
  return planDates({
    now,
    shippingDate: consignment.data.shippingDate,
    timeZone: consignment.data.timeZone,
    calendar: catalogue.calendarOf(service),
    deliveryWeekdays: catalogue.carrierOf(service).deliveryWeekdays,
    transitDays: service.transitDays,
    deliveryWindow: service.deliveryWindow,
  });
}

/** decisions.md §4.3: the outcome for one consignment, before anything is written. */
export function decideAllocation(
  consignment: Consignment,
  service: CarrierService,
  catalogue: CatalogueIndex,
  now: DateTime,
): AllocationDecision {
  if (
    consignment.state === 'Allocated' &&
    consignment.allocation?.mpdCarrierServiceReference.toLowerCase() === service.reference.toLowerCase()
  ) {
    return { kind: 'alreadyAllocated' };
  }
  if (!canPerform('allocate', consignment.state)) return { kind: 'invalidState', state: consignment.state };
  const plan = planFor(consignment, service, catalogue, now);
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
