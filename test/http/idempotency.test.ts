import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CarrierConnector } from '../../src/carriers/connector.js';
import { allocate, consignmentCount, consignmentRequest, createConsignment, createSubscription } from '../support/consignments.js';
import { crashDatabase, killAllServers, spawnServer, type CrashDatabase, type ServerProcess } from '../support/crash-server.js';
import { ADMIN_TOKEN, api, type ApiResponse, databaseUnderTest, DEFAULT_NOW, movableClock, skipReason, startServer, type TestServer } from '../support/test-server.js';

const withKey = (key: string, extra: Record<string, string> = {}) => ({ 'idempotency-key': key, ...extra });

/** The answer as a client sees it: status, the headers that make it, and the bytes. */
const asSent = (res: ApiResponse) => ({ status: res.status, type: res.headers.get('content-type'), location: res.headers.get('location'), text: res.text });

describe(`Idempotency-Key on POST requests (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  const clock = movableClock(DEFAULT_NOW);
  before(async () => {
    server = await startServer({ clock });
  });
  after(() => server?.close());

  it('gives a repeat of a create the first answer byte for byte, saying it is replayed, and creates nothing more', async () => {
    const body = consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: 'IDEM-1' } });
    const before = await consignmentCount(server);
    const first = await api(server, 'POST', '/consignments', { body, headers: withKey('create-1') });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const again = await api(server, 'POST', '/consignments', { body, headers: withKey('create-1') });
    assert.deepEqual(asSent(again), asSent(first));
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.notEqual(again.headers.get('x-correlation-id'), first.headers.get('x-correlation-id'), 'the repeat is a request of its own');
    assert.equal(await consignmentCount(server), before + 1);
    // Without a key, the same body is another consignment, as ever.
    assert.equal((await api(server, 'POST', '/consignments', { body })).status, 201);
    assert.equal(await consignmentCount(server), before + 2);
  });

  it('replays an XML answer to an XML request as XML, and a bulk create once', async () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?><CreateConsignmentRequest><Packages><Package><Weight><Value>1</Value><Unit>Kg</Unit></Weight><Dimensions><Unit>Cm</Unit><Length>20</Length><Width>10</Width><Height>5</Height></Dimensions></Package></Packages><Addresses><Address><AddressType>Origin</AddressType><ShippingLocationReference>WH-MAN-01</ShippingLocationReference></Address><Address><AddressType>Destination</AddressType><AddressLine1>1 High Street</AddressLine1><Town>Leeds</Town><Postcode>LS1 1AA</Postcode><Country><IsoCode><TwoLetterCode>GB</TwoLetterCode></IsoCode></Country></Address></Addresses></CreateConsignmentRequest>`;
    const headers = withKey('xml-1', { accept: 'application/xml' });
    const first = await api(server, 'POST', '/consignments', { body: xml, headers });
    assert.equal(first.status, 201, first.text);
    assert.match(first.headers.get('content-type') ?? '', /xml/);
    const again = await api(server, 'POST', '/consignments', { body: xml, headers });
    assert.deepEqual(asSent(again), asSent(first));

    const before = await consignmentCount(server);
    const bulk = Array.from({ length: 30 }, (_, i) => consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: `IDEM-BULK-${i}` } }));
    const one = await api(server, 'POST', '/consignments/bulk', { body: bulk, headers: withKey('bulk-1') });
    assert.equal(one.status, 200, one.text);
    const two = await api(server, 'POST', '/consignments/bulk', { body: bulk, headers: withKey('bulk-1') });
    assert.equal(two.text, one.text);
    assert.equal(await consignmentCount(server), before + 30);
  });

  it('refuses the key given to another request (another body, route or answer format) with 422 IdempotencyKeyReused, doing nothing', async () => {
    const body = consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: 'IDEM-2' } });
    assert.equal((await api(server, 'POST', '/consignments', { body, headers: withKey('reused-1') })).status, 201);
    const before = await consignmentCount(server);
    const others = [
      api(server, 'POST', '/consignments', { body: consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: 'IDEM-2b' } }), headers: withKey('reused-1') }),
      api(server, 'POST', '/quotes', { body, headers: withKey('reused-1') }),
      api(server, 'POST', '/consignments', { body, headers: withKey('reused-1', { accept: 'application/xml' }) }),
    ];
    for (const res of await Promise.all(others)) {
      assert.equal(res.status, 422, res.text);
      if (res.body) assert.equal(res.body.Code, 'IdempotencyKeyReused');
      else assert.match(res.text, /<Code>IdempotencyKeyReused<\/Code>/);
    }
    assert.equal(await consignmentCount(server), before);
  });

  it('keeps no answer that says the request was not carried out (400, 5xx …): the key is free for the corrected request', async () => {
    const invalid = { ...consignmentRequest(), Packages: [] };
    const refused = await api(server, 'POST', '/consignments', { body: invalid, headers: withKey('fix-1') });
    assert.equal(refused.status, 400, refused.text);
    const fixed = await api(server, 'POST', '/consignments', { body: consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: 'IDEM-3' } }), headers: withKey('fix-1') });
    assert.equal(fixed.status, 201, fixed.text);
    assert.equal(fixed.headers.get('idempotent-replayed'), null);
  });

  it('keeps a refusal of what was asked (404 of an unknown consignment), as it was answered', async () => {
    const path = '/consignments/EC-999-999-999/addpackage';
    const body = { Weight: { Value: 1, Unit: 'Kg' } };
    const first = await api(server, 'POST', path, { body, headers: withKey('404-1') });
    assert.equal(first.status, 404, first.text);
    const again = await api(server, 'POST', path, { body, headers: withKey('404-1') });
    assert.deepEqual(asSent(again), asSent(first));
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
  });

  it('refuses a key that is empty, longer than 255 characters or not visible ASCII, naming the header', async () => {
    for (const key of ['', 'k'.repeat(256), 'two words']) {
      const res = await api(server, 'POST', '/consignments', { body: consignmentRequest(), headers: withKey(key) });
      assert.equal(res.status, 400, `${JSON.stringify(key)}: ${res.text}`);
      assert.equal(res.body.Details[0].Target, 'Idempotency-Key');
    }
    assert.equal((await api(server, 'POST', '/consignments', { body: consignmentRequest(), headers: withKey('k'.repeat(255)) })).status, 201);
  });

  it('keeps keys per subscription: another subscription’s same key is its own request', async () => {
    const other = await createSubscription(server, 'Idempotency other');
    // An origin address of its own: the other subscription has no warehouse.
    const body = consignmentRequest({ origin: { town: 'Manchester', postcode: 'M1 1AA' }, extra: { ConsignmentReferenceProvidedByCustomer: 'IDEM-4' } });
    const mine = await api(server, 'POST', '/consignments', { body, headers: withKey('shared-1') });
    const theirs = await api(server, 'POST', '/consignments', { body, key: other.ApiKey, headers: withKey('shared-1') });
    assert.deepEqual([mine.status, theirs.status], [201, 201]);
    assert.equal(theirs.headers.get('idempotent-replayed'), null);
    assert.notEqual(theirs.body[0].Href, mine.body[0].Href);
    // The admin API keeps no answer (they carry API keys, kept only as hashes): the header is not read there.
    const admin = { key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'idempotency-key': 'shared-1' }, body: { Name: 'Idempotent Ltd' } };
    const created = await api(server, 'POST', '/admin/subscriptions', admin);
    const again = await api(server, 'POST', '/admin/subscriptions', admin);
    assert.deepEqual([created.status, again.status, again.headers.get('idempotent-replayed')], [201, 201, null]);
    assert.notEqual(again.body.ApiKey, created.body.ApiKey);
    const kept = await server.app.ctx.database.db.selectFrom('idempotency_keys').select('body').execute();
    assert.ok(kept.every((k) => !Buffer.from(k.body ?? '', 'base64').toString().includes(created.body.ApiKey)), 'no API key kept');
  });

  it('forgets a key after 24 hours: the key then runs whatever request it comes with', async () => {
    assert.equal((await api(server, 'POST', '/consignments', { body: consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: 'IDEM-5' } }), headers: withKey('day-1') })).status, 201);
    clock.advance(23 * 3_600_000);
    const within = await api(server, 'POST', '/consignments', { body: consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: 'IDEM-5b' } }), headers: withKey('day-1') });
    assert.equal(within.status, 422);
    clock.advance(3_600_000);
    const later = await api(server, 'POST', '/consignments', { body: consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: 'IDEM-5b' } }), headers: withKey('day-1') });
    assert.equal(later.status, 201, later.text);
    assert.equal(later.headers.get('idempotent-replayed'), null);
    // And the housekeeping job forgets it.
    clock.advance(24 * 3_600_000);
    const { purgeExpiredKeys } = await import('../../src/use-cases/idempotency.js');
    assert.ok((await purgeExpiredKeys(server.app.ctx)) >= 1);
  });

  it('answers a repeat 409 IdempotencyKeyInUse while the first request still runs, then the first answer once it is given', async () => {
    const reference = await createConsignment(server, { extra: { ConsignmentReferenceProvidedByCustomer: 'IDEM-6' } });
    assert.equal((await allocate(server, 'Example-Carrier-Service', [reference])).status, 200);
    // The carrier holds the manifest until the test lets it go.
    const ctx = server.app.ctx;
    let arrived!: () => void;
    const atCarrier = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const real = ctx.carriers.connectorFor(ctx.catalogue.carrier('CARRIER_X')!);
    const held: CarrierConnector = Object.assign(Object.create(real) as CarrierConnector, {
      manifest: async (...args: Parameters<NonNullable<CarrierConnector['manifest']>>) => {
        arrived();
        await gate;
        return real.manifest!(...args);
      },
    });
    ctx.carriers.replace('CARRIER_X', held);
    try {
      const body = { States: ['Allocated'], ShippingLocationReference: 'WH-MAN-01' };
      const first = api(server, 'POST', '/consignments/manifestFromQuery', { body, headers: withKey('running-1') });
      await atCarrier;
      const meanwhile = await api(server, 'POST', '/consignments/manifestFromQuery', { body, headers: withKey('running-1') });
      assert.equal(meanwhile.status, 409, meanwhile.text);
      assert.equal(meanwhile.body.Code, 'IdempotencyKeyInUse');
      release();
      const answered = await first;
      assert.equal(answered.status, 200, answered.text);
      const again = await api(server, 'POST', '/consignments/manifestFromQuery', { body, headers: withKey('running-1') });
      assert.deepEqual(asSent(again), asSent(answered));
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.equal((await api(server, 'GET', `/consignments/${reference}`)).body.ConsignmentState, 'Manifested');
    } finally {
      release();
      ctx.carriers.replace('CARRIER_X', real);
    }
  });

  it('runs concurrent repeats once: one answer made, the others replayed or told it is running', async () => {
    const body = Array.from({ length: 200 }, (_, i) => consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: `IDEM-RACE-${i}` } }));
    const before = await consignmentCount(server);
    const answers = await Promise.all(Array.from({ length: 6 }, () => api(server, 'POST', '/consignments/bulk', { body, headers: withKey('race-1') })));
    const made = answers.filter((a) => a.status === 200 && a.headers.get('idempotent-replayed') === null);
    assert.equal(made.length, 1, answers.map((a) => a.status).join(','));
    for (const a of answers) {
      if (a === made[0]) continue;
      if (a.status === 409) assert.equal(a.body.Code, 'IdempotencyKeyInUse');
      else assert.deepEqual([a.status, a.headers.get('idempotent-replayed'), a.text], [200, 'true', made[0].text]);
    }
    assert.equal(await consignmentCount(server), before + 200);
  });

  it('documents the header on every POST behind an API key, with its 409 and 422, and the Idempotent-Replayed header', async () => {
    const document = (await api(server, 'GET', '/openapi.json', { key: null })).body;
    let posts = 0;
    for (const methods of Object.values<any>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(methods)) {
        const takesKey = operation.parameters.some((p: any) => p.in === 'header' && p.name === 'Idempotency-Key');
        const post = method === 'post' && operation.security.some((s: object) => 'apiKeyHeader' in s);
        assert.equal(takesKey, post, operation.operationId);
        if (!post) continue;
        posts++;
        assert.ok(operation.responses['409'] && operation.responses['422'], operation.operationId);
        assert.ok(operation.responses[Object.keys(operation.responses)[0]].headers['Idempotent-Replayed'], operation.operationId);
      }
    }
    assert.ok(posts >= 15, `${posts} POST operations`);
  });
});

const postgresUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;
const onePostgres = postgresUrl ? false : 'two server processes share one database on PostgreSQL only (set DATABASE_URL=postgres://…); skipping';
if (onePostgres) console.log(`# ${onePostgres}`);

describe('Idempotency-Key across two server processes on one PostgreSQL', { skip: onePostgres }, () => {
  const KEY = 'idempotency-two-key';
  let database: CrashDatabase | undefined;
  const servers: ServerProcess[] = [];
  before(async () => {
    database = await crashDatabase(postgresUrl);
    const env = { SWITCHYARD_BACKGROUND_JOBS: 'false', SWITCHYARD_RENDER_THREADS: '0', SWITCHYARD_DEMO_STORIES: 'false' };
    // One after the other: the first migrates and seeds, the second finds it done.
    servers.push(await spawnServer({ databaseUrl: database.url, apiKey: KEY, env }));
    servers.push(await spawnServer({ databaseUrl: database.url, apiKey: KEY, env }));
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.kill('SIGKILL')));
    await killAllServers();
    await database?.remove();
  });

  it('runs a create repeated through both processes at once once: one answer made, the others replayed or told it is running', async () => {
    const [a, b] = servers.map((s) => ({ url: s.url }) as TestServer);
    const body = Array.from({ length: 100 }, (_, i) => consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: `TWO-${i}` } }));
    const send = (server: TestServer) => api(server, 'POST', '/consignments/bulk', { key: KEY, body, headers: withKey('two-processes-1') });
    const answers = await Promise.all([a, b, a, b, a, b].map(send));
    const made = answers.filter((r) => r.status === 200 && r.headers.get('idempotent-replayed') === null);
    assert.equal(made.length, 1, answers.map((r) => r.status).join(','));
    for (const r of answers) if (r !== made[0] && r.status !== 409) assert.equal(r.text, made[0].text);
    const count = await api(b, 'GET', '/consignments/count', { key: KEY });
    assert.equal(count.body, 3 + 100, 'the seed’s three and one bulk');
  });
});
