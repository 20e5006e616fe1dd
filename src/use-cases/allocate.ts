/**
 * Allocating consignments to a carrier service (decisions.md §4): each consignment is decided on
 * its own and written in its own transaction, conditional on its state, so concurrent requests
 * never allocate one twice and a crash leaves each either untouched or fully allocated.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DateTime } from 'luxon';
import type { CarrierService } from '../domain/catalogue.js';
import type { AllocationRecord, Consignment, ConsignmentLegRecord, FailedAllocationRecord, FailureReason } from '../domain/consignment.js';
import {
  AllocationMoment,
  decideAllocation,
  failureDescription,
  invalidStateDescription,
  serviceDisplayName,
  shippingOnText,
  successDescription,
  type Schedule,
} from '../domain/allocation.js';
import { allowedStates, type ConsignmentState } from '../domain/states.js';
import { ApiError } from './errors.js';
import type { AppContext, Caller } from './app-context.js';
import { bookJourney, releaseJourney } from './bookings.js';
import { mapInOrder } from './concurrency.js';

/** One result of an allocation request. It names the consignment rather than holding it, so a large batch's rows can be freed as it goes. */
export type AllocationOutcome =
  | { status: 200; reference: string; allocation: AllocationRecord; description: string }
  | { status: 422; reference: string; service: CarrierService; carrierName: string; reasons: FailureReason[]; description: string }
  | { status: 409; reference: string; state: ConsignmentState; description: string };

/** How many times a consignment is re-read and re-decided after losing a race. */
const MAX_ATTEMPTS = 5;
/** A batch is read and decided a slice at a time, to bound memory: at most this many consignments... */
const SLICE_COUNT = 64;
/** ...and at most this much stored JSON (characters), since one consignment may hold 1,000 packages. */
const SLICE_SIZE = 8_000_000;
/**
 * SQLite calls are synchronous, so a long batch would never let the event loop serve anyone else;
 * it steps aside this often (a few milliseconds of work) so that other requests keep flowing.
 */
const YIELD_EVERY = 32;

function consignmentsNotFound(missing: string[]): ApiError {
  return new ApiError(
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
  return { status: 200, reference: consignment.reference, allocation, description: successDescription(consignment.reference, name, shippingOn) };
}

function allocationRecord(ctx: AppContext, service: CarrierService, schedule: Schedule, legs: ConsignmentLegRecord[], at: string): AllocationRecord {
  const carrier = ctx.catalogue.carrierOf(service);
  return {
    mpdCarrierServiceReference: service.reference,
    mpdCarrierServiceName: service.name,
    carrierReference: carrier.reference,
    carrierName: carrier.name,
    carrierServiceGroupReference: '',
    mpdCarrierServiceGroupName: null,
    allocationDate: at,
    collectionDate: schedule.collectionDate,
    earliestDeliveryDate: schedule.earliestDeliveryDate,
    latestDeliveryDate: schedule.latestDeliveryDate,
    legs,
  };
}

/** Writes a failed attempt; false when the consignment changed meanwhile. */
async function recordFailure(ctx: AppContext, consignment: Consignment, service: CarrierService, reasons: FailureReason[], at: string): Promise<AllocationOutcome | null> {
  const description = failureDescription(consignment.reference, displayName(ctx, service), reasons);
  const failed: FailedAllocationRecord = {
    mpdCarrierServiceReference: service.reference,
    mpdCarrierServiceName: service.name,
    carrierServiceGroupReference: '',
    mpdCarrierServiceGroupName: null,
    attemptedAllocationDate: at,
    message: description,
    reasons,
  };
  const ok = await ctx.consignments.transition(consignment, {
    fromStates: allowedStates('allocate'),
    to: 'AllocationFailed',
    failedAllocation: failed,
    at,
    event: { action: 'AllocationFailed', message: description },
  });
  return ok ? { status: 422, reference: consignment.reference, service, carrierName: ctx.catalogue.carrierOf(service).name, reasons, description } : null;
}

/** Books with the carrier and writes the allocation; null (booking released) when the consignment changed meanwhile. */
async function recordAllocation(ctx: AppContext, consignment: Consignment, service: CarrierService, schedule: Schedule, at: string): Promise<AllocationOutcome | null> {
  const legs = await bookJourney(ctx, consignment, service);
  const allocation = allocationRecord(ctx, service, schedule, legs, at);
  const description = successDescription(consignment.reference, displayName(ctx, service), schedule.shippingOn);
  let ok = false;
  try {
    ok = await ctx.consignments.transition(consignment, {
      fromStates: allowedStates('allocate'),
      to: 'Allocated',
      allocation,
      at,
      event: { action: 'Allocated', message: description },
    });
  } finally {
    if (!ok) await releaseJourney(ctx, legs);
  }
  return ok ? { status: 200, reference: consignment.reference, allocation, description } : null;
}

/** Decides and writes one consignment; after losing a race it re-reads and decides again. */
export async function allocateOne(
  ctx: AppContext,
  caller: Caller,
  initial: Consignment,
  service: CarrierService,
  moment = new AllocationMoment(ctx.schedules, ctx.clock.now()),
): Promise<AllocationOutcome> {
  let consignment = initial;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const decision = decideAllocation(consignment, service, ctx.catalogue, moment);
    if (decision.kind === 'alreadyAllocated') return existingAllocationOutcome(ctx, consignment);
    if (decision.kind === 'invalidState') {
      return { status: 409, reference: consignment.reference, state: decision.state, description: invalidStateDescription(consignment.reference, decision.state) };
    }
    const outcome =
      decision.kind === 'ineligible'
        ? await recordFailure(ctx, consignment, service, decision.reasons, moment.nowIso)
        : await recordAllocation(ctx, consignment, service, decision.schedule, moment.nowIso);
    if (outcome) return outcome;
    const fresh = await ctx.consignments.findByReference(caller.subscriptionId, consignment.reference);
    if (!fresh) throw new Error(`consignment ${consignment.reference} vanished during allocation`);
    consignment = fresh;
  }
  throw new Error(`consignment ${consignment.reference} kept changing during allocation`);
}

/**
 * PUT /allocation/allocatewithcarrierservice, after validation: every reference must be the
 * caller's (404 before anything changes). Outcomes come out in request order, a slice at a time,
 * so that a caller can encode and drop them as they come.
 */
export async function* allocateWithCarrierService(
  ctx: AppContext,
  caller: Caller,
  service: CarrierService,
  references: string[],
): AsyncGenerator<AllocationOutcome> {
  // A single consignment is simply read (and found missing) once; a batch is checked whole first.
  const slices = references.length === 1 ? [references] : await requireConsignments(ctx, caller, references);
  // PostgreSQL serves several statements at once over its pool; SQLite has one writer.
  const parallel = ctx.database.kind === 'postgres' ? 8 : 1;
  const moment = new AllocationMoment(ctx.schedules, ctx.clock.now(), await ctx.policies.forCaller(caller));
  for (const slice of slices) {
    const found = await ctx.consignments.findByReferences(caller.subscriptionId, slice);
    // Only the unchecked single read can miss: consignments are never deleted.
    if (found.size < slice.length) throw consignmentsNotFound(slice.filter((r) => !found.has(r)));
    const consignments = slice.map((r) => found.get(r)!);
    const decided = await mapInOrder(consignments, parallel, async (c, j) => {
      if (j % YIELD_EVERY === YIELD_EVERY - 1) await nextTurn();
      return allocateOne(ctx, caller, c, service, moment);
    });
    yield* decided;
  }
}
