/**
 * Webhooks (decisions.md §13, docs/api/webhooks.md): a subscription's endpoints, made, read, changed
 * and deleted; a test event sent on demand; each endpoint's delivery log, and a delivery sent again.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { IssuedWebhook, Webhook, WebhookDelivery, WebhookDeliveryPage, WebhookTestResult } from '../../contract/responses.js';
import { WebhookRequest } from '../../contract/webhooks.js';
import { MAX_TEXT } from '../../domain/limits.js';
import { EVENT_TYPES, isEventType, type EventType } from '../../domain/events.js';
import type { EventSelection } from '../../domain/webhooks.js';
import type { EndpointDraft } from '../../store/webhooks.repository.js';
import { presentDelivery, presentWebhook as present } from '../presenters/webhook.js';
import { validationFailed, type ErrorDetail } from '../../use-cases/errors.js';
import { sendTestEvent } from '../../use-cases/webhook-deliveries.js';
import { createEndpoint, deleteEndpoint, deliveryLog, findEndpoint, listEndpoints, replayDelivery, updateEndpoint } from '../../use-cases/webhooks.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { send } from '../responses.js';
import { documented, type ParamDoc } from '../route-docs.js';
import { callerOf, type RouteDeps } from '../server.js';
import { typed } from '../xml-codec.js';

const WEBHOOK: Record<string, ParamDoc> = { webhook: { description: 'The webhook’s reference (wh_…)' } };
const MAX_URL = 2_000;
const DEFAULT_LOG_PAGE = 50;
const MAX_LOG_PAGE = 500;

/** What the schema cannot say: a URL of a sane length, known event types (or "*" alone), a description it can keep. */
function webhookRules(value: unknown): ErrorDetail[] {
  const body = value as Partial<WebhookRequest> | null;
  if (typeof body !== 'object' || body === null) return [];
  const problems: ErrorDetail[] = [];
  if (typeof body.Url === 'string' && (body.Url.trim() === '' || body.Url.length > MAX_URL || body.Url.includes('\u0000'))) {
    problems.push({ Code: 'Invalid', Target: 'Url', Message: `Url is required, at most ${MAX_URL} characters` });
  }
  if (Array.isArray(body.EventTypes)) {
    const types = body.EventTypes.map((t) => (typeof t === 'string' ? t.trim().toLowerCase() : ''));
    if (types.length === 0) problems.push({ Code: 'Required', Target: 'EventTypes', Message: 'EventTypes names at least one event type, or "*" for every one' });
    for (const t of types) {
      if (t !== '*' && !isEventType(t)) problems.push({ Code: 'Invalid', Target: 'EventTypes', Message: `${t.slice(0, 40)} is not an event type: use ${EVENT_TYPES.join(', ')}, or "*"` });
    }
    if (types.includes('*') && types.length > 1) problems.push({ Code: 'Invalid', Target: 'EventTypes', Message: '"*" stands alone: it takes every event type' });
  }
  if (typeof body.Description === 'string' && (body.Description.length > MAX_TEXT || body.Description.includes('\u0000'))) {
    problems.push({ Code: 'Invalid', Target: 'Description', Message: `Description must be at most ${MAX_TEXT} characters, without NUL` });
  }
  return problems;
}

function readDraft(body: unknown): EndpointDraft {
  const request = readBody(WebhookRequest, body as ParsedBody, webhookRules);
  const types = request.EventTypes.map((t) => t.trim().toLowerCase());
  const eventTypes: EventSelection = types.includes('*') ? '*' : [...new Set(types as EventType[])];
  return { url: request.Url.trim(), eventTypes, description: request.Description?.trim() || null, isEnabled: request.IsEnabled ?? true };
}

