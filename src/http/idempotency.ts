/**
 * The Idempotency-Key header of POST requests (decisions.md §14), in HTTP's terms: what makes a
 * repeat the same request (its fingerprint), which answers are kept for repeats, and the repeat
 * answered with the kept bytes and `Idempotent-Replayed: true`. The rules are the use-case's
 * (src/use-cases/idempotency.ts).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../contract/errors.js';
import type { AppContext } from '../use-cases/app-context.js';
import { AppError } from '../use-cases/errors.js';
import { callerOf } from './server.js';
import { checkKey, claimKey, freeKey, keepAnswer, LEASE_MS, renewKey, type HeldKey } from '../use-cases/idempotency.js';
import type { StoredAnswer } from '../store/idempotency.repository.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** SHA-256 of the body's bytes, taken by the body parser when the request has an Idempotency-Key. */
    bodyDigest?: string;
    /** The key this request holds while it runs, and the timer that renews its lease meanwhile. */
    heldKey?: HeldKey;
    heldKeyRenewal?: NodeJS.Timeout;
    /** The code of the error the request was answered with, if any. */
    errorCode?: ErrorCode;
  }
}

export const IDEMPOTENCY_KEY = 'idempotency-key';
export const REPLAYED = 'idempotent-replayed';

/**
 * Whether the request asks to be idempotent: a POST behind an API key, with the header. The admin
 * API's answers carry API keys, which Switchyard keeps only as hashes, so it keeps none of them.
 */
export function wantsIdempotency(req: FastifyRequest): boolean {
  return req.method === 'POST' && req.headers[IDEMPOTENCY_KEY] !== undefined && takesIdempotencyKey(req.routeOptions.config?.access);
}

export function takesIdempotencyKey(access: string | undefined): boolean {
  return (access ?? 'api') === 'api';
}

/** The body parsers' part: the digest of the bytes as they came. */
export function digestBody(req: FastifyRequest, body: Buffer | string): void {
  if (wantsIdempotency(req)) req.bodyDigest = createHash('sha256').update(body).digest('hex');
}

/**
 * An answer that says the request was not carried out as sent (malformed or invalid, not
 * acceptable, unauthorised, too slow, too large, of a media type not read, over a rate limit, an
 * error of ours) is not kept: the key is freed, and a corrected or later retry runs.
 */
const NOT_CARRIED_OUT = new Set([400, 401, 406, 408, 413, 415, 429]);
/** Refusals that say "not now" rather than "no": a retry may succeed. */
const TRANSIENT = new Set<ErrorCode>(['ConsignmentBusy']);
/** The headers that are part of the answer a repeat gets. */
const KEPT_HEADERS = ['content-type', 'location', 'content-disposition', 'cache-control'];

function kept(req: FastifyRequest, status: number): boolean {
  return status < 500 && !NOT_CARRIED_OUT.has(status) && !(req.errorCode && TRANSIENT.has(req.errorCode));
}

/** What makes a repeat the same request: the route and its parameters, the body's media type and bytes, and the answer's format. */
function fingerprint(req: FastifyRequest): string {
  const params = Object.entries((req.params ?? {}) as Record<string, string>).map(([k, v]) => [k, String(v).toLowerCase()]);
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const parts = [req.method, req.routeOptions.url ?? '', JSON.stringify(params), mediaType, req.negotiated.contentType, req.bodyDigest ?? ''];
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

function replay(reply: FastifyReply, answer: StoredAnswer): FastifyReply {
  reply.code(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value);
  return reply.header(REPLAYED, 'true').send(answer.body);
}

function answerOf(reply: FastifyReply, payload: string | Buffer): StoredAnswer {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return { status: reply.statusCode, headers, body: Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8') };
}

/**
 * Gives every POST route behind an API key its Idempotency-Key hooks (other routes pay nothing
 * for them). Register before the routes, after any onSend hook that may still change an answer.
 */
export function registerIdempotency(app: FastifyInstance, ctx: AppContext): void {
  const claim = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!wantsIdempotency(req)) return;
    const given = req.headers[IDEMPOTENCY_KEY];
    if (typeof given !== 'string') {
      throw new AppError('ValidationFailed', 'Give one Idempotency-Key', [{ Code: 'Invalid', Target: 'Idempotency-Key', Message: 'Give one Idempotency-Key' }]);
    }
    const outcome = await claimKey(ctx, callerOf(req).subscriptionId, checkKey(given), fingerprint(req));
    if ('answered' in outcome) return replay(reply, outcome.answered);
    req.heldKey = outcome.run;
    // A long request keeps its key: a repeat is told it is running, never run beside it.
    const held = outcome.run;
    const renewal = setInterval(() => {
      renewKey(ctx, held).catch((err) => req.log.warn({ err, correlationId: req.id }, 'an Idempotency-Key’s lease could not be renewed'));
    }, LEASE_MS / 3).unref();
    req.heldKeyRenewal = renewal;
    // Never past the response, whatever becomes of it: a key nobody answers for is freed by its lease.
    reply.raw.once('close', () => clearInterval(renewal));
  };

  const settle = async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const held = req.heldKey;
    if (!held) return payload;
    req.heldKey = undefined;
    clearInterval(req.heldKeyRenewal);
    // An empty answer is kept as one; a stream (no POST route answers with one) cannot be kept, so it is not replayed but run again.
    const body = payload === undefined || payload === null ? '' : payload;
    const keepable = typeof body === 'string' || Buffer.isBuffer(body);
    try {
      if (keepable && kept(req, reply.statusCode)) await keepAnswer(ctx, held, answerOf(reply, body));
      else await freeKey(ctx, held);
    } catch (err) {
      // The request was carried out: its client gets its answer. The key stays claimed until its lease runs out.
      req.log.error({ err, correlationId: req.id }, 'the answer of an idempotent request could not be kept');
    }
    return payload;
  };

  app.addHook('onRoute', (route) => {
    if (![route.method].flat().includes('POST') || !takesIdempotencyKey(route.config?.access)) return;
    route.preHandler = [...[route.preHandler ?? []].flat(), claim];
    route.onSend = [...[route.onSend ?? []].flat(), settle];
  });
}
