/**
 * Ready to ship (decisions.md §11, endpoints.md P2-15, P2-16): Allocated ↔ ReadyToShip, a mark for
 * manifest-from-query and the warehouse; nothing is asked of the carrier.
 */
import { utcTimestamp } from '../domain/dates.js';
import { allowedStates } from '../domain/states.js';
import type { AppContext, Caller } from './app-context.js';
import { transitionList, type ListTransitionOutcome } from './transition-list.js';

export function setReadyToShip(ctx: AppContext, caller: Caller, references: string[]): Promise<ListTransitionOutcome[]> {
  return transitionList(ctx, caller, references, {
    action: 'readyToShip',
    doing: 'marked as Ready To Ship',
    apply: (c, at) =>
      ctx.consignments.transition(c, {
        fromStates: allowedStates('readyToShip'),
        to: 'ReadyToShip',
        at,
        event: { action: 'ReadyToShip', message: `Consignment ${c.reference} marked as Ready To Ship` },
      }),
  }, () => utcTimestamp(ctx.clock.now()));
}

export function setNotReadyToShip(ctx: AppContext, caller: Caller, references: string[]): Promise<ListTransitionOutcome[]> {
  return transitionList(ctx, caller, references, {
    action: 'notReadyToShip',
    doing: 'set back to Allocated',
    apply: (c, at) =>
      ctx.consignments.transition(c, {
        fromStates: allowedStates('notReadyToShip'),
        to: 'Allocated',
        at,
        event: { action: 'NotReadyToShip', message: `Consignment ${c.reference} set back to Allocated from Ready To Ship` },
      }),
  }, () => utcTimestamp(ctx.clock.now()));
}
