/**
 * `orderBy` on the searches (Switchyard) over real HTTP: every key in both directions orders the
 * matches as the values the answer shows them say (built from consignments whose keys differ,
 * tie and are missing), ties are broken by reference in the same direction, consignments without
 * the key come last both ways, paging in any order never repeats or skips a consignment, criteria
 * and the order combine, and a bad orderBy is a 400 naming it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CONSIGNMENT_STATES } from '../../src/domain/states.js';
import { ORDER_KEYS, type OrderKey } from '../../src/domain/consignment-search.js';
import { api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { assertError } from '../support/assertions.js';
import { allocate, consignmentRequest, createSubscription } from '../support/consignments.js';
import { SettableClock, forceState } from '../support/force-state.js';

interface Spec {
  at: string;
  crpc: string;
  shippingDate?: string;
  destination: { country: string; postcode?: string };
  service?: string;
  state?: string;
}

/**
 * Keys that differ, tie and are missing: created twice at one moment; two ShippingDates naming the
 * same instant in different offsets, two on one day, three without; customer references equal in
 * any case or with a trailing space, and empty ones; several Allocated; one country+postcode twice,
 * one destination without a postcode; services shared, and consignments without one.
 */
const SPECS: Spec[] = [
  { at: '2026-11-10T10:00:00Z', crpc: 'ORDER-B', shippingDate: '2026-11-20T09:00:00+00:00', destination: { country: 'GB', postcode: 'LS1 1AA' }, service: 'Example-Carrier-Service' },
  { at: '2026-11-11T10:00:00Z', crpc: 'order-b', destination: { country: 'GB', postcode: 'LS1 1AA' } },
  { at: '2026-11-11T10:00:00Z', crpc: '', shippingDate: '2026-11-20T10:00:00+01:00', destination: { country: 'FR', postcode: '75001' }, service: 'EL-EU-ROAD', state: 'ReadyToShip' },
  { at: '2026-11-12T10:00:00Z', crpc: 'A-100', shippingDate: '2026-11-21T00:00:00+00:00', destination: { country: 'DE', postcode: '10115' }, service: 'Example-Carrier-Service' },
  { at: '2026-11-13T10:00:00Z', crpc: 'zeta', shippingDate: '2026-11-19T23:30:00-02:00', destination: { country: 'GB', postcode: 'M1 1AA' }, service: 'CX-ECONOMY-48' },
  { at: '2026-11-14T10:00:00Z', crpc: 'ORDER-B ', destination: { country: 'IE' }, service: 'EL-EU-ROAD' },
  { at: '2026-11-15T10:00:00Z', crpc: 'mid', shippingDate: '2026-11-21T00:00:00+00:00', destination: { country: 'GB', postcode: 'LS10 1AA' }, service: 'NP-PARCEL-48', state: 'Manifested' },
  { at: '2026-11-15T10:00:00Z', crpc: '', shippingDate: '2026-11-22T00:00:00+00:00', destination: { country: 'FR', postcode: '75001' }, state: 'Cancelled' },
  { at: '2026-11-16T10:00:00Z', crpc: 'Mid', destination: { country: 'GB', postcode: 'B1 1AA' }, service: 'NP-PARCEL-48', state: 'ManifestFailed' },
  { at: '2026-11-17T10:00:00Z', crpc: 'zeta', destination: { country: 'IE', postcode: 'D02 X285' } },
];

type Key = string | number | null;

/** A summary's value of an order key, as the answer shows it (what the console's user sees). */
function keysOf(s: any, key: OrderKey): Key[] {
  switch (key) {
    case 'created':
      return [Date.parse(s.DateCreated)];
    case 'shippingDate':
      return [s.ShippingDate ? Date.parse(s.ShippingDate) : null];
    case 'reference':
      return [];
    case 'customerReference':
      return [s.ConsignmentReferenceProvidedByCustomer.trim().toLowerCase() || null];
    case 'state':
      return [CONSIGNMENT_STATES[s.State as keyof typeof CONSIGNMENT_STATES]];
    case 'destinationCountry':
      return [s.DestinationAddressCountry, s.DestinationAddressPostcode ? s.DestinationAddressPostcode.replace(/\s+/g, '').toUpperCase() : null];
    case 'service':
      return [s.MpdCarrierServiceReference?.toLowerCase() ?? null];
  }
}

/** The documented order: the key's values (missing last, both ways), then the reference, all in one direction. */
function expectedOrder(summaries: any[], key: OrderKey, descending: boolean): string[] {
  const sign = descending ? -1 : 1;
  const compare = (a: any, b: any): number => {
    const [x, y] = [keysOf(a, key), keysOf(b, key)];
    for (let i = 0; i < x.length; i++) {
      if (x[i] === y[i]) continue;
      if (x[i] === null) return 1;
      if (y[i] === null) return -1;
      return sign * (x[i]! < y[i]! ? -1 : 1);
    }
    return sign * (a.Reference < b.Reference ? -1 : 1);
  };
  return [...summaries].sort(compare).map((s) => s.Reference);
}

