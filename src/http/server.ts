/**
 * The HTTP adapter: one Fastify server with the API-key hook, content negotiation, the body
 * parsers, the error mapper and the routes. Routes stay thin: read the body, call a use-case,
 * encode the result.
 */
import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AppContext, Caller } from '../use-cases/app-context.js';
import { ApiKeyAuthenticator } from '../use-cases/subscriptions.js';
import { AppError } from '../use-cases/errors.js';
import { answerClientError, errorBody, fromFastifyError, httpStatus, noRoute, sendError } from './error-mapper.js';
import { checkQueryText } from './request-body.js';
import { send } from './responses.js';
import { registerBodyParsers } from './body-parsers.js';
import { checkApiVersion, defaultNegotiation, negotiate, type Negotiated } from './content-negotiation.js';
import { encodeXml, typed, XmlListWriter } from './xml-codec.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerAllocationRoutes } from './routes/allocation.js';
import { registerCarrierRoutes } from './routes/carriers.js';
import { registerConsignmentRoutes } from './routes/consignments.js';
import { registerBulkCreateRoutes } from './routes/bulk-create.js';
import { registerConsignmentChangeRoutes } from './routes/consignment-changes.js';
import { registerConsignmentSearchRoutes } from './routes/consignment-search.js';
import { registerHealthRoutes, registerMetricsRoute } from './routes/health.js';
import { Metrics } from './metrics.js';
import { registerDocsRoutes } from './routes/docs.js';
import { registerConsoleRoutes } from './routes/console.js';
import { registerManifestRoutes } from './routes/manifests.js';
import { registerQuoteRoutes } from './routes/quotes.js';
import { registerPackageSizeRoutes } from './routes/package-sizes.js';
import { registerShippingLocationRoutes } from './routes/shipping-locations.js';
import { registerAllocationRuleRoutes } from './routes/allocation-rules.js';
import { registerServiceTagRoutes } from './routes/service-tags.js';
import { registerServiceGroupRoutes } from './routes/service-groups.js';
import { registerLabelRoutes } from './routes/labels.js';
import { registerCustomsDocumentRoutes } from './routes/customs-documents.js';
import { registerCollectionCalendarRoutes } from './routes/collection-calendar.js';
import { registerTrackingRoutes } from './routes/tracking.js';
import { registerEventRoutes } from './routes/events.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { documentedErrors, registerOpenApi } from './openapi.js';
import { ApiError } from '../contract/responses.js';
import type { TSchema } from '@sinclair/typebox';
import type { RouteDoc } from './route-docs.js';
import { Value } from '@sinclair/typebox/value';
import { RateLimited, RateLimits, type RateLimitSettings } from './rate-limits.js';
import { registerIdempotency } from './idempotency.js';

export interface HttpOptions {
  bodyLimit: number;
  /** Milliseconds a whole request (headers and body) may take to arrive; 408 after. */
  requestTimeoutMs?: number;
  publicUrl: string | null;
  adminToken: string | null;
  /** Requests per API key and failed authentications per address (rate-limits.ts); none when absent. */
  rateLimits?: RateLimitSettings;
  /** Fastify's `trustProxy`, for the client's address behind a proxy (false when absent). */
  trustProxy?: boolean | number | string;
  /** Whether GET /metrics answers (true when absent). */
  metrics?: boolean;
  /**
   * Check every JSON answer of a route that documents its response schema against it, answering
   * 500 when it does not match (the test servers do, so that no schema in /openapi.json can drift
   * from what is sent); off in production, where it would only cost time.
   */
  checkResponses?: boolean;
  /** The built operator console (dist/console), served under /console; null serves none (config.ts). */
  consoleDir?: string | null;
}

/** What a route may be: `public` needs no key (health); `admin` needs the admin bearer token. */
export type RouteAccess = 'api' | 'public' | 'admin';

declare module 'fastify' {
  interface FastifyRequest {
    negotiated: Negotiated;
    caller: Caller | null;

  }
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** What GET /openapi.json says of the route (route-docs.ts); every route has one. */
    doc?: RouteDoc;
  }
}

export interface RouteDeps {
  ctx: AppContext;
  options: HttpOptions;
  metrics: Metrics;
}

/** A request's path without its query string, which may hold an API key (`subscription-key`). */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

export function baseUrl(req: FastifyRequest, options: HttpOptions): string {
  return options.publicUrl ?? `${req.protocol}://${req.host}`;
}

