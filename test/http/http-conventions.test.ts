/**
 * HTTP conventions and bad input (decisions.md §2, §3), over real HTTP against a real server:
 * body parsing (JSON, XML and the XML attacks), limits, media types and charsets, content
 * negotiation, API versions, API keys, correlation ids, routing, body-less endpoints, empty
 * lists and the error body. Every refusal is checked for its status, its error body, that the
 * server still answers afterwards and that nothing stored changed.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, DEMO_KEY, api, databaseUnderTest, skipReason, startServer, type ApiResponse, type TestServer } from '../support/test-server.js';
import { assertError, assertHealthy, LEAKS } from '../support/assertions.js';
import { allocate, consignmentRequest, createConsignment, createSubscription, consignmentCount } from '../support/consignments.js';

const DEMO_REF = 'EC-000-05A-Z6S';




/** A request through node:http, for what fetch normalises away (header name case). */
function rawRequest(server: TestServer, method: string, path: string, headers: Record<string, string>, body?: string): Promise<ApiResponse> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        const json = (res.headers['content-type'] ?? '').includes('json') && text ? JSON.parse(text) : undefined;
        resolve({ status: res.statusCode ?? 0, headers: h, text, body: json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const CREATE_XML_BODY = `<Packages><Package><Weight><Value>1</Value><Unit>Kg</Unit></Weight><Dimensions><Unit>Cm</Unit><Width>10</Width><Length>10</Length><Height>10</Height></Dimensions></Package></Packages>
<Addresses><Address><AddressType>Origin</AddressType><ShippingLocationReference>WH-MAN-01</ShippingLocationReference></Address>
<Address><AddressType>Destination</AddressType><AddressLine1>1 Road</AddressLine1><Postcode>LS1 1AA</Postcode><Country><IsoCode><TwoLetterCode>GB</TwoLetterCode></IsoCode></Country></Address></Addresses>`;

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CreateConsignmentRequest><ConsignmentReferenceProvidedByCustomer>&lol9;</ConsignmentReferenceProvidedByCustomer>${CREATE_XML_BODY}</CreateConsignmentRequest>`;

const XXE = `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE CreateConsignmentRequest [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<CreateConsignmentRequest><ConsignmentReferenceProvidedByCustomer>&xxe;</ConsignmentReferenceProvidedByCustomer>${CREATE_XML_BODY}</CreateConsignmentRequest>`;

const XXE_PARAMETER = `<?xml version="1.0"?>
<!DOCTYPE r [ <!ENTITY % remote SYSTEM "http://127.0.0.1:1/evil.dtd"> %remote; ]>
<CreateConsignmentRequest>${CREATE_XML_BODY}</CreateConsignmentRequest>`;

const PLAIN_DOCTYPE = `<?xml version="1.0"?>
<!doctype CreateConsignmentRequest>
<CreateConsignmentRequest>${CREATE_XML_BODY}</CreateConsignmentRequest>`;

describe(`HTTP conventions and bad input (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  describe('request bodies', () => {
    it('answers malformed JSON with 400 MalformedBody and stores nothing', async () => {
      const count = await consignmentCount(server);
      for (const text of ['{"Packages": [', '{Packages: []}', "{'a': 1}", '{"a": 1,}', '[1, 2', '\u0000']) {
        const res = await api(server, 'POST', '/consignments', { body: text, contentType: 'application/json' });
        const body = assertError(res, 400, 'MalformedBody');
        assert.deepEqual(body.Details, [{ Code: 'MalformedBody', Target: 'body', Message: body.Message }], 'a 400 lists its problem');
      }
      assert.equal(await consignmentCount(server), count);
      await assertHealthy(server);
    });

    it('answers malformed XML with 400 MalformedBody and stores nothing', async () => {
      const count = await consignmentCount(server);
      const documents = [
        '<CreateConsignmentRequest><Packages></CreateConsignmentRequest>',
        '<CreateConsignmentRequest>',
        '<a>1</a><b>2</b>',
        'just text, no markup',
        '<CreateConsignmentRequest><Packages a="1" a="2"/></CreateConsignmentRequest>',
      ];
      for (const text of documents) {
        for (const contentType of ['application/xml', 'text/xml']) {
          const res = await api(server, 'POST', '/consignments', { body: text, contentType });
          assertError(res, 400, 'MalformedBody');
        }
      }
      assert.equal(await consignmentCount(server), count);
      await assertHealthy(server);
    });

    it('refuses a DOCTYPE, an external entity and a billion-laughs document with 400, expanding nothing', async () => {
      const count = await consignmentCount(server);
      for (const text of [PLAIN_DOCTYPE, XXE, XXE_PARAMETER, BILLION_LAUGHS]) {
        for (const contentType of ['application/xml', 'text/xml; charset=utf-8']) {
          const res = await api(server, 'POST', '/consignments', { body: text, contentType });
          const body = assertError(res, 400, 'MalformedBody');
          assert.match(body.Message, /DOCTYPE|entity/i);
          assert.doesNotMatch(res.text, /lollol|root:|\/bin\/|daemon/);
        }
      }
      // The same on an endpoint that takes a reference list, and on allocation.
      const onList = await api(server, 'PUT', '/consignments/deallocatelist', { body: BILLION_LAUGHS.replace(/<CreateConsignmentRequest>.*$/s, '<ArrayOfString><string>&lol9;</string></ArrayOfString>'), contentType: 'application/xml' });
      assertError(onList, 400, 'MalformedBody');
      const onAllocate = await api(server, 'PUT', '/allocation/allocatewithcarrierservice', {
        body: XXE.replace(/<CreateConsignmentRequest>.*$/s, '<AllocateConsignmentsWithCarrierServiceRequest><ConsignmentReferences><string>&xxe;</string></ConsignmentReferences><MpdCarrierServiceReference>Example-Carrier-Service</MpdCarrierServiceReference></AllocateConsignmentsWithCarrierServiceRequest>'),
        contentType: 'application/xml',
      });
      assertError(onAllocate, 400, 'MalformedBody');
      assert.equal(await consignmentCount(server), count);
      assert.equal((await api(server, 'GET', `/consignments/${DEMO_REF}`)).body.ConsignmentState, 'Unallocated');
      await assertHealthy(server);
    });

    it('refuses XML in an unknown namespace with 400 and accepts the v1, v1.1 and empty namespaces', async () => {
      const count = await consignmentCount(server);
      for (const ns of ['urn:example:not-electio', 'http://schemas.microsoft.com/2003/10/Serialization/Arrays', 'http://electioapp.com/schemas/v2/MPD.Electio.SDK.DataTypes.Consignments']) {
        const res = await api(server, 'POST', '/consignments', { body: `<CreateConsignmentRequest xmlns="${ns}">${CREATE_XML_BODY}</CreateConsignmentRequest>`, contentType: 'application/xml' });
        const body = assertError(res, 400, 'MalformedBody');
        assert.match(body.Message, /namespace/);
        const prefixed = await api(server, 'POST', '/consignments', { body: `<c:CreateConsignmentRequest xmlns:c="${ns}">${CREATE_XML_BODY}</c:CreateConsignmentRequest>`, contentType: 'application/xml' });
        assertError(prefixed, 400, 'MalformedBody');
      }
      assert.equal(await consignmentCount(server), count);
      const accepted = [
        'xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Consignments" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"',
        "xmlns:xsd='http://www.w3.org/2001/XMLSchema' xmlns='http://electioapp.com/schemas/v1/MPD.Electio.SDK.DataTypes.Consignments'",
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
      ];
      for (const attributes of accepted) {
        const res = await api(server, 'POST', '/consignments', { body: `<?xml version="1.0" encoding="utf-8"?>\n<!-- a comment <x xmlns="urn:no"> -->\n<CreateConsignmentRequest ${attributes}>${CREATE_XML_BODY}</CreateConsignmentRequest>` });
        assert.equal(res.status, 201, `${attributes}: ${res.text}`);
      }
      assert.equal(await consignmentCount(server), count + accepted.length);
      await assertHealthy(server);
    });

    it('answers wrong JSON types with 400 ValidationFailed, one detail per problem naming the field', async () => {
      const count = await consignmentCount(server);
      const body = consignmentRequest();
      const packages = body.Packages as Record<string, unknown>[];
      packages[0].Weight = 'heavy';
      packages[0].Dimensions = { Unit: 'Cm', Width: 10, Length: 10, Height: 'tall' };
      const res = await api(server, 'POST', '/consignments', { body: { ...body, Addresses: 5, Tags: 'Fragile', Direction: 'Sideways', ShippingDate: 20261118 } });
      const error = assertError(res, 400, 'ValidationFailed');
      const targets = error.Details.map((d: any) => d.Target).sort();
      assert.deepEqual(targets, ['Addresses', 'Direction', 'Packages[0].Dimensions.Height', 'Packages[0].Weight', 'ShippingDate', 'Tags']);
      for (const d of error.Details) {
        assert.ok(d.Message.startsWith(d.Target), `the message names its field: ${d.Message}`);
        assert.doesNotMatch(d.Message, /union/i, 'messages say what is expected');
      }
      const byTarget = Object.fromEntries(error.Details.map((d: any) => [d.Target, d.Message]));
      assert.equal(byTarget['Packages[0].Dimensions.Height'], 'Packages[0].Dimensions.Height must be a number');
      assert.equal(byTarget.Direction, 'Direction must be one of Outbound, Inbound');
      assert.equal(byTarget.Tags, 'Tags must be a list');

      const nested = consignmentRequest();
      (nested.Packages as Record<string, unknown>[])[0].Weight = { Value: '2', Unit: 'kg' };
      const nestedRes = await api(server, 'POST', '/consignments', { body: nested });
      assert.deepEqual(assertError(nestedRes, 400, 'ValidationFailed').Details.map((d: any) => d.Target), ['Packages[0].Weight.Value']);

      for (const text of ['42', '"text"', '[]', 'true']) {
        const whole = await api(server, 'POST', '/consignments', { body: text, contentType: 'application/json' });
        assert.deepEqual(assertError(whole, 400, 'ValidationFailed').Details.map((d: any) => d.Target), ['body']);
      }
      assert.equal(await consignmentCount(server), count);
      await assertHealthy(server);
    });

    it('answers a body over the default 10 MiB limit with 413 PayloadTooLarge', async () => {
      const count = await consignmentCount(server);
      const padding = 'x'.repeat(10 * 1024 * 1024 + 512);
      const body = JSON.stringify({ ...consignmentRequest(), ConsignmentReferenceProvidedByCustomer: padding });
      const res = await api(server, 'POST', '/consignments', { body, contentType: 'application/json' });
      assertError(res, 413, 'PayloadTooLarge');
      assert.equal(await consignmentCount(server), count);
      await assertHealthy(server);
    });

    it('answers a Content-Type other than JSON or XML with 415 UnsupportedMediaType', async () => {
      const count = await consignmentCount(server);
      const json = JSON.stringify(consignmentRequest());
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/jsonx', 'text/html']) {
        const res = await api(server, 'POST', '/consignments', { body: json, contentType });
        assertError(res, 415, 'UnsupportedMediaType');
      }
      const noType = await fetch(`${server.url}/consignments`, { method: 'POST', headers: { 'ocp-apim-subscription-key': DEMO_KEY }, body: new TextEncoder().encode(json) });
      assert.equal(noType.status, 415, 'a body without a Content-Type');
      assert.equal(await consignmentCount(server), count);
      await assertHealthy(server);
    });

    it('answers a charset other than UTF-8 with 415 and accepts UTF-8 however it is spelt', async () => {
      const count = await consignmentCount(server);
      const json = JSON.stringify(consignmentRequest());
      for (const contentType of ['application/json; charset=iso-8859-1', 'application/json; charset=utf-16', 'application/json;charset="windows-1252"']) {
        const res = await api(server, 'POST', '/consignments', { body: json, contentType });
        const body = assertError(res, 415, 'UnsupportedMediaType');
        assert.match(body.Message, /UTF-8/);
      }
      const xml = await api(server, 'POST', '/consignments', { body: `<CreateConsignmentRequest>${CREATE_XML_BODY}</CreateConsignmentRequest>`, contentType: 'text/xml; charset=us-ascii' });
      assertError(xml, 415, 'UnsupportedMediaType');
      assert.equal(await consignmentCount(server), count);
      for (const contentType of ['application/json; charset=utf-8', 'application/json; charset=UTF-8', 'application/json;charset="utf8"', 'Application/JSON']) {
        const res = await api(server, 'POST', '/consignments', { body: json, contentType });
        assert.equal(res.status, 201, `${contentType}: ${res.text}`);
      }
      assert.equal(await consignmentCount(server), count + 4);
      await assertHealthy(server);
    });

    it('ignores a UTF-8 byte order mark before JSON or XML', async () => {
      const count = await consignmentCount(server);
      const json = await api(server, 'POST', '/consignments', { body: `\uFEFF${JSON.stringify(consignmentRequest())}`, contentType: 'application/json; charset=utf-8' });
      assert.equal(json.status, 201, json.text);
      const xml = await api(server, 'POST', '/consignments', { body: `\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<CreateConsignmentRequest>${CREATE_XML_BODY}</CreateConsignmentRequest>`, contentType: 'application/xml' });
      assert.equal(xml.status, 201, xml.text);
      const empty = await api(server, 'PUT', `/consignments/${DEMO_REF}/deallocate`, { body: '\uFEFF', contentType: 'application/json' });
      assertError(empty, 409, 'InvalidState');
      assert.equal(await consignmentCount(server), count + 2);
    });
  });

  describe('content negotiation', () => {
    it('answers an unacceptable Accept with 406 NotAcceptable, in JSON', async () => {
      for (const accept of ['image/png', 'text/html', 'application/json;q=0', 'application/pdf, image/*']) {
        const res = await api(server, 'GET', `/consignments/${DEMO_REF}`, { headers: { accept } });
        assertError(res, 406, 'NotAcceptable');
      }
      const onError = await api(server, 'GET', '/consignments/EC-ZZZ-ZZZ-ZZZ', { headers: { accept: 'image/png' } });
      assert.equal(onError.status, 406);
      await assertHealthy(server);
    });

    it('gives JSON for no Accept, */* and application/json, and XML for application/xml and text/xml', async () => {
      const cases: [string | undefined, RegExp][] = [
        [undefined, /^application\/json/],
        ['*/*', /^application\/json/],
        ['application/json', /^application\/json/],
        ['application/*', /^application\/json/],
        ['application/xml', /^application\/xml/],
        ['text/xml', /^text\/xml/],
        ['text/*', /^text\/xml/],
      ];
      for (const [accept, type] of cases) {
        const res = await api(server, 'GET', `/consignments/${DEMO_REF}/status`, { headers: accept ? { accept } : {} });
        assert.equal(res.status, 200, `${accept}: ${res.text}`);
        assert.match(res.headers.get('content-type') ?? '', type, String(accept));
        if (/xml/.test(type.source)) assert.match(res.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<ConsignmentStatusResponse xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.Consignments"/);
        else assert.equal(res.body.Status, 'Unallocated');
      }
    });

    it('honours quality values', async () => {
      const xml = await api(server, 'GET', `/consignments/${DEMO_REF}/status`, { headers: { accept: 'application/json;q=0.1, application/xml' } });
      assert.equal(xml.status, 200);
      assert.match(xml.headers.get('content-type') ?? '', /^application\/xml/);
      assert.match(xml.text, /<Status>Unallocated<\/Status>/);
      const json = await api(server, 'GET', `/consignments/${DEMO_REF}/status`, { headers: { accept: 'application/xml;q=0.5, application/json;q=0.9, image/png' } });
      assert.match(json.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(json.body.Status, 'Unallocated');
      const textXml = await api(server, 'GET', `/consignments/${DEMO_REF}/status`, { headers: { accept: 'image/png, text/xml;q=0.2' } });
      assert.match(textXml.headers.get('content-type') ?? '', /^text\/xml/);
    });

    it('writes errors as XML ApiError for a client that accepts only XML', async () => {
      const res = await api(server, 'GET', '/consignments/EC-ZZZ-ZZZ-ZZZ', { headers: { accept: 'application/xml', 'x-correlation-id': 'xml-error-1' } });
      assert.equal(res.status, 404);
      assert.match(res.headers.get('content-type') ?? '', /^application\/xml/);
      assert.match(res.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<ApiError xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.Common" xmlns:i="http:\/\/www.w3.org\/2001\/XMLSchema-instance">/);
      assert.match(res.text, /<Code>ConsignmentNotFound<\/Code><Message>[^<]+<\/Message><CorrelationId>xml-error-1<\/CorrelationId><Details>/);
    });
  });

  describe('API version and API key', () => {
    it('accepts electio-api-version absent, 1, 1.0 and 1.1', async () => {
      for (const version of [undefined, '1', '1.0', '1.1', ' 1.1 ']) {
        const res = await api(server, 'GET', `/consignments/${DEMO_REF}/status`, { headers: version === undefined ? {} : { 'electio-api-version': version } });
        assert.equal(res.status, 200, `version ${version}: ${res.text}`);
      }
    });

    it('answers any other electio-api-version with 400 UnsupportedApiVersion', async () => {
      for (const version of ['2.0', '2', '1.2', 'v1.1', 'latest', '']) {
        const res = await api(server, 'GET', `/consignments/${DEMO_REF}/status`, { headers: { 'electio-api-version': version } });
        const body = assertError(res, 400, 'UnsupportedApiVersion');
        assert.deepEqual(body.Details.map((d: any) => d.Target), ['electio-api-version']);
      }
      const count = await consignmentCount(server);
      const create = await api(server, 'POST', '/consignments', { body: consignmentRequest(), headers: { 'electio-api-version': '2.0' } });
      assertError(create, 400, 'UnsupportedApiVersion');
      assert.equal(await consignmentCount(server), count);
      await assertHealthy(server);
    });

    it('answers a missing or unknown API key with 401 Unauthorized', async () => {
      const count = await consignmentCount(server);
      const requests: [string, string, Record<string, unknown>][] = [
        ['GET', `/consignments/${DEMO_REF}`, { key: null }],
        ['GET', `/consignments/${DEMO_REF}`, { key: 'not-a-key' }],
        ['GET', `/consignments/${DEMO_REF}?subscription-key=not-a-key`, { key: null }],
        ['GET', '/carrierservices', { key: '' }],
        ['POST', '/consignments', { key: null, body: consignmentRequest() }],
        ['POST', '/consignments', { key: 'wrong', body: consignmentRequest() }],
        ['PUT', '/allocation/allocatewithcarrierservice', { key: null, body: { MpdCarrierServiceReference: 'Example-Carrier-Service', ConsignmentReferences: [DEMO_REF] } }],
      ];
      for (const [method, path, options] of requests) {
        const res = await api(server, method, path, options);
        assertError(res, 401, 'Unauthorized');
      }
      assert.equal(await consignmentCount(server), count);
      assert.equal((await api(server, 'GET', `/consignments/${DEMO_REF}`)).body.ConsignmentState, 'Unallocated');
      await assertHealthy(server);
    });

    it('takes the key from the header in any case, or from the subscription-key query parameter', async () => {
      for (const name of ['ocp-apim-subscription-key', 'Ocp-Apim-Subscription-Key', 'OCP-APIM-SUBSCRIPTION-KEY', 'oCp-ApIm-SuBsCrIpTiOn-KeY']) {
        const res = await rawRequest(server, 'GET', `/consignments/${DEMO_REF}/status`, { [name]: DEMO_KEY });
        assert.equal(res.status, 200, `${name}: ${res.text}`);
        assert.equal(res.body.Status, 'Unallocated');
      }
      const query = await api(server, 'GET', `/consignments/${DEMO_REF}/status?subscription-key=${encodeURIComponent(DEMO_KEY)}`, { key: null });
      assert.equal(query.status, 200, query.text);
      const queryCreate = await api(server, 'POST', `/consignments?subscription-key=${DEMO_KEY}`, { key: null, body: consignmentRequest() });
      assert.equal(queryCreate.status, 201, queryCreate.text);
    });

    it('needs no key for GET /health, which reports the database', async () => {
      const res = await api(server, 'GET', '/health', { key: null });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { Status: 'Healthy', Database: 'Reachable', DatabaseKind: databaseUnderTest });
      const withBadKey = await api(server, 'GET', '/health', { key: 'not-a-key' });
      assert.equal(withBadKey.status, 200);
      const xml = await api(server, 'GET', '/health/', { key: null, headers: { accept: 'text/xml' } });
      assert.match(xml.text, /<Health xmlns="[^"]+"[^>]*><Status>Healthy<\/Status><Database>Reachable<\/Database>/);
    });
  });

  describe('correlation ids', () => {
    it('echoes a client x-correlation-id in the header and in the error body', async () => {
      const ok = await api(server, 'GET', `/consignments/${DEMO_REF}`, { headers: { 'x-correlation-id': 'client-id-0001' } });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('x-correlation-id'), 'client-id-0001');
      const failed = await api(server, 'GET', '/consignments/EC-ZZZ-ZZZ-ZZZ', { headers: { 'x-correlation-id': 'client-id-0002' } });
      assert.equal(assertError(failed, 404, 'ConsignmentNotFound').CorrelationId, 'client-id-0002');
      const unauthorised = await api(server, 'GET', `/consignments/${DEMO_REF}`, { key: null, headers: { 'x-correlation-id': 'client-id-0003' } });
      assert.equal(assertError(unauthorised, 401, 'Unauthorized').CorrelationId, 'client-id-0003');
      const malformed = await api(server, 'POST', '/consignments', { body: '{', contentType: 'application/json', headers: { 'x-correlation-id': 'client-id-0004' } });
      assert.equal(assertError(malformed, 400, 'MalformedBody').CorrelationId, 'client-id-0004');
    });

    it('generates a fresh id when the client sends none, the same in header and body', async () => {
      const a = await api(server, 'GET', '/consignments/EC-ZZZ-ZZZ-ZZZ');
      const b = await api(server, 'GET', '/consignments/EC-ZZZ-ZZZ-ZZZ');
      const idA = assertError(a, 404, 'ConsignmentNotFound').CorrelationId;
      const idB = assertError(b, 404, 'ConsignmentNotFound').CorrelationId;
      assert.notEqual(idA, idB);
      assert.match(idA, /^[0-9a-f-]{36}$/);
      const health = await api(server, 'GET', '/health', { key: null });
      assert.match(health.headers.get('x-correlation-id') ?? '', /^[0-9a-f-]{36}$/);
    });
  });

  describe('routing', () => {
    it('answers an unknown route with 404 RouteNotFound, with or without a key', async () => {
      const cases: [string, string, string | null | undefined][] = [
        ['GET', '/nothing-here', undefined],
        ['GET', '/nothing-here', null],
        ['POST', '/consignments/EC-000-05A-Z6S', undefined],
        ['DELETE', '/consignments', undefined],
        ['GET', '/consignments/EC-000-05A-Z6S/status/extra', undefined],
        ['GET', '/nothing/here/either', null],
      ];
      for (const [method, path, key] of cases) {
        const res = await api(server, method, path, { key });
        assertError(res, 404, 'RouteNotFound');
      }
      await assertHealthy(server);
    });

    it('matches paths case-insensitively, with or without a trailing slash, and decodes percent-encoded references', async () => {
      for (const path of [
        `/consignments/${DEMO_REF}`,
        `/CONSIGNMENTS/${DEMO_REF}`,
        `/Consignments/${DEMO_REF}/`,
        `/consignments/${DEMO_REF.toLowerCase()}`,
        '/consignments/EC%2D000%2D05A%2DZ6S',
        '/consignments/ec%2d000%2d05a%2dz6s/',
        '/consignments/%45%43-000-05A-Z6S',
      ]) {
        const res = await api(server, 'GET', path);
        assert.equal(res.status, 200, `${path}: ${res.text}`);
        assert.equal(res.body.Reference, DEMO_REF, 'responses use the stored spelling');
      }
      const status = await api(server, 'GET', `/Consignments/${DEMO_REF.toLowerCase()}/STATUS/`);
      assert.equal(status.status, 200);
      assert.equal(status.body.ConsignmentReferenceForAllLegsAssignedByMpd, DEMO_REF);
      const health = await api(server, 'GET', '/HEALTH/', { key: null });
      assert.equal(health.status, 200);
      const create = await api(server, 'POST', '/Consignments/', { body: consignmentRequest() });
      assert.equal(create.status, 201, create.text);
    });

    it('answers a malformed percent-encoding with 400 and the error body', async () => {
      const res = await api(server, 'GET', '/consignments/%E0%A4%A');
      assert.equal(res.status, 400, res.text);
      assert.ok(res.headers.get('x-correlation-id'), `no x-correlation-id header; body ${res.text}`);
      assert.deepEqual(Object.keys(res.body ?? {}), ['Code', 'Message', 'CorrelationId', 'Details'], res.text);
      assert.equal(res.body.Code, 'MalformedUrl');
      assert.deepEqual(res.body.Details.map((d: any) => d.Target), ['url'], 'a 400 lists its problem');
    });

    it('answers an over-long reference with the error body', async () => {
      const res = await api(server, 'GET', `/consignments/EC-${'A'.repeat(300)}`);
      assert.ok([404, 414].includes(res.status), `status ${res.status}`);
      assert.ok(res.headers.get('x-correlation-id'), `no x-correlation-id header; body ${res.text.slice(0, 200)}`);
      assert.deepEqual(Object.keys(res.body ?? {}), ['Code', 'Message', 'CorrelationId', 'Details'], res.text.slice(0, 200));
    });
  });

  describe('body-less endpoints', () => {
    it('accepts an empty body, "" or null on PUT /consignments/{ref}/deallocate whatever the Content-Type', async () => {
      const ref = await createConsignment(server);
      const contentTypes = [undefined, 'application/json', 'application/json; charset=utf-8', 'application/xml', 'text/xml', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream'];
      for (const contentType of contentTypes) {
        for (const body of ['', '""', 'null', ' null\n']) {
          const allocated = await allocate(server, 'Example-Carrier-Service', [ref]);
          assert.equal(allocated.body[0].StatusCode, 200, allocated.text);
          const headers: Record<string, string> = { 'ocp-apim-subscription-key': DEMO_KEY };
          if (contentType) headers['content-type'] = contentType;
          const res = await fetch(`${server.url}/consignments/${ref}/deallocate`, { method: 'PUT', headers, body: body === '' && !contentType ? undefined : new TextEncoder().encode(body) });
          const text = await res.text();
          assert.equal(res.status, 200, `${contentType} ${JSON.stringify(body)}: ${text}`);
          assert.equal(text, '');
          assert.equal((await api(server, 'GET', `/consignments/${ref}`)).body.ConsignmentState, 'Unallocated');
        }
      }
      await assertHealthy(server);
    });

    it('still refuses a real body of another media type there', async () => {
      const ref = await createConsignment(server);
      await allocate(server, 'Example-Carrier-Service', [ref]);
      const res = await api(server, 'PUT', `/consignments/${ref}/deallocate`, { body: 'please deallocate', contentType: 'text/plain' });
      assertError(res, 415, 'UnsupportedMediaType');
      assert.equal((await api(server, 'GET', `/consignments/${ref}`)).body.ConsignmentState, 'Allocated');
    });

    it('treats an empty body as missing on an endpoint that needs one', async () => {
      const count = await consignmentCount(server);
      for (const [body, contentType] of [['', 'application/json'], ['null', 'application/json'], ['""', 'application/xml'], ['', 'text/plain']]) {
        const res = await api(server, 'POST', '/consignments', { body, contentType });
        const error = assertError(res, 400, 'ValidationFailed');
        assert.deepEqual(error.Details.map((d: any) => d.Target), ['body']);
      }
      assert.equal(await consignmentCount(server), count);
    });
  });

  describe('lists and server errors', () => {
    it('answers an empty list with 200 and [], not 404', async () => {
      const other = await createSubscription(server, 'No services');
      const admin = { key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
      const services = await api(server, 'GET', '/carrierservices', { key: other.ApiKey });
      assert.equal(services.status, 200);
      assert.ok(services.body.MpdCarrierServices.length > 0);
      for (const s of services.body.MpdCarrierServices) {
        assert.equal((await api(server, 'DELETE', `/admin/subscriptions/${other.Reference}/services/${s.Reference}`, admin)).status, 204);
      }
      for (const path of ['/carrierservices', '/carriers']) {
        const res = await api(server, 'GET', path, { key: other.ApiKey });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body.MpdCarrierServices, []);
      }
      const xml = await api(server, 'GET', '/carrierservices', { key: other.ApiKey, headers: { accept: 'application/xml' } });
      assert.equal(xml.status, 200);
      const ref = await createConsignment(server, { origin: { postcode: 'LS1 4AP', town: 'Leeds' } }, other.ApiKey);
      const c = (await api(server, 'GET', `/consignments/${ref}`, { key: other.ApiKey })).body;
      assert.deepEqual([c.ConsignmentLegs, c.MetaData, c.Tags, c.Packages[0].Items, c.Packages[0].ConsignmentLegs], [[], [], [], [], []]);
    });

    it('never shows a stack trace or SQL, even on odd input', async () => {
      const probes: [string, string, unknown?, (string | null)?][] = [
        ['GET', '/consignments/EC%00X'],
        ['GET', '/consignments/EC-000-05A-Z6S%00/status'],
        ['GET', "/consignments/'%20OR%201=1%20--"],
        ['GET', '/consignments/%F0%9F%93%A6'],
        ['GET', `/consignments/${'%25'.repeat(60)}`],
        ['PUT', '/consignments/deallocatelist', ['EC\u0000X', "x' OR '1'='1"]],
        ['PUT', '/allocation/allocatewithcarrierservice', { MpdCarrierServiceReference: 'Svc\u0000', ConsignmentReferences: ['EC\u0000'] }],
        ['POST', '/consignments', { ...consignmentRequest(), ConsignmentReferenceProvidedByCustomer: 'A\u0000B', Tags: ['\u0000'] }],
        // A query key given twice is ambiguous: refused (401), never a crash.
        ['GET', '/carriers/getcarriers?subscription-key=a&subscription-key=b', undefined, null],
        ['GET', `/carriers/getcarriers?subscription-key=${DEMO_KEY}&subscription-key=${DEMO_KEY}`, undefined, null],
      ];
      for (const [method, path, body, key] of probes) {
        const res = await api(server, method, path, { body, key });
        assert.doesNotMatch(res.text, LEAKS, `${method} ${path}`);
        assert.ok(res.status < 500, `${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
      }
      await assertHealthy(server);
    });

    it('treats a reference in the path containing a NUL byte as not found, and refuses one in a body', async () => {
      assertError(await api(server, 'GET', '/consignments/EC%00X'), 404, 'ConsignmentNotFound');
      assertError(await api(server, 'GET', `/consignments/${DEMO_REF}%00/status`), 404, 'ConsignmentNotFound');
      assertError(await api(server, 'GET', '/consignments/EC%00X/audit'), 404, 'ConsignmentNotFound');
      assertError(await api(server, 'PUT', '/consignments/EC%00X/deallocate'), 404, 'ConsignmentNotFound');
      // In a body, a NUL is refused like in any text a client sends: 400 naming the field.
      const one = assertError(await allocate(server, 'Example-Carrier-Service', ['EC\u0000X']), 400, 'ValidationFailed');
      assert.deepEqual(one.Details.map((d: any) => d.Target), ['ConsignmentReferences[0]']);
      const list = assertError(await api(server, 'PUT', '/consignments/deallocatelist', { body: ['EC\u0000X'] }), 400, 'ValidationFailed');
      assert.deepEqual(list.Details.map((d: any) => d.Target), ['body[0]']);
    });
  });
});
