/**
 * The event feed (decisions.md §13): a subscription's events in commit order, read with a cursor,
 * kept 30 days; and the sequencer that gives them that order, a background job that the feed also
 * runs before it reads, so that a client reads its own changes even where no process runs the jobs.
 */
import { KEEP_EVENTS_DAYS, type EventType, type SwitchyardEvent } from '../domain/events.js';
import { utcTimestamp } from '../domain/dates.js';
import type { StoredEvent } from '../store/events.repository.js';
import type { AppContext, Caller } from './app-context.js';
import { inRounds, type RoundSizes } from '../workers/foreground.js';

export const MAX_PAGE = 1_000;

export interface EventPageRequest {
  /** The cursor: the position of the last event read (0 for the start). */
  after: number;
  types?: readonly EventType[];
  from?: string;
  to?: string;
  limit: number;
}

export interface EventPage {
  events: SwitchyardEvent[];
  /** The cursor to read on from: the last event's position, or the one given when there is none. */
  after: number;
  /** Whether more events followed at the time of reading. */
  hasMore: boolean;
}

/** An event as the feed lists it and a webhook delivers it. */
export function presentEvent(e: StoredEvent): SwitchyardEvent {
  return { id: `evt_${e.id}`, type: e.type, timestamp: e.occurredAt, data: JSON.parse(e.data) };
}

/** Places every event committed so far (waiting for a round in progress), so that what follows reads or acts after them. */
export async function placeCommittedEvents(ctx: AppContext): Promise<void> {
  while ((await ctx.events.sequence(utcTimestamp(ctx.clock.now()), { wait: true })) > 0);
}

export async function readEvents(ctx: AppContext, caller: Caller, request: EventPageRequest): Promise<EventPage> {
  await placeCommittedEvents(ctx);
  const rows = await ctx.events.list({ subscriptionId: caller.subscriptionId, ...request, limit: request.limit + 1 });
  const page = rows.slice(0, request.limit);
  return { events: page.map(presentEvent), after: page.at(-1)?.position ?? request.after, hasMore: rows.length > request.limit };
}

/** Events placed per round of the background job; fewer, with a pause between, while the API serves requests. */
const ROUNDS: RoundSizes = { idle: 5_000, busy: 250, pauseMs: 20 };

/** A background job: gives the events committed since the last round their places in commit order (and their webhook deliveries); returns how many. */
export async function sequenceEvents(ctx: AppContext): Promise<number> {
  let total = 0;
  await inRounds(ctx.foreground, ROUNDS, async (limit) => {
    const n = await ctx.events.sequence(utcTimestamp(ctx.clock.now()), { limit });
    total += n;
    return n;
  });
  return total;
}

/** Housekeeping (a background job): forgets events older than 30 days, and the webhook deliveries made of them; returns how many events. */
export async function purgeOldEvents(ctx: AppContext): Promise<number> {
  const before = utcTimestamp(ctx.clock.now().minus({ days: KEEP_EVENTS_DAYS }));
  await ctx.webhooks.purgeBefore(before);
  return ctx.events.purgeBefore(before);
}
