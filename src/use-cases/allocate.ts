/**
 * Allocating consignments to a carrier service (decisions.md §4): each consignment is decided on
 * its own, and a slice's changes are written in one group commit (§4.8), each conditional on its
 * consignment's state and version, so concurrent requests never allocate one twice, a crash leaves
 * each either untouched or fully allocated, and one that changed meanwhile is decided again alone.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DateTime } from 'luxon';
import type { CarrierService } from '../domain/catalogue.js';
import type { AllocationRecord, Consignment, ConsignmentLegRecord, FailedAllocationRecord, FailureReason } from '../domain/consignment.js';
import {
  AllocationMoment,
  chooseCheapest,
  decideAllocation,
  failureDescription,
  invalidStateDescription,
  noServiceDescription,
  serviceDisplayName,
  shippingOnText,
  successDescription,
  unavailableDescription,
  type Rejection,
  type Schedule,
} from '../domain/allocation.js';
import type { Price } from '../domain/pricing.js';
import type { ServiceGroup } from '../domain/service-group.js';
import { allowedStates, canPerform, type ConsignmentState } from '../domain/states.js';
import { AppError, consignmentBusy } from './errors.js';
import type { AppContext, Caller } from './app-context.js';
import type { Transition } from '../store/consignments.repository.js';
import { bookJourney, releaseJourney, type BookedJourney } from './bookings.js';
import { CarrierOutages } from './carrier-calls.js';
import { mapInOrder, RACE_RETRIES } from './concurrency.js';

/**
 * One result of an allocation request, one kind per way it can end. It names the consignment
 * rather than holding it, so a large batch's rows can be freed as it goes.
 */
export type AllocationOutcome =
  | { kind: 'allocated'; reference: string; allocation: AllocationRecord; description: string }
  /** No service could take it (every failed check, or the carrier's refusal): the consignment is now AllocationFailed. */
  | { kind: 'failed'; reference: string; service: CarrierService | null; carrierName: string | null; reasons: FailureReason[]; description: string }
  /** Its state does not allow allocating: nothing changed. */
  | { kind: 'invalidState'; reference: string; state: ConsignmentState; description: string }
  /** The carrier could not be reached: nothing changed, and the same request can simply be made again. */
  | { kind: 'carrierUnavailable'; reference: string; carrierName: string; description: string }
  /** It kept changing under concurrent requests while this one decided it: nothing changed by this one; try again. */
  | { kind: 'busy'; reference: string; description: string };

/**
 * What an allocation endpoint allocates to: one named service (Allocate With Carrier Service, or a
 * quote's service at the quoted price), or the cheapest qualifying service among several (default
 * rules, a service group, service filters).
 */
export type AllocationTarget =
  | { kind: 'service'; service: CarrierService; price?: Price }
  | { kind: 'cheapest'; services: readonly CarrierService[]; group: ServiceGroup | null; scope: string };

/** A batch is read and decided a slice at a time, to bound memory: at most this many consignments... */
const SLICE_COUNT = 64;
/** ...and at most this much stored JSON (bytes), since one consignment may hold 1,000 packages. */
const SLICE_SIZE = 8_000_000;
/**
 * SQLite calls are synchronous, so a long batch would never let the event loop serve anyone else;
 * it steps aside this often (a few milliseconds of work) so that other requests keep flowing.
 */
const YIELD_EVERY = 32;

/** 404 ConsignmentNotFound with one detail per reference the caller has no consignment for (decisions.md §4.2). */
export function consignmentsNotFound(missing: string[]): AppError {
  return new AppError(
    'ConsignmentNotFound',
    missing.length === 1 ? `Consignment ${missing[0]} not found` : `${missing.length} consignments not found`,
    missing.map((r) => ({ Code: 'NotFound', Target: r, Message: `No consignment ${r} exists for this subscription` })),
  );
}