export function registerWebhookRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  type One = { Params: { webhook: string } };

  app.post('/webhooks', documented({
    summary: 'Make a webhook endpoint; its secret is in this answer only (Switchyard)',
    body: WebhookRequest,
    ok: [201, 'IssuedWebhook: the endpoint, with its Secret'],
    response: IssuedWebhook,
    errors: [400, 401, 409],
  }), async (req, reply) => {
    const endpoint = await createEndpoint(ctx, callerOf(req), readDraft(req.body));
    reply.header('location', `/webhooks/${endpoint.reference}`);
    return send(req, reply, 201, typed('IssuedWebhook', { ...present(endpoint), Secret: endpoint.secret }));
  });

  app.get('/webhooks', documented({
    summary: 'The subscription’s webhook endpoints (Switchyard)', ok: [200, 'Webhook[]'], response: Type.Array(Webhook), errors: [401],
  }), async (req, reply) => send(req, reply, 200, (await listEndpoints(ctx, callerOf(req))).map(present), 'ArrayOfWebhook'));

  app.get<One>('/webhooks/:webhook', documented({
    summary: 'A webhook endpoint (Switchyard)', params: WEBHOOK, ok: [200, 'Webhook'], response: Webhook, errors: [401, 404],
  }), async (req, reply) => send(req, reply, 200, present(await findEndpoint(ctx, callerOf(req), req.params.webhook))));

  app.put<One>('/webhooks/:webhook', documented({
    summary: 'Change a webhook endpoint: its URL, event types, description, and whether it is enabled (Switchyard)',
    params: WEBHOOK, body: WebhookRequest, ok: [200, 'Webhook'], response: Webhook, errors: [400, 401, 404],
  }), async (req, reply) => send(req, reply, 200, present(await updateEndpoint(ctx, callerOf(req), req.params.webhook, readDraft(req.body)))));

  app.delete<One>('/webhooks/:webhook', documented({
    summary: 'Delete a webhook endpoint and its delivery log (Switchyard)', params: WEBHOOK, ok: [204, 'Deleted'], errors: [401, 404],
  }), async (req, reply) => {
    await deleteEndpoint(ctx, callerOf(req), req.params.webhook);
    return reply.code(204).send();
  });

  app.post<One>('/webhooks/:webhook/test', documented({
    summary: 'Send a webhook.test event to the endpoint now, signed like any other, and say what it answered (Switchyard)',
    params: WEBHOOK, ok: [200, 'WebhookTestResult'], response: WebhookTestResult, errors: [401, 404],
  }), async (req, reply) => {
    const { delivered, result } = await sendTestEvent(ctx, callerOf(req), req.params.webhook);
    const answered = 'status' in result;
    return send(req, reply, 200, typed('WebhookTestResult', {
      Delivered: delivered,
      StatusCode: answered ? result.status : null,
      DurationMs: result.durationMs,
      ResponseExcerpt: answered ? result.excerpt : null,
      Error: answered ? (delivered ? null : `answered ${result.status}`) : result.error,
    }));
  });

  type Log = One & { Querystring: Record<string, unknown> };
  app.get<Log>('/webhooks/:webhook/deliveries', documented({
    summary: 'The endpoint’s deliveries, newest first, each with its attempts (Switchyard)',
    params: WEBHOOK,
    query: {
      before: { description: 'The cursor: Before of the page before; from the newest when absent', type: 'integer' },
      limit: { description: `Deliveries per page, 1 to ${MAX_LOG_PAGE} (${DEFAULT_LOG_PAGE} when absent)`, type: 'integer' },
    },
    ok: [200, 'WebhookDeliveryPage { Deliveries, Before, HasMore }'],
    response: WebhookDeliveryPage,
    errors: [400, 401, 404],
  }), async (req, reply) => {
    const problems: ErrorDetail[] = [];
    const number = (name: string, min: number, max: number, fallback: number) => {
      const raw = req.query[name];
      if (raw === undefined || raw === '') return fallback;
      const n = Number(raw);
      if (Number.isInteger(n) && n >= min && n <= max) return n;
      problems.push({ Code: 'Invalid', Target: name, Message: `${name} must be a whole number from ${min} to ${max}` });
      return fallback;
    };
    const before = number('before', 0, Number.MAX_SAFE_INTEGER, 0);
    const limit = number('limit', 1, MAX_LOG_PAGE, DEFAULT_LOG_PAGE);
    if (problems.length) throw validationFailed(problems);
    const page = await deliveryLog(ctx, callerOf(req), req.params.webhook, before, limit);
    return send(req, reply, 200, typed('WebhookDeliveryPage', { Deliveries: page.deliveries.map(presentDelivery), Before: String(page.before), HasMore: page.hasMore }));
  });

  type Replay = { Params: { webhook: string; delivery: string } };
  app.post<Replay>('/webhooks/:webhook/deliveries/:delivery/replay', documented({
    summary: 'Send a delivery again, from the start of the retry schedule, whatever became of it (Switchyard)',
    params: { ...WEBHOOK, delivery: { description: 'The delivery’s Id (from the delivery log)' } },
    ok: [202, 'WebhookDelivery: queued'],
    response: WebhookDelivery,
    errors: [401, 404],
  }), async (req, reply) => {
    const id = /^\d{1,15}$/.test(req.params.delivery) ? Number(req.params.delivery) : -1;
    return send(req, reply, 202, presentDelivery(await replayDelivery(ctx, callerOf(req), req.params.webhook, id)));
  });
}
