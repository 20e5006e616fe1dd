/**
 * The allocation endpoints that choose the service (decisions.md §4.10): default rules, cheapest
 * quote, service groups, service filters — the cheapest qualifying service by gross price, ties
 * broken by earliest delivery then reference, against a catalogue whose prices are known
 * (test/support/rated-catalogue.ts), with the subscription's rules applied.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { consignmentCount, createConsignment, createSubscription, getConsignment, type ConsignmentSpec } from '../support/consignments.js';
import { RATED_PRICES_1KG_LEEDS, RATED_SERVICES as S, ratedCataloguePath } from '../support/rated-catalogue.js';
import { api, skipReason, startServer, type TestServer } from '../support/test-server.js';

/** The parcel the rated catalogue's prices are documented for. */
const PARCEL: ConsignmentSpec = { packages: [{ kg: 1, dims: [20, 20, 20] }], destination: { postcode: 'LS1 4AP', town: 'Leeds' } };
const TOO_HEAVY: ConsignmentSpec = { packages: [{ kg: 40, dims: [20, 20, 20] }], destination: { postcode: 'LS1 4AP', town: 'Leeds' } };

describe('allocation by price: default rules, cheapest quote, groups, filters', { skip: skipReason }, () => {
  let server: TestServer;
  const rules: string[] = [];
  const groups: string[] = [];

  before(async () => {
    server = await startServer({ env: { SWITCHYARD_CATALOGUE: ratedCataloguePath({ withUnrated: true }) } });
  });
  after(async () => server?.close());
  beforeEach(async () => {
    for (const r of rules.splice(0)) await api(server, 'DELETE', `/allocationrules/${r}`);
    for (const g of groups.splice(0)) await api(server, 'DELETE', `/serviceGroups/${g}`);
  });

  async function rule(body: Record<string, unknown>) {
    const res = await api(server, 'POST', '/allocationrules', { body: { Name: `rule ${body.Reference}`, ...body } });
    assert.equal(res.status, 201, res.text);
    rules.push(String(body.Reference));
  }

  async function group(reference: string, services: string[], isEnabled = true) {
    const res = await api(server, 'POST', '/serviceGroups', { body: { Reference: reference, Name: `Group ${reference}`, IsEnabled: isEnabled, MpdCarrierServiceReferences: services } });
    assert.equal(res.status, 201, res.text);
    groups.push(reference);
  }

  const allocateByDefault = (references: string[], options: { key?: string } = {}) =>
    api(server, 'PUT', '/allocation/allocate', { body: { ConsignmentReferences: references }, key: options.key });

  it('allocates to the cheapest qualifying service and records its price', async () => {
    const ref = await createConsignment(server, PARCEL);
    const res = await allocateByDefault([ref]);
    assert.equal(res.status, 200, res.text);
    const [item] = res.body;
    assert.equal(item.StatusCode, 200);
    assert.equal(item.CarrierServiceReference, S.economy);
    assert.match(item.Description, new RegExp(`^Consignment ${ref} has been successfully allocated with Rated Carrier Economy for shipping on `));
    const c = await getConsignment(server, ref);
    assert.equal(c.ConsignmentState, 'Allocated');
    assert.equal(c.Allocation.MpdCarrierServiceReference, S.economy);
    const expected = RATED_PRICES_1KG_LEEDS[S.economy];
    assert.deepEqual([c.Allocation.Price.Net, c.Allocation.Price.VatAmount, c.Allocation.Price.Gross], [expected.net, expected.vatAmount, expected.gross]);
    assert.equal(c.Allocation.CarrierServiceGroupReference, '');
  });

  it('breaks a tie on gross price by earliest delivery, then by reference, once a rule removes the cheapest', async () => {
    await rule({ Reference: 'NO-ECONOMY', Action: 'Exclude', MpdCarrierServiceReferences: [S.economy] });
    const ref = await createConsignment(server, PARCEL);
    const [item] = (await allocateByDefault([ref])).body;
    // RC-EXPRESS-A, RC-EXPRESS-B and RC-A-DEFERRED all cost 5.94; the express ones deliver two days
    // earlier, and of those RC-EXPRESS-A comes first by reference.
    assert.equal(item.CarrierServiceReference, S.expressA, item.Description);
    assert.equal((await getConsignment(server, ref)).Allocation.Price.Gross, 5.94);
  });

  it('obeys a rule change at once: deleting the rule brings the cheapest back', async () => {
    await rule({ Reference: 'NO-ECONOMY-2', Action: 'Exclude', MpdCarrierServiceReferences: [S.economy] });
    const first = await createConsignment(server, PARCEL);
    assert.equal((await allocateByDefault([first])).body[0].CarrierServiceReference, S.expressA);
    assert.equal((await api(server, 'DELETE', '/allocationrules/NO-ECONOMY-2')).status, 200);
    rules.pop();
    const second = await createConsignment(server, PARCEL);
    assert.equal((await allocateByDefault([second])).body[0].CarrierServiceReference, S.economy);
  });

  it('never chooses a service that cannot price the consignment', async () => {
    // Every priced service excluded: RC-UNRATED qualifies but has no rate card, so nothing can be chosen.
    await rule({ Reference: 'ONLY-UNRATED', Action: 'Exclude', MpdCarrierServiceReferences: [S.economy, S.expressA, S.expressB, S.deferred] });
    const ref = await createConsignment(server, PARCEL);
    const [item] = (await allocateByDefault([ref])).body;
    assert.equal(item.StatusCode, 422);
    const codes = item.FailureReasons.map((r: any) => `${r.MpdCarrierServiceReference}:${r.Code}`).sort();
    assert.deepEqual(codes, [`${S.deferred}:RuleExcluded`, `${S.economy}:RuleExcluded`, `${S.expressA}:RuleExcluded`, `${S.expressB}:RuleExcluded`, `${S.unrated}:NoRates`].sort());
  });

  it('marks a consignment no service can carry AllocationFailed, saying per service why', async () => {
    const ref = await createConsignment(server, TOO_HEAVY);
    const [item] = (await allocateByDefault([ref])).body;
    assert.equal(item.StatusCode, 422);
    assert.equal(item.IsSuccess, false);
    assert.equal(item.CarrierServiceReference, null);
    assert.match(item.Description, new RegExp(`^Consignment ${ref} could not be allocated by the default rules: none of the 5 services considered qualified\\. `));
    for (const service of Object.values(S)) assert.match(item.Description, new RegExp(`\\(${service}\\): PackageTooHeavy: package EP-\\S+ weighs 40 kg; the limit is 30 kg`));
    const c = await getConsignment(server, ref);
    assert.equal(c.ConsignmentState, 'AllocationFailed');
    assert.equal(c.FailedAllocation.Message, item.Description);
    assert.equal(c.FailedAllocation.MpdCarrierServiceReference, '');
    // Each priced service also cannot price 40 kg (its heaviest band is 30 kg); RC-UNRATED has no rates at all.
    const reasons = c.FailedAllocation.Reasons.map((r: any) => `${r.MpdCarrierServiceReference}:${r.Code}`);
    for (const service of Object.values(S)) assert.ok(reasons.includes(`${service}:PackageTooHeavy`), reasons.join());
    assert.ok(reasons.includes(`${S.economy}:NoRateForWeight`) && reasons.includes(`${S.unrated}:NoRates`), reasons.join());
  });

  it('answers a batch in request order, each consignment on its own; 404 and nothing changed for an unknown reference', async () => {
    const cheap = await createConsignment(server, PARCEL);
    const heavy = await createConsignment(server, TOO_HEAVY);
    const res = await allocateByDefault([heavy, cheap]);
    assert.deepEqual(res.body.map((i: any) => [i.ConsignmentReference, i.StatusCode]), [[heavy, 422], [cheap, 200]]);
    assert.equal(res.body[1].StatusCode, 200);
    // Sent again (a retry): the allocation made is the answer, nothing new is recorded.
    const again = await allocateByDefault([cheap]);
    assert.equal(again.body[0].StatusCode, 200);
    assert.deepEqual(again.body[0].ConsignmentLegs, res.body[1].ConsignmentLegs);
    const audit = (await api(server, 'GET', `/consignments/${cheap}/audit`)).body;
    assert.equal(audit.filter((e: any) => e.Action === 'Allocated').length, 1);
    // Allocated within a group, the group's endpoint answers the same; one it is not in answers 409.
    await group('notIt', [S.expressA]);
    const other = await api(server, 'PUT', `/allocation/${cheap}/allocatewithservicegroup/notIt`);
    assert.equal(other.body[0].StatusCode, 409);
    assert.equal(other.body[0].Description, `Consignment ${cheap} cannot be allocated: it is Allocated`);

    const fresh = await createConsignment(server, PARCEL);
    const missing = await allocateByDefault([fresh, 'EC-ZZZ-ZZZ-ZZZ']);
    assertError(missing, 404, 'ConsignmentNotFound');
    assert.equal((await getConsignment(server, fresh)).ConsignmentState, 'Unallocated');
  });

  it('validates the body before anything changes', async () => {
    assertError(await api(server, 'PUT', '/allocation/allocate', { body: {} }), 400, 'ValidationFailed');
    assertError(await api(server, 'PUT', '/allocation/allocate', { body: { ConsignmentReferences: [] } }), 400, 'ValidationFailed');
    const res = await api(server, 'PUT', '/allocation/allocate', { body: { ConsignmentReferences: ['EC-000-000-001', 7] } });
    assertError(res, 400, 'ValidationFailed');
  });

  it('works in XML, as the SDK sends it', async () => {
    const ref = await createConsignment(server, PARCEL);
    const xml = `<AllocateConsignmentsRequest xmlns="http://electioapp.com/schemas/v1/MPD.Electio.SDK.DataTypes.Consignments"><ConsignmentReferences><string>${ref}</string></ConsignmentReferences></AllocateConsignmentsRequest>`;
    const res = await api(server, 'PUT', '/allocation/allocate', { body: xml, headers: { accept: 'application/xml' } });
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /^<\?xml[^>]*\?>\s*<ArrayOfAllocationSummary /);
    assert.match(res.text, new RegExp(`<CarrierServiceReference>${S.economy}</CarrierServiceReference>`));
  });

  it('allocatewithcheapestquote allocates one consignment the same way, answering a one-item array', async () => {
    const ref = await createConsignment(server, PARCEL);
    const res = await api(server, 'PUT', `/allocation/${ref.toLowerCase()}/allocatewithcheapestquote`, { body: '""', contentType: 'application/json' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.length, 1);
    assert.equal(res.body[0].ConsignmentReference, ref);
    assert.equal(res.body[0].CarrierServiceReference, S.economy);
    assertError(await api(server, 'PUT', '/allocation/EC-ZZZ-ZZZ-ZZZ/allocatewithcheapestquote'), 404, 'ConsignmentNotFound');
  });

  it('a service group: the cheapest of its services, recorded with the group', async () => {
    await group('expressOnly', [S.expressB, S.deferred]);
    const ref = await createConsignment(server, PARCEL);
    const res = await api(server, 'PUT', `/allocation/${ref}/allocatewithservicegroup/EXPRESSONLY`);
    assert.equal(res.status, 200, res.text);
    // Both cost 5.94; RC-EXPRESS-B delivers first.
    assert.equal(res.body[0].CarrierServiceReference, S.expressB);
    const c = await getConsignment(server, ref);
    assert.equal(c.Allocation.CarrierServiceGroupReference, 'expressOnly');
    assert.equal(c.Allocation.MpdCarrierServiceGroupName, 'Group expressOnly');
  });

  it('a group with no eligible service fails the consignment, naming the group and each service', async () => {
    await group('heavyless', [S.economy, S.expressA]);
    const ref = await createConsignment(server, TOO_HEAVY);
    const [item] = (await api(server, 'PUT', `/allocation/${ref}/allocatewithservicegroup/heavyless`)).body;
    assert.equal(item.StatusCode, 422);
    assert.match(item.Description, /could not be allocated with service group heavyless \(Group heavyless\): none of the 2 services considered qualified/);
    const c = await getConsignment(server, ref);
    assert.equal(c.ConsignmentState, 'AllocationFailed');
    assert.equal(c.FailedAllocation.CarrierServiceGroupReference, 'heavyless');
  });

  it('an unknown, disabled or other subscription\'s group is 404 ServiceGroupNotFound, and nothing changes', async () => {
    await group('sleeping', [S.economy], false);
    const ref = await createConsignment(server, PARCEL);
    assertError(await api(server, 'PUT', `/allocation/${ref}/allocatewithservicegroup/nope`), 404, 'ServiceGroupNotFound');
    assertError(await api(server, 'PUT', `/allocation/${ref}/allocatewithservicegroup/sleeping`), 404, 'ServiceGroupNotFound');
    const other = await createSubscription(server, 'Group stranger');
    await api(server, 'POST', '/serviceGroups', { key: other.ApiKey, body: { Reference: 'theirs', Name: 'Theirs', MpdCarrierServiceReferences: [S.economy] } });
    assertError(await api(server, 'PUT', `/allocation/${ref}/allocatewithservicegroup/theirs`), 404, 'ServiceGroupNotFound');
    assert.equal((await getConsignment(server, ref)).ConsignmentState, 'Unallocated');
  });

  it('allocateWithServiceGroup (the SDK) takes a list and the group in the body', async () => {
    await group('sdkGroup', [S.expressA, S.economy]);
    const refs = [await createConsignment(server, PARCEL), await createConsignment(server, PARCEL)];
    const res = await api(server, 'PUT', '/allocation/allocateWithServiceGroup', { body: { ConsignmentReferences: refs, MpdCarrierServiceGroupReference: 'sdkgroup' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.map((i: any) => i.CarrierServiceReference), [S.economy, S.economy]);
    assertError(await api(server, 'PUT', '/allocation/allocateWithServiceGroup', { body: { ConsignmentReferences: refs } }), 400, 'ValidationFailed');
  });

  it('service filters narrow the candidates; rules still apply', async () => {
    const ref = await createConsignment(server, PARCEL);
    const inbound = await api(server, 'PUT', '/allocation/allocateConsignmentsWithServiceFilters', { body: { ConsignmentReferences: [ref], Filters: { ServiceDirection: 'Inbound' } } });
    assert.equal(inbound.status, 200, inbound.text);
    assert.equal(inbound.body[0].StatusCode, 422);
    assert.match(inbound.body[0].Description, /there is no service to consider/);

    await rule({ Reference: 'NO-ECONOMY-3', Action: 'Exclude', MpdCarrierServiceReferences: [S.economy] });
    const outbound = await api(server, 'PUT', '/allocation/allocateConsignmentsWithServiceFilters', {
      body: { ConsignmentReferences: [ref], Filters: { ServiceDirection: 'outbound', IsPickup: false, IsDropOff: false } },
    });
    assert.equal(outbound.body[0].StatusCode, 200, outbound.text);
    assert.equal(outbound.body[0].CarrierServiceReference, S.expressA);
  });

  it("another subscription's consignments are 404 to every choosing endpoint", async () => {
    const other = await createSubscription(server, 'Stranger');
    const ref = await createConsignment(server, PARCEL);
    const before = await consignmentCount(server);
    assertError(await allocateByDefault([ref], { key: other.ApiKey }), 404, 'ConsignmentNotFound');
    assertError(await api(server, 'PUT', `/allocation/${ref}/allocatewithcheapestquote`, { key: other.ApiKey }), 404, 'ConsignmentNotFound');
    assert.equal((await getConsignment(server, ref)).ConsignmentState, 'Unallocated');
    assert.equal(await consignmentCount(server), before);
  });
});