/**
 * 404 ConsignmentNotFound, one detail per reference, unless every reference is the caller's; then
 * the references in slices to read and decide one at a time.
 */
export async function requireConsignments(ctx: AppContext, caller: Caller, references: string[]): Promise<string[][]> {
  const found = await ctx.consignments.existingReferences(caller.subscriptionId, references);
  const missing = references.filter((r) => !found.has(r));
  if (missing.length) throw consignmentsNotFound(missing);
  const slices: string[][] = [];
  let slice: string[] = [];
  let size = 0;
  for (const reference of references) {
    const own = found.get(reference)!;
    if (slice.length > 0 && (slice.length >= SLICE_COUNT || size + own > SLICE_SIZE)) {
      slices.push(slice);
      slice = [];
      size = 0;
    }
    slice.push(reference);
    size += own;
  }
  if (slice.length > 0) slices.push(slice);
  return slices;
}

function displayName(ctx: AppContext, service: CarrierService): string {
  return serviceDisplayName(ctx.catalogue.carrierOf(service).name, service.name);
}

/** The 200 outcome for a consignment already allocated (a safe retry): its existing allocation. */
function existingAllocationOutcome(ctx: AppContext, consignment: Consignment): AllocationOutcome {
  const allocation = consignment.allocation!;
  const service = ctx.catalogue.service(allocation.mpdCarrierServiceReference);
  const name = service ? displayName(ctx, service) : serviceDisplayName(allocation.carrierName, allocation.mpdCarrierServiceName);
  const shippingOn = shippingOnText(DateTime.fromISO(allocation.collectionDate, { setZone: true }));
  return { kind: 'allocated', reference: consignment.reference, allocation, description: successDescription(consignment.reference, name, shippingOn) };
}

/** What is being allocated: the service, its dates, its price (null when it cannot be priced) and the group it was chosen from. */
interface Allocating {
  service: CarrierService;
  schedule: Schedule;
  price: Price | null;
  group: ServiceGroup | null;
}

function allocationRecord(ctx: AppContext, { service, schedule, price, group }: Allocating, legs: ConsignmentLegRecord[], at: string): AllocationRecord {
  const carrier = ctx.catalogue.carrierOf(service);
  return {
    mpdCarrierServiceReference: service.reference,
    mpdCarrierServiceName: service.name,
    carrierReference: carrier.reference,
    carrierName: carrier.name,
    carrierServiceGroupReference: group?.reference ?? '',
    mpdCarrierServiceGroupName: group?.name ?? null,
    price,
    allocationDate: at,
    collectionDate: schedule.collectionDate,
    earliestDeliveryDate: schedule.earliestDeliveryDate,
    latestDeliveryDate: schedule.latestDeliveryDate,
    legs,
  };
}

/** A failed attempt: against one named service, or against every service the engine considered. */
interface Failure {
  service: CarrierService | null;
  group: ServiceGroup | null;
  reasons: FailureReason[];
  description: string;
}

function serviceFailure(ctx: AppContext, consignment: Consignment, service: CarrierService, reasons: FailureReason[]): Failure {
  return { service, group: null, reasons, description: failureDescription(consignment.reference, displayName(ctx, service), reasons) };
}

/** No service qualified: every rejection's reasons, each naming its service. */
function choiceFailure(ctx: AppContext, consignment: Consignment, target: Extract<AllocationTarget, { kind: 'cheapest' }>, rejections: Rejection[]): Failure {
  const described = rejections.map((r) => ({ displayName: displayName(ctx, r.service), reference: r.service.reference, reasons: r.reasons }));
  return {
    service: null,
    group: target.group,
    reasons: rejections.flatMap((r) => r.reasons.map((reason) => ({ ...reason, MpdCarrierServiceReference: r.service.reference }))),
    description: noServiceDescription(consignment.reference, target.scope, described),
  };
}

/**
 * A decided change, not yet written: the transition, the outcome it answers once written, and the
 * bookings made for it (released when it cannot be written because the consignment changed).
 */
