/**
 * Collections per carrier (Switchyard) over real HTTP: the allocation's collection day is kept by
 * every path that writes an allocation (one consignment, a group commit of a batch, a
 * deallocation, a cancellation), and the collectionDateFrom/To criteria find by it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';
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
});
