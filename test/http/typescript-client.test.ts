/**
 * The typed TypeScript client (clients/typescript, @switchyard/client): its types are what
 * openapi-typescript makes of the current /openapi.json (so they cannot drift from the server), and
 * it drives a real server through a shipment's life: create, quote, allocate, label, manifest, track.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createSwitchyardClient, type components, type paths } from '../../clients/typescript/index.js';
import { generatedSchema } from '../../clients/typescript/generate.js';
import { consignmentRequest } from '../support/consignments.js';
import { databaseUnderTest, DEMO_KEY, skipReason, startServer, type TestServer } from '../support/test-server.js';

type CreateBody = paths['/consignments']['post']['requestBody']['content']['application/json'];

/** The answers' objects have names of their own. */
type ConsignmentLeg = components['schemas']['ConsignmentLeg'];

/** The JSON answer of a route that can also answer a file's bytes (typed as a string). */
const json = <T>(data: T | string | undefined): T => {
  assert.ok(data !== undefined && typeof data !== 'string');
  return data;
};

describe('The TypeScript client’s types', () => {
  it('are exactly what openapi-typescript makes of the server’s document today (npm run client:generate)', async () => {
    const committed = readFileSync(new URL('../../clients/typescript/schema.d.ts', import.meta.url), 'utf8');
    assert.ok(committed === (await generatedSchema()), 'clients/typescript/schema.d.ts is out of date: run npm run client:generate');
  });
});

describe(`The TypeScript client against a real server (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  it('creates, quotes, allocates, prints the label of, manifests and tracks a consignment', async () => {
    const api = createSwitchyardClient({ baseUrl: server.url, apiKey: DEMO_KEY });

    const created = await api.POST('/consignments', { body: consignmentRequest() as CreateBody });
    assert.equal(created.response.status, 201);
    const reference = created.response.headers.get('location')!.split('/').pop()!;
    assert.match(reference, /^EC-/);

    const quote = await api.GET('/quotes/consignment/{reference}', { params: { path: { reference } } });
    assert.equal(quote.response.status, 200);
    // Typed: every JSON answer has its schema.
    assert.ok(quote.data!.Quotes.some((q) => q.MpdCarrierServiceReference === 'Example-Carrier-Service'));

    const allocated = await api.PUT('/allocation/allocatewithcarrierservice', { body: { MpdCarrierServiceReference: 'Example-Carrier-Service', ConsignmentReferences: [reference] } });
    assert.equal(allocated.response.status, 200);
    assert.equal(allocated.data![0].StatusCode, 200);
    assert.equal(allocated.data![0].ConsignmentReference, reference);

    const label = await api.GET('/labels/{reference}/{labelFormatOrPackage}', { params: { path: { reference, labelFormatOrPackage: 'PDF' } } });
    assert.equal(label.response.status, 200);
    const file = json(label.data);
    assert.equal(file.ContentType, 'application/pdf');
    assert.equal(Buffer.from(file.File, 'base64').subarray(0, 5).toString('latin1'), '%PDF-');

    const labels = await api.POST('/labels/consignments', { body: { ConsignmentReferences: [reference] } });
    assert.equal(labels.response.status, 200);
    assert.deepEqual(json(labels.data).Results.map((r) => [r.ConsignmentReference, r.IsSuccess, r.LabelCount]), [[reference, true, 1]]);
    const consignment = (await api.GET('/consignments/{reference}', { params: { path: { reference } } })).data!;
    assert.equal(consignment.LabelsPrinted, true);
    const legs: ConsignmentLeg[] = consignment.ConsignmentLegs;
    assert.equal(legs[0].CarrierReference, 'CARRIER_X');

    const manifested = await api.PUT('/consignments/manifest', { body: { ConsignmentReferences: [reference] } });
    assert.equal(manifested.response.status, 200);
    assert.equal(manifested.data![0].IsSuccess, true);

    const tracking = await api.GET('/tracking/{reference}', { params: { path: { reference } } });
    assert.equal(tracking.response.status, 200);
    assert.equal(tracking.data!.ConsignmentReferenceForAllLegsAssignedByMpd, reference);

    // A refusal comes back as the API's error body, typed too.
    const missing = await api.GET('/consignments/{reference}', { params: { path: { reference: 'EC-NOT-THE-RE1' } } });
    assert.equal(missing.response.status, 404);
    assert.equal(missing.error!.Code, 'ConsignmentNotFound');
  });
});
