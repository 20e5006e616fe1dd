/**
 * A subscription's webhook endpoints (decisions.md §13): made, read, changed and deleted through the
 * API; each with a secret shown once, the event types it takes, and its delivery log. Deliveries
 * themselves are webhook-deliveries.ts's.
 */
import { randomBytes } from 'node:crypto';
import { utcTimestamp } from '../domain/dates.js';
import { MAX_ENDPOINTS_PER_SUBSCRIPTION, secretFrom } from '../domain/webhooks.js';
import type { DeliveryLogEntry, EndpointDraft, WebhookEndpoint } from '../store/webhooks.repository.js';
import { targetProblem } from '../webhooks/http-sender.js';
import type { AppContext, Caller } from './app-context.js';
import { AppError, validationFailed } from './errors.js';
import { placeCommittedEvents } from './events.js';

async function checkTarget(ctx: AppContext, url: string): Promise<void> {
  const problem = await targetProblem(url, ctx.webhookAllowPrivate);
  if (problem) throw validationFailed([{ Code: 'Invalid', Target: 'Url', Message: `Url ${problem}` }]);
}

export async function findEndpoint(ctx: AppContext, caller: Caller, reference: string): Promise<WebhookEndpoint> {
  const endpoint = await ctx.webhooks.find(caller.subscriptionId, reference.trim().toLowerCase());
  if (!endpoint) throw new AppError('WebhookNotFound', `Webhook ${reference.slice(0, 60)} not found`);
  return endpoint;
}

/** Makes an endpoint; its secret is in the answer, and never again. */
export async function createEndpoint(ctx: AppContext, caller: Caller, draft: EndpointDraft): Promise<WebhookEndpoint> {
  await checkTarget(ctx, draft.url);
  if ((await ctx.webhooks.count(caller.subscriptionId)) >= MAX_ENDPOINTS_PER_SUBSCRIPTION) {
    throw new AppError('TooManyWebhooks', `A subscription has at most ${MAX_ENDPOINTS_PER_SUBSCRIPTION} webhooks; delete one first`);
  }
  const reference = `wh_${randomBytes(8).toString('hex')}`;
  // What happened before it is placed before it, and not delivered to it.
  await placeCommittedEvents(ctx);
  return ctx.webhooks.create(caller.subscriptionId, reference, secretFrom(randomBytes(32)), draft, utcTimestamp(ctx.clock.now()));
}

export async function listEndpoints(ctx: AppContext, caller: Caller): Promise<WebhookEndpoint[]> {
  return ctx.webhooks.list(caller.subscriptionId);
}

/** Replaces the endpoint's URL, types, description and whether it is enabled (enabling one the server disabled starts it afresh). */
export async function updateEndpoint(ctx: AppContext, caller: Caller, reference: string, draft: EndpointDraft): Promise<WebhookEndpoint> {
  const endpoint = await findEndpoint(ctx, caller, reference);
  if (draft.url !== endpoint.url) await checkTarget(ctx, draft.url);
  // The change applies to what happens after it: what happened before is placed (and given to the endpoint as it was) first.
  await placeCommittedEvents(ctx);
  const updated = await ctx.webhooks.update(endpoint, draft, utcTimestamp(ctx.clock.now()));
  if (!updated) throw new AppError('WebhookNotFound', `Webhook ${reference.slice(0, 60)} not found`);
  return updated;
}

export async function deleteEndpoint(ctx: AppContext, caller: Caller, reference: string): Promise<void> {
  const endpoint = await findEndpoint(ctx, caller, reference);
  if (!(await ctx.webhooks.delete(endpoint))) throw new AppError('WebhookNotFound', `Webhook ${reference.slice(0, 60)} not found`);
}

export interface DeliveryLogPage {
  deliveries: DeliveryLogEntry[];
  /** The cursor for the older ones: the last delivery's id. */
  before: number;
  hasMore: boolean;
}

/** The endpoint's deliveries, newest first, each with its attempts. */
export async function deliveryLog(ctx: AppContext, caller: Caller, reference: string, before: number, limit: number): Promise<DeliveryLogPage> {
  const endpoint = await findEndpoint(ctx, caller, reference);
  // Every event committed so far has its delivery in the log.
  await placeCommittedEvents(ctx);
  const rows = await ctx.webhooks.log(endpoint, before, limit + 1);
  const deliveries = rows.slice(0, limit);
  return { deliveries, before: deliveries.at(-1)?.id ?? before, hasMore: rows.length > limit };
}

/** Sends one of the endpoint's deliveries again, from the start of the schedule; answers it as queued. */
export async function replayDelivery(ctx: AppContext, caller: Caller, reference: string, deliveryId: number): Promise<DeliveryLogEntry> {
  const endpoint = await findEndpoint(ctx, caller, reference);
  const [entry] = (await ctx.webhooks.replay(endpoint, deliveryId, utcTimestamp(ctx.clock.now()))) ? await ctx.webhooks.log(endpoint, deliveryId + 1, 1) : [];
  if (!entry || entry.id !== deliveryId) throw new AppError('WebhookDeliveryNotFound', `Webhook ${endpoint.reference} has no delivery ${String(deliveryId).slice(0, 20)}`);
  return entry;
}
