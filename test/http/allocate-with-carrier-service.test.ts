import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { allocate, createConsignment, createSubscription } from '../support/consignments.js';

const SEED_JSON = `{
  "MpdCarrierServiceReference": "Example-Carrier-Service",
  "ConsignmentReferences": [
    "EC-000-05A-Z6S",
    "EC-000-083-45D",
    "EC-000-A04-0DV"
  ]
}`;

const SEED_XML = `<?xml version="1.0" encoding="utf-8"?>
<AllocateConsignmentsWithCarrierServiceRequest xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Consignments">
  <ConsignmentReferences>
    <string>EC-000-05A-Z6S</string>
    <string>EC-000-083-45D</string>
    <string>EC-000-A04-0DV</string>
  </ConsignmentReferences>
  <MpdCarrierServiceReference>Example-Carrier-Service</MpdCarrierServiceReference>
</AllocateConsignmentsWithCarrierServiceRequest>`;

const SEED_REFS = ['EC-000-05A-Z6S', 'EC-000-083-45D', 'EC-000-A04-0DV'];

async function state(server: TestServer, ref: string, key?: string): Promise<string> {
  const res = await api(server, 'GET', `/consignments/${ref}`, { key });
  assert.equal(res.status, 200, res.text);
  return res.body.ConsignmentState;
}

