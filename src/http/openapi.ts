/**
 * The OpenAPI 3.1 description served at GET /openapi.json, built from the routes themselves: each
 * declares its documentation where it is registered (route-docs.ts), and an onRoute hook collects
 * them as they are, refusing a route without one. So the document lists exactly the routes the
 * server answers, and a body's schema is the very one its handler reads the body with.
 */
import type { FastifyInstance } from 'fastify';
import { Kind, type TSchema } from '@sinclair/typebox';
import { ERROR_CODES } from '../contract/errors.js';
import * as responses from '../contract/responses.js';
import { OpenApiDocument } from '../contract/responses.js';
import { httpStatus } from './error-mapper.js';
import { ANSWER_EXAMPLES, PARAMETER_EXAMPLES, REQUEST_EXAMPLES } from './openapi-examples.js';
import { takesIdempotencyKey } from './idempotency.js';
import { documented, type QueryDoc, type RouteDoc } from './route-docs.js';
import type { RouteAccess } from './server.js';

/** A registered route in the document's terms. */
export interface Operation {
  /** Lower case, as OpenAPI keys operations. */
  method: string;
  /** In OpenAPI's syntax: `/allocationrules/{rule}` for the route `/allocationrules/:reference`. */
  path: string;
  access: RouteAccess;
  doc: RouteDoc;
  parameters: { name: string; description?: string }[];
}

/** Fastify's path parameters: `:name`, and `*` for the rest of the path. */
const PATH_PARAMETER = /:(\w+)|\*/g;

/** The operation of a route as it is registered; throws (so the server does not build) when its documentation is missing or does not fit its path. */
export function operationOf(method: string, url: string, access: RouteAccess | undefined, doc: RouteDoc | undefined): Operation {
  const route = `${method} ${url}`;
  if (!doc) throw new Error(`${route} is registered without documentation: give it documented({ summary, ok, errors, ... }) from src/http/route-docs.ts`);
  const own = [...url.matchAll(PATH_PARAMETER)].map((m) => m[1] ?? '*');
  const declared = doc.params ?? {};
  for (const name of Object.keys(declared)) if (!own.includes(name)) throw new Error(`${route} documents a path parameter '${name}' it does not have`);
  const parameters = own.map((name) => ({ name: declared[name]?.name ?? name, description: declared[name]?.description }));
  if (parameters.some((p) => p.name === '*')) throw new Error(`${route} must name its wildcard for the document: params: { '*': { name } }`);
  if (new Set(parameters.map((p) => p.name.toLowerCase())).size < parameters.length) throw new Error(`${route} documents two path parameters under one name`);
  let i = 0;
  const path = url.replace(PATH_PARAMETER, () => `{${parameters[i++].name}}`);
  return { method: method.toLowerCase(), path, access: access ?? 'api', doc, parameters };
}

/**
 * Collects every route registered after it (HEAD routes aside: Fastify adds one per GET) and
 * serves the document built from them at GET /openapi.json. Call it before any route is registered.
 */
export function registerOpenApi(app: FastifyInstance): void {
  const operations: Operation[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const operation = operationOf(method, route.url, route.config?.access, route.config?.doc);
      const twice = operations.some((o) => o.method === operation.method && o.path.toLowerCase() === operation.path.toLowerCase());
      if (twice) throw new Error(`${method} ${route.url} is documented twice as ${operation.path}`);
      operations.push(operation);
    }
  });
  // Built at the first request, when every route is registered (Fastify adds none once started).
  let document: string | undefined;
  app.get('/openapi.json', documented({
    access: 'public', summary: 'This description of the API (OpenAPI 3.1)', ok: [200, 'OpenAPI document'], response: OpenApiDocument, errors: [],
  }), async (_req, reply) => reply.type('application/json; charset=utf-8').send((document ??= JSON.stringify(openApiDocument(operations)))));
}

/** Plain JSON Schema: TypeBox keeps its own metadata under symbols, which JSON drops. */
const jsonSchema = (schema: TSchema): unknown => JSON.parse(JSON.stringify(schema));

