/**
 * The demo a newcomer's `npm start` shows (issue 8, decisions.md §8), over real HTTP on either
 * database: the seed's three consignments Unallocated as the seed's examples need them, and the
 * life stories of src/demo/demo-stories.ts, each found by its customer reference and taken on
 * through the documented endpoints: the labelled one manifested and dispatched, the manifested
 * one on a manifest whose PDF lists it, the failed one with its reasons and fixed by another
 * service, the one to Zürich with its customs documents, the delivered one with its history.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_CONSIGNMENTS } from '../../src/demo/seed-demo.js';
import { pdfText } from '../support/pdf-inspection.js';
import { api, DEFAULT_NOW, skipReason, startServer, type TestServer } from '../support/test-server.js';

async function story(server: TestServer, name: string): Promise<any> {
  const res = await api(server, 'GET', `/consignments/10/0?referenceProvidedByCustomer=${name}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.Count, 1, `one demo consignment ${name}`);
  return (await api(server, 'GET', `/consignments/${res.body.ConsignmentSummaries[0].Reference}`)).body;
}

describe('the demo data with its life stories', { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { SWITCHYARD_DEMO_STORIES: 'true' } });
  });
  after(() => server?.close());

  it('keeps the seed consignments Unallocated, and the stories number after them', async () => {
    for (const ref of DEMO_CONSIGNMENTS) assert.equal((await api(server, 'GET', `/consignments/${ref}`)).body.ConsignmentState, 'Unallocated', ref);
    const refs = [];
    for (const name of ['DEMO-LABELLED', 'DEMO-MANIFESTED', 'DEMO-FAILED', 'DEMO-ZURICH', 'DEMO-DELIVERED']) refs.push((await story(server, name)).Reference);
    assert.deepEqual([...refs].sort(), refs, 'created in order, after the seed');
    assert.ok(!refs.some((r) => DEMO_CONSIGNMENTS.includes(r)));
  });

  it('has an Allocated consignment with its label printed, which can be manifested and dispatched', async () => {
    const c = await story(server, 'DEMO-LABELLED');
    assert.equal(c.ConsignmentState, 'Allocated');
    assert.equal(c.LabelsPrinted, true);
    assert.ok(c.DateLabelsWereFirstPrinted);
    const label = await api(server, 'GET', `/labels/${c.Reference}`);
    assert.equal(label.status, 200);
    assert.equal(label.body.ContentType, 'application/pdf');
    assert.equal(Buffer.from(label.body.File, 'base64').subarray(0, 5).toString(), '%PDF-');
    const manifested = await api(server, 'PUT', '/consignments/manifest', { body: { ConsignmentReferences: [c.Reference] } });
    assert.equal(manifested.body[0].IsSuccess, true, manifested.text);
    const dispatched = await api(server, 'PUT', '/consignments/Dispatch', { body: [c.Reference] });
    assert.equal(dispatched.body[0].IsSuccess, true, dispatched.text);
    assert.equal((await api(server, 'GET', `/consignments/${c.Reference}`)).body.ConsignmentState, 'Dispatched');
  });

  it('has a Manifested consignment on a manifest whose PDF lists it', async () => {
    const c = await story(server, 'DEMO-MANIFESTED');
    assert.equal(c.ConsignmentState, 'Manifested');
    const manifests = (await api(server, 'GET', '/consignments/customer/manifests')).body as any[];
    const tracking = c.Packages[0].ConsignmentLegs[0].TrackingReference ?? c.Packages[0].ConsignmentLegs[0].TrackingReferences?.[0];
    assert.ok(tracking, 'the package has a tracking reference');
    const texts = [];
    for (const m of manifests) {
      const file = await api(server, 'GET', `/consignments/customer/manifest/${m.ManifestReference}`);
      assert.equal(file.status, 200);
      texts.push(pdfText(Buffer.from(file.body, 'base64')));
    }
    assert.ok(texts.some((t) => t.includes(tracking)), `a manifest lists ${tracking}`);
  });

  it('has an AllocationFailed consignment with its reasons, which another service can carry', async () => {
    const c = await story(server, 'DEMO-FAILED');
    assert.equal(c.ConsignmentState, 'AllocationFailed');
    assert.equal(c.FailedAllocation.MpdCarrierServiceReference, 'Example-Carrier-Service');
    assert.deepEqual(c.FailedAllocation.Reasons.map((r: any) => r.Code), ['PackageTooHeavy']);
    assert.match(c.FailedAllocation.Message, /45 kg; the limit is 30 kg/);
    const res = await api(server, 'PUT', '/allocation/allocatewithcarrierservice', { body: { MpdCarrierServiceReference: 'NP-HEAVY-FREIGHT', ConsignmentReferences: [c.Reference] } });
    assert.equal(res.body[0].StatusCode, 200, res.text);
  });

  it('has a Delivered consignment with its tracking history, in JSON and XML', async () => {
    const c = await story(server, 'DEMO-DELIVERED');
    assert.equal(c.ConsignmentState, 'Delivered');
    assert.ok(c.DateCollected && c.DateDelivered, 'collected and delivered dates');
    assert.equal(c.CollectedDate, c.DateCollected);
    assert.equal(c.DeliveryDate, c.DateDelivered);
    assert.ok(Date.parse(c.DateCollected) < Date.parse(c.DateDelivered));
    assert.ok(Date.parse(c.DateDelivered) <= Date.parse(DEFAULT_NOW), 'delivered before now');
    const tracking = await api(server, 'GET', `/tracking/${c.Reference}`);
    assert.equal(tracking.status, 200, tracking.text);
    const [pkg] = tracking.body.TrackedPackages;
    const codes = pkg.Legs.flatMap((l: any) => l.Events.map((e: any) => e.Code));
    assert.deepEqual(codes, ['COLLECTED', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED']);
    const xml = await api(server, 'GET', `/tracking/${c.Reference}`, { headers: { accept: 'application/xml' } });
    assert.equal(xml.status, 200);
    assert.match(xml.text, /<Code>DELIVERED<\/Code>/);
    const audit = (await api(server, 'GET', `/consignments/${c.Reference}/audit`)).body.map((e: any) => e.Action);
    for (const action of ['Created', 'Allocated', 'LabelsPrinted', 'Manifested', 'Dispatched']) assert.ok(audit.includes(action), `its audit trail has ${action}: ${audit.join(', ')}`);
  });

  it('has an international consignment with a commercial invoice and a CN23', async () => {
    const c = await story(server, 'DEMO-ZURICH');
    assert.equal(c.Reference, 'EC-000-A04-0DZ', 'the customs examples of docs/api/documents.md name it');
    assert.equal(c.Packages[0].Reference, 'EP-000-000-007');
    assert.equal((await api(server, 'GET', '/consignments/docs/CN23/EC-000-A04-0DZ/EP-000-000-007')).status, 200);
    assert.equal(c.ConsignmentState, 'Allocated');
    assert.equal(c.Allocation.MpdCarrierServiceReference, 'SW-WORLD-AIR');
    const docs = await api(server, 'GET', `/consignments/docs/${c.Reference}`);
    assert.equal(docs.status, 200, docs.text);
    assert.equal(docs.body.CommercialInvoiceDocuments.length, 1);
    assert.equal(docs.body.CN22Documents.length, 0, '310 GBP and 3.2 kg: a CN23, not a CN22');
    assert.equal(docs.body.CN23Documents.length, 1);
    const cn23 = pdfText(Buffer.from(docs.body.CN23Documents[0].Value, 'base64'));
    for (const text of ['Zürich', 'Herdwick wool throw', '6301200000']) assert.ok(cn23.includes(text), `the CN23 says ${text}`);
  });
});
