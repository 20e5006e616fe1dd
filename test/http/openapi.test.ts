import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { Type } from '@sinclair/typebox';
import { ReferenceList } from '../../src/contract/consignments.js';
import { TagList } from '../../src/contract/rules.js';
import { registerBodyParsers } from '../../src/http/body-parsers.js';
import { documentedErrors, operationOf, registerOpenApi } from '../../src/http/openapi.js';
import { checkDocumentedResponses } from '../../src/http/server.js';
import { readBody } from '../../src/http/request-body.js';
import { documented } from '../../src/http/route-docs.js';
import { assertError } from '../support/assertions.js';
import { builtConsole } from '../support/console-build.js';

const run = promisify(execFile);
import { ADMIN_TOKEN, api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';

const handler = async () => 'ok';
const admin = { key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

/** A value for each documented path parameter: the ship-by wildcards want a date, the API reference's files one of its own, the rest any reference. */
const SAMPLES: Record<string, string> = { shipByDate: '2026-11-18', file: 'swagger-ui.css' };
const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, name) => SAMPLES[name] ?? 'SAMPLE-1');

interface DocumentedOperation {
  method: string;
  path: string;
  operation: any;
}

function operationsOf(document: any): DocumentedOperation[] {
  return Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

describe('Route documentation, collected as the routes are registered', () => {
  it('refuses a route registered without documentation, naming it', () => {
    const app = Fastify();
    registerOpenApi(app);
    assert.throws(() => app.get('/undocumented', handler), /GET \/undocumented is registered without documentation/);
    assert.throws(() => app.put('/undocumented/:reference', { config: { access: 'api' } }, handler), /PUT \/undocumented\/:reference is registered without documentation/);
  });

  it('refuses a wildcard without a name, a parameter the path lacks, and a name given twice', () => {
    const app = Fastify();
    registerOpenApi(app);
    const doc = { summary: 'x', ok: [200, 'x'] as [number, string], errors: [401] };
    assert.throws(() => app.put('/due/*', documented(doc), handler), /must name its wildcard/);
    assert.throws(() => app.get('/rules/:reference', documented({ ...doc, params: { rule: { name: 'rule' } } }), handler), /parameter 'rule' it does not have/);
    assert.throws(() => app.get('/a/:one/b/:two', documented({ ...doc, params: { one: { name: 'x' }, two: { name: 'X' } } }), handler), /two path parameters under one name/);
  });

  it('turns the route’s path into OpenAPI’s, with the parameters’ documented names', () => {
    const doc = { summary: 'x', ok: [200, 'x'] as [number, string], errors: [] };
    const rule = operationOf('PUT', '/allocationrules/:reference', undefined, { ...doc, params: { reference: { name: 'rule' } } });
    assert.equal(rule.path, '/allocationrules/{rule}');
    assert.equal(rule.method, 'put');
    assert.equal(rule.access, 'api');
    const due = operationOf('PUT', '/allocation/allocateWithCarrierService/*', 'api', { ...doc, params: { '*': { name: 'shipByDate' } } });
    assert.equal(due.path, '/allocation/allocateWithCarrierService/{shipByDate}');
    const two = operationOf('PUT', '/allocation/:reference/allocatewithquote/:quote', 'api', { ...doc, params: { reference: { description: 'the consignment' } } });
    assert.equal(two.path, '/allocation/{reference}/allocatewithquote/{quote}');
    assert.deepEqual(two.parameters, [{ name: 'reference', description: 'the consignment' }, { name: 'quote', description: undefined }]);
  });

  it('answers 500 when a handler reads its body through another schema than the one it documents', async () => {
    const app = Fastify();
    registerBodyParsers(app, 1024);
    registerOpenApi(app);
    const doc = { summary: 'x', ok: [200, 'x'] as [number, string], errors: [400] };
    // TagList and ReferenceList are both lists of strings: only their identity tells them apart.
    app.put('/tags', documented({ ...doc, body: TagList }), async (req) => readBody(TagList, req.body as any));
    app.put('/drifted', documented({ ...doc, body: TagList }), async (req) => readBody(ReferenceList, req.body as any));
    app.put('/undeclared', documented(doc), async (req) => readBody(TagList, req.body as any));
    const put = (url: string) => app.inject({ method: 'PUT', url, headers: { 'content-type': 'application/json' }, payload: '["a"]' });
    assert.equal((await put('/tags')).statusCode, 200);
    for (const url of ['/drifted', '/undeclared']) {
      const res = await put(url);
      assert.equal(res.statusCode, 500, url);
      assert.match(res.json().message, /through a schema other than the one it documents/);
    }
    await app.close();
  });
});

describe('The test servers’ check of every answer against its documentation', () => {
  const error = (code: string) => JSON.stringify({ Code: code, Message: 'm', CorrelationId: 'c', Details: [] });
  async function answer(doc: Parameters<typeof documented>[0], status: number, body: string) {
    const app = Fastify();
    checkDocumentedResponses(app);
    app.get('/x', documented(doc), async (_req, reply) => reply.code(status).type('application/json; charset=utf-8').send(body));
    const res = await app.inject({ method: 'GET', url: '/x' });
    await app.close();
    return { status: res.statusCode, message: (res.json() as { Message: string }).Message };
  }
  const doc = { summary: 'x', ok: [200, 'x'] as [number, string], response: Type.Object({ A: Type.String() }), errors: [404] };

  it('lets through an answer that matches its schema, and an ApiError with a status the route documents', async () => {
    assert.equal((await answer(doc, 200, '{"A":"a"}')).status, 200);
    assert.equal((await answer(doc, 404, error('ConsignmentNotFound'))).status, 404);
    assert.equal((await answer(doc, 400, error('ValidationFailed'))).status, 400, 'any route may answer 400');
  });

  it('answers 500 for an answer its schema does not describe, an error status the route does not document, or an error body that is not ApiError', async () => {
    const drifted = await answer(doc, 200, '{"A":1}');
    assert.equal(drifted.status, 500);
    assert.match(drifted.message, /^The answer \(200\) does not match its documentation: \/A: Expected string/);
    const undocumented = await answer(doc, 409, error('InvalidState'));
    assert.equal(undocumented.status, 500);
    assert.match(undocumented.message, /status 409 is not among the route’s documented errors \(400, 401, 404, 406, 429, 500\)/);
    const notApiError = await answer(doc, 404, '{"error":"not found"}');
    assert.equal(notApiError.status, 500);
    assert.match(notApiError.message, /^The answer \(404\) does not match its documentation: \/Code: Expected required property/);
  });

  it('holds every route to the errors any route may answer, and those of its access and method', () => {
    const x = { summary: 'x', ok: [200, 'x'] as [number, string], errors: [409] };
    assert.deepEqual(documentedErrors('GET', 'public', x), [400, 406, 409, 500]);
    assert.deepEqual(documentedErrors('GET', 'api', x), [400, 401, 406, 409, 429, 500]);
    assert.deepEqual(documentedErrors('PUT', 'admin', x), [400, 401, 406, 409, 413, 415, 429, 500]);
  });
});

describe(`GET /openapi.json lists exactly the routes the server answers (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  let operations: DocumentedOperation[];
  before(async () => {
    // With the console built, so that its pages answer as documented too.
    server = await startServer({ env: { SWITCHYARD_CONSOLE_DIR: await builtConsole(), SWITCHYARD_AUTH_FAILURES_PER_ADDRESS: '0' } }) // every route is asked without a key: more than the default 100 failures;
    const res = await api(server, 'GET', '/openapi.json', { key: null });
    assert.equal(res.status, 200);
    operations = operationsOf(res.body);
  });
  after(() => server.close());

  it('documents as many operations as the router holds, and no path twice', () => {
    // Every route the router holds, by its methods in the tree Fastify prints (HEAD routes are Fastify's own, one per GET).
    const printed = server.app.server.printRoutes({ commonPrefix: false });
    const registered = [...printed.matchAll(/\(([A-Z, ]+)\)$/gm)].flatMap((m) => m[1].split(', ')).filter((method) => method !== 'HEAD');
    assert.ok(registered.length > 70, `${registered.length} routes`);
    assert.equal(operations.length, registered.length);
    const keys = operations.map((o) => `${o.method} ${o.path.toLowerCase()}`);
    assert.equal(new Set(keys).size, keys.length);
  });

  it('routes every documented operation to a route that asks for the documented credentials', async () => {
    for (const { method, path, operation } of operations) {
      const res = await api(server, method, concrete(path), { key: null });
      const what = `${method} ${path}`;
      assert.notEqual(res.body?.Code, 'RouteNotFound', what);
      if (operation.security.length === 0) assert.ok(res.status < 400, `${what} needs no key: ${res.status}`);
      else {
        assertError(res, 401, 'Unauthorized');
        const scheme = res.body.Message.includes('admin') ? 'adminToken' : 'apiKeyHeader';
        assert.ok(operation.security.some((s: object) => scheme in s), `${what} is documented with ${JSON.stringify(operation.security)}`);
      }
    }
  });

  it('documents 401 for every route behind a key or token, and 400 for every route that reads a body', () => {
    for (const { method, path, operation } of operations) {
      if (operation.security.length) assert.ok(operation.responses['401'], `${method} ${path}`);
      if (operation.requestBody) assert.ok(operation.responses['400'], `${method} ${path}`);
    }
  });

  it('describes every error status with the ApiError body, in JSON and XML, and every JSON answer but the empty ones with a schema', async () => {
    const document = (await api(server, 'GET', '/openapi.json', { key: null })).body;
    assert.deepEqual(document.components.schemas.ApiError.required, ['Code', 'Message', 'CorrelationId', 'Details']);
    const unschemed: string[] = [];
    for (const { method, path, operation } of operations) {
      const statuses = Object.keys(operation.responses).map(Number);
      for (const status of [400, 406, 500, ...(operation.security.length ? [401, 429] : []), ...(method === 'GET' ? [] : [413, 415])]) assert.ok(statuses.includes(status), `${method} ${path} ${status}`);
      for (const status of statuses.filter((s) => s >= 400 && !(path === '/health' && s === 503))) {
        assert.deepEqual(operation.responses[status].content, { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } }, 'application/xml': { schema: { $ref: '#/components/schemas/ApiError' } } }, `${method} ${path} ${status}`);
      }
      const ok = statuses.find((s) => s < 400)!;
      if (!operation.responses[ok].content?.['application/json']) unschemed.push(`${method} ${path}`);
    }
    // Text, HTML and files (the console's too, and its redirect), and the answers with no body at all.
    assert.deepEqual(unschemed.sort(), [
      'DELETE /admin/subscriptions/{subscription}/services/{service}', 'DELETE /allocationrules/{rule}', 'DELETE /packageSizes/{packageSizeReference}', 'DELETE /packages/{packageReference}',
      'DELETE /serviceGroups/{group}', 'DELETE /shippingLocations/{shippingLocationReference}', 'DELETE /webhooks/{webhook}', 'GET /', 'GET /console', 'GET /console/{path}', 'GET /docs', 'GET /docs/{file}', 'GET /metrics',
      'PUT /admin/subscriptions/{subscription}/services/{service}', 'PUT /consignments/{reference}/cancel', 'PUT /consignments/{reference}/deallocate',
    ]);
  });

  it('gives each answer object src/contract/responses.ts names once, under components.schemas, and refers to it wherever it occurs', async () => {
    const document = (await api(server, 'GET', '/openapi.json', { key: null })).body;
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    assert.deepEqual(document.paths['/consignments/{reference}'].get.responses['200'].content['application/json'].schema, ref('Consignment'));
    assert.deepEqual(document.paths['/consignments/getconsignmentwithmetadata/{reference}'].get.responses['200'].content['application/xml'].schema, ref('Consignment'));
    const consignment = document.components.schemas.Consignment;
    assert.deepEqual(consignment.properties.Addresses.items, ref('Address'));
    assert.deepEqual(document.components.schemas.Address.properties.Contact.anyOf[0], ref('Contact'));
    assert.deepEqual(document.paths['/shippingLocations'].get.responses['200'].content['application/json'].schema, { type: 'array', items: ref('ShippingLocation') });
    // Every reference names a component the document has.
    const text = JSON.stringify(document);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) assert.ok(document.components.schemas[name], name);
  });

  it('reads each documented body through the documented schema, and no body where none is documented', async () => {
    const withBody = operations.filter((o) => o.operation.requestBody);
    assert.ok(withBody.length >= 20, `${withBody.length} routes read a body`);
    for (const { method, path, operation } of operations) {
      if (method === 'GET') continue;
      const credentials = operation.security.some((s: object) => 'adminToken' in s) ? admin : {};
      // A number is no body any schema here accepts: the schema the handler reads with refuses it (a mismatch would be 500).
      const res = await api(server, method, concrete(path), { ...credentials, body: '42', contentType: 'application/json' });
      const what = `${method} ${path}`;
      assert.notEqual(res.status, 500, `${what}: ${res.text.slice(0, 300)}`);
      if (!operation.requestBody) continue;
      const schema = operation.requestBody.content['application/json'].schema;
      const body = assertError(res, 400, 'ValidationFailed');
      // A body of either shape (PUT /consignments/Dispatch: a list, or an object) names both.
      const shape = schema.type === 'array' ? 'a list' : schema.anyOf ? schema.anyOf.map((s: { type: string }) => (s.type === 'array' ? 'a list' : 'an object')).join(' or ') : 'an object';
      assert.deepEqual(body.Details[0], { Code: 'Invalid', Target: 'body', Message: `body must be ${shape}` }, what);
    }
  });

  it('gives every operation a unique operationId and a tag the document describes', async () => {
    const document = (await api(server, 'GET', '/openapi.json', { key: null })).body as { tags: { name: string; description: string }[]; paths: Record<string, Record<string, { operationId: string; tags: string[] }>> };
    const described = new Set(document.tags.map((t) => t.name));
    const ids: string[] = [];
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        assert.match(operation.operationId, /^[a-z][A-Za-z0-9]*$/, `${method} ${path}`);
        ids.push(operation.operationId);
        assert.equal(operation.tags.length, 1, `${method} ${path}`);
        assert.ok(described.has(operation.tags[0]), `${method} ${path}: tag ${operation.tags[0]} is described`);
      }
    }
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    assert.ok(ids.includes('putAllocationAllocatewithcarrierservice'));
  });

  it('passes @redocly/cli lint (its recommended rules) with no errors, and no warning but the vendor’s paths and the root’s redirect', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, (await api(server, 'GET', '/openapi.json', { key: null })).text);
      const cli = fileURLToPath(new URL('../../node_modules/@redocly/cli/bin/cli.js', import.meta.url));
      // Exit status 1 on errors; the JSON report is on stdout either way.
      const { stdout } = await run(process.execPath, [cli, 'lint', file, '--format=json'], { maxBuffer: 64 * 1024 * 1024 }).catch((e: { stdout: string }) => e);
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { totals: { errors: number }; problems: { severity: string; ruleId: string; message: string }[] };
      const errors = report.problems.filter((p) => p.severity === 'error');
      assert.equal(report.totals.errors, 0, errors.map((p) => `${p.ruleId}: ${p.message}`).join('\n'));
      // The SortedPRO paths are what they are (/consignments/{reference}/status beside /consignments/docs/{reference}), and
      // GET / only redirects to the console. Any other warning (an example its schema refuses, say) fails.
      const ACCEPTED = new Set(['no-ambiguous-paths', 'operation-2xx-response']);
      const warnings = report.problems.filter((p) => !ACCEPTED.has(p.ruleId));
      assert.deepEqual(warnings.map((p) => `${p.ruleId}: ${p.message}`), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

