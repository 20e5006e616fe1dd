/**
 * Delivering webhooks (decisions.md §13), a background job: each due delivery is taken under a
 * lease (one process makes each attempt), signed as Standard Webhooks says, posted, and recorded;
 * a failed one is tried again on the schedule, then marked failed; an endpoint whose deliveries
 * have failed for five days is disabled. At least once: a delivery is only marked delivered after
 * its endpoint answered 2xx, so a crash in between sends it again (with the same webhook-id).
 */
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { DateTime } from 'luxon';
import { utcTimestamp } from '../domain/dates.js';
import { ATTEMPT_TIMEOUT_MS, DISABLE_AFTER_MS, retryDelay, webhookPayload } from '../domain/webhooks.js';
import type { RecordedAttempt } from '../store/webhooks.repository.js';
import type { SendResult } from '../webhooks/http-sender.js';
import type { AppContext, Caller } from './app-context.js';
import { findEndpoint } from './webhooks.js';
import { inRounds, type RoundSizes } from '../workers/foreground.js';

/** Deliveries taken per round (each round runs them at once, over the sender's connection pool); fewer, with a pause between, while the API serves requests. */
const ROUNDS: RoundSizes = { idle: 200, busy: 10, pauseMs: 25 };
/** Long enough for an attempt and its record; a process that stops holding it loses it after this. */
const LEASE_MS = ATTEMPT_TIMEOUT_MS + 20_000;

/** The headers that carry a delivery's id, time and signature. The time is the wall clock's: a receiver checks it against its own. */
export function signedHeaders(signer: Webhook, messageId: string, body: string, sentAt = new Date()): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': signer.sign(messageId, sentAt, body),
  };
}

export interface DeliveryRound {
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * The background job: rounds of the due deliveries this process can take, each attempted once, one
 * round after another while rounds come full (a backlog), so that a burst is not paced by the job's
 * interval.
 */
export async function deliverDueWebhooks(ctx: AppContext, signal?: AbortSignal): Promise<DeliveryRound> {
  const total: DeliveryRound = { delivered: 0, retrying: 0, failed: 0 };
  await inRounds(
    ctx.foreground,
    ROUNDS,
    async (limit) => {
      const { claimed, ...round } = await deliverRound(ctx, limit, signal);
      for (const k of ['delivered', 'retrying', 'failed'] as const) total[k] += round[k];
      return claimed;
    },
    signal,
  );
  return total;
}

async function deliverRound(ctx: AppContext, limit: number, signal?: AbortSignal): Promise<DeliveryRound & { claimed: number }> {
  const now = ctx.clock.now();
  const due = await ctx.webhooks.claim({ owner: ctx.instanceId, until: utcTimestamp(now.plus({ milliseconds: LEASE_MS })) }, utcTimestamp(now), limit);
  const round = { delivered: 0, retrying: 0, failed: 0, claimed: due.length };
  if (due.length === 0) return round;
  const signers = new Map<string, Webhook>();
  const attempts = await Promise.all(
    due.map(async (d) => {
      // Compact JSON whichever database wrote the event's data.
      const body = webhookPayload(d.eventType, d.occurredAt, JSON.parse(d.eventData));
      let signer = signers.get(d.endpoint.secret);
      if (!signer) signers.set(d.endpoint.secret, (signer = new Webhook(d.endpoint.secret)));
      const result = await ctx.webhookSender.send(d.endpoint.url, signedHeaders(signer, `evt_${d.eventId}`, body), body, ATTEMPT_TIMEOUT_MS, signal);
      return { result, at: ctx.clock.now() };
    }),
  );
  // Stopping: an attempt the endpoint answered is recorded (a 2xx must not be sent again); one cut
  // short is given back, untried, to the next process.
  const stopping = signal?.aborted === true;
  const records: RecordedAttempt[] = [];
  const untried: number[] = [];
  due.forEach((d, i) => {
    const { result, at } = attempts[i];
    if (stopping && !('status' in result)) return void untried.push(d.id);
    const delivered = 'status' in result && result.status >= 200 && result.status < 300;
    const delay = delivered ? null : retryDelay(d.attempts + 1);
    records.push({
      deliveryId: d.id,
      subscriptionId: d.subscriptionId,
      attempt: attemptRecord(utcTimestamp(at), result),
      outcome: delivered ? { delivered: true } : { delivered: false, nextAttemptAt: delay === null ? null : utcTimestamp(at.plus({ milliseconds: delay })) },
    });
  });
  await ctx.webhooks.release(ctx.instanceId, untried);
  const recorded = await ctx.webhooks.recordAttempts(ctx.instanceId, records);
  const byId = new Map(due.map((d) => [d.id, d]));
  const succeeded = new Set<number>();
  const failing = new Set<number>();
  for (const r of records) {
    if (!recorded.has(r.deliveryId)) continue;
    const endpoint = byId.get(r.deliveryId)!.endpoint.id;
    if (r.outcome.delivered) {
      round.delivered++;
      succeeded.add(endpoint);
    } else {
      round[r.outcome.nextAttemptAt ? 'retrying' : 'failed']++;
      failing.add(endpoint);
    }
  }
  // An endpoint that took any delivery of the round is not failing.
  for (const id of succeeded) await ctx.webhooks.endpointSucceeded(id);
  const at = utcTimestamp(ctx.clock.now());
  for (const id of failing) {
    if (succeeded.has(id)) continue;
    const since = await ctx.webhooks.endpointFailed(id, at);
    if (ctx.clock.now().toMillis() - DateTime.fromISO(since).toMillis() >= DISABLE_AFTER_MS) {
      await ctx.webhooks.disable(id, `Its deliveries have failed since ${since}; enable it again once it answers`, at);
      ctx.logger.warn({ endpoint: id, since }, 'a webhook endpoint failing for five days was disabled');
    }
  }
  return round;
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
  const id = `evt_test_${randomUUID()}`;
  const result = await ctx.webhookSender.send(endpoint.url, signedHeaders(new Webhook(endpoint.secret), id, body), body, ATTEMPT_TIMEOUT_MS);
  return { delivered: 'status' in result && result.status >= 200 && result.status < 300, result };
}
