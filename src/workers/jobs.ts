/** The background jobs every Switchyard process runs (SWITCHYARD_BACKGROUND_JOBS); each piece of work in them is leased or locked, so any number of processes may. */
import { retryDueCancellations } from '../use-cases/carrier-cancellations.js';
import { purgeExpiredQuotes } from '../use-cases/quotes.js';
import { purgeExpiredKeys } from '../use-cases/idempotency.js';
import { purgeOldEvents, sequenceEvents } from '../use-cases/events.js';
import { deliverDueWebhooks } from '../use-cases/webhook-deliveries.js';
import { trackDueLegs } from '../use-cases/tracker.js';
import type { BackgroundJob } from './background-workers.js';

export const BACKGROUND_JOBS: readonly BackgroundJob[] = [
  { name: 'carrier-cancellations', everyMs: 5_000, run: (ctx, signal) => retryDueCancellations(ctx, signal) },
  // Every second it takes the legs that are due; each carrier's interval (TrackingIntervalMs) says when a leg is due again.
  { name: 'tracker', everyMs: 1_000, run: (ctx, signal) => trackDueLegs(ctx, signal) },
  { name: 'quote-purge', everyMs: 3_600_000, run: (ctx) => purgeExpiredQuotes(ctx) },
  // Often: a webhook's delivery waits on its event's place in commit order.
  { name: 'event-sequencer', everyMs: 50, run: (ctx) => sequenceEvents(ctx) },
  { name: 'webhook-deliveries', everyMs: 50, run: (ctx, signal) => deliverDueWebhooks(ctx, signal) },
  { name: 'event-purge', everyMs: 3_600_000, run: (ctx) => purgeOldEvents(ctx) },
  { name: 'idempotency-key-purge', everyMs: 3_600_000, run: (ctx) => purgeExpiredKeys(ctx) },
];
