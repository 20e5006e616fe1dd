/**
 * Delivering webhooks (decisions.md §13), a background job: each due delivery is taken under a
 * lease (one process makes each attempt), signed as Standard Webhooks says, posted, and recorded;
 * a failed one is tried again on the schedule, then marked failed; an endpoint whose deliveries
 * have failed for five days is disabled. At least once: a delivery is only marked delivered after
 * its endpoint answered 2xx, so a crash in between sends it again (with the same webhook-id).
 */
import { Webhook } from 'standardwebhooks';
import { DateTime } from 'luxon';
import { utcTimestamp } from '../domain/dates.js';
import { ATTEMPT_TIMEOUT_MS, DISABLE_AFTER_MS, retryDelay, webhookPayload } from '../domain/webhooks.js';
import type { DueDelivery } from '../store/webhooks.repository.js';
import type { SendResult } from '../webhooks/http-sender.js';
import type { AppContext, Caller } from './app-context.js';
import { findEndpoint } from './webhooks.js';

/** Deliveries taken per round (each round runs them at once, over the sender's connection pool). */
const BATCH = 200;
/** Long enough for an attempt and its record; a process that stops holding it loses it after this. */
const LEASE_MS = ATTEMPT_TIMEOUT_MS + 20_000;

/** The headers that carry a delivery's id, time and signature. The time is the wall clock's: a receiver checks it against its own. */
export function signedHeaders(secret: string, messageId: string, body: string, sentAt = new Date()): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, sentAt, body),
  };
}

export interface DeliveryRound {
  delivered: number;
  retrying: number;
  failed: number;
}

/** One round: the due deliveries this process could take, each attempted once. */
export async function deliverDueWebhooks(ctx: AppContext, signal?: AbortSignal): Promise<DeliveryRound> {
  const now = ctx.clock.now();
  const due = await ctx.webhooks.claim({ owner: ctx.instanceId, until: utcTimestamp(now.plus({ milliseconds: LEASE_MS })) }, utcTimestamp(now), BATCH);
  const round: DeliveryRound = { delivered: 0, retrying: 0, failed: 0 };
  await Promise.all(
    due.map(async (d) => {
      const outcome = await attempt(ctx, d, signal);
      if (outcome) round[outcome]++;
    }),
  );
  return round;
}

async function attempt(ctx: AppContext, d: DueDelivery, signal?: AbortSignal): Promise<keyof DeliveryRound | null> {
  // Compact JSON whichever database wrote the event's data.
  const body = webhookPayload(d.eventType, d.occurredAt, JSON.parse(d.eventData));
  const result = await ctx.webhookSender.send(d.endpoint.url, signedHeaders(d.endpoint.secret, `evt_${d.eventId}`, body), body, ATTEMPT_TIMEOUT_MS, signal);
  // Stopping: the attempt is left to the next process that takes the row once its lease has run out.
  if (signal?.aborted) return null;
  const now = ctx.clock.now();
  const at = utcTimestamp(now);
  const delivered = 'status' in result && result.status >= 200 && result.status < 300;
  const delay = delivered ? null : retryDelay(d.attempts + 1);
  const recorded = await ctx.webhooks.recordAttempt(d.id, ctx.instanceId, attemptRecord(at, result), delivered ? { delivered: true } : { delivered: false, nextAttemptAt: delay === null ? null : utcTimestamp(now.plus({ milliseconds: delay })) });
  if (!recorded) return null;
  if (delivered) {
    if (d.endpoint.failingSince) await ctx.webhooks.endpointSucceeded(d.endpoint.id);
    return 'delivered';
  }
  const since = await ctx.webhooks.endpointFailed(d.endpoint.id, at);
  if (now.toMillis() - DateTime.fromISO(since).toMillis() >= DISABLE_AFTER_MS) {
    await ctx.webhooks.disable(d.endpoint.id, `Its deliveries have failed since ${since}; enable it again once it answers`, at);
    ctx.logger.warn({ endpoint: d.endpoint.id, since }, 'a webhook endpoint failing for five days was disabled');
  }
  return delay === null ? 'failed' : 'retrying';
}

function attemptRecord(at: string, result: SendResult) {
  return 'status' in result
    ? { at, status: result.status, durationMs: result.durationMs, excerpt: result.excerpt, error: result.status >= 200 && result.status < 300 ? null : `answered ${result.status}` }
    : { at, status: null, durationMs: result.durationMs, excerpt: null, error: result.error };
}

export interface TestResult {
  delivered: boolean;
  result: SendResult;
}

/** POST /webhooks/{id}/test: a webhook.test event sent to the endpoint now, signed like any other, answered with what the endpoint did (not logged). */
export async function sendTestEvent(ctx: AppContext, caller: Caller, reference: string): Promise<TestResult> {
  const endpoint = await findEndpoint(ctx, caller, reference);
  const at = utcTimestamp(ctx.clock.now());
  const body = webhookPayload('webhook.test', at, { WebhookReference: endpoint.reference, Message: 'A test event from Switchyard' });
  const id = `evt_test_${Date.now().toString(36)}`;
  const result = await ctx.webhookSender.send(endpoint.url, signedHeaders(endpoint.secret, id, body), body, ATTEMPT_TIMEOUT_MS);
  return { delivered: 'status' in result && result.status >= 200 && result.status < 300, result };
}
