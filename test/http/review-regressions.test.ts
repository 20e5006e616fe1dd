/**
 * Regression tests for the bugs a code review found, over real HTTP against a real server (and,
 * where the bug is below HTTP, through the in-process AppContext). Each test pins the correct
 * behaviour named in its title.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_KEY, api, databaseUnderTest, skipReason, startServer, type ApiResponse, type TestServer } from '../support/test-server.js';
import { assertError } from '../support/assertions.js';
import { allocate, consignmentRequest, createConsignment, createSubscription, consignmentCount, getConsignment } from '../support/consignments.js';

const ADDRESS_KEYS = [
  'AddressType',
  'ShopLocationReference',
  'Contact',
  'CompanyName',
  'ShippingLocationReference',
  'CustomerName',
  'AddressLine1',
  'AddressLine2',
  'AddressLine3',
  'Town',
  'Region',
  'Postcode',
  'Country',
  'RegionCode',
  'SpecialInstructions',
  'LatLong',
  'IsCached',
];


async function demoSubscriptionId(server: TestServer): Promise<number> {
  const row = await server.app.ctx.database.db.selectFrom('subscriptions').select('id').where('name', '=', 'Demo').executeTakeFirstOrThrow();
  return Number(row.id);
}



/**
 * Puts a consignment into a state no endpoint reaches yet (Manifested, Cancelled, …), directly in
 * the database. The audit trigger records state changes from last_action / last_message and
 * numbers them by version, so those are set (and the version bumped) as a real change would.
 */
async function forceState(server: TestServer, ref: string, state: string): Promise<void> {
  const result = await server.app.ctx.database.db
    .updateTable('consignments')
    .set({ state, last_action: state, last_message: 'test', version: (eb) => eb('version', '+', 1) })
    .where('reference', '=', ref)
    .executeTakeFirst();
  assert.equal(Number(result.numUpdatedRows), 1, `forcing ${ref} to ${state}`);
}

