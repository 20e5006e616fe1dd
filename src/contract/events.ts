/**
 * The bodies of SortedPRO's event endpoints, which the vendor never specified (endpoints.md P2-35,
 * P2-36); ours (docs/api/events.md): a time window, and for consignment events the types wanted.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Opt } from './fields.js';

const window = {
  /** ISO 8601 date-time; without an offset, UTC. Events that occurred at or after it. */
  From: Type.String(),
  /** ISO 8601 date-time; events that occurred before it. At most 31 days after From. */
  To: Type.String(),
  /** The cursor of the page before (its After), to read on; from the start of the window when absent. */
  After: Opt(Type.String()),
  /** Events per page: 1 to 1,000, 100 when absent. */
  Take: Opt(Type.Integer()),
};

/** POST /events/consignments. */
export const ConsignmentEventRequest = Type.Object({
  ...window,
  /** consignment.allocated, consignment.allocation_failed, consignment.state_changed or consignment.tracking_event; all four when absent. */
  EventTypes: Opt(Type.Array(Type.String())),
});
export type ConsignmentEventRequest = Static<typeof ConsignmentEventRequest>;

/** POST /events/consignments/stateevents: consignment.state_changed events only. */
export const ConsignmentStateEventRequest = Type.Object(window);
export type ConsignmentStateEventRequest = Static<typeof ConsignmentStateEventRequest>;