interface Decided {
  kind: 'decided';
  consignment: Consignment;
  transition: Transition;
  outcome: AllocationOutcome;
  booking: BookedJourney | null;
}

/** What deciding one consignment came to: an outcome that needs no write, or a change to write. */
type Step = AllocationOutcome | Decided;

/** A failed attempt, to write. */
function failureStep(consignment: Consignment, ctx: AppContext, failure: Failure, at: string): Decided {
  const { service, group, reasons, description } = failure;
  const failed: FailedAllocationRecord = {
    mpdCarrierServiceReference: service?.reference ?? '',
    mpdCarrierServiceName: service?.name ?? '',
    carrierServiceGroupReference: group?.reference ?? '',
    mpdCarrierServiceGroupName: group?.name ?? null,
    attemptedAllocationDate: at,
    message: description,
    reasons,
  };
  const carrierName = service ? ctx.catalogue.carrierOf(service).name : null;
  return {
    kind: 'decided',
    consignment,
    transition: { fromStates: allowedStates('allocate'), to: 'AllocationFailed', failedAllocation: failed, at, event: { action: 'AllocationFailed', message: description } },
    outcome: { kind: 'failed', reference: consignment.reference, service, carrierName, reasons, description },
    booking: null,
  };
}

/** What booking came to: the allocation to write, the carrier's refusal (for the caller to record or to try another service), or an outcome. */
type Booked = Step | { kind: 'refused'; reason: FailureReason };

/** Books with the carrier; nothing is booked when the carrier refuses or cannot be reached. */
async function bookAllocation(ctx: AppContext, outages: CarrierOutages, consignment: Consignment, allocating: Allocating, at: string): Promise<Booked> {
  const booking = await bookJourney(ctx, outages, consignment, allocating.service, allocating.schedule.collectionDate);
  if (booking.kind === 'refused') return booking;
  if (booking.kind === 'unavailable') {
    const description = unavailableDescription(consignment.reference, displayName(ctx, allocating.service), booking.carrier.name, booking.message);
    return { kind: 'carrierUnavailable', reference: consignment.reference, carrierName: booking.carrier.name, description };
  }
  const allocation = allocationRecord(ctx, allocating, booking.legs, at);
  const description = successDescription(consignment.reference, displayName(ctx, allocating.service), allocating.schedule.shippingOn);
  return {
    kind: 'decided',
    consignment,
    transition: { fromStates: allowedStates('allocate'), to: 'Allocated', allocation, at, event: { action: 'Allocated', message: description } },
    outcome: { kind: 'allocated', reference: consignment.reference, allocation, description },
    booking,
  };
}

function invalidStateOutcome(consignment: Consignment, state: ConsignmentState): AllocationOutcome {
  return { kind: 'invalidState', reference: consignment.reference, state, description: invalidStateDescription(consignment.reference, state) };
}

/** Whether the consignment is already allocated to one of the target's services (and, for a group, within that group). */
function isAllocatedWithin(consignment: Consignment, target: Extract<AllocationTarget, { kind: 'cheapest' }>): boolean {
  const allocation = consignment.state === 'Allocated' ? consignment.allocation : null;
  if (!allocation) return false;
  const service = allocation.mpdCarrierServiceReference.toLowerCase();
  if (target.group && allocation.carrierServiceGroupReference.toLowerCase() !== target.group.reference.toLowerCase()) return false;
  return target.services.some((s) => s.reference.toLowerCase() === service);
}

