/**
 * Input hardening (issue 9, item 5), over real HTTP on the database under test: every text a
 * client sends is bounded and free of NUL (which PostgreSQL refuses in text) whatever the route,
 * MetaData lists are bounded, bodies that are not UTF-8 are refused rather than repaired, a NUL in
 * a URL is a 400 rather than a 500, and a request that does not arrive in time is answered 408.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, api, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { assertError, assertHealthy } from '../support/assertions.js';
import { consignmentRequest, consignmentCount } from '../support/consignments.js';
import { MAX_METADATA, MAX_TEXT } from '../../src/domain/limits.js';

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const MIB = 'x'.repeat(1024 * 1024);
const NUL = 'a\u0000b';
/** MAX_TEXT different CJK characters, which compress no better than random text. */
const CJK = Array.from({ length: MAX_TEXT }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20_000))).join('');

function metaData(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) => ({ KeyValue: `k${i}`, StringValue: `v${i}` }));
}

/** A valid shipping location body with overrides. */
function locationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Reference: 'HARD-01',
    Name: 'Hardened DC',
    Notes: 'Gate 2',
    AddressLine1: '1 Road',
    Town: 'Leeds',
    Postcode: 'LS12 2DT',
    Country: { IsoCode: { TwoLetterCode: 'GB' } },
    ...overrides,
  };
}

/** Sends raw bytes over a socket and resolves with everything the server answers until it closes the connection. */
function rawExchange(server: TestServer, chunks: (string | Buffer)[], holdOpenMs: number): Promise<string> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    let answer = '';
    const guard = setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, holdOpenMs);
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    socket.on('data', (d) => (answer += d.toString('utf8')));
    socket.on('error', (e) => {
      clearTimeout(guard);
      if (answer) resolve(answer);
      else reject(e);
    });
    socket.on('close', () => {
      clearTimeout(guard);
      resolve(answer);
    });
  });
}

