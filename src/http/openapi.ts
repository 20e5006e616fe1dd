/**
 * The OpenAPI 3.1 description served at GET /openapi.json, built from the routes themselves: each
 * declares its documentation where it is registered (route-docs.ts), and an onRoute hook collects
 * them as they are, refusing a route without one. So the document lists exactly the routes the
 * server answers, and a body's schema is the very one its handler reads the body with.
 */
import type { FastifyInstance } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { documented, type RouteDoc } from './route-docs.js';
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
    access: 'public', summary: 'This description of the API (OpenAPI 3.1)', ok: [200, 'OpenAPI document'], errors: [],
  }), async (_req, reply) => reply.type('application/json; charset=utf-8').send((document ??= JSON.stringify(openApiDocument(operations)))));
}

const ERROR_BODY = {
  type: 'object',
  required: ['Code', 'Message', 'CorrelationId', 'Details'],
  properties: {
    Code: { type: 'string' },
    Message: { type: 'string' },
    CorrelationId: { type: 'string' },
    Details: { type: 'array', items: { type: 'object', properties: { Code: { type: 'string' }, Target: { type: 'string' }, Message: { type: 'string' } } } },
  },
};

/** Plain JSON Schema: TypeBox keeps its own metadata under symbols, which JSON drops. */
const jsonSchema = (schema: TSchema): unknown => JSON.parse(JSON.stringify(schema));

const STRING = { type: 'string' };

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
  admin: { name: 'admin', description: 'Subscriptions and their API keys, and bookings still to be cancelled (admin token)' },
  health: { name: 'operations', description: 'Health, metrics and this description of the API; no key needed' },
  metrics: { name: 'operations', description: '' },
  'openapi.json': { name: 'operations', description: '' },
  docs: { name: 'operations', description: '' },
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

const NOT_ACCEPTABLE = 406;

export function openApiDocument(operations: Operation[]): object {
  const paths: Record<string, Record<string, object>> = {};
  const ids = new Set<string>();
  for (const { method, path, access, doc, parameters } of operations) {
    const operationId = operationIdOf(method, path, doc.operationId);
    if (ids.has(operationId)) throw new Error(`two operations are both ${operationId}: give one documented({ operationId })`);
    ids.add(operationId);
    // Every route negotiates its answer, so any may answer 406.
    const errors = doc.errors.includes(NOT_ACCEPTABLE) ? doc.errors : [...doc.errors, NOT_ACCEPTABLE];
    const content = doc.body
      ? { 'application/json': { schema: jsonSchema(doc.body) }, 'application/xml': { schema: jsonSchema(doc.body) }, ...(doc.csv ? { 'text/csv': { schema: STRING } } : {}) }
      : undefined;
    (paths[path] ??= {})[method] = {
      operationId,
      tags: [tagOf(path)],
      summary: doc.summary,
      security: SECURITY[access],
      parameters: parameters.map(({ name, description }) => ({ name, in: 'path', required: true, schema: STRING, ...(description ? { description } : {}) })),
      ...(content ? { requestBody: { required: true, content } } : {}),
      responses: {
        [doc.ok[0]]: {
          description: doc.ok[1],
          ...(doc.files || doc.response
            ? { content: { ...(doc.response ? { 'application/json': { schema: jsonSchema(doc.response) }, 'application/xml': { schema: jsonSchema(doc.response) } } : {}), ...(doc.files ? fileContent(doc.files) : {}) } }
            : {}),
        },
        ...Object.fromEntries(errors.map((status) => [status, { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } }])),
        // Every route that authenticates may be rate-limited (docs/api.md, "Rate limits").
        ...(access === 'public' ? {} : { 429: { description: 'TooManyRequests: over a rate limit; Retry-After says when to try again', headers: { 'Retry-After': { schema: { type: 'integer' } } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } } }),
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
      schemas: { ApiError: ERROR_BODY },
      securitySchemes: {
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'ocp-apim-subscription-key' },
        apiKeyQuery: { type: 'apiKey', in: 'query', name: 'subscription-key' },
        adminToken: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
