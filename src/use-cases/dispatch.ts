/**
 * Dispatch (decisions.md §11, endpoints.md P2-14): a Manifested consignment has left its origin
 * location, handed to its carrier: it becomes Dispatched (numeric 7), dated (the wire's
 * DateShipped), and stays on its manifest.
 */
import { utcTimestamp } from '../domain/dates.js';
import { allowedStates } from '../domain/states.js';
import type { AppContext, Caller } from './app-context.js';
import { transitionList, type ListTransitionOutcome } from './transition-list.js';

export function dispatchConsignments(ctx: AppContext, caller: Caller, references: string[]): Promise<ListTransitionOutcome[]> {
  return transitionList(ctx, caller, references, {
    action: 'dispatch',
    doing: 'dispatched',
    apply: (c, at) => ctx.manifests.dispatch(c, allowedStates('dispatch'), at, `Consignment ${c.reference} dispatched`),
  }, () => utcTimestamp(ctx.clock.now()));
}
