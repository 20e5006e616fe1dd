/** The pure part of allocating: one service's evaluation for a consignment, the choice among services, the outcome, and the words for them. */
import { DateTime } from 'luxon';
import type { CarrierService, CatalogueIndex } from './catalogue.js';
import type { Consignment, ConsignmentData, FailureReason } from './consignment.js';
import { isoWithOffset, planDates, utcTimestamp, type DatePlan } from './dates.js';
import { failedChecks, passesAll } from './eligibility/index.js';
import { EMPTY_POLICY, judgeRules, type AllocationPolicy } from './allocation-policy.js';
import type { ExcludingRule } from './allocation-rules/index.js';
import { priceConsignment, pricingDestination, type Price, type PriceResult, type PricingDestination } from './pricing.js';
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
  | { kind: 'eligible'; schedule: Schedule; price: Price | null }
  | { kind: 'ineligible'; reasons: FailureReason[] }
  | { kind: 'alreadyAllocated' }
  | { kind: 'invalidState'; state: ConsignmentState };

/** A consignment's ShippingDate read once: its instant, and its local day and time of day in the consignment's time zone. */
interface RequestedStart {
  millis: number;
  day: string;
  /** HH:mm:ss.SSS, compared as text with a cut-off. */
  time: string;
}

/**
 * Plans collection and delivery dates, with the strings that are written and shown, and keeps them
 * while they hold. A plan depends on the service, the time zone and the start (the later of now
 * and the ShippingDate) only through the start's local day and whether it is before that day's
 * cut-off, so that is the key: consignments shipping on the same day share a plan however their
 * times differ, and one shipping as soon as possible keeps it until the day's cut-off or end
 * (DatePlan.validUntil). One per application.
 */
export class SchedulePlanner {
  private readonly cache = new Map<string, { schedule: Schedule | null; from: number; until: number }>();
  private readonly starts = new WeakMap<ConsignmentData, RequestedStart | null>();

  constructor(private readonly catalogue: CatalogueIndex) {}

  private requestedStart(consignment: ConsignmentData): RequestedStart | null {
    if (!consignment.shippingDate) return null;
    let start = this.starts.get(consignment);
    if (start === undefined) {
      const at = DateTime.fromISO(consignment.shippingDate, { setZone: true }).setZone(consignment.timeZone);
      start = at.isValid ? { millis: at.toMillis(), day: at.toISODate()!, time: at.toFormat('HH:mm:ss.SSS') } : null;
      this.starts.set(consignment, start);
    }
    return start;
  }

  scheduleFor(consignment: ConsignmentData, service: CarrierService, now: DateTime): Schedule | null {
    const at = now.toMillis();
    const requested = this.requestedStart(consignment);
    const future = requested && requested.millis > at ? requested : null;
    const calendar = this.catalogue.calendarOf(service);
    const startKey = future ? `${future.day}${future.time <= `${calendar.cutOffTime}:00.000` ? '<' : '>'}` : '';
    const key = `${service.reference}\u0000${consignment.timeZone}\u0000${startKey}`;
    const hit = this.cache.get(key);
    if (hit && hit.from <= at && at < hit.until) return hit.schedule;
    const plan = planDates({
      now,
      shippingDate: future ? consignment.shippingDate : null,
      timeZone: consignment.timeZone,
      calendar,
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

/**
 * `excludingRules`: the moment's rules judged for this consignment (judgeRules), and `destination`
 * the consignment's, read for pricing: each worked out once by a caller that evaluates the
 * consignment against many services.
 */
export function evaluateService(
  consignment: ConsignmentData,
  service: CarrierService,
  catalogue: CatalogueIndex,
  moment: AllocationMoment,
  excludingRules: readonly ExcludingRule[],
  destination: PricingDestination = pricingDestination(consignment),
): ServiceEvaluation {
  const schedule = moment.scheduleFor(consignment, service);
  const reasons = failedChecks({ consignment, service, catalogue, plan: schedule?.plan ?? null, policy: moment.policy, excludingRules });
  return { service, schedule, reasons, price: priceConsignment(consignment, catalogue.ratesOf(service), destination) };
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
  const excludingRules = judgeRules(moment.policy, consignment, catalogue);
  const priced: { service: CarrierService; price: Price; grossInBase: number }[] = [];
  const destination = pricingDestination(consignment);
  for (const service of services) {
    const result = priceConsignment(consignment, catalogue.ratesOf(service), destination);
    if (result.kind === 'priced') priced.push({ service, price: result.price, grossInBase: catalogue.inBaseCurrency(result.price.total.gross, result.price.currency) });
  }
  priced.sort((a, b) => a.grossInBase - b.grossInBase);
  // Dates are planned only for the services tried: each run of equal prices, in delivery order.
  for (let i = 0; i < priced.length; ) {
    let end = i + 1;
    while (end < priced.length && priced[end].grossInBase === priced[i].grossInBase) end++;
    const tied: Candidate[] = [];
    for (const { service, price, grossInBase } of priced.slice(i, end)) {
      const schedule = moment.scheduleFor(consignment, service);
      if (schedule) tied.push({ service, schedule, price, grossInBase });
    }
    tied.sort(compareCandidates);
    for (const c of tied) {
      if (passesAll({ consignment, service: c.service, catalogue, plan: c.schedule.plan, policy: moment.policy, excludingRules })) return { kind: 'chosen', candidate: c };
    }
    i = end;
  }
  return {
    kind: 'none',
    rejections: services.map((service) => ({ service, reasons: rejectionReasons(evaluateService(consignment, service, catalogue, moment, excludingRules, destination)) })),
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
  const { schedule, reasons, price } = evaluateService(consignment.data, service, catalogue, moment, judgeRules(moment.policy, consignment.data, catalogue));
  if (reasons.length > 0 || !schedule) return { kind: 'ineligible', reasons };
  return { kind: 'eligible', schedule, price: price.kind === 'priced' ? price.price : null };
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

/** When the carrier could not be reached: nothing changed, and the request can be made again. */
export function unavailableDescription(reference: string, displayName: string, carrierName: string, why: string): string {
  return `Consignment ${reference} could not be allocated with ${displayName}: ${carrierName} is unavailable (${why}); nothing was changed, try again later`;
}
