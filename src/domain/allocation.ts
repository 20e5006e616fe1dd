/** The pure part of allocating one consignment to one service: which outcome, and the words for it. */
import type { DateTime } from 'luxon';
import type { CarrierService, CatalogueIndex } from './catalogue.js';
import type { Consignment, ConsignmentData, FailureReason } from './consignment.js';
import { isoWithOffset, planDates, utcTimestamp, type DatePlan } from './dates.js';
import { failedChecks, passesAll } from './eligibility/index.js';
import { EMPTY_POLICY, type AllocationPolicy } from './allocation-policy.js';
import { priceConsignment, type Price, type PriceResult } from './pricing.js';
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

  scheduleFor(consignment: ConsignmentData, service: CarrierService, now: DateTime): Schedule | null {
    const key = `${service.reference}\u0000${consignment.timeZone}\u0000${consignment.shippingDate ?? ''}`;
    const at = now.toMillis();
    const hit = this.cache.get(key);
    if (hit && hit.from <= at && at < hit.until) return hit.schedule;
    const plan = planDates({
      now,
      shippingDate: consignment.shippingDate,
      timeZone: consignment.timeZone,
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

/** One allocation request's moment: every consignment of a batch is judged against the same "now" and the same rules. */
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

  scheduleFor(consignment: ConsignmentData, service: CarrierService): Schedule | null {
    return this.planner.scheduleFor(consignment, service, this.now);
  }
}

/** Everything known about one service for one consignment: its dates, every failed check, its price. */
export interface ServiceEvaluation {
  service: CarrierService;
  schedule: Schedule | null;
  /** Every failed eligibility check (no schedule shows as DeliveryPromiseMissed). */
  reasons: FailureReason[];
  price: PriceResult;
}

export function evaluateService(consignment: ConsignmentData, service: CarrierService, catalogue: CatalogueIndex, moment: AllocationMoment): ServiceEvaluation {
  const schedule = moment.scheduleFor(consignment, service);
  const reasons = failedChecks({ consignment, service, catalogue, plan: schedule?.plan ?? null, policy: moment.policy });
  return { service, schedule, reasons, price: priceConsignment(consignment, service) };
}

/** Why a service cannot be chosen for a consignment: its failed checks and, when it has no price, why. */
export function rejectionReasons(evaluation: ServiceEvaluation): FailureReason[] {
  return evaluation.price.kind === 'unpriced' ? [...evaluation.reasons, evaluation.price.reason] : evaluation.reasons;
}

/** A service that can carry the consignment at a price. */
export interface Candidate {
  service: CarrierService;
  schedule: Schedule;
  price: Price;
  /** The gross price in the catalogue's base currency, so that services priced in different currencies compare. */
  grossInBase: number;
}

export function candidate(service: CarrierService, schedule: Schedule, price: Price, catalogue: CatalogueIndex): Candidate {
  return { service, schedule, price, grossInBase: catalogue.inBaseCurrency(price.total.gross, price.currency) };
}

/** The order of preference (issue 3): cheapest by gross price, then earliest delivery, then service reference. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    a.grossInBase - b.grossInBase ||
    a.schedule.plan.earliestDelivery.toMillis() - b.schedule.plan.earliestDelivery.toMillis() ||
    compareReferences(a.service.reference, b.service.reference)
  );
}

function compareReferences(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface Rejection {
  service: CarrierService;
  reasons: FailureReason[];
}

export type Choice = { kind: 'chosen'; candidate: Candidate } | { kind: 'none'; rejections: Rejection[] };

/**
 * The cheapest service that qualifies (decisions.md §4.10). Services are priced and dated first
 * and tried in order of preference, each stopping at its first failed check, so that the usual
 * case runs few checks; only when none qualifies is every check of every service run, to say why.
 */
export function chooseCheapest(consignment: ConsignmentData, services: readonly CarrierService[], catalogue: CatalogueIndex, moment: AllocationMoment): Choice {
  const priced: Candidate[] = [];
  for (const service of services) {
    const price = priceConsignment(consignment, service);
    if (price.kind !== 'priced') continue;
    const schedule = moment.scheduleFor(consignment, service);
    if (schedule) priced.push(candidate(service, schedule, price.price, catalogue));
  }
  priced.sort(compareCandidates);
  for (const candidate of priced) {
    const ctx = { consignment, service: candidate.service, catalogue, plan: candidate.schedule.plan, policy: moment.policy };
    if (passesAll(ctx)) return { kind: 'chosen', candidate };
  }
  return {
    kind: 'none',
    rejections: services.map((service) => ({ service, reasons: rejectionReasons(evaluateService(consignment, service, catalogue, moment)) })),
  };
}

/** decisions.md §4.3: the outcome for one consignment and one named service, before anything is written. */
export function decideAllocation(
  consignment: Consignment,
  service: CarrierService,
  catalogue: CatalogueIndex,
  moment: AllocationMoment,
): AllocationDecision {
  if (isAllocatedTo(consignment, service)) return { kind: 'alreadyAllocated' };
  if (!canPerform('allocate', consignment.state)) return { kind: 'invalidState', state: consignment.state };
  const schedule = moment.scheduleFor(consignment.data, service);
  const reasons = failedChecks({ consignment: consignment.data, service, catalogue, plan: schedule?.plan ?? null, policy: moment.policy });
  if (reasons.length > 0 || !schedule) return { kind: 'ineligible', reasons };
  return { kind: 'eligible', schedule };
}

export function isAllocatedTo(consignment: Consignment, service: CarrierService): boolean {
  return consignment.state === 'Allocated' && consignment.allocation?.mpdCarrierServiceReference.toLowerCase() === service.reference.toLowerCase();
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

/** A 422 Description when the engine chose among services and none qualified: per service, why. */
export function noServiceDescription(reference: string, scope: string, rejections: { displayName: string; reference: string; reasons: FailureReason[] }[]): string {
  if (rejections.length === 0) return `Consignment ${reference} could not be allocated ${scope}: there is no service to consider`;
  const perService = rejections.map((r) => `${r.displayName} (${r.reference}): ${r.reasons.map((x) => `${x.Code}: ${x.Message}`).join('; ')}`);
  return `Consignment ${reference} could not be allocated ${scope}: none of the ${rejections.length} services considered qualified. ${perService.join(' | ')}`;
}
