/**
 * What Switchyard tells of itself (decisions.md §13): the types of event the feed lists and webhooks
 * deliver. The database writes them, in the transaction of the change each reports (migration 0015).
 */
export const EVENT_TYPES = [
  'consignment.allocated',
  'consignment.allocation_failed',
  'consignment.state_changed',
  'consignment.tracking_event',
  'manifest.created',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** The types about consignments, which POST /events/consignments lists. */
export const CONSIGNMENT_EVENT_TYPES: readonly EventType[] = EVENT_TYPES.filter((t) => t.startsWith('consignment.'));

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** An event as the feed lists it and a webhook delivers it (Standard Webhooks' payload, with its id). */
export interface SwitchyardEvent {
  id: string;
  type: EventType;
  timestamp: string;
  data: Record<string, unknown>;
}

/** How long events are kept for the feed. */
export const KEEP_EVENTS_DAYS = 30;
