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
import { ApiError, malformedBody, type ErrorDetail } from '../use-cases/errors.js';
import { registerBodyParsers } from './body-parsers.js';
import { checkApiVersion, defaultNegotiation, negotiate, type Negotiated } from './content-negotiation.js';
import { encodeXml, typed, XmlListWriter } from './xml-codec.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerAllocationRoutes } from './routes/allocation.js';
import { registerCarrierRoutes } from './routes/carriers.js';
import { registerConsignmentRoutes } from './routes/consignments.js';
import { registerConsignmentChangeRoutes } from './routes/consignment-changes.js';
import { registerConsignmentSearchRoutes } from './routes/consignment-search.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerQuoteRoutes } from './routes/quotes.js';
import { registerPackageSizeRoutes } from './routes/package-sizes.js';
import { registerShippingLocationRoutes } from './routes/shipping-locations.js';
import { registerAllocationRuleRoutes } from './routes/allocation-rules.js';
import { registerServiceTagRoutes } from './routes/service-tags.js';
import { registerServiceGroupRoutes } from './routes/service-groups.js';

export interface HttpOptions {
  bodyLimit: number;
  publicUrl: string | null;
  adminToken: string | null;
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
  }
}

export interface RouteDeps {
  ctx: AppContext;
  options: HttpOptions;
}

/** Sends a value in the negotiated representation. */
export function send(req: FastifyRequest, reply: FastifyReply, status: number, value: unknown, xmlRoot?: string): FastifyReply {
  const n = req.negotiated ?? defaultNegotiation();
  reply.code(status).type(n.contentType);
  return reply.send(n.format === 'xml' ? encodeXml(value, xmlRoot) : JSON.stringify(value));
}

/** Sends a list as its items arrive, presenting and encoding each one at once so that only its text is kept. */
export async function sendList<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  items: AsyncIterable<T> | Iterable<T>,
  present: (item: T) => object,
  xmlRoot: string,
): Promise<FastifyReply> {
  const n = req.negotiated ?? defaultNegotiation();
  const xml = n.format === 'xml' ? new XmlListWriter(xmlRoot) : null;
  const json: string[] = [];
  for await (const item of items) {
    if (xml) xml.add(present(item));
    else json.push(JSON.stringify(present(item)));
  }
  reply.code(status).type(n.contentType);
  return reply.send(xml ? xml.finish() : `[${json.join(',')}]`);
}

export function baseUrl(req: FastifyRequest, options: HttpOptions): string {
  return options.publicUrl ?? `${req.protocol}://${req.host}`;
}

export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new ApiError('Unauthorized', 'An API key is required');
  return req.caller;
}

function errorBody(req: FastifyRequest, code: string, message: string, details: ErrorDetail[]): object {
  return typed('ApiError', {
    Code: code,
    Message: message,
    CorrelationId: String(req.id),
    Details: details.map((d) => typed('ApiErrorMessage', { ...d })),
  });
}

/** Fastify's own errors, as the API's codes. */
function fromFastifyError(err: { code?: string; statusCode?: number; message: string }): ApiError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError('PayloadTooLarge', 'The request body is larger than the server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new ApiError('UnsupportedMediaType', 'Send the body as application/json, application/xml or text/xml');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INSTANCE_ALREADY_STARTED':
      return malformedBody(err.message);
  }
  if (err.statusCode === 413) return new ApiError('PayloadTooLarge', 'The request body is larger than the server accepts');
  if (err.statusCode === 415) return new ApiError('UnsupportedMediaType', 'Send the body as application/json, application/xml or text/xml');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return malformedBody(err.message);
  return null;
}

/** 404 RouteNotFound for this request's method and path. */
export function noRoute(req: FastifyRequest): ApiError {
  return new ApiError('RouteNotFound', `No route ${req.method} ${req.url.split('?')[0].slice(0, 200)}`);
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
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Per-request access logs would dominate the hot path; errors are still logged with their correlation id.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit,
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 200 },
    requestIdHeader: 'x-correlation-id',
    genReqId: () => randomUUID(),
    // While closing, requests already on open connections are still served (with our error body if need be).
    return503OnClosing: false,
    // Errors the router raises before any hook runs still get the API's error body.
    frameworkErrors: (err, req, reply) => {
      reply.header('x-correlation-id', req.id);
      const error =
        err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? new ApiError('RouteNotFound', 'No such resource: a path segment is longer than 200 characters')
          : new ApiError('MalformedUrl', 'The URL is not valid: check its percent-encoding', [
              { Code: 'MalformedUrl', Target: 'url', Message: 'The path is not valid percent-encoded UTF-8' },
            ]);
      return send(req, reply, error.status, errorBody(req, error.code, error.message, error.details), 'ApiError');
    },
  });
  const authenticator = new ApiKeyAuthenticator(ctx);
  registerBodyParsers(app, options.bodyLimit);

  app.addHook('onRequest', async (req, reply) => {
    if (String(req.id).length > 200 || /[^\x21-\x7e]/.test(String(req.id))) req.id = randomUUID();
    reply.header('x-correlation-id', req.id);
    req.caller = null;
    req.negotiated = defaultNegotiation(); // what a 406 itself is answered in
    req.negotiated = negotiate(req.headers.accept);
    const access = req.routeOptions.config?.access;
    if (!req.routeOptions.url || access === 'public') return;
    if (access === 'admin') {
      if (!options.adminToken) throw noRoute(req);
      const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
      if (!m || !sameSecret(m[1].trim(), options.adminToken)) throw new ApiError('Unauthorized', 'The admin API needs Authorization: Bearer <SWITCHYARD_ADMIN_TOKEN>');
      return;
    }
    checkApiVersion(req.headers['electio-api-version']);
    req.caller = await authenticator.authenticate(apiKeyOf(req));
  });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    const apiError = err instanceof ApiError ? err : fromFastifyError(err);
    if (!apiError) {
      req.log.error({ err, correlationId: req.id }, 'unhandled error');
      return send(req, reply, 500, errorBody(req, 'InternalError', 'An unexpected error occurred; quote the CorrelationId when reporting it', []), 'ApiError');
    }
    if (apiError.status >= 500) req.log.error({ err, correlationId: req.id }, apiError.message);
    if (apiError.code === 'NotAcceptable') req.negotiated = defaultNegotiation();
    return send(req, reply, apiError.status, errorBody(req, apiError.code, apiError.message, apiError.details), 'ApiError');
  });

  app.setNotFoundHandler((req, reply) => send(req, reply, 404, errorBody(req, 'RouteNotFound', noRoute(req).message, []), 'ApiError'));

  const deps: RouteDeps = { ctx, options };
  registerHealthRoutes(app, deps);
  registerConsignmentRoutes(app, deps);
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
  registerConsignmentSearchRoutes(app, deps);
  return app;
}