describe(`Search order, orderBy (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  const clock = new SettableClock('2026-11-01T09:00:00Z');
  let key: string;
  let all: any[] = [];

  async function page(query: string, take = 100, skip = 0): Promise<string[]> {
    const res = await api(server, 'GET', `/consignments/${take}/${skip}?${query}`, { key });
    assert.equal(res.status, 200, `${query}: ${res.text}`);
    return res.body.ConsignmentSummaries.map((s: any) => s.Reference);
  }

  before(async () => {
    server = await startServer({ clock });
    key = (await createSubscription(server, 'Sorter')).ApiKey;
    const references: string[] = [];
    for (const spec of SPECS) {
      clock.set(spec.at);
      const body = consignmentRequest({ origin: { country: 'GB', postcode: 'M1 1AA', town: 'Manchester' }, destination: { country: spec.destination.country, postcode: spec.destination.postcode ?? '', town: 'Town' }, shippingDate: spec.shippingDate, extra: { ConsignmentReferenceProvidedByCustomer: spec.crpc } });
      const res = await api(server, 'POST', '/consignments', { body, key });
      assert.equal(res.status, 201, res.text);
      references.push(res.body[0].Href.split('/').pop());
    }
    clock.set('2026-11-18T09:00:00Z');
    for (const [i, spec] of SPECS.entries()) {
      if (spec.service) {
        const allocated = await allocate(server, spec.service, [references[i]], key);
        // The one to Germany is refused by a GB-only service: AllocationFailed, and no service.
        assert.equal(allocated.body[0].StatusCode, spec.destination.country === 'DE' ? 422 : 200, allocated.text);
      }
      if (spec.state === 'Cancelled') assert.equal((await api(server, 'PUT', `/consignments/${references[i]}/cancel`, { key })).status, 200);
      else if (spec.state) await forceState(server, references[i], spec.state);
    }
    // Every match, as the answer shows them.
    const res = await api(server, 'GET', '/consignments/100/0', { key });
    all = res.body.ConsignmentSummaries;
    assert.equal(all.length, SPECS.length);
  });
  after(() => server.close());

  it('is built from keys that differ, tie and are missing', () => {
    const states = all.map((s) => s.State);
    for (const state of ['Unallocated', 'AllocationFailed', 'Allocated', 'ReadyToShip', 'Manifested', 'ManifestFailed', 'Cancelled']) assert.ok(states.includes(state), state);
    for (const key of ORDER_KEYS.filter((k) => k !== 'reference')) {
      const values = all.map((s) => JSON.stringify(keysOf(s, key)));
      assert.ok(new Set(values).size > 2, `${key} has several values`);
      assert.ok(new Set(values).size < values.length, `${key} has a tie`);
      if (!['created', 'state'].includes(key)) assert.ok(all.some((s) => keysOf(s, key).includes(null)), `${key} is missing somewhere`);
    }
  });

  for (const orderKey of ORDER_KEYS) {
    for (const descending of [false, true]) {
      const orderBy = `${descending ? '-' : ''}${orderKey}`;
      it(`orderBy=${orderBy} orders every match by ${orderKey}${descending ? ', descending' : ''}, then by reference, missing keys last`, async () => {
        const expected = expectedOrder(all, orderKey, descending);
        assert.deepEqual(await page(`orderBy=${orderBy}`), expected);
        const references = await api(server, 'GET', `/consignments/getConsignmentReferences?orderBy=${orderBy}`, { key });
        assert.deepEqual(references.body, expected, 'the references search orders alike');
      });

      it(`orderBy=${orderBy}: pages of two neither repeat nor skip a consignment, on both searches`, async () => {
        const expected = expectedOrder(all, orderKey, descending);
        const pages: string[] = [];
        const referencePages: string[] = [];
        for (let skip = 0; skip < expected.length; skip += 2) {
          pages.push(...(await page(`orderBy=${orderBy}`, 2, skip)));
          referencePages.push(...(await api(server, 'GET', `/consignments/getConsignmentReferences?orderBy=${orderBy}&pageSize=2&startPage=${skip / 2}`, { key })).body);
        }
        assert.deepEqual(pages, expected);
        assert.deepEqual(referencePages, expected);
      });
    }
  }

  it('puts consignments without the key last in both directions', async () => {
    for (const [orderKey, missing] of [['shippingDate', (s: any) => s.ShippingDate === null], ['service', (s: any) => s.MpdCarrierServiceReference === null], ['customerReference', (s: any) => s.ConsignmentReferenceProvidedByCustomer === '']] as const) {
      const without = all.filter(missing).map((s) => s.Reference);
      assert.ok(without.length >= 2 && without.length < all.length, orderKey);
      for (const orderBy of [orderKey, `-${orderKey}`]) {
        const order = await page(`orderBy=${orderBy}`);
        assert.deepEqual(order.slice(-without.length).sort(), [...without].sort(), orderBy);
      }
    }
    // Within a country, one without a postcode comes after those with one, both ways.
    const ireland = all.filter((s) => s.DestinationAddressCountry === 'IE');
    const [withPostcode, withoutPostcode] = [ireland.find((s) => s.DestinationAddressPostcode), ireland.find((s) => !s.DestinationAddressPostcode)];
    assert.ok(withPostcode && withoutPostcode);
    for (const orderBy of ['destinationCountry', '-destinationCountry']) {
      assert.deepEqual(await page(`orderBy=${orderBy}&destinationCountryCode=IE`), [withPostcode.Reference, withoutPostcode.Reference], orderBy);
    }
  });

  it('keeps newest first (then reference, descending) when orderBy is absent, empty or -created, in any case', async () => {
    const newest = expectedOrder(all, 'created', true);
    assert.deepEqual(await page(''), newest);
    assert.deepEqual(await page('orderBy='), newest);
    assert.deepEqual(await page('ORDERBY=-CREATED'), newest);
    assert.deepEqual(await page('orderby=-Created'), newest);
    const tied = all.filter((s) => s.DateCreated === all.find((x) => all.filter((y) => y.DateCreated === x.DateCreated).length > 1).DateCreated).map((s) => s.Reference).sort();
    assert.equal(tied.length, 2);
    assert.deepEqual(newest.filter((r) => tied.includes(r)), [...tied].reverse(), 'a tie on creation time is broken by reference, descending');
  });

  it('orders the matches of criteria: the not-shipped states, free text, a country and postcode, a service', async () => {
    const notShipped = 'state=Unallocated,AllocationFailed,Allocated,ReadyToShip,Manifested,ManifestFailed';
    const open = all.filter((s) => s.State !== 'Cancelled');
    for (const orderBy of ['shippingDate', '-shippingDate', 'state', '-customerReference', 'destinationCountry', '-service']) {
      const orderKey = orderBy.replace('-', '') as OrderKey;
      assert.deepEqual(await page(`${notShipped}&orderBy=${orderBy}`), expectedOrder(open, orderKey, orderBy.startsWith('-')), orderBy);
      const res = await api(server, 'GET', `/consignments/2/1?${notShipped}&orderBy=${orderBy}`, { key });
      assert.equal(res.body.Count, open.length, 'Count is every match, whatever the order');
    }
    const withText = all.filter((s) => s.ConsignmentReferenceProvidedByCustomer.toLowerCase().includes('order-b'));
    assert.equal(withText.length, 3);
    assert.deepEqual(await page('searchTerm=order-b&orderBy=-shippingDate'), expectedOrder(withText, 'shippingDate', true));
    const gb = all.filter((s) => s.DestinationAddressCountry === 'GB' && s.DestinationAddressPostcode.startsWith('LS1'));
    assert.deepEqual(await page('destinationCountryCode=GB&postcode=LS1&orderBy=-destinationCountry'), expectedOrder(gb, 'destinationCountry', true));
    const parcel = all.filter((s) => s.MpdCarrierServiceReference === 'NP-PARCEL-48');
    assert.deepEqual(await page('carrierService=np-parcel-48&orderBy=customerReference'), expectedOrder(parcel, 'customerReference', false));
  });

  it('answers 400 ValidationFailed naming orderBy for an unknown key, and for two orders', async () => {
    for (const [query, target] of [['orderBy=weight', 'orderBy'], ['OrderBy=-bogus', 'OrderBy'], ['orderBy=--created', 'orderBy'], ['orderBy=created,state', 'orderBy'], ['orderBy=created&orderBy=state', 'orderBy']]) {
      const error = assertError(await api(server, 'GET', `/consignments/10/0?${query}`, { key }), 400, 'ValidationFailed');
      assert.deepEqual(error.Details.map((d: any) => d.Target), [target], query);
      const references = assertError(await api(server, 'GET', `/consignments/getConsignmentReferences?${query}`, { key }), 400, 'ValidationFailed');
      assert.deepEqual(references.Details.map((d: any) => d.Target), [target], query);
    }
    const error = assertError(await api(server, 'GET', '/consignments/10/0?orderBy=weight', { key }), 400, 'ValidationFailed');
    assert.match(error.Details[0].Message, /created, shippingDate, reference, customerReference, state, destinationCountry, service/);
    const both = assertError(await api(server, 'GET', '/consignments/x/0?orderBy=nope&state=Sunk', { key }), 400, 'ValidationFailed');
    assert.deepEqual(both.Details.map((d: any) => d.Target), ['take', 'state', 'orderBy'], 'listed with the other bad values');
  });
});
