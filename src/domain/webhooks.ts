/**
 * Webhooks (decisions.md §13): which events an endpoint takes, when a failed delivery is tried
 * again, and when an endpoint that keeps failing is disabled. Pure rules; the delivery itself is
 * src/use-cases/webhook-deliveries.ts.
 */
import { EVENT_TYPES, type EventType } from './events.js';

/** The waits after each failed attempt: the second attempt 5 s after the first, …, the eighth 10 h after the seventh; then the delivery has failed. */
export const RETRY_SCHEDULE_MS: readonly number[] = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000];
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;
/** An endpoint whose deliveries have failed for this long, with none succeeding meanwhile, is disabled. */
export const DISABLE_AFTER_MS = 5 * 86_400_000;
/** How long an attempt waits for the endpoint's answer. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** How much of an answer the log keeps. */
export const EXCERPT_CHARS = 1_000;
export const MAX_ENDPOINTS_PER_SUBSCRIPTION = 20;

/** The wait before the next attempt after `attempts` failed ones, or null when there is none. */
export function retryDelay(attempts: number): number | null {
  return attempts >= 1 && attempts < MAX_ATTEMPTS ? RETRY_SCHEDULE_MS[attempts - 1] : null;
}

/** The types an endpoint takes: every one ('*'), or those named. */
export type EventSelection = '*' | readonly EventType[];

/** How the store keeps a selection: '*', or the types between commas, so that `LIKE '%,type,%'` finds an endpoint of a type. */
export function storedSelection(selection: EventSelection): string {
  return selection === '*' ? '*' : `,${[...selection].sort().join(',')},`;
}

export function readStoredSelection(stored: string): EventSelection {
  return stored === '*' ? '*' : (stored.split(',').filter((t) => (EVENT_TYPES as readonly string[]).includes(t)) as EventType[]);
}

/** A delivery's body: Standard Webhooks' payload. */
export function webhookPayload(type: string, timestamp: string, data: unknown): string {
  return JSON.stringify({ type, timestamp, data });
}

/** A new endpoint's secret: whsec_ and 32 random bytes in base64, as Standard Webhooks writes it. */
export function secretFrom(bytes: Uint8Array): string {
  return `whsec_${Buffer.from(bytes).toString('base64')}`;
}
