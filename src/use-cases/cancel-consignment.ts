/**
 * Cancelling (endpoints.md P1-12, P1-13): only before manifesting — Unallocated, AllocationFailed,
 * Allocated, ManifestFailed or ReadyToShip (decisions.md §5). Cancelled is final. A cancelled
 * consignment keeps no allocation: its carrier bookings are released as a deallocation's are, the
 * cancellations written with the change and made after it (the audit trail keeps which service it was).
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

export type CancellationOutcome =
  | { kind: 'cancelled'; reference: string }
  | { kind: 'refused'; reference: string; code: 'InvalidState' | 'ConsignmentNotFound' | 'ConsignmentBusy'; message: string };

async function cancelOne(ctx: AppContext, outages: CarrierOutages, initial: Consignment, caller: Caller): Promise<CancellationOutcome> {
  let consignment: Consignment | undefined = initial;
  for (let attempt = 0; attempt < RACE_RETRIES && consignment; attempt++) {
    if (!canPerform('cancel', consignment.state)) {
      return { kind: 'refused', reference: consignment.reference, code: 'InvalidState', message: `Consignment ${consignment.reference} cannot be cancelled: it is ${consignment.state}` };
    }
    const now = ctx.clock.now();
    const service = consignment.allocation?.mpdCarrierServiceReference;
    const held = await ctx.consignments.transitionReleasing(
      consignment,
      {
        fromStates: allowedStates('cancel'),
        to: 'Cancelled',
        allocation: null,
        at: utcTimestamp(now),
        event: {
          action: 'Cancelled',
          message: `Consignment ${consignment.reference} cancelled${service ? `; its booking with ${service} was released` : ''}`,
        },
      },
      releasesOf(ctx, consignment, consignment.allocation?.legs ?? [], 'Cancelled'),
      leaseFrom(ctx, now),
    );
    if (held) {
      await workOff(ctx, held, outages);
      return { kind: 'cancelled', reference: consignment.reference };
    }
    consignment = await ctx.consignments.findByReference(caller.subscriptionId, consignment.reference);
  }
  const message = `Consignment ${initial.reference} kept changing while it was being cancelled; try again`;
  return { kind: 'refused', reference: initial.reference, code: 'ConsignmentBusy', message };
}

/** PUT /consignments/{ref}/cancel: ConsignmentNotFound when absent, InvalidState when it can no longer be cancelled. */
export async function cancelConsignment(ctx: AppContext, caller: Caller, reference: string): Promise<void> {
  const consignment = await getConsignment(ctx, caller, reference);
  const outcome = await cancelOne(ctx, new CarrierOutages(), consignment, caller);
  if (outcome.kind === 'refused') throw new AppError(outcome.code, outcome.message, [{ Code: outcome.code, Target: consignment.reference, Message: outcome.message }]);
}

/** PUT /consignments/cancellist: one result per reference, in order; refusals are entries, not errors. */
export async function cancelList(ctx: AppContext, caller: Caller, references: string[]): Promise<CancellationOutcome[]> {
  const found = await ctx.consignments.findByReferences(caller.subscriptionId, references);
  // One request: a carrier found down is not waited on again for the next consignment.
  const outages = new CarrierOutages();
  const results: CancellationOutcome[] = [];
  for (const reference of references) {
    const consignment = found.get(reference);
    results.push(consignment ? await cancelOne(ctx, outages, consignment, caller) : { kind: 'refused', reference, code: 'ConsignmentNotFound', message: `Consignment ${reference} not found` });
  }
  return results;
}
