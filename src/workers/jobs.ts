/** The background jobs every Switchyard process runs (issue 8 adds the tracker, issue 11 webhook deliveries). */
import { retryDueCancellations } from '../use-cases/carrier-cancellations.js';
import { purgeExpiredQuotes } from '../use-cases/quotes.js';
import type { BackgroundJob } from './background-workers.js';

export const BACKGROUND_JOBS: readonly BackgroundJob[] = [
  { name: 'carrier-cancellations', everyMs: 5_000, run: (ctx, signal) => retryDueCancellations(ctx, signal) },
  { name: 'quote-purge', everyMs: 3_600_000, run: (ctx) => purgeExpiredQuotes(ctx) },
];
