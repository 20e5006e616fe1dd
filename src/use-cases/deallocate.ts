/** Deallocation: back to Unallocated, the allocation erased (its history stays in the audit trail). */
import { utcTimestamp } from '../domain/dates.js';
import type { Consignment } from '../domain/consignment.js';
import { allowedStates, canPerform } from '../domain/states.js';
import { AppError } from './errors.js';
import type { AppContext, Caller } from './app-context.js';
import { releaseJourney } from './bookings.js';
import { getConsignment } from './get-consignment.js';

export type DeallocationOutcome = { ok: true; reference: string } | { ok: false; reference: string; message: string };

const MAX_ATTEMPTS = 5;

async function deallocateOne(ctx: AppContext, initial: Consignment, caller: Caller): Promise<DeallocationOutcome> {
  let consignment: Consignment | undefined = initial;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && consignment; attempt++) {
    if (!canPerform('deallocate', consignment.state)) {
      return { ok: false, reference: consignment.reference, message: `Consignment ${consignment.reference} cannot be deallocated: it is ${consignment.state}` };
    }
    const at = utcTimestamp(ctx.clock.now());
    const service = consignment.allocation?.mpdCarrierServiceReference ?? 'its service';
    const ok = await ctx.consignments.transition(consignment, {
      fromStates: allowedStates('deallocate'),
      to: 'Unallocated',
      allocation: null,
      at,
      event: { action: 'Deallocated', message: `Consignment ${consignment.reference} deallocated from ${service}` },
    });
    if (ok) {
      await releaseJourney(ctx, consignment.allocation?.legs ?? []);
      return { ok: true, reference: consignment.reference };
    }
    consignment = await ctx.consignments.findByReference(caller.subscriptionId, consignment.reference);
  }
  throw new Error(`consignment ${initial.reference} kept changing during deallocation`);
}

/** PUT /consignments/{ref}/deallocate: 404 when absent, 409 InvalidState when not deallocatable. */
export async function deallocateConsignment(ctx: AppContext, caller: Caller, reference: string): Promise<void> {
  const consignment = await getConsignment(ctx, caller, reference);
  const outcome = await deallocateOne(ctx, consignment, caller);
  if (!outcome.ok) throw new AppError('InvalidState', outcome.message, [{ Code: 'InvalidState', Target: consignment.reference, Message: outcome.message }]);
}

/** PUT /consignments/deallocatelist: one result per reference, in order; failures are entries, not errors. */
export async function deallocateList(ctx: AppContext, caller: Caller, references: string[]): Promise<DeallocationOutcome[]> {
  const found = await ctx.consignments.findByReferences(caller.subscriptionId, references);
  const results: DeallocationOutcome[] = [];
  for (const reference of references) {
    const consignment = found.get(reference);
    results.push(
      consignment ? await deallocateOne(ctx, consignment, caller) : { ok: false, reference, message: `Consignment ${reference} not found` },
    );
  }
  return results;
}
