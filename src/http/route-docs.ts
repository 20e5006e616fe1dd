/**
 * What a route says about itself in GET /openapi.json, declared where the route is registered.
 * It travels in the route's Fastify `config`, which Fastify only carries (no validation, no
 * coercion, no serialisation), so bodies are still read by request-body.ts with our own messages.
 * `openapi.ts` collects these as the routes are registered and refuses a route without one; the
 * body parsers hand the declared body schema to `readBody`, which refuses to read a body through
 * any other, so the documented schema is the one the handler reads.
 */
import type { TSchema } from '@sinclair/typebox';
import type { RouteAccess } from './server.js';

/** A path parameter as the document shows it; the route's own name (`:reference`, `*`) stays the server's. */
export interface ParamDoc {
  /** The name in the documented path (`{rule}` for `:reference`); the route's own name when absent. */
  name?: string;
  description?: string;
}

/** A query-string parameter as the document shows it: always optional (absent or empty means not given), its name matched in any case. */
export interface QueryDoc {
  description: string;
  /** How its value is written: a string unless said; a date is yyyy-MM-dd (or an ISO 8601 date-time where the description says so). */
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** The values it takes, when they are few. */
  enum?: readonly string[];
}

export interface RouteDoc {
  summary: string;
  /** The operation's id in the document; derived from the method and path when absent (openapi.ts). */
  operationId?: string;
  /** The schema the handler reads its body with; absent when the route reads no body. */
  body?: TSchema;
  /** Path parameters by the route's own names, `*` for a wildcard (which must be named). */
  params?: Record<string, ParamDoc>;
  /** The query-string parameters the route reads, by their documented names. */
  query?: Record<string, QueryDoc>;
  ok: [status: number, description: string];
  /** The schema of the JSON (and XML) answer with the `ok` status (src/contract/responses.ts); described in words only when absent. */
  response?: TSchema;
  /** Other statuses answered with the `response` body rather than an error (GET /health's 503 while the database is unreachable). */
  responseAlsoOn?: [status: number, description: string][];
  /**
   * The error statuses the route can answer besides those any route may (openapi.ts's
   * documentedErrors adds them); the error body is always ApiError.
   */
  errors: number[];
  /**
   * Media types of a file the route also answers as the bytes themselves, when the client's Accept
   * asks for one (a label's application/pdf, say); its JSON and XML answers carry the file in base64.
   */
  files?: readonly string[];
  /** The route also reads a text/csv body (its columns are the route's own); every other route answers one with 415. */
  csv?: boolean;
}

export interface DocumentedRouteOptions {
  config: { access: RouteAccess; doc: RouteDoc };
}

/**
 * Route options carrying the route's documentation and its access (`api` by default), which the
 * server's onRequest hook reads: `app.put('/x/:reference', documented({ ... }), handler)`.
 */
export function documented({ access = 'api', ...doc }: RouteDoc & { access?: RouteAccess }): DocumentedRouteOptions {
  return { config: { access, doc } };
}

/** The `:reference` of the consignment routes. */
export const CONSIGNMENT_REFERENCE: Record<string, ParamDoc> = { reference: { description: 'Consignment reference (EC-xxx-xxx-xxx), any case' } };
