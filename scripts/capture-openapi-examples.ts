/**
 * npm run openapi:examples: captures the answer examples of GET /openapi.json from a demo server
 * (the seed and its life stories, as `npm start` has them, on an in-memory database, at a fixed time) and writes them to
 * src/http/openapi-answer-examples.json.
 *
 * It sends the request examples of src/http/openapi-examples.ts in their order (a day's story),
 * then every other operation with an answer to show, with the examples of its path parameters, and
 * keeps, for
 * each named schema of components.schemas, the fullest value any answer held at a place the
 * document refers to it (a consignment with its allocation rather than one still unallocated).
 * A value is kept only when it fits its TypeBox schema. Long base64 strings are cut and lists kept
 * to three items, so the document stays readable. The parameters that name what the demo makes
 * as it runs (a quote request, a manifest, a package, a subscription) are written too.
 */
import { writeFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { fixedClock } from '../src/domain/clock.js';
import * as responses from '../src/contract/responses.js';
import { LEARNED_PARAMETERS, PARAMETER_EXAMPLES, REQUEST_EXAMPLES } from '../src/http/openapi-examples.js';
import { sequenceEvents } from '../src/use-cases/events.js';
import { deliverDueWebhooks } from '../src/use-cases/webhook-deliveries.js';

const KEY = 'capture-demo-key';
const TOKEN = 'capture-admin-token';
const NOW = '2026-11-18T09:00:00Z';
const target = new URL('../src/http/openapi-answer-examples.json', import.meta.url);

type Schema = Record<string, any>;

const app = await createApp(
  loadConfig({ DATABASE_URL: 'sqlite::memory:', SWITCHYARD_DEMO_API_KEY: KEY, SWITCHYARD_ADMIN_TOKEN: TOKEN, SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'true',  SWITCHYARD_BACKGROUND_JOBS: 'false', LOG_LEVEL: 'silent' }),
  { logger: pino({ level: 'silent' }), clock: fixedClock(NOW) },
);

async function send(method: string, url: string, access: 'api' | 'admin' | 'public', body?: unknown) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (access === 'api') headers['ocp-apim-subscription-key'] = KEY;
  if (access === 'admin') headers.authorization = `Bearer ${TOKEN}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.server.inject({ method: method.toUpperCase() as any, url, headers, payload: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.statusCode, json: res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : undefined };
}

try {
  const document = (await send('get', '/openapi.json', 'public')).json;
  const components: Record<string, Schema> = document.components.schemas;
  const found = new Map<string, { value: unknown; fullness: number }>();
  // The document itself is its own example.
  const SHOWN_ELSEWHERE = new Set(['OpenApiDocument']);
  const operations = Object.entries<Record<string, any>>(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );

  /** The value as the example shows it (long base64 cut, lists of three at most), each named object in it offered as its schema's example. */
  const walk = (value: unknown, schema: Schema | undefined): unknown => {
    if (!schema || value === undefined) return value;
    if (schema.$ref) {
      const name = schema.$ref.split('/').pop()!;
      const shown = walk(value, components[name]);
      const typebox = (responses as Record<string, unknown>)[name] as TSchema | undefined;
      if (typebox && Value.Check(typebox, shown)) {
        const fullness = leaves(shown);
        if ((found.get(name)?.fullness ?? -1) < fullness) found.set(name, { value: shown, fullness });
      }
      return shown;
    }
    for (const branch of schema.anyOf ?? schema.oneOf ?? []) if (fits(value, branch)) return walk(value, branch);
    if (Array.isArray(value)) return value.slice(0, 3).map((item) => walk(item, schema.items));
    if (typeof value === 'string' && schema.contentEncoding === 'base64' && value.length > 80) return value.slice(0, 80);
    if (typeof value === 'object' && value !== null) {
      const properties: Record<string, Schema> = schema.properties ?? {};
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, properties[k] ?? schema.additionalProperties)]));
    }
    return value;
  };
  const fits = (value: unknown, branch: Schema): boolean => {
    const target = branch.$ref ? components[branch.$ref.split('/').pop()!] : branch;
    if (value === null) return target.type === 'null';
    if (Array.isArray(value)) return target.type === 'array';
    return typeof value === 'object' ? target.type === 'object' : target.type !== 'null' && target.type !== 'object' && target.type !== 'array';
  };

  const parameters: Record<string, string> = {};
  const run = async ({ path, method, operation }: (typeof operations)[number]) => {
    const answer = operation.responses[Object.keys(operation.responses)[0]].content?.['application/json']?.schema; // the route's own status comes first
    const access = operation.security.length === 0 ? 'public' : operation.security[0].adminToken ? 'admin' : 'api';
    const url = path.replace(/\{(\w+)\}/g, (_: string, name: string) => encodeURIComponent(parameters[name] ?? PARAMETER_EXAMPLES[name]));
    const res = await send(method, url, access, REQUEST_EXAMPLES[operation.operationId]);
    if (res.status >= 200 && res.status < 300) walk(res.json, answer);
    else {
      walk(res.json, { $ref: '#/components/schemas/ApiError' });
      console.warn(`${method.toUpperCase()} ${url}: ${res.status} ${res.json?.Message ?? ''}`);
    }
    return res.json;
  };

  // The day's story, in its order.
  const byId = new Map(operations.map((o) => [o.operation.operationId, o]));
  const told: Record<string, any> = {};
  for (const id of Object.keys(REQUEST_EXAMPLES)) {
    told[id] = await run(byId.get(id)!);
    for (const [name, { operationId, field }] of Object.entries(LEARNED_PARAMETERS)) if (operationId === id) parameters[name] = told[id][field];
  }
  // The webhook's deliveries of the day's events, each tried once (hooks.example.com does not answer).
  await sequenceEvents(app.ctx);
  await deliverDueWebhooks(app.ctx);

  // What the story made, to read it back.
  parameters.subscription = told.postAdminSubscriptions.Reference;
  parameters.quoteRequest = told.postQuotes.QuoteRequestReference;
  parameters.manifestReference = (await send('get', '/consignments/customer/manifests', 'api')).json[0].ManifestReference;
  const consignment = (await send('get', `/consignments/${PARAMETER_EXAMPLES.reference}`, 'api')).json;
  parameters.packageReference = consignment.Packages[0].Reference;
  parameters.quote = (await send('get', `/quotes/consignment/${PARAMETER_EXAMPLES.reference}`, 'api')).json.Quotes[0].QuoteReference;
  parameters.delivery = String((await send('get', `/webhooks/${parameters.webhook}/deliveries`, 'api')).json.Deliveries.at(-1).Id);

  // Every other operation with an answer to show (nothing to undo: a cancel, a deallocation, a delete show none).
  for (const o of operations) {
    if (o.operation.operationId in REQUEST_EXAMPLES || SHOWN_ELSEWHERE.has(o.operation.responses['200']?.content?.['application/json']?.schema?.$ref?.split('/').pop()) || !o.operation.responses[Object.keys(o.operation.responses)[0]].content?.['application/json']) continue;
    await run(o);
  }
  const missing = Object.keys(components).filter((name) => !found.has(name) && !SHOWN_ELSEWHERE.has(name));
  if (missing.length) console.warn(`no answer showed: ${missing.join(', ')}`);
  const answers = Object.fromEntries([...found].sort(([a], [b]) => a.localeCompare(b)).map(([name, { value }]) => [name, value]));
  writeFileSync(target, `${JSON.stringify({ parameters, answers }, null, 2)}\n`);
  console.log(`${found.size} of ${Object.keys(components).length - SHOWN_ELSEWHERE.size} named schemas have an example (the document is its own)`);
} finally {
  await app.close();
}

/** How much a value shows: its leaves that are not null. */
function leaves(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + leaves(v), 0);
  if (typeof value === 'object') return Object.values(value).reduce((n: number, v) => n + leaves(v), 0);
  return 1;
}