const STRING = { type: 'string' };

/**
 * The answers' named object schemas (every object src/contract/responses.ts exports: Consignment,
 * Address, Quote, …), which the document gives once under components.schemas and refers to
 * wherever they occur, so that a generated client names them and the document says each once.
 */
class AnswerSchemas {
  private readonly names = new Map<string, string>();
  readonly components: Record<string, unknown> = {};

  constructor(named: Record<string, unknown>) {
    for (const [name, schema] of Object.entries(named)) {
      const text = isObjectSchema(schema) ? JSON.stringify(schema) : undefined;
      if (text && !this.names.has(text)) this.names.set(text, name);
    }
  }

  /** A schema with each named object in it (itself included, unless `own`) as a reference to its component. */
  referring(schema: unknown, own = false): unknown {
    if (Array.isArray(schema)) return schema.map((s) => this.referring(s));
    if (typeof schema !== 'object' || schema === null) return schema;
    const name = own ? undefined : this.names.get(JSON.stringify(schema));
    if (name) {
      if (!(name in this.components)) {
        this.components[name] = null; // taken, while its own parts are named
        this.components[name] = this.referring(schema, true);
      }
      return { $ref: `#/components/schemas/${name}` };
    }
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, this.referring(v)]));
  }
}

function isObjectSchema(value: unknown): value is TSchema {
  return typeof value === 'object' && value !== null && (value as TSchema)[Kind] === 'Object';
}

/** A file the route answers as its bytes, by media type. */
const fileContent = (types: readonly string[]) => Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]));

const SECURITY: Record<RouteAccess, object[]> = { public: [], admin: [{ adminToken: [] }], api: [{ apiKeyHeader: [] }, { apiKeyQuery: [] }] };

