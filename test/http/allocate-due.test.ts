/**
 * The SDK's "allocate everything due to ship" endpoints (endpoints.md P1-7..P1-9): every
 * Unallocated consignment of the caller whose ShippingDate is at or before ShipByDate (or that has
 * none), with the ShipByDate in the path as .NET's DateTime.ToString() writes it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { createConsignment, createSubscription, getConsignment, type ConsignmentSpec } from '../support/consignments.js';
import { api, skipReason, startServer, type TestServer } from '../support/test-server.js';

const MANCHESTER = { country: 'GB', postcode: 'M1 1AE', town: 'Manchester', line1: '1 Dock Road' };

describe('allocate everything due by a ShipByDate', { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(async () => server?.close());

  /** A fresh subscription, so that only its own consignments can be due. */
  async function tenant(name: string) {
    const { ApiKey } = await createSubscription(server, name);
    const make = (spec: ConsignmentSpec = {}) => createConsignment(server, { origin: MANCHESTER, destination: { postcode: 'LS1 4AP', town: 'Leeds' }, ...spec }, ApiKey);
    return { key: ApiKey, make };
  }

  it('default rules: allocates what is due (a shipping date by then, or none), oldest first, and leaves the rest', async () => {
    const { key, make } = await tenant('Due default');
    const early = await make({ shippingDate: '2026-11-19T10:00:00+00:00' });
    const asap = await make();
    const late = await make({ shippingDate: '2026-11-25T10:00:00+00:00' });
    const sameDayAfter = await make({ shippingDate: '2026-11-20T18:00:00+00:00' });
    const allocated = await make();
    assert.equal((await api(server, 'PUT', `/allocation/${allocated}/allocatewithcheapestquote`, { key })).body[0].StatusCode, 200);

    // en-GB DateTime.ToString(), slashes and all, as the SDK puts it in the path.
    const res = await api(server, 'PUT', '/allocation/allocate/20/11/2026 17:00:00', { key, body: '""', contentType: 'application/json' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.map((i: any) => [i.ConsignmentReference, i.StatusCode]), [[early, 200], [asap, 200]]);
    for (const ref of [late, sameDayAfter]) assert.equal((await getConsignment(server, ref, key)).ConsignmentState, 'Unallocated');

    // Nothing more is due: an empty list.
    const again = await api(server, 'PUT', '/allocation/allocate/2026-11-20T17:00:00', { key });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, []);
  });

  it('leaves AllocationFailed consignments alone, and compares ShippingDates as instants across offsets', async () => {
    const { key, make } = await tenant('Due instants');
    const failed = await make({ packages: [{ kg: 2000 }] });
    assert.equal((await api(server, 'PUT', `/allocation/${failed}/allocatewithcheapestquote`, { key })).body[0].StatusCode, 422);
    const kiribati = await make({ shippingDate: '2026-11-22T00:00:00+14:00' }); // 2026-11-21T10:00Z
    const early = await api(server, 'PUT', '/allocation/allocate/2026-11-20T23:30:00-11:00', { key }); // 2026-11-21T10:30Z
    assert.deepEqual(early.body.map((i: any) => i.ConsignmentReference), [kiribati]);
    assert.equal((await getConsignment(server, failed, key)).ConsignmentState, 'AllocationFailed');
  });

  it('reads the en-US form (with AM/PM) month first', async () => {
    const { key, make } = await tenant('Due US');
    const ref = await make({ shippingDate: '2026-11-21T09:00:00+00:00' });
    assert.deepEqual((await api(server, 'PUT', '/allocation/allocate/11/20/2026 5:00:00 PM', { key })).body, []);
    const res = await api(server, 'PUT', '/allocation/allocate/11/21/2026 9:00:00 AM', { key });
    assert.deepEqual(res.body.map((i: any) => i.ConsignmentReference), [ref]);
  });

  it('with a carrier service and a shipping location, from the body the SDK sends', async () => {
    const { key, make } = await tenant('Due service');
    const ref = await make();
    const body = { ShipByDate: '2026-11-20T17:00:00', ShippingLocationReference: null, MpdCarrierServiceReference: 'Example-Carrier-Service' };
    const res = await api(server, 'PUT', '/allocation/allocateWithCarrierService/20/11/2026 17:00:00', { key, body });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.map((i: any) => [i.ConsignmentReference, i.StatusCode, i.CarrierServiceReference]), [[ref, 200, 'Example-Carrier-Service']]);

    // Only the named location's consignments: the demo subscription's WH-MAN-01 has the seed's three.
    const demo = await api(server, 'PUT', '/allocation/allocateWithCarrierService/2026-11-20', {
      body: { ShippingLocationReference: 'wh-man-01', MpdCarrierServiceReference: 'Example-Carrier-Service' },
    });
    assert.equal(demo.status, 200, demo.text);
    assert.ok(demo.body.length >= 3 && demo.body.every((i: any) => i.StatusCode === 200), demo.text.slice(0, 300));
  });

  it('within a service group', async () => {
    const { key, make } = await tenant('Due group');
    const ref = await make();
    assert.equal((await api(server, 'POST', '/serviceGroups', { key, body: { Reference: 'dom', Name: 'Domestic', MpdCarrierServiceReferences: ['Example-Carrier-Service'] } })).status, 201);
    const res = await api(server, 'PUT', '/allocation/allocateWithServiceGroup/2026-11-20T17:00:00', { key, body: { MpdCarrierServiceGroupReference: 'DOM' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.map((i: any) => [i.ConsignmentReference, i.CarrierServiceReference]), [[ref, 'Example-Carrier-Service']]);
    assert.equal((await getConsignment(server, ref, key)).Allocation.CarrierServiceGroupReference, 'dom');
  });

  it('refuses a date it cannot read, an unknown location, service or group, changing nothing', async () => {
    const { key, make } = await tenant('Due refusals');
    const ref = await make();
    const bad = await api(server, 'PUT', '/allocation/allocate/soon', { key });
    assertError(bad, 400, 'ValidationFailed');
    assert.equal(bad.body.Details[0].Target, 'ShipByDate');
    assertError(await api(server, 'PUT', '/allocation/allocate/31/02/2026 10:00:00', { key }), 400, 'ValidationFailed');
    assertError(
      await api(server, 'PUT', '/allocation/allocateWithCarrierService/2026-11-20', { key, body: { ShippingLocationReference: 'NOWHERE', MpdCarrierServiceReference: 'Example-Carrier-Service' } }),
      404,
      'ShippingLocationNotFound',
    );
    assertError(await api(server, 'PUT', '/allocation/allocateWithCarrierService/2026-11-20', { key, body: { MpdCarrierServiceReference: 'NOPE' } }), 404, 'CarrierServiceNotFound');
    const both = await api(server, 'PUT', '/allocation/allocateWithCarrierService/soon', { key, body: { ShippingLocationReference: 'NOWHERE' } });
    assertError(both, 400, 'ValidationFailed');
    assert.deepEqual(both.body.Details.map((d: any) => d.Target), ['MpdCarrierServiceReference', 'ShipByDate'], 'validation first, every problem listed');
    assertError(await api(server, 'PUT', '/allocation/allocateWithServiceGroup/2026-11-20', { key, body: { MpdCarrierServiceGroupReference: 'none' } }), 404, 'ServiceGroupNotFound');
    assert.equal((await getConsignment(server, ref, key)).ConsignmentState, 'Unallocated');
  });
});
