/**
 * What a client sees when a carrier refuses or cannot be reached, over HTTP: a refusal is the
 * consignment's failure reason (422 item, AllocationFailed); an unreachable carrier is 503
 * CarrierUnavailable with nothing changed (or a 503 item beside the others' results); and a
 * deallocation while the carrier is down succeeds, its booking released by the background job
 * once the carrier is back. The carriers are the real simulated connector with its settings:
 * Northern Parcels refuses GB destinations (set in the catalogue file), Carrier X is switched
 * between up and down.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { CarrierConnector } from '../../src/carriers/connector.js';
import { buildConnector } from '../../src/carriers/registry.js';
import { simulatedConnector } from '../../src/carriers/simulated/connector.js';
import { assertError } from '../support/assertions.js';
import { demoCatalogueVariant, withConnectorSettings } from '../support/catalogue-variant.js';
import { allocate, createConsignment, getConsignment } from '../support/consignments.js';
import { TestClock } from '../support/use-case-context.js';
import { ADMIN_TOKEN, api, databaseUnderTest, DEFAULT_NOW, skipReason, startServer, type TestServer } from '../support/test-server.js';

describe(`Carriers that refuse or cannot be reached (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  const clock = new TestClock(DEFAULT_NOW);
  let up: CarrierConnector;
  let down: CarrierConnector;

  before(async () => {
    const catalogue = demoCatalogueVariant((file) => withConnectorSettings(file, 'NORTHERN_PARCELS', { RefuseDestinations: ['GB'] }));
    server = await startServer({ clock, env: { SWITCHYARD_CATALOGUE: catalogue, SWITCHYARD_BACKGROUND_JOBS: 'true' } });
    const ctx = server.app.ctx;
    const carrier = ctx.catalogue.carrier('CARRIER_X')!;
    up = ctx.carriers.connectorFor(carrier);
    const built = buildConnector(simulatedConnector, { ...carrier, connectorSettings: { Unreachable: true } }, { numbers: ctx.sequences, clock });
    assert.ok('connector' in built);
    down = built.connector;
  });
  after(() => server.close());

  const carrierX = (connector: CarrierConnector) => server.app.ctx.carriers.replace('CARRIER_X', connector);
  const audit = async (ref: string) => (await api(server, 'GET', `/consignments/${ref}/audit`)).body.map((e: { Action: string }) => e.Action);

  it('a refused booking fails the consignment with the carrier’s reason', async () => {
    const ref = await createConsignment(server);
    const res = await allocate(server, 'NP-PARCEL-48', [ref]);
    assert.equal(res.status, 200, res.text);
    const [item] = res.body;
    assert.equal(item.StatusCode, 422);
    assert.deepEqual(item.FailureReasons, [
      { Code: 'CarrierRefused', Message: 'Northern Parcels refused to book: Northern Parcels does not deliver to GB (DESTINATION_NOT_SERVED)' },
    ]);
    const c = await getConsignment(server, ref);
    assert.equal(c.ConsignmentState, 'AllocationFailed');
    assert.match(c.FailedAllocation.Message, /could not be allocated with Northern Parcels Parcel 48: CarrierRefused/);
  });

  it('an unreachable carrier answers 503 CarrierUnavailable, and nothing changes', async () => {
    const ref = await createConsignment(server);
    carrierX(down);
    try {
      const res = await allocate(server, 'Example-Carrier-Service', [ref]);
      const body = assertError(res, 503, 'CarrierUnavailable');
      assert.match(body.Message, new RegExp(`^Consignment ${ref} could not be allocated with Carrier X Next Day: Carrier X is unavailable \\(.*\\); nothing was changed, try again later$`));
      assert.deepEqual(body.Details.map((d: { Target: string }) => d.Target), [ref]);
      const xml = await api(server, 'PUT', '/allocation/allocatewithcarrierservice', {
        headers: { accept: 'application/xml' },
        body: { MpdCarrierServiceReference: 'Example-Carrier-Service', ConsignmentReferences: [ref] },
      });
      assert.equal(xml.status, 503);
      assert.match(xml.text, /<ApiError [^>]*><Code>CarrierUnavailable<\/Code>/);
    } finally {
      carrierX(up);
    }
    assert.equal((await getConsignment(server, ref)).ConsignmentState, 'Unallocated');
    assert.deepEqual(await audit(ref), ['Created']);
    const retried = await allocate(server, 'Example-Carrier-Service', [ref]);
    assert.equal(retried.body[0].StatusCode, 200, 'the same request succeeds once the carrier is back');
  });

  it('a choosing endpoint does not fall back to a dearer carrier when the cheapest one’s is down', async () => {
    const ref = await createConsignment(server);
    carrierX(down);
    try {
      const res = await api(server, 'PUT', '/allocation/allocate', { body: { ConsignmentReferences: [ref] } });
      assertError(res, 503, 'CarrierUnavailable');
    } finally {
      carrierX(up);
    }
    assert.equal((await getConsignment(server, ref)).ConsignmentState, 'Unallocated');
  });

  it('in a batch with other results, the unreachable carrier’s consignment is an item with StatusCode 503', async () => {
    const waiting = await createConsignment(server);
    const cancelled = await createConsignment(server);
    assert.equal((await api(server, 'PUT', `/consignments/${cancelled}/cancel`)).status, 200);
    carrierX(down);
    let res;
    try {
      res = await allocate(server, 'Example-Carrier-Service', [waiting, cancelled]);
    } finally {
      carrierX(up);
    }
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.map((i: { StatusCode: number }) => i.StatusCode), [503, 409]);
    assert.equal(res.body[0].IsSuccess, false);
    assert.deepEqual(res.body[0].ConsignmentLegs, []);
    assert.match(res.body[0].Description, /nothing was changed, try again later$/);
    assert.equal((await getConsignment(server, waiting)).ConsignmentState, 'Unallocated');
  });

  it('deallocating while the carrier is down succeeds, and the background job cancels the booking once it is back', async () => {
    const ref = await createConsignment(server);
    assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 200);
    const ctx = server.app.ctx;
    const id = (await ctx.consignments.findByReference((await ctx.subscriptions.list())[0].id, ref))!.id;
    const pending = () => ctx.database.db.selectFrom('carrier_cancellations').select(['state', 'attempts']).where('consignment_id', '=', id).execute();
    carrierX(down);
    try {
      const res = await api(server, 'PUT', `/consignments/${ref}/deallocate`);
      assert.equal(res.status, 200, res.text);
      assert.equal((await getConsignment(server, ref)).ConsignmentState, 'Unallocated');
      assert.deepEqual(await pending(), [{ state: 'pending', attempts: 1 }]);
      // The operator sees it, with what the carrier would need to cancel it by hand.
      const listed = await api(server, 'GET', '/admin/carriercancellations', { key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(listed.status, 200, listed.text);
      assert.equal(listed.body.Counts.Pending, 1);
      const [row] = listed.body.Cancellations;
      assert.deepEqual(
        [row.State, row.Reason, row.ConsignmentReference, row.CarrierReference, row.Leg, row.Attempts],
        ['pending', 'Deallocated', ref, 'CARRIER_X', 1, 1],
      );
      assert.equal(row.TrackingReferences.length, 1);
      assert.match(row.BookingReference, new RegExp(`^${ref}-1-[0-9A-F]{8}$`));
      assert.match(row.LastError, /could not be reached/);
      assertError(await api(server, 'GET', '/admin/carriercancellations', { key: null }), 401, 'Unauthorized');
    } finally {
      carrierX(up);
    }
    clock.advance({ seconds: 6 });
    // The server's own background job (every 5 s) takes it; no test code cancels anything.
    for (let waited = 0; (await pending()).length > 0 && waited < 30_000; waited += 100) await sleep(100);
    assert.deepEqual(await pending(), [], 'the booking was cancelled by the background job');
  });
});