/** A word of an operation's id: `allocatewithquote` → `Allocatewithquote`, `{reference}` → `ByReference`, `openapi.json` → `OpenapiJson`. */
function idWord(segment: string): string {
  const param = /^\{(.+)\}$/.exec(segment);
  const words = (param ? param[1] : segment).split(/[^A-Za-z0-9]+/).filter(Boolean);
  return (param ? 'By' : '') + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/** The operation's id, from its method and path (`PUT /allocation/{reference}/allocatewithquote/{quote}` → `putAllocationByReferenceAllocatewithquoteByQuote`), unless it names its own. */
export function operationIdOf(method: string, path: string, own?: string): string {
  return own ?? method + path.split('/').filter(Boolean).map(idWord).join('');
}

/** The document's tags, by the first segment of the paths they gather, with what each is for. */
const TAGS: Record<string, { name: string; description: string }> = {
  consignments: { name: 'consignments', description: 'Create, read, edit, cancel, search, ready to ship, manifest and dispatch consignments' },
  packages: { name: 'consignments', description: '' },
  allocation: { name: 'allocation', description: 'Allocate consignments to a carrier service: named, by default rules, by group, filters or quote' },
  quotes: { name: 'quotes', description: 'Quotes: every service’s price and dates for a consignment, or why it cannot carry it' },
  labels: { name: 'documents', description: 'Labels and customs documents of allocated consignments' },
  documents: { name: 'documents', description: '' },
  carrierservices: { name: 'catalogue', description: 'The carriers and services a subscription may allocate to, their tags and collection calendars' },
  carriers: { name: 'catalogue', description: '' },
  collectioncalendar: { name: 'catalogue', description: '' },
  servicegroups: { name: 'serviceGroups', description: 'Service groups: named sets of services to allocate among' },
  allocationrules: { name: 'allocationRules', description: 'The subscription’s allocation rules: services kept from, or restricted to, some consignments' },
  shippinglocations: { name: 'shippingLocations', description: 'The subscription’s shipping locations (warehouses): addresses, time zones, collection times' },
  packagesizes: { name: 'packageSizes', description: 'The subscription’s named package sizes' },
  tracking: { name: 'tracking', description: 'Tracking events of shipped consignments' },
  webhooks: { name: 'webhooks', description: 'Webhook endpoints: the events pushed to a URL, signed (Standard Webhooks), retried, logged' },
  events: { name: 'events', description: 'The event feed: allocations, failed allocations, state changes, tracking events and manifests, in commit order, kept 30 days' },
  admin: { name: 'admin', description: 'Subscriptions and their API keys, and bookings still to be cancelled (admin token)' },
  health: { name: 'operations', description: 'Health, metrics and this description of the API; no key needed' },
  metrics: { name: 'operations', description: '' },
  'openapi.json': { name: 'operations', description: '' },
  docs: { name: 'operations', description: '' },
  // The root only sends a browser to the console.
  '': { name: 'console', description: 'The operator console: a web page for people, a client of this API like any other' },
  console: { name: 'console', description: '' },
};

/** The operation's tag, by its path's first segment. */
function tagOf(path: string): string {
  const segment = path.split('/').filter(Boolean)[0]?.toLowerCase() ?? '';
  const tag = TAGS[segment];
  if (!tag) throw new Error(`no tag for the paths under /${segment}: add it to TAGS in src/http/openapi.ts`);
  return tag.name;
}

/** Each tag once, with its description (the entry that has one). */
function tagList(used: Set<string>): { name: string; description: string }[] {
  return Object.values(TAGS).filter((t) => t.description && used.has(t.name));
}

/** Methods whose requests carry a body, which every such route parses before it runs (body-parsers.ts). */
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/**
 * Every error status a route can answer: its own (`doc.errors`), and those any route may answer:
 * 400 (a malformed URL or query, an unsupported electio-api-version), 406 (nothing acceptable
 * to answer with) and 500; behind a key or token 401 and 429; and, for a method with a body, 413
 * (too large) and 415 (a media type no route reads); for a POST behind an API key, 409 and 422
 * of its Idempotency-Key. The test servers hold every error answer to this list (server.ts), so the
 * document cannot leave one out.
 */
export function documentedErrors(method: string, access: RouteAccess, doc: RouteDoc): number[] {
  const all = new Set([...doc.errors, 400, 406, 500]);
  if (access !== 'public') for (const status of [401, 429]) all.add(status);
  if (BODY_METHODS.has(method.toLowerCase())) for (const status of [413, 415]) all.add(status);
  if (idempotent(method, access)) for (const status of [409, 422]) all.add(status);
  return [...all].sort((a, b) => a - b);
}

/** Whether the operation takes an Idempotency-Key (decisions.md §14): every POST behind an API key (idempotency.ts). */
function idempotent(method: string, access: RouteAccess): boolean {
  return method.toLowerCase() === 'post' && takesIdempotencyKey(access);
}

const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the request safe to repeat: a repeat of the same request (route, body, formats) with the same key within 24 hours gets the first answer again, ' +
    'byte for byte, with Idempotent-Replayed: true, and changes nothing; the key given to another request is 422 IdempotencyKeyReused; ' +
    'a repeat while the first still runs is 409 IdempotencyKeyInUse. An answer that says the request was not carried out (400, 401, 406, 408, 413, 415, 429, ' +
    '409 ConsignmentBusy, 5xx) is not kept, so a retry runs. Keys are per subscription.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
  example: '8d1f5a52-7c1e-4b1a-9f0e-2b7d6c3e4a10',
};

const REPLAYED_HEADER = { 'Idempotent-Replayed': { description: 'true when this is the kept answer of an earlier request with the same Idempotency-Key', schema: { type: 'string', enum: ['true'] } } };

/** What an error status means, by the codes that answer it. */
function errorDescription(status: number): string {
  const codes = ERROR_CODES.filter((c) => httpStatus(c) === status);
  if (status === 429) return 'TooManyRequests: over a rate limit; Retry-After says when to try again';
  return codes.length ? codes.join(', ') : 'Error';
}

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } }, 'application/xml': { schema: { $ref: '#/components/schemas/ApiError' } } };