describe(`Review regressions (${databaseUnderTest})`, { skip: skipReason }, () => {
  describe('stale transitions (the ABA problem)', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    it('refuses a transition from a stale copy even when the state matches again, leaving the newer allocation and the audit trail alone', async () => {
      const ref = await createConsignment(server);
      const subscriptionId = await demoSubscriptionId(server);
      const readBeforeAllocation = await server.app.ctx.consignments.findByReference(subscriptionId, ref);
      assert.ok(readBeforeAllocation);

      const first = await allocate(server, 'Example-Carrier-Service', [ref]);
      assert.equal(first.body[0]?.StatusCode, 200, first.text);
      // The classic ABA copy: read while Allocated (A), before the consignment goes B and back to A.
      const readWhileAllocated = await server.app.ctx.consignments.findByReference(subscriptionId, ref);
      assert.ok(readWhileAllocated);
      assert.equal(readWhileAllocated.state, 'Allocated');

      const deallocated = await api(server, 'PUT', `/consignments/${ref}/deallocate`);
      assert.equal(deallocated.status, 200, deallocated.text);
      const second = await allocate(server, 'CX-ECONOMY-48', [ref]);
      assert.equal(second.body[0]?.StatusCode, 200, second.text);
      const newer = await getConsignment(server, ref);
      assert.equal(newer.ConsignmentState, 'Allocated');
      assert.equal(newer.Allocation.MpdCarrierServiceReference, 'CX-ECONOMY-48');

      for (const [name, stale] of [
        ['a copy read before the first allocation', readBeforeAllocation],
        ['a copy read during the first allocation', readWhileAllocated],
      ] as const) {
        const applied = await server.app.ctx.consignments.transition(stale, {
          fromStates: ['Allocated'],
          to: 'Unallocated',
          allocation: null,
          at: new Date().toISOString(),
          event: { action: 'Deallocated', message: 'stale' },
        });
        assert.equal(applied, false, `${name} must not be applied`);
      }

      const now = await getConsignment(server, ref);
      assert.equal(now.ConsignmentState, 'Allocated');
      assert.deepEqual(now.Allocation, newer.Allocation, 'the newer allocation is unchanged');
      assert.deepEqual(now.ConsignmentLegs, newer.ConsignmentLegs);
      const audit = await api(server, 'GET', `/consignments/${ref}/audit`);
      assert.equal(audit.status, 200, audit.text);
      assert.deepEqual(
        audit.body.filter((e: any) => e.Message === 'stale'),
        [],
        'no stale event in the audit trail',
      );
      assert.deepEqual(audit.body.map((e: any) => e.Action), ['Created', 'Allocated', 'Deallocated', 'Allocated']);
    });

    it('still applies a transition from a fresh copy', async () => {
      const ref = await createConsignment(server);
      const subscriptionId = await demoSubscriptionId(server);
      assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 200);
      const fresh = await server.app.ctx.consignments.findByReference(subscriptionId, ref);
      assert.ok(fresh);
      const applied = await server.app.ctx.consignments.transition(fresh, {
        fromStates: ['Allocated'],
        to: 'Unallocated',
        allocation: null,
        at: new Date().toISOString(),
        event: { action: 'Deallocated', message: 'fresh' },
      });
      assert.equal(applied, true);
      assert.equal((await getConsignment(server, ref)).ConsignmentState, 'Unallocated');
    });
  });

  describe('absurd numbers at creation', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    const cases: [string, Parameters<typeof consignmentRequest>[0], string][] = [
      ['a weight of 1e303 kg', { packages: [{ weight: { Value: 1e303, Unit: 'kg' } }] }, 'Packages[0].Weight'],
      ['a height of 1e303 cm', { packages: [{ dimensions: { Unit: 'Cm', Length: 30, Width: 20, Height: 1e303 } }] }, 'Packages[0].Dimensions'],
      ['a weight over 1,000,000 kg (2,000,000 kg)', { packages: [{ weight: { Value: 2_000_000, Unit: 'kg' } }] }, 'Packages[0].Weight'],
      ['a dimension over 100,000 cm (200,000 cm)', { packages: [{ dimensions: { Unit: 'Cm', Length: 200_000, Width: 20, Height: 10 } }] }, 'Packages[0].Dimensions'],
      ['a money Amount over 1e12', { packages: [{ value: 2e12 }] }, 'Packages[0].Value'],
    ];
    for (const [name, spec, field] of cases) {
      it(`refuses ${name} with 400 ValidationFailed naming ${field}, storing nothing`, async () => {
        const before = await consignmentCount(server);
        const res = await api(server, 'POST', '/consignments', { body: consignmentRequest(spec) });
        const error = assertError(res, 400, 'ValidationFailed');
        assert.ok(
          error.Details.some((d: any) => typeof d.Target === 'string' && d.Target.includes(field)),
          `a Details entry targets ${field}: ${JSON.stringify(error.Details)}`,
        );
        assert.equal(await consignmentCount(server), before, 'nothing is stored');
      });
    }
  });

  describe('repeated API keys', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    it('answers two different subscription-key query parameters with 401 Unauthorized, not 500', async () => {
      const res = await api(server, 'GET', '/carriers/getcarriers?subscription-key=a&subscription-key=b', { key: null });
      assertError(res, 401, 'Unauthorized');
    });

    it('refuses the valid demo key given twice as ambiguous: 401 Unauthorized', async () => {
      const key = encodeURIComponent(DEMO_KEY);
      const res = await api(server, 'GET', `/carriers/getcarriers?subscription-key=${key}&subscription-key=${key}`, { key: null });
      assertError(res, 401, 'Unauthorized');
      const once = await api(server, 'GET', `/carriers/getcarriers?subscription-key=${key}`, { key: null });
      assert.equal(once.status, 200, `the key given once still works: ${once.text.slice(0, 200)}`);
    });
  });

  describe('delivery windows', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    it('accepts a window with single-digit hours and shows it as HH:mm:ss', async () => {
      const ref = await createConsignment(server, {
        requiredDeliveryDate: { Date: '2026-11-19T00:00:00+00:00', DeliveryWindow: { Start: '9:00', End: '17:00' } },
      });
      const c = await getConsignment(server, ref);
      assert.deepEqual(c.RequestedDeliveryDate.DeliveryWindow, { Start: '09:00:00', End: '17:00:00', UtcOffset: null });
    });

    it('refuses a window that ends before it starts (10:00 to 9:00) with 400 naming DeliveryWindow', async () => {
      const before = await consignmentCount(server);
      const res = await api(server, 'POST', '/consignments', {
        body: consignmentRequest({ requiredDeliveryDate: { Date: '2026-11-19T00:00:00+00:00', DeliveryWindow: { Start: '10:00', End: '9:00' } } }),
      });
      const error = assertError(res, 400, 'ValidationFailed');
      assert.ok(error.Details.some((d: any) => d.Target.includes('DeliveryWindow')), JSON.stringify(error.Details));
      assert.equal(await consignmentCount(server), before);
    });

    it('refuses a window of impossible times (25:00 to 26:00) with 400', async () => {
      const res = await api(server, 'POST', '/consignments', {
        body: consignmentRequest({ requiredDeliveryDate: { Date: '2026-11-19T00:00:00+00:00', DeliveryWindow: { Start: '25:00', End: '26:00' } } }),
      });
      const error = assertError(res, 400, 'ValidationFailed');
      assert.ok(error.Details.some((d: any) => d.Target.includes('DeliveryWindow')), JSON.stringify(error.Details));
    });
  });

  describe('the audit trail in XML', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    it('names the root ArrayOfConsignmentAuditMessage with ConsignmentAuditMessage children carrying every field, never anyType', async () => {
      const ref = await createConsignment(server);
      assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 200);
      const json = await api(server, 'GET', `/consignments/${ref}/audit`);
      assert.equal(json.status, 200, json.text);
      const res = await api(server, 'GET', `/consignments/${ref}/audit`, { headers: { accept: 'application/xml' } });
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/xml/);
      assert.match(res.text, /<ArrayOfConsignmentAuditMessage[\s>]/);
      assert.doesNotMatch(res.text, /<anyType/);
      const children = [...res.text.matchAll(/<ConsignmentAuditMessage>([\s\S]*?)<\/ConsignmentAuditMessage>/g)].map((m) => m[1]);
      assert.equal(children.length, json.body.length, res.text);
      assert.equal(children.length, 2);
      for (const child of children) {
        for (const field of ['Timestamp', 'ConsignmentReference', 'Action', 'FromState', 'ToState', 'Message']) {
          assert.match(child, new RegExp(`<${field}(>|\\s+i:nil="true"\\s*/>)`), `${field} in ${child}`);
        }
        assert.ok(child.includes(`<ConsignmentReference>${ref}</ConsignmentReference>`), child);
      }
    });
  });

  describe('addresses given by shipping location', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    it('validates explicit fields given with a ShippingLocationReference: an unknown country is 400 naming Addresses[0]', async () => {
      const before = await consignmentCount(server);
      const body = consignmentRequest();
      (body.Addresses as unknown[])[0] = { AddressType: 'Origin', ShippingLocationReference: 'WH-MAN-01', Country: { IsoCode: { TwoLetterCode: 'QQ' } } };
      const res = await api(server, 'POST', '/consignments', { body });
      const error = assertError(res, 400, 'ValidationFailed');
      assert.ok(error.Details.some((d: any) => d.Target.includes('Addresses[0]')), JSON.stringify(error.Details));
      assert.equal(await consignmentCount(server), before);
    });

    it('shows a location origin with every address property, ShopLocationReference null included', async () => {
      const ref = await createConsignment(server, { origin: 'WH-MAN-01' });
      const c = await getConsignment(server, ref);
      const origin = c.Addresses.find((a: any) => a.AddressType === 'Origin');
      const destination = c.Addresses.find((a: any) => a.AddressType === 'Destination');
      assert.ok('ShopLocationReference' in origin, JSON.stringify(origin));
      assert.equal(origin.ShopLocationReference, null);
      assert.deepEqual(Object.keys(origin), ADDRESS_KEYS);
      assert.deepEqual(Object.keys(destination), ADDRESS_KEYS);
      assert.equal(origin.ShippingLocationReference, 'WH-MAN-01');
      assert.equal(origin.Country.IsoCode.TwoLetterCode, 'GB');
    });
  });

  describe('literal path segments', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    // (summary, count and getConsignmentReferences are endpoints now: consignment-search.test.ts.)
    for (const path of ['/consignments/late', '/consignments/deallocatelist', '/consignments/cancellist']) {
      it(`answers GET ${path} with 404 RouteNotFound, not as a consignment reference`, async () => {
        assertError(await api(server, 'GET', path), 404, 'RouteNotFound');
      });
    }
  });

  describe("the time zone of the origin's shipping location", () => {
    let server: TestServer;
    before(async () => {
      server = await startServer();
      const subscriptionId = await demoSubscriptionId(server);
      await server.app.ctx.locations.create(subscriptionId, {
        reference: 'WH-NYC-01',
        name: 'New York',
        locationType: 'Warehouse',
        defaultLocationForReturns: false,
        notes: null,
        timeZone: 'America/New_York',
        address: {
          contact: null,
          companyName: null,
          customerName: null,
          addressLine1: '1 Broadway',
          addressLine2: null,
          addressLine3: null,
          town: 'New York',
          region: 'NY',
          regionCode: null,
          postcode: '10004',
          countryCode: 'US',
          specialInstructions: null,
          latLong: null,
        },
      });
    });
    after(() => server.close());

    for (const order of ['Origin first', 'Destination first'] as const) {
      it(`plans collection in the origin's zone (London), not the destination location's (New York), with the ${order}`, async () => {
        const origin = { AddressType: 'Origin', ShippingLocationReference: 'WH-MAN-01' };
        const destination = { AddressType: 'Destination', ShippingLocationReference: 'WH-NYC-01' };
        const body = consignmentRequest();
        body.Addresses = order === 'Origin first' ? [origin, destination] : [destination, origin];
        const created = await api(server, 'POST', '/consignments', { body });
        assert.equal(created.status, 201, created.text);
        const ref = created.body[0].Href.split('/').pop();
        const res = await allocate(server, 'SW-WORLD-AIR', [ref]);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body[0].StatusCode, 200, res.text);
        assert.match(res.body[0].Description, /for shipping on 18\/11\/2026 15:00:00 \+00:00$/);
        const c = await getConsignment(server, ref);
        assert.equal(c.CollectionDate, '2026-11-18T15:00:00+00:00');
      });
    }
  });

  describe('other states and tenant isolation', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    for (const state of ['Manifested', 'Cancelled', 'Delivered']) {
      it(`answers allocating a ${state} consignment with a 409 item naming ${state}, changing nothing`, async () => {
        const ref = await createConsignment(server);
        await forceState(server, ref, state);
        const res = await allocate(server, 'Example-Carrier-Service', [ref]);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.length, 1);
        assert.equal(res.body[0].StatusCode, 409);
        assert.equal(res.body[0].IsSuccess, false);
        assert.equal(res.body[0].Description, `Consignment ${ref} cannot be allocated: it is ${state}`);
        const c = await getConsignment(server, ref);
        assert.equal(c.ConsignmentState, state);
        assert.equal(c.Allocation, null);
      });
    }

    for (const state of ['Manifested', 'ManifestFailed']) {
      it(`deallocates a ${state} consignment back to Unallocated`, async () => {
        const ref = await createConsignment(server);
        assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 200);
        await forceState(server, ref, state);
        const res = await api(server, 'PUT', `/consignments/${ref}/deallocate`);
        assert.equal(res.status, 200, res.text);
        const c = await getConsignment(server, ref);
        assert.equal(c.ConsignmentState, 'Unallocated');
        assert.equal(c.Allocation, null);
      });
    }

    it('refuses to deallocate a Cancelled consignment with 409 InvalidState naming Cancelled', async () => {
      const ref = await createConsignment(server);
      assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 200);
      await forceState(server, ref, 'Cancelled');
      const error = assertError(await api(server, 'PUT', `/consignments/${ref}/deallocate`), 409, 'InvalidState');
      assert.match(error.Message, /Cancelled/);
      assert.equal((await getConsignment(server, ref)).ConsignmentState, 'Cancelled');
    });

    it("treats another subscription's consignment as absent for deallocate, deallocatelist and audit", async () => {
      const other = await createSubscription(server, 'Other shop');
      const theirs = await createConsignment(server, { origin: { postcode: 'LS1 4AP', town: 'Leeds', line1: '1 Park Row' } }, other.ApiKey);
      assert.equal((await allocate(server, 'Example-Carrier-Service', [theirs], other.ApiKey)).body[0].StatusCode, 200);

      assertError(await api(server, 'PUT', `/consignments/${theirs}/deallocate`), 404, 'ConsignmentNotFound');
      const list = await api(server, 'PUT', '/consignments/deallocatelist', { body: [theirs] });
      assert.equal(list.status, 200, list.text);
      assert.equal(list.body.length, 1);
      assert.equal(list.body[0].IsSuccess, false);
      assert.match(list.body[0].Message, /not found/i);
      assertError(await api(server, 'GET', `/consignments/${theirs}/audit`), 404, 'ConsignmentNotFound');

      const still = await getConsignment(server, theirs, other.ApiKey);
      assert.equal(still.ConsignmentState, 'Allocated', 'their consignment is untouched');
    });
  });

  describe('allocation results and messages', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    it("gives a 422 item the carrier's name and reference", async () => {
      const ref = await createConsignment(server, { packages: [{ kg: 40 }] });
      const res = await allocate(server, 'Example-Carrier-Service', [ref]);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body[0].StatusCode, 422, res.text);
      assert.equal(res.body[0].CarrierName, 'Carrier X');
      assert.equal(res.body[0].CarrierReference, 'CARRIER_X');
    });

    it('does not repeat the target in the Message of a single validation problem', async () => {
      const res = await api(server, 'PUT', '/allocation/allocatewithcarrierservice', { body: { MpdCarrierServiceReference: 'Example-Carrier-Service' } });
      const error = assertError(res, 400, 'ValidationFailed');
      assert.equal(error.Details.length, 1, JSON.stringify(error.Details));
      assert.equal(error.Message, error.Details[0].Message);
      assert.doesNotMatch(error.Message, /^(\S+): \1 /);

      const create = await api(server, 'POST', '/consignments', { body: consignmentRequest({ packages: [{ kg: -1 }] }) });
      const createError = assertError(create, 400, 'ValidationFailed');
      assert.equal(createError.Details.length, 1, JSON.stringify(createError.Details));
      assert.equal(createError.Message, createError.Details[0].Message);
      assert.doesNotMatch(createError.Message, /^(\S+): \1 /);
    });
  });

  describe('date-times written by the server', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    it('writes DateCreated, AllocationDate and audit Timestamps with a numeric offset, never Z', async () => {
      const ref = await createConsignment(server);
      const created = await getConsignment(server, ref);
      assert.match(created.DateCreated, /\+00:00$/);
      assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 200);
      const allocated = await getConsignment(server, ref);
      assert.match(allocated.Allocation.AllocationDate, /[+-]\d\d:\d\d$/);
      const audit = await api(server, 'GET', `/consignments/${ref}/audit`);
      assert.equal(audit.status, 200, audit.text);
      assert.ok(audit.body.length >= 2);
      for (const e of audit.body) assert.match(e.Timestamp, /[+-]\d\d:\d\d$/, JSON.stringify(e));
    });

    it('writes the AttemptedAllocationDate of a failed allocation with a numeric offset too', async () => {
      const ref = await createConsignment(server, { packages: [{ kg: 40 }] });
      assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 422);
      const c = await getConsignment(server, ref);
      assert.match(c.FailedAllocation.AttemptedAllocationDate, /[+-]\d\d:\d\d$/);
    });
  });
});
