/**
 * Cancelling over real HTTP (endpoints.md P1-12, P1-13; decisions.md §5): allowed only before
 * manifesting, final afterwards, releasing the carrier booking of an allocated consignment; the
 * list form's entries in request order; XML; tenant isolation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CarrierConnector } from '../../src/carriers/connector.js';
import { api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { assertError } from '../support/assertions.js';
import { allocate, createConsignment, createSubscription, getConsignment } from '../support/consignments.js';
import { forceState } from '../support/force-state.js';

describe(`Cancelling consignments (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  /** Tracking references whose bookings the carrier was asked to cancel. */
  const released: string[] = [];

  before(async () => {
    server = await startServer();
    const carriers = server.app.ctx.carriers;
    const simulated = carriers.connectorFor(server.app.ctx.catalogue.carrier('CARRIER_X')!);
    const spy: CarrierConnector = {
      capabilities: simulated.capabilities,
      timeoutMs: simulated.timeoutMs,
      keepsBookings: simulated.keepsBookings,
      book: (request, options) => simulated.book!(request, options),
      cancel: async (request, options) => {
        released.push(...request.trackingReferences);
        return simulated.cancel!(request, options);
      },
    };
    carriers.replace('CARRIER_X', spy);
  });
  after(() => server.close());

  async function inState(state: string): Promise<string> {
    const ref = await createConsignment(server);
    if (state === 'Unallocated') return ref;
    if (state === 'AllocationFailed') {
      const failing = await createConsignment(server, { packages: [{ kg: 40 }] });
      assert.equal((await allocate(server, 'Example-Carrier-Service', [failing])).body[0].StatusCode, 422);
      return failing;
    }
    assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 200);
    if (state !== 'Allocated') await forceState(server, ref, state);
    return ref;
  }

  describe('PUT /consignments/{ref}/cancel', () => {
    for (const state of ['Unallocated', 'AllocationFailed', 'Allocated', 'ManifestFailed', 'ReadyToShip']) {
      it(`cancels a${state === 'Unallocated' || state === 'AllocationFailed' ? 'n' : ''} ${state} consignment: 200 with no body, then Cancelled`, async () => {
        const ref = await inState(state);
        const res = await api(server, 'PUT', `/consignments/${ref.toLowerCase()}/cancel`);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.text, '');
        const c = await getConsignment(server, ref);
        assert.equal(c.ConsignmentState, 'Cancelled');
        assert.equal(c.Allocation, null);
        assert.deepEqual(c.ConsignmentLegs, []);
        const trail = (await api(server, 'GET', `/consignments/${ref}/audit`)).body;
        assert.deepEqual([trail.at(-1).Action, trail.at(-1).FromState, trail.at(-1).ToState], ['Cancelled', state, 'Cancelled']);
      });
    }

    it("releases an allocated consignment's carrier booking, once the cancellation is written", async () => {
      const ref = await createConsignment(server, { packages: [{ kg: 1 }, { kg: 2 }] });
      assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 200);
      const tracking = (await getConsignment(server, ref)).ConsignmentLegs[0].TrackingReferences;
      assert.equal(tracking.length, 2);
      const already = released.length;
      assert.equal((await api(server, 'PUT', `/consignments/${ref}/cancel`)).status, 200);
      assert.deepEqual(released.slice(already), tracking);
      const trail = (await api(server, 'GET', `/consignments/${ref}/audit`)).body;
      assert.equal(trail.at(-1).Message, `Consignment ${ref} cancelled; its booking with Example-Carrier-Service was released`);
      const again = released.length;
      assertError(await api(server, 'PUT', `/consignments/${ref}/cancel`), 409, 'InvalidState');
      assert.equal(released.length, again, 'a refused cancellation releases nothing');
    });

    for (const state of ['Cancelled', 'Manifested', 'Dispatched', 'InTransit', 'Delivered']) {
      it(`refuses to cancel a ${state} consignment with 409 InvalidState naming ${state}, changing nothing`, async () => {
        const ref = state === 'Cancelled' ? await inState('Unallocated') : await inState(state);
        if (state === 'Cancelled') assert.equal((await api(server, 'PUT', `/consignments/${ref}/cancel`)).status, 200);
        const before = await getConsignment(server, ref);
        const error = assertError(await api(server, 'PUT', `/consignments/${ref}/cancel`), 409, 'InvalidState');
        assert.equal(error.Message, `Consignment ${ref} cannot be cancelled: it is ${state}`);
        assert.deepEqual(error.Details, [{ Code: 'InvalidState', Target: ref, Message: error.Message }]);
        assert.deepEqual(await getConsignment(server, ref), before);
      });
    }

    it('leaves a cancelled consignment final: no allocation, deallocation or edit', async () => {
      const ref = await inState('Unallocated');
      assert.equal((await api(server, 'PUT', `/consignments/${ref}/cancel`)).status, 200);
      const allocation = await allocate(server, 'Example-Carrier-Service', [ref]);
      assert.equal(allocation.body[0].StatusCode, 409);
      assert.match(allocation.body[0].Description, /it is Cancelled$/);
      assert.match(assertError(await api(server, 'PUT', `/consignments/${ref}/deallocate`), 409, 'InvalidState').Message, /Cancelled/);
      assert.match(assertError(await api(server, 'POST', `/consignments/${ref}/addpackage`, { body: {} }), 409, 'InvalidState').Message, /Cancelled/);
    });

    it("answers 404 for an unknown consignment or another subscription's, cancelling nothing", async () => {
      assertError(await api(server, 'PUT', '/consignments/EC-ZZZ-ZZZ-ZZZ/cancel'), 404, 'ConsignmentNotFound');
      const other = await createSubscription(server, 'Other shop');
      const theirs = await createConsignment(server, { origin: { postcode: 'LS1 4AP', town: 'Leeds', line1: '1 Park Row' } }, other.ApiKey);
      assertError(await api(server, 'PUT', `/consignments/${theirs}/cancel`), 404, 'ConsignmentNotFound');
      assert.equal((await getConsignment(server, theirs, other.ApiKey)).ConsignmentState, 'Unallocated');
    });
  });

  describe('PUT /consignments/cancellist', () => {
    it('answers one WithMessage per reference, in request order, failures naming the state or "not found"', async () => {
      const a = await inState('Allocated');
      const b = await inState('Manifested');
      const c = await inState('Unallocated');
      const res = await api(server, 'PUT', '/consignments/cancellist', { body: [a, b, 'EC-ZZZ-ZZZ-ZZZ', c.toLowerCase(), a] });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, [
        { IsSuccess: true, Message: 'Consignment cancellation completed successfully', Data: a, ApiLinks: null },
        { IsSuccess: false, Message: `Consignment ${b} cannot be cancelled: it is Manifested`, Data: b, ApiLinks: null },
        { IsSuccess: false, Message: 'Consignment EC-ZZZ-ZZZ-ZZZ not found', Data: 'EC-ZZZ-ZZZ-ZZZ', ApiLinks: null },
        { IsSuccess: true, Message: 'Consignment cancellation completed successfully', Data: c, ApiLinks: null },
      ]);
      assert.equal((await getConsignment(server, a)).ConsignmentState, 'Cancelled');
      assert.equal((await getConsignment(server, b)).ConsignmentState, 'Manifested');
      assert.equal((await getConsignment(server, c)).ConsignmentState, 'Cancelled');
    });

    it('reads an XML ArrayOfstring and answers ArrayOfWithMessageOfString', async () => {
      const a = await inState('AllocationFailed');
      const res = await api(server, 'PUT', '/consignments/cancellist', {
        body: `<ArrayOfstring xmlns="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><string>${a}</string></ArrayOfstring>`.replace(
          'http://schemas.microsoft.com/2003/10/Serialization/Arrays',
          'http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Consignments',
        ),
        headers: { accept: 'application/xml' },
      });
      assert.equal(res.status, 200, res.text);
      assert.match(
        res.text,
        new RegExp(`<ArrayOfWithMessageOfString [^>]+><WithMessageOfString><IsSuccess>true</IsSuccess><Message>Consignment cancellation completed successfully</Message><Data>${a}</Data><ApiLinks i:nil="true"/></WithMessageOfString></ArrayOfWithMessageOfString>$`),
      );
    });

    it('validates the list as deallocatelist does: every bad entry a Details entry, nothing cancelled', async () => {
      const ref = await inState('Unallocated');
      const error = assertError(await api(server, 'PUT', '/consignments/cancellist', { body: [ref, 7, ''] }), 400, 'ValidationFailed');
      assert.deepEqual(error.Details.map((d: any) => d.Target), ['body[1]', 'body[2]'], 'one detail per bad entry, not one from the schema and another from the list rule');
      const dealloc = assertError(await api(server, 'PUT', '/consignments/deallocatelist', { body: [ref, 7] }), 400, 'ValidationFailed');
      assert.deepEqual(dealloc.Details.map((d: any) => d.Target), ['body[1]']);
      assertError(await api(server, 'PUT', '/consignments/cancellist', { body: [] }), 400, 'ValidationFailed');
      assertError(await api(server, 'PUT', '/consignments/cancellist'), 400, 'ValidationFailed');
      assertError(await api(server, 'PUT', '/consignments/cancellist', { body: { References: [ref] } }), 400, 'ValidationFailed');
      assert.equal((await getConsignment(server, ref)).ConsignmentState, 'Unallocated');
    });

    it("reports another subscription's consignment as not found, cancelling nothing", async () => {
      const other = await createSubscription(server, 'Other shop 2');
      const theirs = await createConsignment(server, { origin: { postcode: 'LS1 4AP', town: 'Leeds', line1: '1 Park Row' } }, other.ApiKey);
      const res = await api(server, 'PUT', '/consignments/cancellist', { body: [theirs] });
      assert.deepEqual(res.body, [{ IsSuccess: false, Message: `Consignment ${theirs} not found`, Data: theirs, ApiLinks: null }]);
      assert.equal((await getConsignment(server, theirs, other.ApiKey)).ConsignmentState, 'Unallocated');
    });
  });
});
