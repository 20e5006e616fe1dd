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
  DatePlanner,
  decideAllocation,
  failureDescription,
  invalidStateDescription,
  serviceDisplayName,
  shippingOnText,
  successDescription,
  type Schedule,
} from '../domain/allocation.js';
import { allowedStates, type ConsignmentState } from '../domain/states.js';
import { ApiError } from '../http/api-error.js';
import type { AppContext, Caller } from './app-context.js';
import { mapInOrder } from './concurrency.js';

/** One result of an allocation request. It names the consignment rather than holding it, so a large batch's rows can be freed as it goes. */
export type AllocationOutcome =
  | { status: 200; reference: string; allocation: AllocationRecord; description: string }
  | { status: 422; reference: string; service: CarrierService; reasons: FailureReason[]; description: string }
  | { status: 409; reference: string; state: ConsignmentState; description: string };

/** How many times a consignment is re-read and re-decided after losing a race. */
const MAX_ATTEMPTS = 5;
/** Consignments are read and decided this many at a time, to bound memory on 10,000-reference batches. */
const CHUNK = 500;
/**
 * SQLite calls are synchronous, so a long batch would never let the event loop serve anyone else;
 * it steps aside this often (a few milliseconds of work) so that other requests keep flowing.
 */
const YIELD_EVERY = 32;

/** 404 ConsignmentNotFound, one detail per reference, unless every reference is the caller's. */
export async function requireConsignments(ctx: AppContext, caller: Caller, references: string[]): Promise<void> {
  const found = await ctx.consignments.existingReferences(caller.subscriptionId, references);
  const missing = references.filter((r) => !found.has(r));
  if (missing.length) {
    throw new ApiError(
      'ConsignmentNotFound',
      missing.length === 1 ? `Consignment ${missing[0]} not found` : `${missing.length} consignments not found`,
      missing.map((r) => ({ Code: 'NotFound', Target: r, Message: `No consignment ${r} exists for this subscription` })),
    );
  }
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

async function book(ctx: AppContext, consignment: Consignment, service: CarrierService): Promise<ConsignmentLegRecord[]> {
  const packageReferences = consignment.data.packages.map((p) => p.reference);
  const legs: ConsignmentLegRecord[] = [];
  for (const [i, leg] of service.journey.entries()) {
    const carrier = ctx.catalogue.carrier(leg.carrierReference)!;
    const booking = await ctx.carriers.connectorFor(carrier).book({ carrier, leg, consignmentReference: consignment.reference, packageReferences });
    legs.push({
      leg: i + 1,
      carrierReference: carrier.reference,
      carrierName: carrier.name,
      carrierServiceReference: leg.carrierServiceReference,
      trackingReferences: booking.trackingReferences,
    });
  }
  return legs;
}

async function release(ctx: AppContext, legs: ConsignmentLegRecord[]): Promise<void> {
  for (const leg of legs) {
    const carrier = ctx.catalogue.carrier(leg.carrierReference)!;
    await ctx.carriers.connectorFor(carrier).cancel({ carrier, trackingReferences: leg.trackingReferences });
  }
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
  return ok ? { status: 422, reference: consignment.reference, service, reasons, description } : null;
}

/** Books with the carrier and writes the allocation; null (booking released) when the consignment changed meanwhile. */
async function recordAllocation(ctx: AppContext, consignment: Consignment, service: CarrierService, schedule: Schedule, at: string): Promise<AllocationOutcome | null> {
  const legs = await book(ctx, consignment, service);
  const allocation = allocationRecord(ctx, service, schedule, legs, at);
  const description = successDescription(consignment.reference, displayName(ctx, service), schedule.shippingOn);
  const ok = await ctx.consignments.transition(consignment, {
    fromStates: allowedStates('allocate'),
    to: 'Allocated',
    allocation,
    at,
    event: { action: 'Allocated', message: description },
  });
  if (ok) return { status: 200, reference: consignment.reference, allocation, description };
  await release(ctx, legs);
  return null;
}

/** Decides and writes one consignment; after losing a race it re-reads and decides again. */
export async function allocateOne(
  ctx: AppContext,
  caller: Caller,
  initial: Consignment,
  service: CarrierService,
  planner = new DatePlanner(ctx.catalogue, ctx.clock.now()),
): Promise<AllocationOutcome> {
  let consignment = initial;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const decision = decideAllocation(consignment, service, ctx.catalogue, planner);
    if (decision.kind === 'alreadyAllocated') return existingAllocationOutcome(ctx, consignment);
    if (decision.kind === 'invalidState') {
      return { status: 409, reference: consignment.reference, state: decision.state, description: invalidStateDescription(consignment.reference, decision.state) };
    }
    const outcome =
      decision.kind === 'ineligible'
        ? await recordFailure(ctx, consignment, service, decision.reasons, planner.nowIso)
        : await recordAllocation(ctx, consignment, service, decision.schedule, planner.nowIso);
    if (outcome) return outcome;
    const fresh = await ctx.consignments.findByReference(caller.subscriptionId, consignment.reference);
    if (!fresh) throw new Error(`consignment ${consignment.reference} vanished during allocation`);
    consignment = fresh;
  }
  throw new Error(`consignment ${consignment.reference} kept changing during allocation`);
}

/** PUT /allocation/allocatewithcarrierservice, after validation: every reference must be the caller's (404 otherwise, nothing changed). */
export async function allocateWithCarrierService(
  ctx: AppContext,
  caller: Caller,
  service: CarrierService,
  references: string[],
): Promise<AllocationOutcome[]> {
  await requireConsignments(ctx, caller, references);
  // PostgreSQL serves several statements at once over its pool; SQLite has one writer.
  const parallel = ctx.database.kind === 'postgres' ? 8 : 1;
  // One "now" per request: every consignment of a batch is judged against the same moment.
  const planner = new DatePlanner(ctx.catalogue, ctx.clock.now());
  const outcomes: AllocationOutcome[] = [];
  for (let i = 0; i < references.length; i += CHUNK) {
    const chunk = references.slice(i, i + CHUNK);
    const found = await ctx.consignments.findByReferences(caller.subscriptionId, chunk);
    const consignments = chunk.map((r) => {
      const c = found.get(r);
      if (!c) throw new ApiError('ConsignmentNotFound', `Consignment ${r} not found`);
      return c;
    });
    const decided = await mapInOrder(consignments, parallel, async (c, j) => {
      if (j % YIELD_EVERY === YIELD_EVERY - 1) await nextTurn();
      return allocateOne(ctx, caller, c, service, planner);
    });
    outcomes.push(...decided);
  }
  return outcomes;
}
