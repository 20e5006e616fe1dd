/**
 * Allocating consignments to a carrier service (decisions.md §4): each consignment is decided on
 * its own and written in its own transaction, conditional on its state, so concurrent requests
 * never allocate one twice and a crash leaves each either untouched or fully allocated.
 */
import { DateTime } from 'luxon';
import type { CarrierService } from '../domain/catalogue.js';
import type { AllocationRecord, Consignment, ConsignmentLegRecord, FailedAllocationRecord, FailureReason } from '../domain/consignment.js';
import {
  DatePlanner,
  decideAllocation,
  failureDescription,
  invalidStateDescription,
  serviceDisplayName,
  successDescription,
} from '../domain/allocation.js';
import { isoWithOffset, type DatePlan } from '../domain/dates.js';
import { allowedStates } from '../domain/states.js';
import { ApiError } from '../http/api-error.js';
import type { AppContext, Caller } from './app-context.js';
import { mapInOrder } from './concurrency.js';

export type AllocationOutcome =
  | { status: 200; consignment: Consignment; allocation: AllocationRecord; description: string }
  | { status: 422; consignment: Consignment; service: CarrierService; reasons: FailureReason[]; description: string }
  | { status: 409; consignment: Consignment; description: string };

/** How many times a consignment is re-read and re-decided after losing a race. */
const MAX_ATTEMPTS = 5;

export async function loadConsignments(ctx: AppContext, caller: Caller, references: string[]): Promise<Consignment[]> {
  const found = await ctx.consignments.findByReferences(caller.subscriptionId, references);
  const missing = references.filter((r) => !found.has(r));
  if (missing.length) {
    throw new ApiError(
      'ConsignmentNotFound',
      missing.length === 1 ? `Consignment ${missing[0]} not found` : `${missing.length} consignments not found`,
      missing.map((r) => ({ Code: 'NotFound', Target: r, Message: `No consignment ${r} exists for this subscription` })),
    );
  }
  return references.map((r) => found.get(r)!);
}

function displayName(ctx: AppContext, service: CarrierService): string {
  return serviceDisplayName(ctx.catalogue.carrierOf(service).name, service.name);
}

export function allocatedOutcome(ctx: AppContext, consignment: Consignment, allocation: AllocationRecord): AllocationOutcome {
  const service = ctx.catalogue.service(allocation.mpdCarrierServiceReference);
  const name = service ? displayName(ctx, service) : `${allocation.carrierName} ${allocation.mpdCarrierServiceName}`;
  const collection = DateTime.fromISO(allocation.collectionDate, { setZone: true });
  return { status: 200, consignment, allocation, description: successDescription(consignment.reference, name, collection) };
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

function allocationRecord(ctx: AppContext, service: CarrierService, plan: DatePlan, legs: ConsignmentLegRecord[], now: DateTime): AllocationRecord {
  const carrier = ctx.catalogue.carrierOf(service);
  return {
    mpdCarrierServiceReference: service.reference,
    mpdCarrierServiceName: service.name,
    carrierReference: carrier.reference,
    carrierName: carrier.name,
    carrierServiceGroupReference: '',
    mpdCarrierServiceGroupName: null,
    allocationDate: now.toUTC().toISO()!,
    collectionDate: isoWithOffset(plan.collection),
    earliestDeliveryDate: isoWithOffset(plan.earliestDelivery),
    latestDeliveryDate: isoWithOffset(plan.latestDelivery),
    legs,
  };
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
  const now = planner.now;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const decision = decideAllocation(consignment, service, ctx.catalogue, planner);
    if (decision.kind === 'alreadyAllocated') return allocatedOutcome(ctx, consignment, consignment.allocation!);
    if (decision.kind === 'invalidState') {
      return { status: 409, consignment, description: invalidStateDescription(consignment.reference, decision.state) };
    }
    const at = now.toUTC().toISO()!;
    if (decision.kind === 'ineligible') {
      const description = failureDescription(consignment.reference, displayName(ctx, service), decision.reasons);
      const failed: FailedAllocationRecord = {
        mpdCarrierServiceReference: service.reference,
        mpdCarrierServiceName: service.name,
        carrierServiceGroupReference: '',
        mpdCarrierServiceGroupName: null,
        attemptedAllocationDate: at,
        message: description,
        reasons: decision.reasons,
      };
      const ok = await ctx.consignments.transition(consignment, {
        fromStates: allowedStates('allocate'),
        to: 'AllocationFailed',
        failedAllocation: failed,
        at,
        event: { action: 'AllocationFailed', message: description },
      });
      if (ok) return { status: 422, consignment: { ...consignment, state: 'AllocationFailed', failedAllocation: failed }, service, reasons: decision.reasons, description };
    } else {
      const legs = await book(ctx, consignment, service);
      const allocation = allocationRecord(ctx, service, decision.plan, legs, now);
      const outcome = allocatedOutcome(ctx, { ...consignment, state: 'Allocated', allocation }, allocation);
      const ok = await ctx.consignments.transition(consignment, {
        fromStates: allowedStates('allocate'),
        to: 'Allocated',
        allocation,
        at,
        event: { action: 'Allocated', message: outcome.description },
      });
      if (ok) return outcome;
      await release(ctx, legs);
    }
    const fresh = await ctx.consignments.findByReference(caller.subscriptionId, consignment.reference);
    if (!fresh) throw new Error(`consignment ${consignment.reference} vanished during allocation`);
    consignment = fresh;
  }
  throw new Error(`consignment ${consignment.reference} kept changing during allocation`);
}

export async function allocateWithCarrierService(
  ctx: AppContext,
  caller: Caller,
  service: CarrierService,
  references: string[],
): Promise<AllocationOutcome[]> {
  const consignments = await loadConsignments(ctx, caller, references);
  const parallel = ctx.database.kind === 'postgres' ? 8 : 1;
  // One "now" per request: every consignment of a batch is judged against the same moment.
  const planner = new DatePlanner(ctx.catalogue, ctx.clock.now());
  return mapInOrder(consignments, parallel, (c) => allocateOne(ctx, caller, c, service, planner));
}
