/** The pure part of allocating one consignment to one service: which outcome, and the words for it. */
import type { DateTime } from 'luxon';
import type { CarrierService, CatalogueIndex } from './catalogue.js';
import type { Consignment, FailureReason } from './consignment.js';
import { isoWithOffset, planDates, utcTimestamp, type DatePlan } from './dates.js';
import { failedChecks } from './eligibility/index.js';
import { canPerform, type ConsignmentState } from './states.js';

/** A date plan with the strings that are written and shown, formatted once per plan. */
export interface Schedule {
  plan: DatePlan;
  collectionDate: string;
  earliestDeliveryDate: string;
  latestDeliveryDate: string;
  /** The collection date-time as the success message shows it: dd/MM/yyyy HH:mm:ss zzz. */
  shippingOn: string;
}

export function shippingOnText(collection: DateTime): string {
  return collection.toFormat('dd/MM/yyyy HH:mm:ss ZZ');
}

export type AllocationDecision =
  | { kind: 'eligible'; schedule: Schedule }
  | { kind: 'ineligible'; reasons: FailureReason[] }
  | { kind: 'alreadyAllocated' }
  | { kind: 'invalidState'; state: ConsignmentState };

/**
 * Plans collection and delivery dates for one moment ("now" of a request). Consignments of a batch
 * mostly share a time zone and shipping date, so plans are memoised by what they depend on.
 */
export class DatePlanner {
  private readonly schedules = new Map<string, Schedule | null>();
  /** "now" in UTC ISO form, the timestamp written with every change of this request. */
  readonly nowIso: string;

  constructor(
    private readonly catalogue: CatalogueIndex,
    readonly now: DateTime,
  ) {
    this.nowIso = utcTimestamp(now);
  }

  scheduleFor(consignment: Consignment, service: CarrierService): Schedule | null {
    const key = `${service.reference}\u0000${consignment.data.timeZone}\u0000${consignment.data.shippingDate ?? ''}`;
    let schedule = this.schedules.get(key);
    if (schedule === undefined) {
      const plan = planDates({
        now: this.now,
        shippingDate: consignment.data.shippingDate,
        timeZone: consignment.data.timeZone,
        calendar: this.catalogue.calendarOf(service),
        deliveryWeekdays: this.catalogue.carrierOf(service).deliveryWeekdays,
        transitDays: service.transitDays,
        deliveryWindow: service.deliveryWindow,
      });
      schedule = plan && {
        plan,
        collectionDate: isoWithOffset(plan.collection),
        earliestDeliveryDate: isoWithOffset(plan.earliestDelivery),
        latestDeliveryDate: isoWithOffset(plan.latestDelivery),
        shippingOn: shippingOnText(plan.collection),
      };
      if (this.schedules.size > 10_000) this.schedules.clear();
      this.schedules.set(key, schedule);
    }
    return schedule;
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
  const schedule = planner.scheduleFor(consignment, service);
  const reasons = failedChecks({ consignment: consignment.data, service, catalogue, plan: schedule?.plan ?? null });
  if (reasons.length > 0 || !schedule) return { kind: 'ineligible', reasons };
  return { kind: 'eligible', schedule };
}

export function serviceDisplayName(carrierName: string, serviceName: string): string {
  return `${carrierName} ${serviceName}`;
}

export function successDescription(reference: string, displayName: string, shippingOn: string): string {
  return `Consignment ${reference} has been successfully allocated with ${displayName} for shipping on ${shippingOn}`;
}

export function failureDescription(reference: string, displayName: string, reasons: FailureReason[]): string {
  return `Consignment ${reference} could not be allocated with ${displayName}: ${reasons.map((r) => `${r.Code}: ${r.Message}`).join('; ')}`;
}

export function invalidStateDescription(reference: string, state: ConsignmentState): string {
  return `Consignment ${reference} cannot be allocated: it is ${state}`;
}
