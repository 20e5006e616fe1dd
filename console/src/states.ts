/**
 * The consignment states as the console shows them. Which state allows which action is the
 * server's own table (src/domain/states.ts, pure and shared at build time): the console only hides
 * buttons the API would refuse, it never decides anything the API does not.
 */
import { CONSIGNMENT_STATES, canPerform, type ConsignmentAction, type ConsignmentState } from '../../src/domain/states.ts';

export type { ConsignmentAction, ConsignmentState };

/** What the "Not shipped" list holds: everything before the carrier has the parcel. */
export const NOT_SHIPPED: readonly ConsignmentState[] = ['Unallocated', 'AllocationFailed', 'Allocated', 'ReadyToShip', 'Manifested', 'ManifestFailed'];

/** Every state, in the SDK's order. */
export const STATES = Object.keys(CONSIGNMENT_STATES) as ConsignmentState[];

/** "AllocationFailed" → "Allocation failed". */
export function stateLabel(state: string): string {
  const words = state.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** How a state looks: failures stand out, waiting ones ask for attention, finished ones recede. */
export function stateTone(state: string): 'bad' | 'todo' | 'good' | 'done' {
  if (/Failed|Lost|Missing|Damaged|ActionRequired|ReturnToSender/.test(state)) return 'bad';
  if (state === 'Unallocated') return 'todo';
  if (state === 'Delivered' || state === 'Cancelled') return 'done';
  return 'good';
}

export function can(action: ConsignmentAction, state: string): boolean {
  return state in CONSIGNMENT_STATES && canPerform(action, state as ConsignmentState);
}
