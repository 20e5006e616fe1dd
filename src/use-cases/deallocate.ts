/**
 * Deallocation: back to Unallocated, the allocation erased (its history stays in the audit trail),
 * and the carrier bookings released. The change and the cancellations it owes the carriers are
 * written together; the cancellations are then made at once, and any the carrier does not confirm
 * are retried in the background (carrier-cancellations.ts): a deallocation never leaves a booking
 * behind, and never waits on a carrier inside a transaction.
 */
import { utcTimestamp } from '../domain/dates.js';
import type { Consignment } from '../domain/consignment.js';
import { allowedStates, canPerform } from '../domain/states.js';
import type { AppContext, Caller } from './app-context.js';
import { CarrierOutages } from './carrier-calls.js';
import { leaseFrom, releasesOf, workOff } from './carrier-cancellations.js';
import { RACE_RETRIES } from './concurrency.js';
import { AppError } from './errors.js';
import { getConsignment } from './get-consignment.js';

export type DeallocationOutcome =
  | { kind: 'deallocated'; reference: string }
  | { kind: 'refused'; reference: string; code: 'InvalidState' | 'ConsignmentNotFound' | 'ConsignmentBusy'; message: string };

async function deallocateOne(ctx: AppContext, outages: CarrierOutages, initial: Consignment, caller: Caller): Promise<DeallocationOutcome> {
  let consignment: Consignment | undefined = initial;
  for (let attempt = 0; attempt < RACE_RETRIES && consignment; attempt++) {
    if (!canPerform('deallocate', consignment.state)) {
      return { kind: 'refused', reference: consignment.reference, code: 'InvalidState', message: `Consignment ${consignment.reference} cannot be deallocated: it is ${consignment.state}` };
    }
    const now = ctx.clock.now();
    const service = consignment.allocation?.mpdCarrierServiceReference ?? 'its service';
    const releases = releasesOf(ctx, consignment, consignment.allocation?.legs ?? [], 'Deallocated');
    const held = await ctx.consignments.transitionReleasing(
      consignment,
      {
        fromStates: allowedStates('deallocate'),
        to: 'Unallocated',
        allocation: null,
        at: utcTimestamp(now),
        event: { action: 'Deallocated', message: `Consignment ${consignment.reference} deallocated from ${service}` },
      },
      releases,
      leaseFrom(ctx, now),
    );
    if (held) {
      await workOff(ctx, held, outages);
      return { kind: 'deallocated', reference: consignment.reference };
    }
    consignment = await ctx.consignments.findByReference(caller.subscriptionId, consignment.reference);
  }
  const message = `Consignment ${initial.reference} kept changing while it was being deallocated; try again`;
  return { kind: 'refused', reference: initial.reference, code: 'ConsignmentBusy', message };
}

/** PUT /consignments/{ref}/deallocate: ConsignmentNotFound when absent, InvalidState when not deallocatable. */
export async function deallocateConsignment(ctx: AppContext, caller: Caller, reference: string): Promise<void> {
  const consignment = await getConsignment(ctx, caller, reference);
  const outcome = await deallocateOne(ctx, new CarrierOutages(), consignment, caller);
  if (outcome.kind === 'refused') throw new AppError(outcome.code, outcome.message, [{ Code: outcome.code, Target: consignment.reference, Message: outcome.message }]);
}

/** PUT /consignments/deallocatelist: one result per reference, in order; refusals are entries, not errors. */
export async function deallocateList(ctx: AppContext, caller: Caller, references: string[]): Promise<DeallocationOutcome[]> {
  const found = await ctx.consignments.findByReferences(caller.subscriptionId, references);
  // One request: a carrier found down is not waited on again for the next consignment.
  const outages = new CarrierOutages();
  const results: DeallocationOutcome[] = [];
  for (const reference of references) {
    const consignment = found.get(reference);
    results.push(
      consignment
        ? await deallocateOne(ctx, outages, consignment, caller)
        : { kind: 'refused', reference, code: 'ConsignmentNotFound', message: `Consignment ${reference} not found` },
    );
  }
  return results;
}