describe('input hardening', { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server?.close());

  describe('a NUL character is a 400 naming the field, never a 500, and nothing is stored', () => {
    const cases: [string, string, string, unknown, string, Record<string, string>?][] = [
      ['a package size description', 'POST', '/packageSizes', { Reference: 'nul-box', Description: NUL, Length: 10, Width: 10, Height: 10, Weight: 1 }, 'Description'],
      ['a shipping location name', 'POST', '/shippingLocations', locationBody({ Name: NUL }), 'Name'],
      ['a shipping location note', 'POST', '/shippingLocations', locationBody({ Notes: NUL }), 'Notes'],
      ['a subscription name', 'POST', '/admin/subscriptions', { Name: NUL }, 'Name', ADMIN],
      ['a consignment address line', 'POST', '/consignments', consignmentRequest({ destination: { line1: NUL } }), 'Addresses[1].AddressLine1'],
      ['a metadata key', 'POST', '/consignments', consignmentRequest({ extra: { MetaData: [{ KeyValue: NUL, StringValue: 'v' }] } }), 'MetaData[0].KeyValue'],
      ['a consignment tag', 'POST', '/consignments', consignmentRequest({ tags: [NUL] }), 'Tags[0]'],
      ['a reference in a list', 'PUT', '/consignments/cancellist', [NUL], 'body[0]'],
    ];
    for (const [what, method, path, body, target, headers] of cases) {
      it(`in ${what}`, async () => {
        const consignments = await consignmentCount(server);
        const error = assertError(await api(server, method, path, { body, headers }), 400, 'ValidationFailed');
        const detail = error.Details.find((d: { Target: string }) => d.Target === target);
        assert.ok(detail, `a detail for ${target}: ${JSON.stringify(error.Details)}`);
        assert.match(detail.Message, /NUL/);
        assert.equal(await consignmentCount(server), consignments);
      });
    }

    for (const [how, nul] of [['raw', '\u0000'], ['as &#0;', '&#0;'], ['as &#x0;', '&#x0;']]) {
      it(`in XML, ${how} (which XML cannot carry at all: 400 MalformedBody)`, async () => {
        const res = await api(server, 'POST', '/packageSizes', {
          body: `<PackageSize><Reference>nul-xml</Reference><Description>a${nul}b</Description><Length>1</Length><Width>1</Width><Height>1</Height><Weight>1</Weight></PackageSize>`,
        });
        assertError(res, 400, 'MalformedBody');
        assert.equal((await api(server, 'GET', '/packageSizes/nul-xml')).status, 404);
      });
    }

    it('in an unpaired surrogate too (it is not Unicode text, and would be stored as U+FFFD)', async () => {
      const res = await api(server, 'POST', '/packageSizes', { body: '{"Reference":"sur-box","Description":"a\\ud800b","Length":1,"Width":1,"Height":1,"Weight":1}' });
      const error = assertError(res, 400, 'ValidationFailed');
      assert.deepEqual(error.Details.map((d: { Target: string }) => d.Target), ['Description']);
    });
  });

  describe('every text is bounded, whatever the route', () => {
    const quote = (contact: Record<string, unknown>) => {
      const body = consignmentRequest();
      const addresses = body.Addresses as Record<string, unknown>[];
      addresses[1] = { ...addresses[1], Contact: contact };
      return body;
    };
    const cases: [string, string, unknown, string][] = [
      ['a customer reference', '/consignments', consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: MIB } }), 'ConsignmentReferenceProvidedByCustomer'],
      ['a designated person responsible', '/consignments', consignmentRequest({ extra: { CustomsDocumentation: { DesignatedPersonResponsible: MIB } } }), 'CustomsDocumentation.DesignatedPersonResponsible'],
      ["a quote's contact name", '/quotes', quote({ FirstName: MIB }), 'Addresses[1].Contact.FirstName'],
      ['a metadata value', '/consignments', consignmentRequest({ extra: { MetaData: [{ KeyValue: 'k', StringValue: MIB }] } }), 'MetaData[0].StringValue'],
      ['a metadata key', '/consignments', consignmentRequest({ extra: { MetaData: [{ KeyValue: MIB }] } }), 'MetaData[0].KeyValue'],
    ];
    for (const [what, path, body, target] of cases) {
      it(`a 1 MiB ${what} is refused`, async () => {
        const consignments = await consignmentCount(server);
        const error = assertError(await api(server, 'POST', path, { body }), 400, 'ValidationFailed');
        const detail = error.Details.find((d: { Target: string }) => d.Target === target);
        assert.ok(detail, `a detail for ${target}: ${JSON.stringify(error.Details)}`);
        assert.equal(detail.Message, `${target} must be at most ${MAX_TEXT} characters`);
        assert.equal(await consignmentCount(server), consignments);
      });
    }

    // Three bytes a character, or four: more than a PostgreSQL B-tree entry holds (2,704 bytes), and the customer reference is indexed.
    for (const [alphabet, reference] of [['ASCII', 'r'.repeat(MAX_TEXT)], ['CJK', CJK], ['astral', '𝄞'.repeat(MAX_TEXT / 2)]]) {
      it(`a text of exactly ${MAX_TEXT} characters (${alphabet}) is kept, and found by a search`, async () => {
        const res = await api(server, 'POST', '/consignments', { body: consignmentRequest({ destination: { town: reference }, extra: { ConsignmentReferenceProvidedByCustomer: reference } }) });
        assert.equal(res.status, 201, res.text);
        const ref = res.body[0].Href.split('/').pop();
        const got = await api(server, 'GET', `/consignments/${ref}`);
        assert.equal(got.body.ConsignmentReferenceProvidedByCustomer, reference);
        const found = await api(server, 'GET', `/consignments/getConsignmentReferences?referenceProvidedByCustomer=${encodeURIComponent(reference.slice(0, 100))}`);
        assert.ok(found.status < 500, found.text);
      });
    }
  });

  describe(`MetaData holds at most ${MAX_METADATA} entries`, () => {
    it(`${MAX_METADATA} entries are kept`, async () => {
      const res = await api(server, 'POST', '/consignments', { body: consignmentRequest({ extra: { MetaData: metaData(MAX_METADATA) } }) });
      assert.equal(res.status, 201, res.text);
      const got = await api(server, 'GET', `/consignments/${res.body[0].Href.split('/').pop()}`);
      assert.equal(got.body.MetaData.length, MAX_METADATA);
    });

    for (const where of ['consignment', 'package', 'item'] as const) {
      it(`${MAX_METADATA + 1} on a ${where} are refused`, async () => {
        const list = metaData(MAX_METADATA + 1);
        const item = { Description: 'Mug', Quantity: 1, ...(where === 'item' ? { MetaData: list } : {}) };
        const body = consignmentRequest({ packages: [{ items: [item] }], extra: where === 'consignment' ? { MetaData: list } : {} });
        if (where === 'package') (body.Packages as Record<string, unknown>[])[0].MetaData = list;
        const target = { consignment: 'MetaData', package: 'Packages[0].MetaData', item: 'Packages[0].Items[0].MetaData' }[where];
        const error = assertError(await api(server, 'POST', '/consignments', { body }), 400, 'ValidationFailed');
        assert.deepEqual(error.Details.map((d: { Target: string; Message: string }) => [d.Target, d.Message]), [[target, `${target} must have at most ${MAX_METADATA} entries`]]);
      });
    }
  });

  describe('a body that is not UTF-8 is 400 MalformedBody, not repaired', () => {
    for (const [format, type, body] of [
      ['JSON', 'application/json', Buffer.concat([Buffer.from('{"Reference":"bad-utf8","Description":"caf'), Buffer.from([0xe9]), Buffer.from('","Length":1,"Width":1,"Height":1,"Weight":1}')])],
      ['XML', 'application/xml', Buffer.concat([Buffer.from('<PackageSize><Reference>bad-utf8</Reference><Description>caf'), Buffer.from([0xc3, 0x28]), Buffer.from('</Description><Length>1</Length><Width>1</Width><Height>1</Height><Weight>1</Weight></PackageSize>')])],
    ] as const) {
      it(`in ${format}`, async () => {
        const res = await fetch(`${server.url}/packageSizes`, { method: 'POST', headers: { 'content-type': type, 'ocp-apim-subscription-key': 'test-demo-key' }, body });
        const text = await res.text();
        const error = assertError({ status: res.status, headers: res.headers, text, body: JSON.parse(text) }, 400, 'MalformedBody');
        assert.match(error.Message, /UTF-8/);
        assert.equal((await api(server, 'GET', '/packageSizes/bad-utf8')).status, 404);
      });
    }

    it('a byte order mark is still accepted', async () => {
      const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ Reference: 'bom-box', Description: 'Café', Length: 1, Width: 1, Height: 1, Weight: 1 }))]);
      const res = await fetch(`${server.url}/packageSizes`, { method: 'POST', headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': 'test-demo-key' }, body });
      assert.equal(res.status, 201, await res.text());
      assert.equal((await api(server, 'GET', '/packageSizes/bom-box')).body.Description, 'Café');
    });
  });

  describe('a NUL in a URL is never a 500', () => {
    // A path segment with a NUL names nothing that exists: the route's own 404, as for any absent reference.
    const paths: [string, string, number, string, Record<string, string>?][] = [
      ['POST', '/admin/subscriptions/%00/rotatekey', 404, 'SubscriptionNotFound', ADMIN],
      ['PUT', '/admin/subscriptions/SUB%00/services/x', 404, 'SubscriptionNotFound', ADMIN],
      ['DELETE', '/admin/subscriptions/a%00/services/Example-Carrier-Service', 404, 'SubscriptionNotFound', ADMIN],
      ['GET', '/consignments/EC-000%00', 404, 'ConsignmentNotFound'],
      ['GET', '/shippingLocations/a%00b', 404, 'ShippingLocationNotFound'],
      ['GET', '/packageSizes/%00', 404, 'PackageSizeNotFound'],
      ['DELETE', '/allocationRules/%00', 404, 'RuleNotFound'],
    ];
    for (const [method, path, status, code, headers] of paths) {
      it(`${method} ${path} is ${status} ${code}`, async () => {
        assertError(await api(server, method, path, { headers }), status, code);
      });
    }

    // A query parameter with a NUL is a 400 naming the parameter, whatever the route.
    for (const path of ['/consignments/getConsignmentReferences?ConsignmentReferenceProvidedByCustomer=a%00', '/consignments/customer/manifests?shippingLocationReference=%00', '/packageSizes?x%00=1']) {
      it(`GET ${path} is 400 ValidationFailed`, async () => {
        const error = assertError(await api(server, 'GET', path), 400, 'ValidationFailed');
        assert.match(error.Details[0].Message, /NUL/);
      });
    }
  });

  it('the server still answers', async () => {
    await assertHealthy(server);
  });
});