export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new AppError('Unauthorized', 'An API key is required');
  return req.caller;
}

/** The API key from the header or the query string; a key given twice over is ambiguous and counts as none. */
function apiKeyOf(req: FastifyRequest): string | undefined {
  const header = req.headers['ocp-apim-subscription-key'];
  if (header !== undefined) return typeof header === 'string' ? header : undefined;
  const query = (req.query as Record<string, unknown>)['subscription-key'];
  return typeof query === 'string' ? query : undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function buildServer(ctx: AppContext, options: HttpOptions, logger: Logger): FastifyInstance {
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const app = Fastify({
    // A client that sends its request slowly would otherwise hold its connection for ever. Node checks
    // the deadline every connectionsCheckingInterval (30 s by its default), so a shorter timeout is
    // checked as often as it needs; headers must arrive within it too.
    requestTimeout,
    http: {
      requestTimeout,
      headersTimeout: Math.min(60_000, requestTimeout),
      connectionsCheckingInterval: Math.max(20, Math.min(30_000, Math.floor(requestTimeout / 4))),
    },
    clientErrorHandler: answerClientError,
    loggerInstance: logger as FastifyBaseLogger,
    // Per-request access logs would dominate the hot path; errors are still logged with their correlation id.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit,
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 200 },
    requestIdHeader: 'x-correlation-id',
    genReqId: () => randomUUID(),
    // While closing, requests already on open connections are still served (with our error body if need be).
    return503OnClosing: false,
    trustProxy: options.trustProxy as boolean | undefined, // also a hop count or addresses (config.ts); the overloads want one type
    // Errors the router raises before any hook runs still get the API's error body.
    frameworkErrors: (err, req, reply) => {
      reply.header('x-correlation-id', req.id);
      const error =
        err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new AppError('RouteNotFound', 'No such resource: a path segment is longer than 200 characters')
          : new AppError('MalformedUrl', 'The URL is not valid: check its percent-encoding', [
              { Code: 'MalformedUrl', Target: 'url', Message: 'The path is not valid percent-encoded UTF-8' },
            ]);
      return sendError(req, reply, error);
    },
  });
  const authenticator = new ApiKeyAuthenticator(ctx);
  const metrics = new Metrics(ctx.database, logger);
  // One line per request at info level (correlation id, route, status, time; never a header, so never a key).
  const requestLog = logger.isLevelEnabled('info');
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.request(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (requestLog) {
      req.log.info({ correlationId: req.id, method: req.method, route, path: pathOf(req.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
    }
    done();
  });
  // Stopping (SIGTERM): the requests in flight are answered with Connection: close, so that their
  // clients let go at once; otherwise Node waits for each kept-alive connection to time out (72 s
  // by Fastify's default) before the server counts as closed and the process can exit.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  const limits = new RateLimits(options.rateLimits ?? { perKey: 0, authFailuresPerAddress: 0, windowMs: 60_000 }, () => ctx.clock.now().toMillis());
  /** Authentication that counts its failures against the client's address. */
  const authenticating = async <T>(req: FastifyRequest, check: () => T | Promise<T>): Promise<T> => {
    limits.checkAddress(req.ip);
    try {
      return await check();
    } catch (e) {
      if (e instanceof AppError && e.code === 'Unauthorized') limits.failedAuthentication(req.ip);
      throw e;
    }
  };
  registerBodyParsers(app, options.bodyLimit);

  app.addHook('onRequest', async (req, reply) => {
    if (String(req.id).length > 200 || /[^\x21-\x7e]/.test(String(req.id))) req.id = randomUUID();
    reply.header('x-correlation-id', req.id);
    req.caller = null;
    req.negotiated = defaultNegotiation(); // what a 406 itself is answered in
    req.negotiated = negotiate(req.headers.accept, req.routeOptions.config?.doc?.files);
    checkQueryText(req.query);
    const access = req.routeOptions.config?.access;
    if (!req.routeOptions.url || access === 'public') return;
    if (access === 'admin') {
      const token = options.adminToken;
      if (!token) throw noRoute(req);
      return authenticating(req, () => {
        const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
        if (!m || !sameSecret(m[1].trim(), token)) throw new AppError('Unauthorized', 'The admin API needs Authorization: Bearer <SWITCHYARD_ADMIN_TOKEN>');
      });
    }
    checkApiVersion(req.headers['electio-api-version']);
    // Background work yields while the API serves (src/workers/foreground.ts): counted until the
    // response is done with, sent or not ('close' always comes, a client that went away included).
    ctx.foreground.begin();
    reply.raw.once('close', () => ctx.foreground.end());
    const caller = await authenticating(req, () => authenticator.authenticate(apiKeyOf(req)));
    limits.request(caller.subscriptionId);
    req.caller = caller;
  });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    const error = err instanceof AppError ? err : fromFastifyError(err);
    req.errorCode = error?.code ?? 'InternalError';
    if (!error) {
      req.log.error({ err, correlationId: req.id }, 'unhandled error');
      return send(req, reply, 500, errorBody(req, 'InternalError', 'An unexpected error occurred; quote the CorrelationId when reporting it', []), 'ApiError');
    }
    if (httpStatus(error.code) >= 500) req.log.error({ err, correlationId: req.id }, error.message);
    if (error.code === 'NotAcceptable') req.negotiated = defaultNegotiation();
    if (error instanceof RateLimited) reply.header('retry-after', String(error.retryAfterSeconds));
    return sendError(req, reply, error);
  });

  app.setNotFoundHandler((req, reply) => sendError(req, reply, noRoute(req)));

  if (options.checkResponses) checkDocumentedResponses(app);
  registerIdempotency(app, ctx); // after the check, which may still change an answer
  const deps: RouteDeps = { ctx, options, metrics };
  registerOpenApi(app); // first, to collect every route registered after it
  registerHealthRoutes(app, deps);
  if (options.metrics !== false) registerMetricsRoute(app, deps);
  registerDocsRoutes(app, deps);
  registerConsoleRoutes(app, deps);
  registerConsignmentRoutes(app, deps);
  registerBulkCreateRoutes(app, deps);
  registerCarrierRoutes(app, deps);
  registerAllocationRoutes(app, deps);
  registerQuoteRoutes(app, deps);
  registerAdminRoutes(app, deps, authenticator);
  registerShippingLocationRoutes(app, deps);
  registerPackageSizeRoutes(app, deps);
  registerAllocationRuleRoutes(app, deps);
  registerServiceTagRoutes(app, deps);
  registerServiceGroupRoutes(app, deps);
  registerConsignmentChangeRoutes(app, deps);
  registerManifestRoutes(app, deps);
  registerConsignmentSearchRoutes(app, deps);
  registerLabelRoutes(app, deps);
  registerCustomsDocumentRoutes(app, deps);
  registerCollectionCalendarRoutes(app, deps);
  registerTrackingRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  return app;
}

