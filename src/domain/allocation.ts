/** The pure part of allocating one consignment to one service: which outcome, and the words for it. */
import type { DateTime } from 'luxon';
import { EMPTY_POLICY, type AllocationPolicy } from './allocation-policy.js';
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
 * Plans collection and delivery dates, with the strings that are written and shown, and keeps them
 * while they hold: consignments mostly share a service, time zone and shipping date, and a plan
 * stays right until the start day's cut-off or end (DatePlan.validUntil). One per application.
 */
export class SchedulePlanner {
  private readonly cache = new Map<string, { schedule: Schedule | null; from: number; until: number }>();

  constructor(private readonly catalogue: CatalogueIndex) {}

  scheduleFor(consignment: Consignment, service: CarrierService, now: DateTime): Schedule | null {
    const key = `${service.reference}\u0000${consignment.data.timeZone}\u0000${consignment.data.shippingDate ?? ''}`;
    const at = now.toMillis();
    const hit = this.cache.get(key);
    if (hit && hit.from <= at && at < hit.until) return hit.schedule;
    const plan = planDates({
      now,
      shippingDate: consignment.data.shippingDate,
      timeZone: consignment.data.timeZone,
      calendar: this.catalogue.calendarOf(service),
      deliveryWeekdays: this.catalogue.carrierOf(service).deliveryWeekdays,
      transitDays: service.transitDays,
      deliveryWindow: service.deliveryWindow,
    });
    const schedule = plan && {
      plan,
      collectionDate: isoWithOffset(plan.collection),
      earliestDeliveryDate: isoWithOffset(plan.earliestDelivery),
      latestDeliveryDate: isoWithOffset(plan.latestDelivery),
      shippingOn: shippingOnText(plan.collection),
    };
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(key, { schedule, from: at, until: plan ? plan.validUntil : at + 60_000 });
    return schedule;
  }
}

/** One allocation request's moment: every consignment of a batch is judged against the same "now". */
export class AllocationMoment {
  /** The timestamp written with every change of this request. */
  readonly nowIso: string;

  constructor(
    private readonly planner: SchedulePlanner,
    readonly now: DateTime,
    readonly policy: AllocationPolicy = EMPTY_POLICY,
  ) {
    this.nowIso = utcTimestamp(now);
  }

  scheduleFor(consignment: Consignment, service: CarrierService): Schedule | null {
    return this.planner.scheduleFor(consignment, service, this.now);
  }
}

/** decisions.md §4.3: the outcome for one consignment, before anything is written. */
export function decideAllocation(
  consignment: Consignment,
  service: CarrierService,
  catalogue: CatalogueIndex,
  moment: AllocationMoment,
): AllocationDecision {
  if (
    consignment.state === 'Allocated' &&
    consignment.allocation?.mpdCarrierServiceReference.toLowerCase() === service.reference.toLowerCase()
  ) {
    return { kind: 'alreadyAllocated' };
  }
  if (!canPerform('allocate', consignment.state)) return { kind: 'invalidState', state: consignment.state };
  const schedule = moment.scheduleFor(consignment, service);
  const reasons = failedChecks({ consignment: consignment.data, service, catalogue, plan: schedule?.plan ?? null, policy: moment.policy });
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
