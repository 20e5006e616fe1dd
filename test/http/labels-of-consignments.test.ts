/**
 * POST /labels/consignments over real HTTP (Switchyard): many consignments' labels as one PDF, each
 * consignment's pages exactly those GET /labels/{ref} prints, in request order, read back with
 * poppler and zbarimg; a result per consignment (printed, or why not) with the first prints
 * recorded; the bytes alone only when every consignment can be printed; and the limits and bad
 * bodies refused before anything is printed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CarrierConnector } from '../../src/carriers/connector.js';
import { CarrierUnreachable } from '../../src/carriers/connector.js';
import { MAX_JOINED_LABELS, MAX_LABEL_CONSIGNMENTS } from '../../src/domain/limits.js';
import { assertError } from '../support/assertions.js';
import { allocate, consignmentRequest, createConsignment, createSubscription, getConsignment, type ConsignmentSpec } from '../support/consignments.js';
import { isPdf, pdfPageImages, pdfPages, pdfPageSize, pdfText, readCode128 } from '../support/document-checks.js';
import { api, databaseUnderTest, DEMO_KEY, skipReason, startServer, type TestServer } from '../support/test-server.js';

const PATH = '/labels/consignments';
const TO_LODZ: ConsignmentSpec = { destination: { country: 'PL', postcode: '90-001', town: 'Łódź', line1: 'ul. Piotrkowska 12' }, packages: [{ kg: 1 }, { kg: 3 }] };

describe(`POST /labels/consignments (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;

  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function allocated(spec: ConsignmentSpec = {}, service = 'Example-Carrier-Service'): Promise<string> {
    const ref = await createConsignment(server, spec);
    const res = await allocate(server, service, [ref]);
    assert.equal(res.body[0].StatusCode, 200, res.text);
    return ref;
  }

  const print = (body: unknown, options: { key?: string; accept?: string } = {}) =>
    api(server, 'POST', PATH, { body, key: options.key, headers: options.accept ? { accept: options.accept } : {} });

  async function bytes(body: unknown, accept = 'application/pdf'): Promise<{ status: number; type: string | null; bytes: Buffer; text: string }> {
    const res = await fetch(`${server.url}${PATH}`, { method: 'POST', headers: { 'ocp-apim-subscription-key': DEMO_KEY, accept, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const b = Buffer.from(await res.arrayBuffer());
    return { status: res.status, type: res.headers.get('content-type'), bytes: b, text: b.toString('utf8') };
  }

  const trackingOf = async (ref: string) => (await getConsignment(server, ref)).ConsignmentLegs.flatMap((l: any) => l.TrackingReferences) as string[];
  const single = async (ref: string) => Buffer.from((await api(server, 'GET', `/labels/${ref}`)).body.File, 'base64');
  const printed = async (ref: string) => (await getConsignment(server, ref)).LabelsPrinted as boolean;

  /** Replaces a carrier's connector by one whose documents fail, counting how often it is asked; `restore` puts the real one back. */
  function carrierDown(reference: string) {
    const ctx = server.app.ctx;
    const real = ctx.carriers.connectorFor(ctx.catalogue.carrier(reference)!);
    const state = { asked: 0 };
    const down: CarrierConnector = {
      ...real,
      book: real.book?.bind(real),
      cancel: real.cancel?.bind(real),
      async documents() {
        state.asked++;
        throw new CarrierUnreachable(reference, 'the label service answered 503');
      },
    };
    ctx.carriers.replace(reference, down);
    return { state, restore: () => ctx.carriers.replace(reference, real) };
  }

  describe('the file', () => {
    it('joins every consignment’s labels in request order, a page per label, each page the one GET /labels/{ref} prints, its barcode scanning back', async () => {
      const one = await allocated();
      const two = await allocated({ packages: [{}, { kg: 4 }] });
      const legs = await allocated(TO_LODZ, 'EL-EU-ROAD');
      const refs = [legs, one, two];
      const res = await print({ ConsignmentReferences: refs });
      assert.equal(res.status, 200, res.text.slice(0, 300));
      assert.deepEqual(Object.keys(res.body), ['File', 'ContentType', 'Results']);
      assert.equal(res.body.ContentType, 'application/pdf');
      assert.deepEqual(res.body.Results, [
        { ConsignmentReference: legs, IsSuccess: true, Code: null, Message: '4 labels printed', LabelCount: 4 },
        { ConsignmentReference: one, IsSuccess: true, Code: null, Message: '1 label printed', LabelCount: 1 },
        { ConsignmentReference: two, IsSuccess: true, Code: null, Message: '2 labels printed', LabelCount: 2 },
      ]);
      const pdf = Buffer.from(res.body.File, 'base64');
      assert.ok(isPdf(pdf));
      assert.equal(pdfPages(pdf), 4 + 1 + 2, 'the sum of the labels');
      assert.deepEqual(pdfPageSize(pdf), [288, 432]);
      const tracking = [...(await trackingOf(legs)), ...(await trackingOf(one)), ...(await trackingOf(two))];
      assert.deepEqual(pdfPageImages(pdf).map((page) => readCode128(page)), tracking.map((t) => [t]));
      // Each consignment's pages say what its own labels say, in the same order.
      const alone = [await single(legs), await single(one), await single(two)];
      assert.equal(pdfText(pdf), alone.map((f) => pdfText(f)).join(''));
    });

    it('records each consignment’s first print once, as GET /labels/{ref} does, and a reprint records nothing more', async () => {
      const refs = [await allocated(), await allocated({ packages: [{}, {}] })];
      for (const ref of refs) assert.equal(await printed(ref), false);
      assert.equal((await print({ ConsignmentReferences: refs })).status, 200);
      for (const ref of refs) {
        const c = await getConsignment(server, ref);
        assert.equal(c.LabelsPrinted, true);
        assert.equal(c.HaveLabelsEverBeenPrinted, true);
        assert.ok(c.DateLabelsWereFirstPrinted);
        assert.equal(c.ConsignmentState, 'Allocated', 'printing changes no state');
      }
      const again = await print({ ConsignmentReferences: refs });
      assert.equal(again.status, 200);
      for (const ref of refs) {
        const events = (await api(server, 'GET', `/consignments/${ref}/audit`)).body.filter((e: any) => e.Action === 'LabelsPrinted');
        assert.equal(events.length, 1, ref);
      }
      const metrics = (await api(server, 'GET', '/metrics', { key: null })).text;
      assert.match(metrics, /switchyard_labels_rendered_total\{format="PDF"\} \d+/);
    });

    it('puts four labels on an A4 page with PageSize 1 or A4, each consignment starting its own page, as GET ?pageSize=A4 does', async () => {
      const five = await allocated({ packages: [{}, {}, {}, {}, {}] });
      const one = await allocated();
      for (const PageSize of [1, 'A4', 'a4']) {
        const res = await print({ ConsignmentReferences: [five, one], PageSize });
        assert.equal(res.status, 200, res.text.slice(0, 300));
        const pdf = Buffer.from(res.body.File, 'base64');
        assert.equal(pdfPages(pdf), 2 + 1);
        assert.deepEqual(pdfPageSize(pdf).map(Math.round), [595, 842]);
      }
      for (const PageSize of [0, 'A6', null]) assert.equal(pdfPages(Buffer.from((await print({ ConsignmentReferences: [five, one], PageSize })).body.File, 'base64')), 6);
    });

    it('reads an XML request and answers in XML (root ConsignmentsLabelsResponse, LabelGeneration namespace)', async () => {
      const a = await allocated();
      const b = await allocated();
      const res = await api(server, 'POST', PATH, {
        headers: { accept: 'application/xml' },
        body: `<ConsignmentsLabelsRequest xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.LabelGeneration"><ConsignmentReferences><string>${a.toLowerCase()}</string><string>${b}</string><string>EC-ZZZ-ZZZ-ZZZ</string></ConsignmentReferences><PageSize>A6</PageSize></ConsignmentsLabelsRequest>`,
      });
      assert.equal(res.status, 200, res.text.slice(0, 300));
      assert.match(res.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<ConsignmentsLabelsResponse xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.LabelGeneration" xmlns:i="http:\/\/www.w3.org\/2001\/XMLSchema-instance"><File>[A-Za-z0-9+/=]+<\/File><ContentType>application\/pdf<\/ContentType><Results><ConsignmentLabelsResult>/);
      assert.ok(res.text.includes(`<ConsignmentLabelsResult><ConsignmentReference>EC-ZZZ-ZZZ-ZZZ</ConsignmentReference><IsSuccess>false</IsSuccess><Code>ConsignmentNotFound</Code>`));
      assert.equal(pdfPages(Buffer.from(/<File>([^<]+)<\/File>/.exec(res.text)![1], 'base64')), 2);
      const one = await api(server, 'POST', PATH, { body: `<ConsignmentsLabelsRequest><ConsignmentReferences><string>${a}</string></ConsignmentReferences></ConsignmentsLabelsRequest>` });
      assert.equal(one.status, 200, one.text.slice(0, 300));
      assert.equal(one.body.Results.length, 1);
    });
  });

  describe('a result per consignment', () => {
    it('prints those it can and says why not for the others, in request order, each consignment once whatever its case', async () => {
      const good = await allocated();
      const unallocated = await createConsignment(server);
      const cancelled = await allocated();
      assert.equal((await api(server, 'PUT', `/consignments/${cancelled}/cancel`)).status, 200);
      const stranger = await createSubscription(server, 'Labels stranger');
      const theirs = await createConsignment(server, { origin: { postcode: 'M17 1PY', town: 'Manchester' } }, stranger.ApiKey);
      assert.equal((await allocate(server, 'Example-Carrier-Service', [theirs], stranger.ApiKey)).body[0].StatusCode, 200);
      const other = await allocated({ packages: [{}, {}] }, 'NP-PARCEL-48');
      const refs = [good, 'ec-zzz-zzz-zzz', unallocated, theirs, ` ${good.toLowerCase()} `, cancelled, other];
      const res = await print({ ConsignmentReferences: refs });
      assert.equal(res.status, 200, res.text.slice(0, 300));
      const results = res.body.Results;
      assert.deepEqual(results.map((r: any) => [r.ConsignmentReference, r.IsSuccess, r.Code, r.LabelCount]), [
        [good, true, null, 1],
        ['EC-ZZZ-ZZZ-ZZZ', false, 'ConsignmentNotFound', 0],
        [unallocated, false, 'InvalidState', 0],
        [theirs, false, 'ConsignmentNotFound', 0],
        [cancelled, false, 'InvalidState', 0],
        [other, true, null, 2],
      ]);
      assert.equal(results[1].Message, 'Consignment EC-ZZZ-ZZZ-ZZZ not found');
      assert.equal(results[3].Message, `Consignment ${theirs} not found`, 'another subscription’s consignment is as absent as an unknown one');
      assert.match(results[2].Message, /Unallocated/);
      assert.match(results[4].Message, /Cancelled/);
      const pdf = Buffer.from(res.body.File, 'base64');
      assert.deepEqual(pdfPageImages(pdf).map((page) => readCode128(page)), [...(await trackingOf(good)), ...(await trackingOf(other))].map((t) => [t]));
      assert.equal(await printed(unallocated), false);
      assert.equal((await getConsignment(server, theirs, stranger.ApiKey)).LabelsPrinted, false, 'another subscription’s consignment is left alone');
    });

    it('answers 200 with File null when none can be printed, each result saying why', async () => {
      const unallocated = await createConsignment(server);
      const res = await print({ ConsignmentReferences: [unallocated, 'EC-ZZZ-ZZZ-ZZY'] });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.File, null);
      assert.equal(res.body.ContentType, 'application/pdf');
      assert.deepEqual(res.body.Results.map((r: any) => r.Code), ['InvalidState', 'ConsignmentNotFound']);
      const xml = await api(server, 'POST', PATH, { body: { ConsignmentReferences: [unallocated] }, headers: { accept: 'application/xml' } });
      assert.match(xml.text, /<File i:nil="true"\/>/);
    });

    it('gives a consignment whose carrier is down its CarrierUnavailable result, not asking that carrier again, and prints the others', async () => {
      const ok = await allocated({}, 'NP-PARCEL-48');
      const downs: string[] = [];
      for (let i = 0; i < 12; i++) downs.push(await allocated());
      const carrier = carrierDown('CARRIER_X');
      try {
        const res = await print({ ConsignmentReferences: [downs[0], ok, ...downs.slice(1)] });
        assert.equal(res.status, 200, res.text.slice(0, 300));
        assert.deepEqual(res.body.Results.map((r: any) => r.Code), ['CarrierUnavailable', null, ...downs.slice(1).map(() => 'CarrierUnavailable')]);
        assert.match(res.body.Results[0].Message, /could not be had from Carrier X/);
        // Only the requests already in flight when it was first found down (eight at a time) asked it.
        assert.ok(carrier.state.asked <= 8, `a carrier found down is not asked again within the request (asked ${carrier.state.asked} times)`);
        assert.equal(pdfPages(Buffer.from(res.body.File, 'base64')), 1);
        for (const ref of downs) assert.equal(await printed(ref), false);
        assert.equal(await printed(ok), true);
      } finally {
        carrier.restore();
      }
    });
  });

  describe('the PDF itself (Accept: application/pdf)', () => {
    it('answers the bytes when every consignment can be printed', async () => {
      const refs = [await allocated(), await allocated({ packages: [{}, {}] })];
      const res = await bytes({ ConsignmentReferences: refs });
      assert.equal(res.status, 200);
      assert.equal(res.type, 'application/pdf');
      assert.ok(isPdf(res.bytes));
      assert.equal(pdfPages(res.bytes), 3);
      for (const ref of refs) assert.equal(await printed(ref), true);
    });

    it('refuses the whole request when any one cannot be printed, unknown ones first, printing nothing', async () => {
      const good = await allocated();
      const unallocated = await createConsignment(server);
      const missing = await bytes({ ConsignmentReferences: [good, unallocated, 'EC-ZZZ-ZZZ-ZZX'] });
      assert.equal(missing.status, 404);
      assert.match(missing.type ?? '', /^application\/json/);
      const body = JSON.parse(missing.text);
      assert.equal(body.Code, 'ConsignmentNotFound');
      assert.match(body.Message, /2 of the 3 consignments cannot have their labels printed, so none were/);
      assert.deepEqual(body.Details.map((d: any) => [d.Code, d.Target]), [['InvalidState', unallocated], ['ConsignmentNotFound', 'EC-ZZZ-ZZZ-ZZX']]);
      const state = await bytes({ ConsignmentReferences: [good, unallocated] });
      assert.equal(state.status, 409);
      assert.equal(JSON.parse(state.text).Code, 'InvalidState');
      assert.equal(await printed(good), false, 'a refused request prints nothing');
    });

    it('answers 503 CarrierUnavailable when a carrier cannot make its labels, recording no print', async () => {
      const good = await allocated({}, 'NP-PARCEL-48');
      const down = await allocated();
      const carrier = carrierDown('CARRIER_X');
      try {
        const res = await bytes({ ConsignmentReferences: [good, down] });
        assert.equal(res.status, 503);
        assert.equal(JSON.parse(res.text).Code, 'CarrierUnavailable');
        assert.equal(await printed(good), false, 'the labels made were not handed out, so not printed');
      } finally {
        carrier.restore();
      }
    });

    it('refuses another file type with 406', async () => {
      const ref = await allocated();
      assert.equal((await bytes({ ConsignmentReferences: [ref] }, 'image/png')).status, 406);
      assert.equal((await bytes({ ConsignmentReferences: [ref] }, 'application/zpl')).status, 406);
      assert.equal(await printed(ref), false);
    });
  });

  describe('refusals', () => {
    it('lists every problem of the body in one 400: references missing, empty, not strings, too many; an unknown page size', async () => {
      const targets = async (body: unknown) => assertError(await print(body), 400, 'ValidationFailed').Details.map((d: any) => d.Target).sort();
      assert.deepEqual(await targets({}), ['ConsignmentReferences']);
      assert.deepEqual(await targets({ ConsignmentReferences: [] }), ['ConsignmentReferences']);
      assert.deepEqual(await targets({ ConsignmentReferences: 'EC-000-05A-Z6S' }), ['ConsignmentReferences']);
      assert.deepEqual(await targets({ ConsignmentReferences: ['EC-000-05A-Z6S', 5, ' '], PageSize: 'A3' }), ['ConsignmentReferences[1]', 'ConsignmentReferences[2]', 'PageSize']);
      assert.deepEqual(await targets({ ConsignmentReferences: ['EC-000-05A-Z6S'], PageSize: true }), ['PageSize']);
      const many = Array.from({ length: MAX_LABEL_CONSIGNMENTS + 1 }, (_, i) => `EC-000-${String(i).padStart(3, '0')}-ZZZ`);
      const body = assertError(await print({ ConsignmentReferences: many }), 400, 'ValidationFailed');
      assert.equal(body.Details[0].Code, 'TooMany');
      assert.match(body.Details[0].Message, /at most 1000/);
      // Exactly the limit is a request like any other.
      assert.equal((await print({ ConsignmentReferences: many.slice(0, MAX_LABEL_CONSIGNMENTS) })).status, 200);
    });

    it('refuses bodies the shared parsers refuse: malformed JSON or XML, a DOCTYPE, a NUL, another media type, no body', async () => {
      const ref = await allocated();
      assertError(await api(server, 'POST', PATH, { body: '{"ConsignmentReferences": [', contentType: 'application/json' }), 400, 'MalformedBody');
      assertError(await api(server, 'POST', PATH, { body: '<ConsignmentsLabelsRequest><ConsignmentReferences>', contentType: 'application/xml' }), 400, 'MalformedBody');
      const doctype = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "${ref}">]><ConsignmentsLabelsRequest><ConsignmentReferences><string>&lol;</string></ConsignmentReferences></ConsignmentsLabelsRequest>`;
      assertError(await api(server, 'POST', PATH, { body: doctype }), 400, 'MalformedBody');
      const nul = assertError(await print({ ConsignmentReferences: [`${ref}\u0000`] }), 400, 'ValidationFailed');
      assert.deepEqual(nul.Details.map((d: any) => d.Target), ['ConsignmentReferences[0]']);
      assertError(await api(server, 'POST', PATH, { body: 'ConsignmentReferences=x', contentType: 'application/x-www-form-urlencoded' }), 415, 'UnsupportedMediaType');
      assertError(await api(server, 'POST', PATH, { body: '', contentType: 'application/json' }), 400, 'ValidationFailed');
      assertError(await api(server, 'POST', PATH, { body: { ConsignmentReferences: [ref] }, key: 'not-a-key' }), 401, 'Unauthorized');
      assert.equal(await printed(ref), false, 'a refused request prints nothing');
    });

    it('is no consignment at GET /labels/consignments', async () => {
      assertError(await api(server, 'GET', '/labels/consignments'), 404, 'RouteNotFound');
    });

    it(`refuses a selection of more than ${MAX_JOINED_LABELS} labels in all with 400, before any is made`, async () => {
      // Twenty packages on each of two legs: 40 labels a consignment, so 126 of them are 5,040.
      const spec = { ...TO_LODZ, packages: Array.from({ length: 20 }, () => ({ kg: 1 })) };
      const created = await api(server, 'POST', '/consignments/bulk', { body: Array.from({ length: 126 }, () => consignmentRequest(spec)) });
      assert.equal(created.status, 200, created.text.slice(0, 300));
      const refs: string[] = created.body.map((r: any) => r.ConsignmentReference);
      const allocation = await allocate(server, 'EL-EU-ROAD', refs);
      assert.ok(allocation.body.every((s: any) => s.StatusCode === 200), allocation.text.slice(0, 300));
      const body = assertError(await print({ ConsignmentReferences: [...refs, 'EC-ZZZ-ZZZ-ZZZ'] }), 400, 'ValidationFailed');
      assert.deepEqual(body.Details.map((d: any) => [d.Code, d.Target]), [['TooMany', 'ConsignmentReferences']]);
      assert.match(body.Message, /5040 labels in all; at most 5000/);
      assert.equal(await printed(refs[0]), false);
    });
  });

  it('is documented in /openapi.json with its body, its answer’s schema and the PDF it can answer', async () => {
    const doc = (await api(server, 'GET', '/openapi.json', { key: null })).body;
    const op = doc.paths[PATH].post;
    assert.equal(op.operationId, 'postLabelsConsignments');
    assert.deepEqual(op.tags, ['documents']);
    assert.match(op.summary, /\(Switchyard/);
    assert.deepEqual(Object.keys(op.requestBody.content), ['application/json', 'application/xml']);
    assert.deepEqual(Object.keys(op.responses['200'].content), ['application/json', 'application/xml', 'application/pdf']);
    assert.deepEqual(op.responses['200'].content['application/json'].schema, { $ref: '#/components/schemas/ConsignmentsLabels' });
    assert.deepEqual(Object.keys(doc.components.schemas.ConsignmentsLabels.properties), ['File', 'ContentType', 'Results']);
    assert.deepEqual(doc.components.schemas.ConsignmentsLabels.properties.Results.items, { $ref: '#/components/schemas/ConsignmentLabelsResult' });
    for (const status of ['400', '404', '409', '503']) assert.ok(op.responses[status], status);
  });
});
