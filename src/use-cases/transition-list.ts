/**
 * One simple state change (no carrier to call) applied to a list of the caller's consignments, as
 * the list endpoints want it (decisions.md §11): unknown references 404 first with nothing
 * changed, then each consignment decided on its own, in request order, its change conditional on
 * the version it was decided on (read again and decided again when it lost a race).
 */
import type { Consignment } from '../domain/consignment.js';
import { canPerform, type ConsignmentAction } from '../domain/states.js';
import { consignmentsNotFound } from './allocate.js';
import type { AppContext, Caller } from './app-context.js';
import { mapInOrder, RACE_RETRIES } from './concurrency.js';

export type ListTransitionOutcome =
  | { kind: 'changed'; reference: string }
  | { kind: 'refused'; reference: string; code: 'InvalidState' | 'ConsignmentBusy'; message: string };

export interface ListTransition {
  action: ConsignmentAction;
  /** "marked as Ready To Ship", for the messages. */
  doing: string;
  /** The conditional change: false when the consignment changed meanwhile. */
  apply(consignment: Consignment, at: string): Promise<boolean>;
}

async function changeOne(ctx: AppContext, caller: Caller, initial: Consignment, step: ListTransition, at: () => string): Promise<ListTransitionOutcome> {
  let consignment: Consignment | undefined = initial;
  for (let attempt = 0; attempt < RACE_RETRIES && consignment; attempt++) {
    if (!canPerform(step.action, consignment.state)) {
      return { kind: 'refused', reference: consignment.reference, code: 'InvalidState', message: `Consignment ${consignment.reference} cannot be ${step.doing}: it is ${consignment.state}` };
    }
    if (await step.apply(consignment, at())) return { kind: 'changed', reference: consignment.reference };
    consignment = await ctx.consignments.findByReference(caller.subscriptionId, consignment.reference);
  }
  return { kind: 'refused', reference: initial.reference, code: 'ConsignmentBusy', message: `Consignment ${initial.reference} kept changing while it was being ${step.doing}; try again` };
}

export async function transitionList(ctx: AppContext, caller: Caller, references: string[], step: ListTransition, at: () => string): Promise<ListTransitionOutcome[]> {
  const found = await ctx.consignments.findByReferences(caller.subscriptionId, references);
  const missing = references.filter((r) => !found.has(r));
  if (missing.length) throw consignmentsNotFound(missing);
  // Decided side by side, so that their changes share group commits (the commit queue); answered in request order.
  return mapInOrder(references, LIST_PARALLEL, (reference) => changeOne(ctx, caller, found.get(reference)!, step, at));
}

/** How many of a list's consignments are changed at once. */
const LIST_PARALLEL = 64;