describe('a request must arrive within SWITCHYARD_REQUEST_TIMEOUT_MS', { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { SWITCHYARD_REQUEST_TIMEOUT_MS: '500' } });
  });
  after(async () => server?.close());

  it('a client that sends part of its body and waits gets 408 RequestTimeout and the connection is closed', async () => {
    const head = 'POST /packageSizes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200\r\nOcp-Apim-Subscription-Key: test-demo-key\r\n\r\n';
    // Held open far longer than the timeout: the server must end the exchange itself.
    const answer = await rawExchange(server, [head, '{"Reference":"slow-'], 20_000);
    assert.match(answer, /^HTTP\/1\.1 408 /, answer || '(the server closed the connection without an answer)');
    const [headers, body] = answer.split('\r\n\r\n');
    assert.match(headers, /content-type: application\/json/i);
    const error = JSON.parse(body);
    assert.deepEqual(Object.keys(error), ['Code', 'Message', 'CorrelationId', 'Details']);
    assert.equal(error.Code, 'RequestTimeout');
    assert.equal((await api(server, 'GET', '/packageSizes/slow-')).status, 404);
  });

  it('headers over 16 KiB get 431 HeadersTooLarge in the API’s error body, and the connection is closed', async () => {
    const head = `GET /health HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'x'.repeat(20_000)}\r\n\r\n`;
    const answer = await rawExchange(server, [head], 20_000);
    assert.match(answer, /^HTTP\/1\.1 431 /, answer.slice(0, 200) || '(no answer)');
    const error = JSON.parse(answer.split('\r\n\r\n')[1]);
    assert.equal(error.Code, 'HeadersTooLarge');
    assert.deepEqual(error.Details, []);
  });

  it('a client that never finishes its headers is cut off too', async () => {
    const answer = await rawExchange(server, ['GET /health HTTP/1.1\r\nHost: localhost\r\n'], 20_000);
    assert.match(answer, /^HTTP\/1\.1 408 /, answer || '(no answer)');
  });

  it('a request that arrives in time is served as usual', async () => {
    await assertHealthy(server);
  });
});