/** Decides one consignment against one named service (booking it when it qualifies). */
async function decideService(ctx: AppContext, outages: CarrierOutages, consignment: Consignment, target: Extract<AllocationTarget, { kind: 'service' }>, moment: AllocationMoment): Promise<Step> {
  const { service } = target;
  const decision = decideAllocation(consignment, service, ctx.catalogue, moment);
  if (decision.kind === 'alreadyAllocated') return existingAllocationOutcome(ctx, consignment);
  if (decision.kind === 'invalidState') return invalidStateOutcome(consignment, decision.state);
  if (decision.kind === 'ineligible') return failureStep(consignment, ctx, serviceFailure(ctx, consignment, service, decision.reasons), moment.nowIso);
  const booked = await bookAllocation(ctx, outages, consignment, { service, schedule: decision.schedule, price: target.price ?? decision.price, group: null }, moment.nowIso);
  if (booked.kind === 'refused') return failureStep(consignment, ctx, serviceFailure(ctx, consignment, service, [booked.reason]), moment.nowIso);
  return booked;
}

/**
 * Decides one consignment among the target's services, cheapest first, booking the one chosen. A
 * service whose carrier refuses the booking is out, like one that fails a check, and the next
 * cheapest is tried.
 */
async function decideCheapest(ctx: AppContext, outages: CarrierOutages, consignment: Consignment, target: Extract<AllocationTarget, { kind: 'cheapest' }>, moment: AllocationMoment): Promise<Step> {
  // A retry (the same request again after a timeout) answers with the allocation already made.
  if (isAllocatedWithin(consignment, target)) return existingAllocationOutcome(ctx, consignment);
  if (!canPerform('allocate', consignment.state)) return invalidStateOutcome(consignment, consignment.state);
  const refused = new Map<CarrierService, FailureReason>();
  for (;;) {
    const choice = chooseCheapest(consignment.data, refused.size ? target.services.filter((s) => !refused.has(s)) : target.services, ctx.catalogue, moment);
    if (choice.kind === 'none') {
      const rejected = new Map(choice.rejections.map((r) => [r.service, r]));
      const rejections = target.services.map((service) => rejected.get(service) ?? { service, reasons: [refused.get(service)!] });
      return failureStep(consignment, ctx, choiceFailure(ctx, consignment, target, rejections), moment.nowIso);
    }
    const booked = await bookAllocation(ctx, outages, consignment, { ...choice.candidate, group: target.group }, moment.nowIso);
    if (booked.kind !== 'refused') return booked;
    refused.set(choice.candidate.service, booked.reason);
  }
}

function decide(ctx: AppContext, outages: CarrierOutages, consignment: Consignment, target: AllocationTarget, moment: AllocationMoment): Promise<Step> {
  return target.kind === 'service' ? decideService(ctx, outages, consignment, target, moment) : decideCheapest(ctx, outages, consignment, target, moment);
}

/** A decided change that could not be written (the consignment changed meanwhile): its bookings are released. */
async function lost(ctx: AppContext, outages: CarrierOutages, decided: Decided): Promise<void> {
  if (decided.booking) await releaseJourney(ctx, outages, decided.consignment, decided.booking);
}

/**
 * Writes one decided change on its own, with the deletion of its in-flight booking rows; null,
 * with its bookings released, when the consignment changed meanwhile.
 */
async function writeAlone(ctx: AppContext, outages: CarrierOutages, decided: Decided): Promise<AllocationOutcome | null> {
  // If this throws, the bookings of carriers that keep them stay written down (in flight), and are
  // cancelled once their lease expires unless the allocation did commit (which deletes them).
  if (await ctx.consignments.transition(decided.consignment, decided.transition, decided.booking?.inFlight)) return decided.outcome;
  await lost(ctx, outages, decided);
  return null;
}

/**
 * Decides and writes one consignment on its own, re-reading and deciding again each time it
 * loses a race, at most `tries` times in all.
 */
async function allocateAlone(ctx: AppContext, outages: CarrierOutages, caller: Caller, initial: Consignment, target: AllocationTarget, moment: AllocationMoment, tries: number): Promise<AllocationOutcome> {
  let consignment = initial;
  for (let i = 0; i < tries; i++) {
    const step = await decide(ctx, outages, consignment, target, moment);
    if (step.kind !== 'decided') return step;
    const outcome = await writeAlone(ctx, outages, step);
    if (outcome) return outcome;
    consignment = await reread(ctx, caller, consignment);
  }
  return { kind: 'busy', reference: consignment.reference, description: consignmentBusy(consignment.reference, 'allocated').message };
}