describe(`Allocate With Carrier Service over HTTP (${databaseUnderTest})`, { skip: skipReason }, () => {
  describe('the seed examples, verbatim', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    it('allocates the three demo consignments from the JSON example', async () => {
      const res = await api(server, 'PUT', '/allocation/allocatewithcarrierservice', { body: SEED_JSON });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.length, 3);
      res.body.forEach((item: any, i: number) => {
        assert.equal(item.StatusCode, 200);
        assert.equal(item.IsSuccess, true);
        assert.equal(item.ConsignmentReference, SEED_REFS[i]);
        assert.equal(item.Data, SEED_REFS[i]);
        assert.equal(item.CarrierServiceReference, 'Example-Carrier-Service');
        assert.equal(item.CarrierReference, 'CARRIER_X');
        assert.equal(item.CarrierName, 'Carrier X');
        assert.equal(item.CarrierServiceName, 'Next Day');
        assert.match(item.Description, new RegExp(`^Consignment ${SEED_REFS[i]} has been successfully allocated with Carrier X Next Day for shipping on 18/11/2026 17:30:00 \\+00:00$`));
        assert.equal(item.Message, item.Description);
        assert.deepEqual(item.ApiLinks.map((l: any) => l.Rel), ['detail', 'label']);
        assert.ok(item.ApiLinks[0].Href.endsWith(`/consignments/${SEED_REFS[i]}`));
        assert.equal(item.ConsignmentLegs.length, 1);
        assert.match(item.ConsignmentLegs[0].TrackingReferences[0], /^CX\d{11}GB$/);
        assert.equal(item.ConsignmentLegs[0].TrackingReference, item.ConsignmentLegs[0].TrackingReferences[0]);
      });
      const tracking = new Set(res.body.map((i: any) => i.ConsignmentLegs[0].TrackingReferences[0]));
      assert.equal(tracking.size, 3, 'tracking numbers are unique');
      for (const ref of SEED_REFS) assert.equal(await state(server, ref), 'Allocated');
    });

    it('records the allocation, dates and legs on the consignment', async () => {
      const res = await api(server, 'GET', '/consignments/EC-000-05A-Z6S');
      const c = res.body;
      assert.equal(c.Allocation.MpdCarrierServiceReference, 'Example-Carrier-Service');
      assert.equal(c.Allocation.MpdCarrierServiceName, 'Next Day');
      assert.equal(c.Allocation.CarrierServiceGroupReference, '');
      assert.equal(c.CollectionDate, '2026-11-18T17:30:00+00:00');
      assert.equal(c.EarliestDeliveryDate, '2026-11-19T08:00:00+00:00');
      assert.equal(c.LatestDeliveryDate, '2026-11-19T18:00:00+00:00');
      assert.equal(c.ConsignmentLegs[0].CarrierServiceReference, 'CX_ND');
      assert.equal(c.Packages[0].ConsignmentLegs[0].TrackingReferences.length, 1);
      const status = await api(server, 'GET', '/consignments/ec-000-05a-z6s/status');
      assert.equal(status.body.Status, 'Allocated');
      assert.equal(status.body.ExpectedDeliveryDate, '2026-11-19T08:00:00+00:00');
      assert.equal(status.body.ConsignmentReferenceForAllLegsAssignedByMpd, 'EC-000-05A-Z6S');
    });

    it('answers a retry of the XML example with the existing allocations, in XML', async () => {
      const before = await api(server, 'GET', '/consignments/EC-000-083-45D');
      const res = await api(server, 'PUT', '/allocation/allocateWithCarrierService', { body: SEED_XML, headers: { accept: 'application/xml' } });
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/xml/);
      assert.match(res.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<ArrayOfAllocationSummary xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.Consignments"/);
      assert.equal(res.text.match(/<StatusCode>200<\/StatusCode>/g)?.length, 3);
      const trackingBefore = before.body.ConsignmentLegs[0].TrackingReferences[0];
      assert.ok(res.text.includes(`<string>${trackingBefore}</string>`), 'the existing tracking reference is returned');
      const afterRes = await api(server, 'GET', '/consignments/EC-000-083-45D');
      assert.deepEqual(afterRes.body.Allocation, before.body.Allocation, 'nothing new is recorded');
    });
  });

  describe('the XML example on a fresh server', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    it('allocates from the XML request and answers JSON by default', async () => {
      const res = await api(server, 'PUT', '/allocation/allocatewithcarrierservice', { body: SEED_XML, contentType: 'text/xml' });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.map((i: any) => [i.ConsignmentReference, i.StatusCode]), SEED_REFS.map((r) => [r, 200]));
    });
  });

  describe('outcomes per consignment', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    it('reports a mixed batch as 200, 409 and 422 in request order', async () => {
      const ok = await createConsignment(server);
      const heavy = await createConsignment(server, { packages: [{ kg: 32 }] });
      const elsewhere = await createConsignment(server);
      assert.equal((await allocate(server, 'CX-ECONOMY-48', [elsewhere])).body[0].StatusCode, 200);
      const res = await allocate(server, 'Example-Carrier-Service', [heavy, ok, elsewhere]);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.map((i: any) => [i.ConsignmentReference, i.StatusCode]), [[heavy, 422], [ok, 200], [elsewhere, 409]]);
      const failed = res.body[0];
      assert.equal(failed.IsSuccess, false);
      assert.match(failed.Description, new RegExp(`^Consignment ${heavy} could not be allocated with Carrier X Next Day: PackageTooHeavy: package EP-[0-9A-Z-]+ weighs 32 kg; the limit is 30 kg$`));
      assert.deepEqual(failed.ApiLinks.map((l: any) => l.Rel), ['detail']);
      assert.equal(res.body[2].Description, `Consignment ${elsewhere} cannot be allocated: it is Allocated`);
      assert.equal(await state(server, heavy), 'AllocationFailed');
      assert.equal(await state(server, elsewhere), 'Allocated');
      const elsewhereNow = await api(server, 'GET', `/consignments/${elsewhere}`);
      assert.equal(elsewhereNow.body.Allocation.MpdCarrierServiceReference, 'CX-ECONOMY-48', 'a 409 changes nothing');
    });

    it('records every failed check with its numbers on the consignment', async () => {
      const ref = await createConsignment(server, {
        packages: [{ kg: 40, dims: [150, 60, 50] }, { kg: 1 }],
        destination: { postcode: 'BT1 1AA', town: 'Belfast' },
        tags: ['Fragile'],
      });
      const res = await allocate(server, 'Example-Carrier-Service', [ref]);
      const codes = res.body[0].FailureReasons.map((r: any) => r.Code);
      assert.deepEqual(codes, ['PostcodeExcluded', 'PackageTooHeavy', 'PackageTooLong', 'LengthPlusGirthExceeded', 'TagsNotMatched']);
      const c = (await api(server, 'GET', `/consignments/${ref}`)).body;
      assert.equal(c.ConsignmentState, 'AllocationFailed');
      assert.equal(c.FailedAllocation.MpdCarrierServiceReference, 'Example-Carrier-Service');
      assert.match(c.FailedAllocation.Message, /PackageTooLong: package EP-\S+ is 150 cm long; the limit is 100 cm/);
      assert.match(c.FailedAllocation.Message, /LengthPlusGirthExceeded: package EP-\S+ measures 370 cm length plus girth; the limit is 300 cm/);
      assert.match(c.FailedAllocation.Message, /PostcodeExcluded: destination postcode BT1 1AA is in BT/);
      assert.equal(c.Allocation, null);
    });

    it('allocates a failed consignment to a service that can take it, keeping the last failure as history', async () => {
      const ref = await createConsignment(server, { packages: [{ kg: 45, dims: [120, 80, 60] }] });
      assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 422);
      const res = await allocate(server, 'NP-HEAVY-FREIGHT', [ref]);
      assert.equal(res.body[0].StatusCode, 200, res.text);
      assert.match(res.body[0].ConsignmentLegs[0].TrackingReferences[0], /^NP\d{12}$/);
      const c = (await api(server, 'GET', `/consignments/${ref}`)).body;
      assert.equal(c.ConsignmentState, 'Allocated');
      assert.equal(c.FailedAllocation.MpdCarrierServiceReference, 'Example-Carrier-Service');
      const audit = (await api(server, 'GET', `/consignments/${ref}/audit`)).body;
      assert.deepEqual(audit.map((e: any) => e.Action), ['Created', 'AllocationFailed', 'Allocated']);
    });

    it('gives every package its own tracking reference on every leg of a multi-leg journey', async () => {
      const ref = await createConsignment(server, { packages: [{ kg: 3 }, { kg: 4 }], destination: { country: 'FR', postcode: '75001', town: 'Paris' } });
      const res = await allocate(server, 'EL-EU-ROAD', [ref]);
      assert.equal(res.body[0].StatusCode, 200, res.text);
      const legs = res.body[0].ConsignmentLegs;
      assert.deepEqual(legs.map((l: any) => [l.Leg, l.CarrierReference, l.TrackingReferences.length]), [[1, 'NORTHERN_PARCELS', 2], [2, 'EUROLINK', 2]]);
      const c = (await api(server, 'GET', `/consignments/${ref}`)).body;
      assert.equal(c.Packages[1].ConsignmentLegs[1].TrackingReferences[0], legs[1].TrackingReferences[1]);
    });

    it('merges duplicate references, first occurrence first, case-insensitively', async () => {
      const a = await createConsignment(server);
      const b = await createConsignment(server);
      const res = await allocate(server, 'example-carrier-service', [b, a.toLowerCase(), b, a]);
      assert.deepEqual(res.body.map((i: any) => i.ConsignmentReference), [b, a]);
      assert.equal(res.body[0].CarrierServiceReference, 'Example-Carrier-Service', 'responses use the stored spelling');
    });
  });

  describe('refusals that change nothing', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    it('answers 404 CarrierServiceNotFound for an unknown service', async () => {
      const ref = await createConsignment(server);
      const res = await allocate(server, 'NO-SUCH-SERVICE', [ref]);
      assert.equal(res.status, 404);
      assert.equal(res.body.Code, 'CarrierServiceNotFound');
      assert.equal(await state(server, ref), 'Unallocated');
    });

    it('answers 404 ConsignmentNotFound listing each missing reference, allocating none of the others', async () => {
      const ref = await createConsignment(server);
      const res = await allocate(server, 'Example-Carrier-Service', [ref, 'EC-ZZZ-ZZZ-ZZ1', 'EC-ZZZ-ZZZ-ZZ2']);
      assert.equal(res.status, 404);
      assert.equal(res.body.Code, 'ConsignmentNotFound');
      assert.deepEqual(res.body.Details.map((d: any) => d.Target), ['EC-ZZZ-ZZZ-ZZ1', 'EC-ZZZ-ZZZ-ZZ2']);
      assert.equal(typeof res.body.CorrelationId, 'string');
      assert.equal(res.headers.get('x-correlation-id'), res.body.CorrelationId);
      assert.equal(await state(server, ref), 'Unallocated');
    });

    it("treats another subscription's consignment as absent", async () => {
      const other = await createSubscription(server, 'Other shop');
      const theirs = await createConsignment(server, { origin: { postcode: 'LS1 4AP', town: 'Leeds' } }, other.ApiKey);
      const res = await allocate(server, 'Example-Carrier-Service', [theirs]);
      assert.equal(res.status, 404);
      assert.equal(res.body.Code, 'ConsignmentNotFound');
      assert.equal((await api(server, 'GET', `/consignments/${theirs}`)).status, 404);
      assert.equal(await state(server, theirs, other.ApiKey), 'Unallocated');
      const own = await allocate(server, 'Example-Carrier-Service', [theirs], other.ApiKey);
      assert.equal(own.body[0].StatusCode, 200, own.text);
    });

    it('answers 404 for a service the subscription has not enabled', async () => {
      const other = await createSubscription(server, 'Narrow shop');
      const disabled = await api(server, 'DELETE', `/admin/subscriptions/${other.Reference}/services/Example-Carrier-Service`, { key: null, headers: { authorization: 'Bearer test-admin-token' } });
      assert.equal(disabled.status, 204);
      const ref = await createConsignment(server, { origin: { postcode: 'LS1 4AP' } }, other.ApiKey);
      const res = await allocate(server, 'Example-Carrier-Service', [ref], other.ApiKey);
      assert.equal(res.status, 404);
      assert.equal(res.body.Code, 'CarrierServiceNotFound');
      const services = await api(server, 'GET', '/carrierservices', { key: other.ApiKey });
      assert.ok(!services.body.MpdCarrierServices.some((s: any) => s.Reference === 'Example-Carrier-Service'));
    });

    it('validates the body before anything changes, one detail per problem', async () => {
      const ref = await createConsignment(server);
      const cases: [unknown, string[]][] = [
        [{ ConsignmentReferences: [ref] }, ['MpdCarrierServiceReference']],
        [{ MpdCarrierServiceReference: '  ', ConsignmentReferences: [] }, ['MpdCarrierServiceReference', 'ConsignmentReferences']],
        [{ MpdCarrierServiceReference: 'Example-Carrier-Service', ConsignmentReferences: [ref, 42, null] }, ['ConsignmentReferences[1]', 'ConsignmentReferences[2]']],
        [{ MpdCarrierServiceReference: 7, ConsignmentReferences: 'EC-000-05A-Z6S' }, ['MpdCarrierServiceReference', 'ConsignmentReferences']],
        [{ MpdCarrierServiceReference: '', ConsignmentReferences: [1] }, ['ConsignmentReferences[0]', 'MpdCarrierServiceReference']],
        [{ MpdCarrierServiceReference: 'Example-Carrier-Service', ConsignmentReferences: Array.from({ length: 10_001 }, (_, i) => `EC-${i}`) }, ['ConsignmentReferences']],
      ];
      for (const [body, targets] of cases) {
        const res = await allocate(server, '', []).then(() => api(server, 'PUT', '/allocation/allocatewithcarrierservice', { body }));
        assert.equal(res.status, 400, JSON.stringify(body).slice(0, 100));
        assert.equal(res.body.Code, 'ValidationFailed');
        assert.deepEqual(res.body.Details.map((d: any) => d.Target), targets);
      }
      assert.equal(await state(server, ref), 'Unallocated');
    });

    it('accepts property names in any case and ignores unknown ones', async () => {
      const ref = await createConsignment(server);
      const res = await api(server, 'PUT', '/ALLOCATION/AllocateWithCarrierService/', {
        body: { mpdcarrierservicereference: 'Example-Carrier-Service', consignmentREFERENCES: [ref], Extra: { Nested: true } },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body[0].StatusCode, 200);
    });
  });

  describe('deallocation', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    it('returns an allocated consignment to Unallocated so it can be allocated again', async () => {
      const ref = await createConsignment(server);
      await allocate(server, 'Example-Carrier-Service', [ref]);
      const res = await api(server, 'PUT', `/consignments/${ref.toLowerCase()}/deallocate`, { body: '""', contentType: 'application/json' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.text, '');
      const c = (await api(server, 'GET', `/consignments/${ref}`)).body;
      assert.equal(c.ConsignmentState, 'Unallocated');
      assert.equal(c.Allocation, null);
      assert.deepEqual(c.ConsignmentLegs, []);
      const again = await allocate(server, 'CX-ECONOMY-48', [ref]);
      assert.equal(again.body[0].StatusCode, 200);
    });

    it('refuses to deallocate an unallocated consignment with 409 InvalidState naming the state', async () => {
      const ref = await createConsignment(server);
      const res = await api(server, 'PUT', `/consignments/${ref}/deallocate`);
      assert.equal(res.status, 409);
      assert.equal(res.body.Code, 'InvalidState');
      assert.match(res.body.Message, /it is Unallocated/);
      assert.equal((await api(server, 'PUT', '/consignments/EC-ZZZ-ZZZ-ZZZ/deallocate')).status, 404);
    });

    it('deallocates a list, one WithMessage entry per reference in order', async () => {
      const a = await createConsignment(server);
      const b = await createConsignment(server);
      await allocate(server, 'Example-Carrier-Service', [a]);
      const res = await api(server, 'PUT', '/consignments/deallocatelist', { body: [a, b, 'EC-ZZZ-ZZZ-ZZZ'] });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.map((r: any) => [r.Data, r.IsSuccess]), [[a, true], [b, false], ['EC-ZZZ-ZZZ-ZZZ', false]]);
      assert.equal(res.body[0].Message, 'Consignment deallocation completed successfully');
      assert.match(res.body[1].Message, /it is Unallocated/);
      const xml = await api(server, 'PUT', '/consignments/deallocatelist', {
        body: `<ArrayOfString><string>${a}</string></ArrayOfString>`,
        headers: { accept: 'text/xml' },
      });
      assert.match(xml.text, /<ArrayOfWithMessageOfString xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.Consignments"/);
      assert.match(xml.text, /<IsSuccess>false<\/IsSuccess>/);
    });
  });
});
