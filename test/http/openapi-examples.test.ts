import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import * as responses from '../../src/contract/responses.js';
import { LEARNED_PARAMETERS, PARAMETER_EXAMPLES, REQUEST_EXAMPLES } from '../../src/http/openapi-examples.js';
import { ADMIN_TOKEN, api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';

interface Documented {
  method: string;
  path: string;
  operation: any;
}

const operationsOf = (document: any): Documented[] =>
  Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );

describe(`The examples of GET /openapi.json (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  let document: any;
  before(async () => {
    // The demo as `npm start` has it: the examples name its consignments.
    server = await startServer({ env: { SWITCHYARD_DEMO_STORIES: 'true' } });
    document = (await api(server, 'GET', '/openapi.json', { key: null })).body;
  });
  after(() => server?.close());

  it('gives every named answer schema (the document’s own aside) an example that the schema the server answers with accepts', () => {
    const schemas: Record<string, any> = document.components.schemas;
    const without = Object.keys(schemas).filter((name) => name !== 'OpenApiDocument' && !schemas[name].examples);
    assert.deepEqual(without, [], 'npm run openapi:examples captures them');
    for (const [name, schema] of Object.entries(schemas)) {
      if (!schema.examples) continue;
      const typebox = (responses as Record<string, unknown>)[name] as TSchema;
      const wrong = [...Value.Errors(typebox, schema.examples[0])].map((e) => `${e.path}: ${e.message}`);
      assert.deepEqual(wrong, [], `the example of ${name} no longer fits it: run npm run openapi:examples`);
    }
  });

  it('gives every request body and every path parameter an example', () => {
    for (const { method, path, operation } of operationsOf(document)) {
      if (operation.requestBody) assert.ok(operation.requestBody.content['application/json'].example !== undefined, `${method} ${path} has no request example`);
      for (const p of operation.parameters.filter((p: any) => p.in === 'path')) assert.ok(p.example, `${method} ${path}: {${p.name}} has no example`);
    }
    const withBodies = operationsOf(document).filter((o) => o.operation.requestBody).map((o) => o.operation.operationId);
    assert.deepEqual(Object.keys(REQUEST_EXAMPLES).sort(), withBodies.sort(), 'REQUEST_EXAMPLES is for exactly the operations that read a body');
  });

  it('has every request example accepted, sent in its order to a fresh demo server (a day’s story), with its answer as documented', async () => {
    const byId = new Map(operationsOf(document).map((o) => [o.operation.operationId, o]));
    const learned: Record<string, string> = {};
    for (const [id, body] of Object.entries(REQUEST_EXAMPLES)) {
      const { method, path, operation } = byId.get(id)!;
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(learned[name] ?? PARAMETER_EXAMPLES[name]));
      const admin = operation.security.some((s: object) => 'adminToken' in s);
      const res = await api(server, method, url, admin ? { key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body } : { body });
      // The test server answers 500 for an answer its documentation does not describe.
      assert.ok(res.status >= 200 && res.status < 300, `${id} (${method} ${url}): ${res.status} ${res.text.slice(0, 300)}`);
      assert.equal(String(res.status), Object.keys(operation.responses)[0], `${id} answers its documented status`);
      for (const [name, { operationId, field }] of Object.entries(LEARNED_PARAMETERS)) if (operationId === id) learned[name] = res.body[field];
      // Each item of a list's answer succeeded, but the demo's heavy consignment, which the story shows failing.
      for (const item of [res.body].flat()) {
        if (item?.IsSuccess === false) assert.equal(item.Data ?? item.ConsignmentReference, 'EC-000-A04-0DY', `${id}: ${item.Message}`);
      }
    }
    // The story did what it says: the seed's consignment took its edits and was allocated with a service of its tag, then
    // manifested; the order made first was dispatched, then collected by its carrier; the one cancelled is; the demo's heavy one failed again.
    const edited = await api(server, 'GET', '/consignments/EC-000-05A-Z6S');
    assert.deepEqual([edited.body.Tags, edited.body.Packages.length], [['signed'], 2]);
    const states: Record<string, string> = {};
    for (const reference of ['EC-000-05A-Z6S', 'EC-000-083-45D', 'EC-000-A04-0E1', 'EC-000-A04-0DY']) {
      states[reference] = (await api(server, 'GET', `/consignments/${reference}`)).body.ConsignmentState;
    }
    assert.deepEqual(states, { 'EC-000-05A-Z6S': 'Manifested', 'EC-000-083-45D': 'Cancelled', 'EC-000-A04-0E1': 'Collected', 'EC-000-A04-0DY': 'AllocationFailed' });
  });
});