async function reread(ctx: AppContext, caller: Caller, consignment: Consignment): Promise<Consignment> {
  const fresh = await ctx.consignments.findByReference(caller.subscriptionId, consignment.reference);
  // Consignments are never deleted.
  if (!fresh) throw new Error(`consignment ${consignment.reference} vanished during allocation`);
  return fresh;
}

/** Whether a decided change can share a group commit: not when it must delete in-flight booking rows with it (carriers that keep bookings). */
function groupable(decided: Decided): boolean {
  return !decided.booking || decided.booking.inFlight.ids.length === 0;
}

/**
 * Decides a slice's consignments, then writes their changes in one group commit (decisions.md
 * §4.8). Each change is conditional on its own consignment; one that changed meanwhile has its
 * bookings released and is decided again on its own, without holding up the others' commit.
 * Outcomes come back in the slice's order, each only once its change is committed.
 */
async function allocateSlice(ctx: AppContext, outages: CarrierOutages, caller: Caller, consignments: Consignment[], target: AllocationTarget, moment: AllocationMoment, parallel: number): Promise<AllocationOutcome[]> {
  const steps = await mapInOrder(consignments, parallel, async (c, j) => {
    if (j % YIELD_EVERY === YIELD_EVERY - 1) await nextTurn();
    return decide(ctx, outages, c, target, moment);
  });
  const grouped = steps.filter((s): s is Decided => s.kind === 'decided' && groupable(s));
  const applied = grouped.length === 1 ? [await ctx.consignments.transition(grouped[0].consignment, grouped[0].transition)] : await ctx.consignments.transitionMany(grouped);
  const written = new Map(grouped.map((d, i) => [d, applied[i]]));
  return mapInOrder(steps, parallel, async (step, j) => {
    if (step.kind !== 'decided') return step;
    const committed = written.get(step);
    if (committed) return step.outcome;
    if (committed === undefined) {
      const outcome = await writeAlone(ctx, outages, step);
      if (outcome) return outcome;
    } else await lost(ctx, outages, step);
    return allocateAlone(ctx, outages, caller, await reread(ctx, caller, consignments[j]), target, moment, RACE_RETRIES - 1);
  });
}

/** The moment a request allocates at: now, under the caller's current rules. */
export async function allocationMoment(ctx: AppContext, caller: Caller): Promise<AllocationMoment> {
  return new AllocationMoment(ctx.schedules, ctx.clock.now(), await ctx.policies.forCaller(caller));
}

/**
 * Every allocation endpoint, after validation: every reference must be the caller's (404 before
 * anything changes). Outcomes come out in request order, a slice at a time, so that a caller can
 * encode and drop them as they come.
 */
export async function* allocateConsignments(ctx: AppContext, caller: Caller, target: AllocationTarget, references: string[]): AsyncGenerator<AllocationOutcome> {
  // A single consignment is simply read (and found missing) once; a batch is checked whole first.
  const slices = references.length === 1 ? [references] : await requireConsignments(ctx, caller, references);
  // PostgreSQL serves several statements at once over its pool; SQLite has one writer.
  const parallel = ctx.database.kind === 'postgres' ? 8 : 1;
  const moment = await allocationMoment(ctx, caller);
  const outages = new CarrierOutages();
  for (const slice of slices) {
    const found = await ctx.consignments.findByReferences(caller.subscriptionId, slice);
    // Only the unchecked single read can miss: consignments are never deleted.
    if (found.size < slice.length) throw consignmentsNotFound(slice.filter((r) => !found.has(r)));
    yield* await allocateSlice(ctx, outages, caller, slice.map((r) => found.get(r)!), target, moment, parallel);
  }
}