function errorResponse(status: number): object {
  return { description: errorDescription(status), ...(status === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' } } } } : {}), content: ERROR_CONTENT };
}

function querySchema(q: QueryDoc): object {
  if (q.type === 'date') return { type: 'string', format: 'date' };
  return { type: q.type ?? 'string', ...(q.enum ? { enum: q.enum } : {}) };
}

/** A named answer schema with its example, as a demo server answered it (openapi-examples.ts). */
function withExample(name: string, schema: unknown): unknown {
  return name in ANSWER_EXAMPLES ? { ...(schema as object), examples: [ANSWER_EXAMPLES[name]] } : schema;
}

export function openApiDocument(operations: Operation[]): object {
  const answers = new AnswerSchemas(responses);
  /** The route's answer in JSON and XML, by its `response` schema. */
  const answerContent = (doc: RouteDoc) => {
    if (!doc.response) return {};
    const schema = answers.referring(jsonSchema(doc.response));
    return { 'application/json': { schema }, 'application/xml': { schema } };
  };
  // Errors refer to it whether or not an answer does.
  answers.referring(jsonSchema(responses.ApiError));
  const paths: Record<string, Record<string, object>> = {};
  const ids = new Set<string>();
  for (const { method, path, access, doc, parameters } of operations) {
    const operationId = operationIdOf(method, path, doc.operationId);
    if (ids.has(operationId)) throw new Error(`two operations are both ${operationId}: give one documented({ operationId })`);
    ids.add(operationId);
    const example = operationId in REQUEST_EXAMPLES ? { example: REQUEST_EXAMPLES[operationId] } : {};
    const content = doc.body
      ? { 'application/json': { schema: jsonSchema(doc.body), ...example }, 'application/xml': { schema: jsonSchema(doc.body) }, ...(doc.csv ? { 'text/csv': { schema: STRING } } : {}) }
      : undefined;
    (paths[path] ??= {})[method] = {
      operationId,
      tags: [tagOf(path)],
      summary: doc.summary,
      security: SECURITY[access],
      parameters: [
        ...parameters.map(({ name, description }) => ({
          name, in: 'path', required: true, schema: STRING, ...(description ? { description } : {}), ...(name in PARAMETER_EXAMPLES ? { example: PARAMETER_EXAMPLES[name] } : {}),
        })),
        ...Object.entries(doc.query ?? {}).map(([name, q]) => ({ name, in: 'query', required: false, description: q.description, schema: querySchema(q) })),
        ...(idempotent(method, access) ? [IDEMPOTENCY_KEY_PARAMETER] : []),
      ],
      ...(content ? { requestBody: { required: true, content } } : {}),
      responses: {
        [doc.ok[0]]: {
          description: doc.ok[1],
          ...(idempotent(method, access) ? { headers: REPLAYED_HEADER } : {}),
          ...(doc.files || doc.response ? { content: { ...answerContent(doc), ...(doc.files ? fileContent(doc.files) : {}) } } : {}),
        },
        ...Object.fromEntries(documentedErrors(method, access, doc).map((status) => [status, errorResponse(status)])),
        ...Object.fromEntries((doc.responseAlsoOn ?? []).map(([status, description]) => [status, { description, content: answerContent(doc) }])),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Switchyard (SortedPRO v1.1 Consignments API)', version: '1.1', license: { name: 'MIT', identifier: 'MIT' } },
    // Relative: the server that answered this document.
    servers: [{ url: '/', description: 'This Switchyard server' }],
    tags: tagList(new Set(operations.map((o) => tagOf(o.path)))),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(answers.components).sort(([a], [b]) => a.localeCompare(b)).map(([name, schema]) => [name, withExample(name, schema)])),
      securitySchemes: {
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'ocp-apim-subscription-key' },
        apiKeyQuery: { type: 'apiKey', in: 'query', name: 'subscription-key' },
        adminToken: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