/**
 * HttpOptions.checkResponses: a route's JSON answer with its `ok` status (or another it answers
 * with the same body) must match its documented `response` schema, and an error answer must be
 * the ApiError body with a status the route documents (openapi.ts's documentedErrors).
 */
export function checkDocumentedResponses(app: FastifyInstance): void {
  app.addHook('onSend', (req, reply, payload, done) => {
    const doc = req.routeOptions.config?.doc;
    const json = String(reply.getHeader('content-type') ?? '').startsWith('application/json');
    if (!doc || typeof payload !== 'string' || !json) return done(null, payload);
    const status = reply.statusCode;
    const asAnswer = status === doc.ok[0] || (doc.responseAlsoOn ?? []).some(([s]) => s === status);
    let problems: string[] = [];
    if (asAnswer && doc.response) problems = schemaMismatches(doc.response, JSON.parse(payload));
    else if (status >= 400) {
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      const documented = documentedErrors(method, req.routeOptions.config.access ?? 'api', doc);
      problems = schemaMismatches(ApiError, JSON.parse(payload));
      if (!documented.includes(status)) problems.push(`status ${status} is not among the route’s documented errors (${documented.join(', ')})`);
    }
    if (problems.length === 0) return done(null, payload);
    req.log.error({ route: req.routeOptions.url, status, problems }, 'an answer does not match its documentation');
    reply.code(500);
    done(null, JSON.stringify(errorBody(req, 'InternalError', `The answer (${status}) does not match its documentation: ${problems.join('; ')}`, [])));
  });
}

function schemaMismatches(schema: TSchema, value: unknown): string[] {
  if (Value.Check(schema, value)) return [];
  return [...Value.Errors(schema, value)].slice(0, 5).map((e) => `${e.path || '/'}: ${e.message}`);
}
