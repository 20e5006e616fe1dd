/**
 * Collections per carrier (Switchyard) over real HTTP: the allocation's collection day is kept by
 * every path that writes an allocation (one consignment, a group commit of a batch, a
 * deallocation, a cancellation), the collectionDateFrom/To criteria find by it, and
 * GET /consignments/summary/carriers counts the matching allocated consignments per carrier and
 * state (only the caller's), in JSON and XML, including a service the catalogue no longer has.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_KEY, api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { assertError } from '../support/assertions.js';
import { allocate, createConsignment, createSubscription, getConsignment } from '../support/consignments.js';
import { SettableClock } from '../support/force-state.js';

const TODAY = '2026-11-18';

describe(`Collections per carrier (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  // A Wednesday morning in London: next-day services collect today.
  const clock = new SettableClock(`${TODAY}T09:00:00Z`);
  let key: string;
  const origin = { country: 'GB', postcode: 'M1 1AA', town: 'Manchester' };

  const create = (spec: { shippingDate?: string } = {}) => createConsignment(server, { origin, ...spec }, key);

  /** The collection_day column as stored. */
  async function collectionDay(reference: string): Promise<string | null> {
    const row = await server.app.ctx.database.db.selectFrom('consignments').select('collection_day').where('reference', '=', reference).executeTakeFirstOrThrow();
    return row.collection_day;
  }

  async function collectedOn(day: string, query = ''): Promise<string[]> {
    const res = await api(server, 'GET', `/consignments/getConsignmentReferences?collectionDateFrom=${day}&collectionDateTo=${day}${query}`, { key });
    assert.equal(res.status, 200, res.text);
    return [...res.body].sort();
  }

  async function carriers(query: string, apiKey: string): Promise<any> {
    const res = await api(server, 'GET', `/consignments/summary/carriers${query ? `?${query}` : ''}`, { key: apiKey });
    assert.equal(res.status, 200, res.text);
    return res.body;
  }

  before(async () => {
    server = await startServer({ clock });
    key = (await createSubscription(server, 'Dashboard')).ApiKey;
  });
  after(() => server.close());

  describe('the collection day', () => {
    it('is the allocation’s CollectionDate as a day, after a single allocation, a group commit and a deallocation', async () => {
      const single = await create();
      assert.equal((await allocate(server, 'NP-PARCEL-48', [single], key)).body[0].StatusCode, 200);
      // A batch of several is written in one group commit (decisions.md §4.8), another statement than a single allocation's on PostgreSQL.
      const batch = [await create(), await create(), await create({ shippingDate: '2026-11-20T00:30:00+01:00' })];
      const allocated = await allocate(server, 'Example-Carrier-Service', batch, key);
      assert.deepEqual(allocated.body.map((r: any) => r.StatusCode), [200, 200, 200], allocated.text);
      for (const reference of [single, ...batch]) {
        const { CollectionDate } = await getConsignment(server, reference, key);
        assert.match(CollectionDate, /^\d{4}-\d{2}-\d{2}T/);
        assert.equal(await collectionDay(reference), CollectionDate.slice(0, 10), reference);
      }
      assert.equal(await collectionDay(batch[0]), TODAY);
      assert.equal(await collectionDay(batch[2]), '2026-11-20');
      assert.deepEqual(await collectedOn('2026-11-20'), [batch[2]]);
      assert.ok((await collectedOn(TODAY)).includes(batch[1]));

      assert.equal((await api(server, 'PUT', `/consignments/${batch[1]}/deallocate`, { key })).status, 200);
      assert.equal(await collectionDay(batch[1]), null, 'a deallocation clears it');
      assert.ok(!(await collectedOn(TODAY)).includes(batch[1]));
      assert.equal((await api(server, 'PUT', `/consignments/${batch[0]}/cancel`, { key })).status, 200);
      assert.equal(await collectionDay(batch[0]), null, 'a cancellation clears it');
      // Allocated again, elsewhere: the new allocation's day.
      const again = await allocate(server, 'CX-ECONOMY-48', [batch[1]], key);
      assert.equal(again.body[0].StatusCode, 200, again.text);
      assert.equal(await collectionDay(batch[1]), (await getConsignment(server, batch[1], key)).CollectionDate.slice(0, 10));
    });

    it('is what collectionDateFrom and collectionDateTo find by (inclusive days; a date-time’s own day)', async () => {
      const shop = await createSubscription(server, 'Finder');
      const mine = async (query: string) => (await api(server, 'GET', `/consignments/getConsignmentReferences?${query}`, { key: shop.ApiKey })).body.sort();
      const refs = [];
      for (const shippingDate of [undefined, '2026-11-19T12:00:00+00:00', '2026-11-20T12:00:00+00:00', undefined]) {
        refs.push(await createConsignment(server, { origin, shippingDate }, shop.ApiKey));
      }
      const allocated = await allocate(server, 'Example-Carrier-Service', refs.slice(0, 3), shop.ApiKey);
      assert.deepEqual(allocated.body.map((r: any) => r.StatusCode), [200, 200, 200], allocated.text);
      const days = await Promise.all(refs.slice(0, 3).map(async (r) => (await getConsignment(server, r, shop.ApiKey)).CollectionDate.slice(0, 10)));
      assert.deepEqual(days, [TODAY, '2026-11-19', '2026-11-20']);
      assert.deepEqual(await mine(`collectionDateFrom=${TODAY}&collectionDateTo=${TODAY}`), [refs[0]]);
      assert.deepEqual(await mine('collectionDateFrom=2026-11-19'), [refs[1], refs[2]].sort());
      assert.deepEqual(await mine('collectionDateTo=2026-11-19'), [refs[0], refs[1]].sort());
      assert.deepEqual(await mine('collectionDateFrom=2026-11-19T23:59:00-05:00&collectionDateTo=2026-11-19'), [refs[1]], 'a date-time’s own day');
      assert.deepEqual(await mine('collectionDateFrom=2026-11-21'), []);
      assert.deepEqual(await mine('CollectionDateFrom=2000-01-01&state=Unallocated'), [], 'never allocated: no collection day');
      const bad = assertError(await api(server, 'GET', '/consignments/10/0?collectionDateFrom=today&collectionDateTo=2026-13-40', { key }), 400, 'ValidationFailed');
      assert.deepEqual(bad.Details.map((d: any) => d.Target), ['collectionDateFrom', 'collectionDateTo']);
    });
  });

  describe('GET /consignments/summary/carriers', () => {
    let shop: string;
    const refs: Record<string, string> = {};

    before(async () => {
      shop = (await createSubscription(server, 'Counted')).ApiKey;
      const make = async (name: string, shippingDate?: string) => (refs[name] = await createConsignment(server, { origin, shippingDate }, shop));
      for (const name of ['x1', 'x2', 'x3', 'x4']) await make(name);
      await make('xLater', '2026-11-20T12:00:00+00:00');
      for (const name of ['np1', 'np2']) await make(name);
      await make('unallocated');
      const x = await allocate(server, 'Example-Carrier-Service', [refs.x1, refs.x2, refs.x3, refs.x4, refs.xLater], shop);
      assert.ok(x.body.every((r: any) => r.StatusCode === 200), x.text);
      const np = await allocate(server, 'NP-PARCEL-48', [refs.np1, refs.np2], shop);
      assert.ok(np.body.every((r: any) => r.StatusCode === 200), np.text);
      // CX-ECONOMY-48 is a Carrier X service too: counted with Example-Carrier-Service under one carrier.
      await make('economy');
      assert.equal((await allocate(server, 'CX-ECONOMY-48', [refs.economy], shop)).body[0].StatusCode, 200);
      await createConsignment(server, { origin, destination: { country: 'US', postcode: '10001' } }, shop).then(async (r) => {
        refs.failed = r;
        assert.equal((await allocate(server, 'Example-Carrier-Service', [r], shop)).body[0].StatusCode, 422);
      });
      assert.equal((await api(server, 'PUT', '/consignments/setreadytoship', { key: shop, body: [refs.x2, refs.np2] })).body.every((r: any) => r.IsSuccess), true);
      const manifested = await api(server, 'PUT', '/consignments/manifest', { key: shop, body: { ConsignmentReferences: [refs.x3] } });
      assert.equal(manifested.body[0].IsSuccess, true, manifested.text);
      assert.equal((await api(server, 'PUT', `/consignments/${refs.x4}/cancel`, { key: shop })).status, 200);
    });

    it('counts the allocated matches per carrier (by name) and state, states in the SDK’s order', async () => {
      const np = await getConsignment(server, refs.np1, shop);
      const economy = await getConsignment(server, refs.economy, shop);
      // Which of today's allocations collect today depends on each service's calendar: read, not assumed.
      const today = (c: any) => c.CollectionDate.slice(0, 10) === TODAY;
      assert.ok(today(await getConsignment(server, refs.x1, shop)));
      const body = await carriers(`collectionDateFrom=${TODAY}&collectionDateTo=${TODAY}`, shop);
      const carrierX = { Allocated: 1 + (today(economy) ? 1 : 0), Manifested: 1, ReadyToShip: 1 };
      const northern = today(np) ? { Allocated: 1, ReadyToShip: 1 } : null;
      const entry = (reference: string, name: string, states: Record<string, number>) => ({
        CarrierReference: reference,
        CarrierName: name,
        NumberOfConsignments: Object.values(states).reduce((a, b) => a + b, 0),
        Summary: Object.entries(states).map(([Key, Value]) => ({ Key, Value })),
      });
      const expected = [entry('CARRIER_X', 'Carrier X', carrierX), ...(northern ? [entry('NORTHERN_PARCELS', 'Northern Parcels', northern)] : [])];
      assert.deepEqual(body, { Carriers: expected, NumberOfConsignments: expected.reduce((n, c) => n + c.NumberOfConsignments, 0) });
    });

    it('counts every allocated match without criteria, and narrows by any criterion', async () => {
      const body = await carriers('', shop);
      assert.deepEqual(body.Carriers.map((c: any) => [c.CarrierReference, c.CarrierName]), [['CARRIER_X', 'Carrier X'], ['NORTHERN_PARCELS', 'Northern Parcels']]);
      const [x, np] = body.Carriers;
      assert.deepEqual(x.Summary, [{ Key: 'Allocated', Value: 3 }, { Key: 'Manifested', Value: 1 }, { Key: 'ReadyToShip', Value: 1 }], 'x1, xLater and the economy one; x3; x2');
      assert.equal(x.NumberOfConsignments, 5);
      assert.deepEqual(np.Summary, [{ Key: 'Allocated', Value: 1 }, { Key: 'ReadyToShip', Value: 1 }]);
      assert.equal(body.NumberOfConsignments, 7, 'the cancelled, unallocated and failed ones have no allocation');
      const ready = await carriers('state=ReadyToShip', shop);
      assert.deepEqual(ready.Carriers.map((c: any) => [c.CarrierReference, c.NumberOfConsignments]), [['CARRIER_X', 1], ['NORTHERN_PARCELS', 1]]);
      const later = await carriers('collectionDateFrom=2026-11-20&collectionDateTo=2026-11-20', shop);
      assert.deepEqual(later.Carriers.map((c: any) => [c.CarrierReference, c.NumberOfConsignments, c.Summary]), [['CARRIER_X', 1, [{ Key: 'Allocated', Value: 1 }]]]);
      assert.deepEqual(await carriers('collectionDateFrom=2030-01-01', shop), { Carriers: [], NumberOfConsignments: 0 });
      assert.deepEqual(await carriers('state=Unallocated', shop), { Carriers: [], NumberOfConsignments: 0 });
    });

    it("counts only the caller's consignments", async () => {
      // The demo subscription allocates one of its own: the shop's summary does not change, the demo's counts it.
      const shopBefore = await carriers('', shop);
      const demoBefore = await carriers('', DEMO_KEY);
      assert.equal(demoBefore.Carriers.find((c: any) => c.CarrierReference === 'NORTHERN_PARCELS'), undefined);
      const demo = await createConsignment(server, {});
      assert.equal((await allocate(server, 'NP-PARCEL-48', [demo])).body[0].StatusCode, 200);
      assert.deepEqual(await carriers('', shop), shopBefore);
      const demoAfter = await carriers('', DEMO_KEY);
      assert.equal(demoAfter.NumberOfConsignments, demoBefore.NumberOfConsignments + 1);
      assert.deepEqual(demoAfter.Carriers.filter((c: any) => c.CarrierReference !== 'NORTHERN_PARCELS'), demoBefore.Carriers);
      assert.deepEqual(demoAfter.Carriers.find((c: any) => c.CarrierReference === 'NORTHERN_PARCELS'), { CarrierReference: 'NORTHERN_PARCELS', CarrierName: 'Northern Parcels', NumberOfConsignments: 1, Summary: [{ Key: 'Allocated', Value: 1 }] });
    });

    it('counts a service the catalogue no longer has under the carrier its stored allocations name', async () => {
      const gone = await createSubscription(server, 'Old services');
      const refsGone: string[] = [];
      for (let i = 0; i < 4; i++) refsGone.push(await createConsignment(server, { origin }, gone.ApiKey));
      assert.ok((await allocate(server, 'Example-Carrier-Service', refsGone, gone.ApiKey)).body.every((r: any) => r.StatusCode === 200));
      // As if allocated, long ago, to a service of a carrier the catalogue has since dropped.
      const db = server.app.ctx.database.db;
      for (const reference of refsGone.slice(0, 2)) {
        const row = await db.selectFrom('consignments').select('allocation').where('reference', '=', reference).executeTakeFirstOrThrow();
        const allocation = { ...JSON.parse(row.allocation!), mpdCarrierServiceReference: 'OLD-NEXT-DAY', carrierReference: 'OLD_CARRIER', carrierName: 'Albion Couriers' };
        await db.updateTable('consignments').set({ allocation: JSON.stringify(allocation), service_key: 'old-next-day' }).where('reference', '=', reference).execute();
      }
      // One whose stored allocation does not say whose it was: counted, under no carrier, last.
      const row = await db.selectFrom('consignments').select('allocation').where('reference', '=', refsGone[3]).executeTakeFirstOrThrow();
      const { carrierReference, carrierName, ...anonymous } = { ...JSON.parse(row.allocation!), mpdCarrierServiceReference: 'NAMELESS' };
      assert.ok(carrierReference && carrierName);
      await db.updateTable('consignments').set({ allocation: JSON.stringify(anonymous), service_key: 'nameless' }).where('reference', '=', refsGone[3]).execute();
      const body = await carriers('', gone.ApiKey);
      assert.deepEqual(body, {
        Carriers: [
          { CarrierReference: 'OLD_CARRIER', CarrierName: 'Albion Couriers', NumberOfConsignments: 2, Summary: [{ Key: 'Allocated', Value: 2 }] },
          { CarrierReference: 'CARRIER_X', CarrierName: 'Carrier X', NumberOfConsignments: 1, Summary: [{ Key: 'Allocated', Value: 1 }] },
          { CarrierReference: null, CarrierName: null, NumberOfConsignments: 1, Summary: [{ Key: 'Allocated', Value: 1 }] },
        ],
        NumberOfConsignments: 4,
      });
    });

    it('answers in XML', async () => {
      const res = await api(server, 'GET', `/consignments/summary/carriers?collectionDateFrom=${TODAY}&collectionDateTo=${TODAY}&state=Manifested`, { key: shop, headers: { accept: 'application/xml' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(
        res.text,
        '<?xml version="1.0" encoding="utf-8"?>\n<ConsignmentCarrierSummaryResponse xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Consignments" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">' +
          '<Carriers><ConsignmentCarrierSummary><CarrierReference>CARRIER_X</CarrierReference><CarrierName>Carrier X</CarrierName><NumberOfConsignments>1</NumberOfConsignments>' +
          '<Summary><KeyValuePairOfstringint><Key>Manifested</Key><Value>1</Value></KeyValuePairOfstringint></Summary></ConsignmentCarrierSummary></Carriers>' +
          '<NumberOfConsignments>1</NumberOfConsignments></ConsignmentCarrierSummaryResponse>',
      );
      const empty = await api(server, 'GET', '/consignments/summary/carriers?state=Delivered', { key: shop, headers: { accept: 'application/xml' } });
      assert.match(empty.text, /<Carriers><\/Carriers><NumberOfConsignments>0<\/NumberOfConsignments>/);
    });

    it('answers 400 for bad criteria, 401 without a key', async () => {
      const bad = assertError(await api(server, 'GET', '/consignments/summary/carriers?collectionDateFrom=today&state=Sunk', { key: shop }), 400, 'ValidationFailed');
      assert.deepEqual(bad.Details.map((d: any) => d.Target), ['collectionDateFrom', 'state']);
      assertError(await api(server, 'GET', '/consignments/summary/carriers', { key: null }), 401, 'Unauthorized');
    });

    it('is a path of its own: not a consignment reference nor a page of a search, and /consignments/summary still answers', async () => {
      for (const path of ['/consignments/summary/carriers', '/consignments/Summary/Carriers/', '/CONSIGNMENTS/SUMMARY/CARRIERS']) {
        const res = await api(server, 'GET', path, { key: shop });
        assert.equal(res.status, 200, `${path}: ${res.text}`);
        assert.deepEqual(Object.keys(res.body), ['Carriers', 'NumberOfConsignments'], path);
      }
      const states = await api(server, 'GET', '/consignments/summary', { key: shop });
      assert.equal(states.status, 200);
      assert.deepEqual(Object.keys(states.body), ['NumberOfConsignments', 'Summary', 'StartFrom', 'EndTo', 'EndAt']);
      assert.equal(states.body.NumberOfConsignments, 10);
    });

    it('is described in /openapi.json with an operationId, a tag and its answer’s schema', async () => {
      const doc = (await api(server, 'GET', '/openapi.json', { key: null })).body;
      const operation = doc.paths['/consignments/summary/carriers'].get;
      assert.equal(operation.operationId, 'getConsignmentsSummaryCarriers');
      assert.deepEqual(operation.tags, ['consignments']);
      assert.match(operation.summary, /\(Switchyard\)$/);
      // Named once under components.schemas, as every answer src/contract/responses.ts exports.
      assert.deepEqual(operation.responses['200'].content['application/json'].schema, { $ref: '#/components/schemas/CarrierSummary' });
      const schema = doc.components.schemas.CarrierSummary;
      assert.deepEqual(Object.keys(schema.properties), ['Carriers', 'NumberOfConsignments']);
      assert.deepEqual(Object.keys(schema.properties.Carriers.items.properties), ['CarrierReference', 'CarrierName', 'NumberOfConsignments', 'Summary']);
      assert.ok(doc.paths['/consignments/summary'].get);
    });
  });
});
