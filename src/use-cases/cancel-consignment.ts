/**
 * Cancelling (endpoints.md P1-12, P1-13): only before manifesting — Unallocated, AllocationFailed,
 * Allocated, ManifestFailed or ReadyToShip (decisions.md §5). Cancelled is final. A cancelled
 * consignment keeps no allocation: its carrier booking is released once the change is written
 * (the audit trail keeps which service it was).
 */
import { utcTimestamp } from '../domain/dates.js';
import type { Consignment } from '../domain/consignment.js';
import { allowedStates, canPerform } from '../domain/states.js';
import { AppError } from './errors.js';
import type { AppContext, Caller } from './app-context.js';
import { releaseJourney } from './bookings.js';
import { getConsignment } from './get-consignment.js';

export type CancellationOutcome = { ok: true; reference: string } | { ok: false; reference: string; message: string };

/** How many times a consignment is re-read after losing a race. */
const MAX_ATTEMPTS = 5;

async function cancelOne(ctx: AppContext, initial: Consignment, caller: Caller): Promise<CancellationOutcome> {
  let consignment: Consignment | undefined = initial;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && consignment; attempt++) {
    if (!canPerform('cancel', consignment.state)) {
      return { ok: false, reference: consignment.reference, message: `Consignment ${consignment.reference} cannot be cancelled: it is ${consignment.state}` };
    }
    const service = consignment.allocation?.mpdCarrierServiceReference;
    const ok = await ctx.consignments.transition(consignment, {
      fromStates: allowedStates('cancel'),
      to: 'Cancelled',
      allocation: null,
      at: utcTimestamp(ctx.clock.now()),
      event: {
        action: 'Cancelled',
        message: `Consignment ${consignment.reference} cancelled${service ? `; its booking with ${service} was released` : ''}`,
      },
    });
    if (ok) {
      await releaseJourney(ctx, consignment.allocation?.legs ?? []);
      return { ok: true, reference: consignment.reference };
    }
    consignment = await ctx.consignments.findByReference(caller.subscriptionId, consignment.reference);
  }
  throw new Error(`consignment ${initial.reference} kept changing during cancellation`);
}

/** PUT /consignments/{ref}/cancel: 404 when absent, 409 InvalidState when it can no longer be cancelled. */
export async function cancelConsignment(ctx: AppContext, caller: Caller, reference: string): Promise<void> {
  const consignment = await getConsignment(ctx, caller, reference);
  const outcome = await cancelOne(ctx, consignment, caller);
  if (!outcome.ok) throw new AppError('InvalidState', outcome.message, [{ Code: 'InvalidState', Target: consignment.reference, Message: outcome.message }]);
}

/** PUT /consignments/cancellist: one result per reference, in order; failures are entries, not errors. */
export async function cancelList(ctx: AppContext, caller: Caller, references: string[]): Promise<CancellationOutcome[]> {
  const found = await ctx.consignments.findByReferences(caller.subscriptionId, references);
  const results: CancellationOutcome[] = [];
  for (const reference of references) {
    const consignment = found.get(reference);
    results.push(consignment ? await cancelOne(ctx, consignment, caller) : { ok: false, reference, message: `Consignment ${reference} not found` });
  }
  return results;
}
