/**
 * Searching and counting consignments over real HTTP (endpoints.md P1-32 to P1-37): every
 * criterion with a match and a miss, AND-combination, paging and Count, order, the state summary
 * and count, the references search, XML, bad values, and tenant isolation. The searches run in a
 * subscription of their own, so that the demo consignments do not blur what each criterion finds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { assertError } from '../support/assertions.js';
import { allocate, createSubscription, getConsignment } from '../support/consignments.js';
import { SettableClock, forceState, subscriptionId } from '../support/force-state.js';

interface Spec {
  crpc: string;
  origin?: 'DEPOT-LDS';
  destination: { line1: string; town: string; postcode: string; country?: string; region?: string; company?: string; first?: string; last?: string };
  packages: { kg: number; value: number; currency?: string }[];
  extra?: Record<string, unknown>;
}

function body(spec: Spec): Record<string, unknown> {
  const d = spec.destination;
  return {
    ConsignmentReferenceProvidedByCustomer: spec.crpc,
    Packages: spec.packages.map((p, i) => ({
      Description: `Parcel ${i + 1}`,
      Weight: { Value: p.kg, Unit: 'Kg' },
      Dimensions: { Unit: 'Cm', Length: 30, Width: 20, Height: 10 },
      Value: { Amount: p.value, Currency: { IsoCode: p.currency ?? 'GBP' } },
    })),
    Addresses: [
      spec.origin
        ? { AddressType: 'Origin', ShippingLocationReference: spec.origin }
        : { AddressType: 'Origin', AddressLine1: '1 Mill Lane', Town: 'Manchester', Postcode: 'M1 1AA', Country: { IsoCode: { TwoLetterCode: 'GB' } } },
      {
        AddressType: 'Destination',
        Contact: { FirstName: d.first ?? 'Sam', LastName: d.last ?? 'Tester' },
        CompanyName: d.company ?? null,
        AddressLine1: d.line1,
        Town: d.town,
        Region: d.region ?? null,
        Postcode: d.postcode,
        Country: { IsoCode: { TwoLetterCode: d.country ?? 'GB' } },
      },
    ],
    ...spec.extra,
  };
}

describe(`Consignment search (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  const clock = new SettableClock('2026-11-01T09:00:00Z');
  let key: string;
  /** The consignments of the searching subscription, by role. */
  const c = { a: '', b: '', c: '', d: '', e: '' };
  let aTracking = '';
  let aDeliveryDay = '';
  let bPackages: string[] = [];
  let decoy = '';

  async function create(at: string, spec: Spec): Promise<string> {
    clock.set(at);
    const res = await api(server, 'POST', '/consignments', { body: body(spec), key });
    assert.equal(res.status, 201, res.text);
    return res.body[0].Href.split('/').pop();
  }

  /** A search as the searching subscription (or, with `demo`, as the demo subscription). */
  async function search(query: string, take = 100, skip = 0, demo = false): Promise<any> {
    const res = await api(server, 'GET', `/consignments/${take}/${skip}${query ? `?${query}` : ''}`, demo ? {} : { key });
    assert.equal(res.status, 200, `${query}: ${res.text}`);
    return res.body;
  }

  async function found(query: string): Promise<string[]> {
    return (await search(query)).ConsignmentSummaries.map((s: any) => s.Reference);
  }

  before(async () => {
    server = await startServer({ clock });
    const searcher = await createSubscription(server, 'Searcher');
    key = searcher.ApiKey;
    await server.app.ctx.locations.create(await subscriptionId(server, searcher.Reference), {
      reference: 'DEPOT-LDS',
      name: 'Leeds depot',
      locationType: 'Warehouse',
      defaultLocationForReturns: false,
      notes: null,
      timeZone: 'Europe/London',
      address: { contact: null, companyName: 'Searcher Ltd', customerName: null, addressLine1: '2 Wharf Street', addressLine2: null, addressLine3: null, town: 'Leeds', region: null, regionCode: null, postcode: 'LS2 7EQ', countryCode: 'GB', specialInstructions: null, latLong: null },
    });

    c.a = await create('2026-11-10T10:00:00Z', {
      crpc: 'ORDER-A1',
      origin: 'DEPOT-LDS',
      destination: { line1: '5 Kirkgate', town: 'Leeds', postcode: 'LS1 6BR', first: 'Ada', last: 'Lovelace' },
      packages: [{ kg: 2, value: 20 }],
      extra: { ShippingDate: '2026-11-20T00:00:00+00:00', MetaData: [{ KeyValue: 'Gift', BoolValue: true }] },
    });
    c.b = await create('2026-11-12T10:00:00Z', {
      crpc: 'order-b2',
      destination: { line1: '2 Harbour Road', town: 'Bristol', postcode: 'BS1 5TT', region: 'Avon', company: 'Harbour Books', first: 'Tom', last: 'Bright' },
      packages: [{ kg: 5, value: 50 }, { kg: 5, value: 50 }],
      extra: { RequiredDeliveryDate: { Date: '2026-11-25T00:00:00+00:00' }, Source: 'Web', Direction: 'Inbound' },
    });
    c.c = await create('2026-11-14T10:00:00Z', {
      crpc: 'ORDER-C3',
      origin: 'DEPOT-LDS',
      destination: { line1: '1 Rue de Rivoli', town: 'Paris', postcode: '75001', country: 'FR' },
      packages: [{ kg: 1, value: 300, currency: 'EUR' }],
    });
    c.d = await create('2026-11-15T10:00:00Z', {
      crpc: 'ORDER-D4',
      destination: { line1: '10 Downing Street', town: 'London', postcode: 'SW1A 2AA' },
      packages: [{ kg: 0.5, value: 10 }],
    });
    c.e = await create('2026-11-16T08:00:00Z', {
      crpc: 'ORDER-E5',
      destination: { line1: '14 Chapel Street', town: 'Leeds', postcode: 'LS6 3JZ' },
      packages: [{ kg: 3, value: 15 }],
    });

    clock.set('2026-11-16T09:00:00Z');
    const allocated = await allocate(server, 'Example-Carrier-Service', [c.a, c.c], key);
    assert.deepEqual(allocated.body.map((r: any) => r.StatusCode), [200, 422], allocated.text);
    const a = await getConsignment(server, c.a, key);
    aTracking = a.ConsignmentLegs[0].TrackingReferences[0];
    aDeliveryDay = a.EarliestDeliveryDate.slice(0, 10);
    bPackages = (await getConsignment(server, c.b, key)).Packages.map((p: any) => p.Reference);
    assert.equal((await api(server, 'PUT', `/consignments/${c.d}/cancel`, { key })).status, 200);
    await forceState(server, c.e, 'InTransit');

    // The demo subscription holds a consignment with A's customer reference: it must never show up for the searcher.
    const res = await api(server, 'POST', '/consignments', { body: body({ crpc: 'ORDER-A1', destination: { line1: '5 Kirkgate', town: 'Leeds', postcode: 'LS1 6BR' }, packages: [{ kg: 2, value: 20 }] }) });
    decoy = res.body[0].Href.split('/').pop();
  });
  after(() => server.close());

  describe('GET /consignments/{take}/{skip}', () => {
    it('lists every consignment of the subscription, newest first, with Count', async () => {
      const page = await search('');
      assert.deepEqual(Object.keys(page), ['Count', 'ConsignmentSummaries']);
      assert.equal(page.Count, 5);
      assert.deepEqual(page.ConsignmentSummaries.map((s: any) => s.Reference), [c.e, c.d, c.c, c.b, c.a]);
    });

    it('presents each match as a ConsignmentSummary with the documented fields', async () => {
      const [a] = (await search(`reference=${c.a}`)).ConsignmentSummaries;
      assert.deepEqual(Object.keys(a), [
        'Reference', 'ConsignmentReferenceProvidedByCustomer', 'DateCreated', 'State', 'ShippingDate', 'MpdCarrierReference', 'MpdCarrierServiceReference',
        'AllocationDate', 'ShippedDate', 'Source', 'MpdCarrierServiceName', 'MpdCarrierServiceGroupName', 'MpdCarrierServiceGroupReference',
        'DestinationAddressLine1', 'DestinationAddressTown', 'DestinationAddressPostcode', 'DestinationAddressCountry', 'DestinationShippingLocationReference',
        'RequestedDeliveryDate', 'RequestedDeliveryDateIsToBeExactlyOnTheDateSpecified', 'LabelsPrinted', 'HaveLabelsEverBeenPrinted', 'DateLabelsWereFirstPrinted',
        'EstimatedDeliveryDate',
        'ShippingTerms', 'FailedAllocationAttemptedAllocationDate', 'FailedAllocationMessage', 'FailedAllocationMpdCarrierServiceReference',
        'FailedAllocationMpdCarrierServiceGroupName', 'FailedAllocationMpdCarrierServiceGroupReference', 'FailedAllocationMpdCarrierServiceName', 'IsLate',
        'DeliveryDate', 'DateDelivered', 'CollectionDate', 'DateCollected', 'CollectedDate', 'AttemptedDeliveryDate', 'Value', 'Weight', 'ApiLink',
        'FailedManifestMessage', 'FailedManifestTimeStamp',
      ]);
      assert.equal(a.ConsignmentReferenceProvidedByCustomer, 'ORDER-A1');
      assert.equal(a.DateCreated, '2026-11-10T10:00:00.000+00:00');
      assert.equal(a.State, 'Allocated');
      assert.equal(a.ShippingDate, (await getConsignment(server, c.a, key)).ShippingDate);
      assert.match(a.ShippingDate, /^2026-11-20T00:00:00/);
      assert.equal(a.MpdCarrierReference, 'CARRIER_X');
      assert.equal(a.MpdCarrierServiceReference, 'Example-Carrier-Service');
      assert.equal(a.MpdCarrierServiceName, 'Next Day');
      assert.equal(a.Source, 'Api');
      assert.equal(a.DestinationAddressLine1, '5 Kirkgate');
      assert.equal(a.DestinationAddressTown, 'Leeds');
      assert.equal(a.DestinationAddressPostcode, 'LS1 6BR');
      assert.equal(a.DestinationAddressCountry, 'GB');
      assert.equal(a.EstimatedDeliveryDate.slice(0, 10), aDeliveryDay);
      assert.match(a.CollectionDate, /^2026-11-20T/);
      assert.deepEqual(a.Value, { Amount: 20, Currency: { Name: 'Pound Sterling', IsoCode: 'GBP' } });
      assert.deepEqual(a.Weight, { Value: 2, Unit: 'Kg' });
      assert.deepEqual(a.ApiLink, { Rel: 'detail', Href: `${server.url}/consignments/${c.a}` });
      assert.equal(a.LabelsPrinted, false);
      assert.equal(a.FailedAllocationMessage, null);

      const [failed] = (await search(`reference=${c.c}`)).ConsignmentSummaries;
      assert.equal(failed.State, 'AllocationFailed');
      assert.match(failed.FailedAllocationMessage, /DestinationNotServed/);
      assert.equal(failed.FailedAllocationMpdCarrierServiceReference, 'Example-Carrier-Service');
      assert.equal(failed.MpdCarrierServiceReference, null);
      const [b] = (await search(`reference=${c.b}`)).ConsignmentSummaries;
      assert.equal(b.RequestedDeliveryDate, '2026-11-25T00:00:00+00:00');
      assert.equal(b.RequestedDeliveryDateIsToBeExactlyOnTheDateSpecified, false);
      assert.equal(b.Source, 'Web');
      assert.deepEqual(b.Weight, { Value: 10, Unit: 'Kg' });
    });

    // [query that matches, expected references (newest first), query that matches nothing]
    const cases: [query: string, expected: () => string[], miss: () => string][] = [
      ['createdDateFrom=2026-11-12&createdDateTo=2026-11-14', () => [c.c, c.b], () => 'createdDateFrom=2026-11-17'],
      ['createdDateFrom=2026-11-12T10:00:00Z (inclusive date-time)', () => [c.e, c.d, c.c, c.b], () => 'createdDateTo=2026-11-10T09:59:59Z'],
      ['startFrom=2026-11-15&endAt=2026-11-15', () => [c.d], () => 'startFrom=2026-11-11&endAt=2026-11-11'],
      ['shippingDateFrom=2026-11-20&shippingDateTo=2026-11-20', () => [c.a], () => 'shippingDateFrom=2026-11-21'],
      ['requestedDeliveryDateFrom=2026-11-25', () => [c.b], () => 'requestedDeliveryDateTo=2026-11-24'],
      ['scheduledDeliveryDateFrom=DAY&scheduledDeliveryDateTo=DAY', () => [c.a], () => 'scheduledDeliveryDateTo=2026-11-19'],
      ['reference=REF_A_LOWER', () => [c.a], () => 'reference=EC-ZZZ-ZZZ-ZZZ'],
      ['consignmentNumber=REF_B', () => [c.b], () => `consignmentNumber=${c.b}&reference=${c.a}`],
      ['cReference=REF_C', () => [c.c], () => 'creference=EC-ZZZ-ZZZ-ZZZ'],
      ['referenceProvidedByCustomer=ORDER-B2', () => [c.b], () => 'referenceProvidedByCustomer=ORDER-B'],
      ['trackingReference=TRACKING', () => [c.a], () => `trackingReference=${aTracking.slice(0, -2)}`],
      ['state=allocated', () => [c.a], () => 'state=Manifested'],
      ['State=Allocated,cancelled', () => [c.d, c.a], () => 'state=ReadyToShip,Manifested'],
      ['state=Unallocated&state=Cancelled', () => [c.d, c.b], () => 'state=Unallocated&direction=Outbound'],
      ['stateAttribute=Shipped', () => [c.e], () => 'stateAttribute=Shipped&state=Allocated'],
      ['stateAttribute=UnShipped', () => [c.d, c.c, c.b, c.a], () => 'stateAttribute=UnShipped&state=InTransit'],
      ['stateAttribute=isunallocated', () => [c.c, c.b], () => 'stateAttribute=IsUnAllocated&state=Allocated'],
      ['weightInGramsFrom=9000', () => [c.b], () => 'weightInGramsFrom=10001'],
      ['weightInGramsTo=1000', () => [c.d, c.c], () => 'weightInGramsTo=499'],
      ['carrierService=example-carrier-service', () => [c.a], () => 'carrierService=CX-ECONOMY-48'],
      ['source=web', () => [c.b], () => 'source=Web&state=Allocated'],
      ['postCode=ls1', () => [c.a], () => 'postCode=LS2'],
      ['postcode=LS1%206', () => [c.a], () => 'postcode=LS16B%20S'],
      ['valueFrom=100', () => [c.c, c.b], () => 'valueFrom=1000'],
      ['valueTo=10', () => [c.d], () => 'valueTo=9.99'],
      ['shippingLocationReference=depot-lds', () => [c.c, c.a], () => 'shippingLocationReference=WH-MAN-01'],
      ['destinationCountryCode=fr', () => [c.c], () => 'destinationCountryCode=DE'],
      ['destinationRegion=avon', () => [c.b], () => 'destinationRegion=Somerset'],
      ['direction=inbound', () => [c.b], () => 'direction=Inbound&state=Allocated'],
      ['searchTerm=lovelace', () => [c.a], () => 'searchTerm=babbage'],
      ['searchTerm=HARBOUR', () => [c.b], () => 'searchTerm=harbour%20road'],
      ['searchTerm=bs15', () => [c.b], () => 'searchTerm=bs16'],
      ['searchTerm=order-c', () => [c.c], () => 'searchTerm=%25'],
      ['searchTerm=REF_D_TAIL', () => [c.d], () => 'searchTerm=_'],
      ['packageNumber=PACKAGE_B', () => [c.b], () => 'packageNumber=EP-ZZZ-ZZZ-ZZZ'],
      ['pReference=PACKAGE_B', () => [c.b], () => 'preference=EP-ZZZ-ZZZ-ZZZ'],
      ['labelsPrinted=false', () => [c.e, c.d, c.c, c.b, c.a], () => 'labelsPrinted=true'],
      ['state=Allocated&postCode=LS1&unknownCriterion=ignored', () => [c.a], () => 'state=Allocated&postCode=BS1'],
    ];

    function fill(query: string): string {
      return query
        .replace(/ \(.*\)$/, '')
        .replaceAll('DAY', aDeliveryDay)
        .replace('REF_A_LOWER', c.a.toLowerCase())
        .replace('REF_B', c.b)
        .replace('REF_C', c.c)
        .replace('REF_D_TAIL', c.d.slice(-6).toLowerCase())
        .replace('TRACKING', aTracking.toLowerCase())
        .replace('PACKAGE_B', bPackages[1].toLowerCase());
    }

    for (const [query, expected, miss] of cases) {
      it(`finds by ${query}, and nothing by a value that does not match`, async () => {
        assert.deepEqual(await found(fill(query)), expected(), fill(query));
        assert.deepEqual(await found(fill(miss())), [], fill(miss()));
      });
    }

    it('pages with take and skip; Count is every match, not the page', async () => {
      const first = await search('', 2, 0);
      assert.equal(first.Count, 5);
      assert.deepEqual(first.ConsignmentSummaries.map((s: any) => s.Reference), [c.e, c.d]);
      const second = await search('', 2, 2);
      assert.equal(second.Count, 5);
      assert.deepEqual(second.ConsignmentSummaries.map((s: any) => s.Reference), [c.c, c.b]);
      const last = await search('', 2, 4);
      assert.deepEqual(last.ConsignmentSummaries.map((s: any) => s.Reference), [c.a]);
      const beyond = await search('', 2, 5);
      assert.deepEqual(beyond, { Count: 5, ConsignmentSummaries: [] });
      const countOnly = await search('state=Unallocated,Allocated', 0, 0);
      assert.deepEqual(countOnly, { Count: 2, ConsignmentSummaries: [] });
      const filtered = await search('stateAttribute=UnShipped', 1, 1);
      assert.equal(filtered.Count, 4);
      assert.deepEqual(filtered.ConsignmentSummaries.map((s: any) => s.Reference), [c.c]);
    });

    it('accepts the SDK path with a trailing slash and a stray "?&"', async () => {
      const res = await api(server, 'GET', `/consignments/10/0/?&state=Allocated`, { key });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.ConsignmentSummaries.map((s: any) => s.Reference), [c.a]);
    });

    it('answers 400 ValidationFailed listing every bad value, take and skip included', async () => {
      const res = await api(
        server,
        'GET',
        '/consignments/lots/-1?createdDateFrom=yesterday&state=Bogus&stateAttribute=Nope&weightInGramsFrom=heavy&destinationCountryCode=XX&direction=Sideways&labelsPrinted=maybe&Source=Fax',
        { key },
      );
      const error = assertError(res, 400, 'ValidationFailed');
      assert.deepEqual(
        error.Details.map((d: any) => d.Target),
        ['take', 'skip', 'createdDateFrom', 'state', 'stateAttribute', 'weightInGramsFrom', 'destinationCountryCode', 'direction', 'labelsPrinted', 'Source'],
      );
      assertError(await api(server, 'GET', '/consignments/1001/0', { key }), 400, 'ValidationFailed');
      assert.equal((await api(server, 'GET', '/consignments/1000/0', { key })).status, 200);
      const nul = assertError(await api(server, 'GET', '/consignments/10/0?searchTerm=a%00b', { key }), 400, 'ValidationFailed');
      assert.equal(nul.Details[0].Target, 'searchTerm');
    });

    it('answers in XML: MatchingConsignmentsResponse with ConsignmentSummary items', async () => {
      const res = await api(server, 'GET', `/consignments/10/0?reference=${c.a}`, { key, headers: { accept: 'application/xml' } });
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/xml/);
      assert.match(res.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<MatchingConsignmentsResponse xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.Consignments"/);
      assert.match(res.text, /<Count>1<\/Count><ConsignmentSummaries><ConsignmentSummary><Reference>EC-/);
      assert.match(res.text, /<Weight><Value>2<\/Value><Unit>Kg<\/Unit><\/Weight>/);
      assert.match(res.text, /<ShippedDate i:nil="true"\/>/);
    });

    it("never shows another subscription's consignments", async () => {
      assert.deepEqual(await found('referenceProvidedByCustomer=ORDER-A1'), [c.a]);
      const demo = await search('referenceProvidedByCustomer=ORDER-A1', 100, 0, true);
      assert.deepEqual(demo.ConsignmentSummaries.map((s: any) => s.Reference), [decoy]);
      const everythingDemoSees = await api(server, 'GET', '/consignments/1000/0');
      const demoRefs = everythingDemoSees.body.ConsignmentSummaries.map((s: any) => s.Reference);
      for (const ref of Object.values(c)) assert.ok(!demoRefs.includes(ref), `${ref} is not the demo subscription's`);
      assert.equal(everythingDemoSees.body.Count, 4, 'the three demo consignments and the decoy');
      assert.deepEqual(await found(`reference=${decoy}`), []);
    });
  });

  describe('GET /consignments/getConsignmentReferences', () => {
    it('answers the matching references, newest first, as a list of strings (JSON and XML)', async () => {
      const res = await api(server, 'GET', '/consignments/getConsignmentReferences?stateAttribute=UnShipped', { key });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, [c.d, c.c, c.b, c.a]);
      const none = await api(server, 'GET', '/consignments/getconsignmentreferences?state=Manifested', { key });
      assert.deepEqual(none.body, []);
      const xml = await api(server, 'GET', '/consignments/getConsignmentReferences?state=Unallocated', { key, headers: { accept: 'text/xml' } });
      assert.match(xml.text, new RegExp(`<ArrayOfstring xmlns="[^"]+" xmlns:i="[^"]+"><string>${c.b}</string></ArrayOfstring>$`));
      const emptyXml = await api(server, 'GET', '/consignments/getConsignmentReferences?state=Manifested', { key, headers: { accept: 'application/xml' } });
      assert.match(emptyXml.text, /<ArrayOfstring [^>]*><\/ArrayOfstring>$/);
    });

    it('pages by the SDK’s pageSize and startPage', async () => {
      const res = await api(server, 'GET', '/consignments/getConsignmentReferences?pageSize=2&startPage=1', { key });
      assert.deepEqual(res.body, [c.c, c.b]);
      const bad = assertError(await api(server, 'GET', '/consignments/getConsignmentReferences?pageSize=10001&startPage=x', { key }), 400, 'ValidationFailed');
      assert.deepEqual(bad.Details.map((d: any) => d.Target), ['pageSize', 'startPage']);
    });

    it("lists only the caller's references", async () => {
      const res = await api(server, 'GET', '/consignments/getConsignmentReferences?referenceProvidedByCustomer=order-a1');
      assert.deepEqual(res.body, [decoy]);
    });
  });

  describe('GET /consignments/summary and GET /consignments/count', () => {
    it('counts the consignments in each state, in the order of the states', async () => {
      const res = await api(server, 'GET', '/consignments/summary', { key });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, {
        NumberOfConsignments: 5,
        Summary: [
          { Key: 'Unallocated', Value: 1 },
          { Key: 'AllocationFailed', Value: 1 },
          { Key: 'Allocated', Value: 1 },
          { Key: 'InTransit', Value: 1 },
          { Key: 'Cancelled', Value: 1 },
        ],
        StartFrom: null,
        EndTo: null,
        EndAt: null,
      });
    });

    it('restricts the summary to a created-date range and echoes it under both names for its end', async () => {
      const res = await api(server, 'GET', '/consignments/summary?startFrom=2026-11-12&endAt=2026-11-14', { key });
      assert.deepEqual(res.body, {
        NumberOfConsignments: 2,
        Summary: [
          { Key: 'Unallocated', Value: 1 },
          { Key: 'AllocationFailed', Value: 1 },
        ],
        StartFrom: '2026-11-12T00:00:00.000+00:00',
        EndTo: '2026-11-14T23:59:59.999+00:00',
        EndAt: '2026-11-14T23:59:59.999+00:00',
      });
      const empty = await api(server, 'GET', '/consignments/summary?startFrom=2030-01-01T00:00:00%2B01:00', { key });
      assert.deepEqual(empty.body, { NumberOfConsignments: 0, Summary: [], StartFrom: '2029-12-31T23:00:00.000+00:00', EndTo: null, EndAt: null });
      assertError(await api(server, 'GET', '/consignments/summary?startFrom=soon', { key }), 400, 'ValidationFailed');
    });

    it('answers the summary in XML', async () => {
      const res = await api(server, 'GET', '/consignments/summary?state=Allocated', { key, headers: { accept: 'application/xml' } });
      assert.match(
        res.text,
        /<ConsignmentStateSummaryResponse [^>]+><NumberOfConsignments>1<\/NumberOfConsignments><Summary><KeyValuePairOfstringint><Key>Allocated<\/Key><Value>1<\/Value><\/KeyValuePairOfstringint><\/Summary><StartFrom i:nil="true"\/>/,
      );
    });

    it('counts the consignments in a state, or all of them without one (JSON and XML)', async () => {
      for (const [query, expected] of [['state=Allocated', 1], ['state=cancelled', 1], ['state=', 5], ['', 5], ['state=Manifested', 0], ['stateAttribute=UnShipped', 4]] as const) {
        const res = await api(server, 'GET', `/consignments/count${query ? `?${query}` : ''}`, { key });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body, expected, query);
      }
      const xml = await api(server, 'GET', '/consignments/count?state=Unallocated', { key, headers: { accept: 'application/xml' } });
      assert.match(xml.text, /<int xmlns="[^"]+" xmlns:i="[^"]+">1<\/int>$/);
      const error = assertError(await api(server, 'GET', '/consignments/count?state=Sunk', { key }), 400, 'ValidationFailed');
      assert.match(error.Message, /Sunk/);
      assert.equal((await api(server, 'GET', '/consignments/count')).body, 4, "the demo subscription's own count");
    });
  });

  describe('GET /consignments/getconsignmentwithmetadata/{ref} and /getconsignmentonly/{ref}', () => {
    it('answers the consignment with its metadata, or without any', async () => {
      const withMeta = await api(server, 'GET', `/consignments/getConsignmentWithMetadata/${c.a.toLowerCase()}`, { key });
      assert.equal(withMeta.status, 200, withMeta.text);
      assert.equal(withMeta.body.Reference, c.a);
      assert.equal(withMeta.body.MetaData.length, 1);
      assert.equal(withMeta.body.MetaData[0].KeyValue, 'Gift');
      assert.deepEqual(withMeta.body, await getConsignment(server, c.a, key));

      const only = await api(server, 'GET', `/consignments/getconsignmentonly/${c.a}`, { key });
      assert.equal(only.status, 200, only.text);
      assert.equal(only.body.MetaData, null);
      assert.equal(only.body.Packages[0].MetaData, null);
      assert.deepEqual(Object.keys(only.body), Object.keys(withMeta.body));
      const xml = await api(server, 'GET', `/consignments/getconsignmentonly/${c.a}`, { key, headers: { accept: 'application/xml' } });
      assert.match(xml.text, /^<\?xml[^>]*>\n<Consignment [^>]*>.*<MetaData i:nil="true"\/>/s);
    });

    it("answers 404 for another subscription's consignment on both", async () => {
      assertError(await api(server, 'GET', `/consignments/getconsignmentwithmetadata/${c.a}`), 404, 'ConsignmentNotFound');
      assertError(await api(server, 'GET', `/consignments/getconsignmentonly/${c.a}`), 404, 'ConsignmentNotFound');
    });
  });

  it('refuses free text holding a NUL character (PostgreSQL refuses one in a column) with 400 naming the field, on create and update', async () => {
    const shop = (await createSubscription(server, 'Nul shop')).ApiKey;
    const nulBody = (crpc: string, town: string) => body({ crpc, destination: { line1: '1 Nul Street', town, postcode: 'LS1 1AA' }, packages: [{ kg: 1, value: 1 }] });
    const refused = assertError(await api(server, 'POST', '/consignments', { key: shop, body: nulBody('NUL\u0000REF', 'Null\u0000ton') }), 400, 'ValidationFailed');
    assert.deepEqual(refused.Details.map((d: any) => d.Target).sort(), ['Addresses[1].Town', 'ConsignmentReferenceProvidedByCustomer']);
    const created = await api(server, 'POST', '/consignments', { key: shop, body: nulBody('NULREF', 'Nullton') });
    assert.equal(created.status, 201, created.text);
    const ref = created.body[0].Href.split('/').pop();
    const inShop = async (query: string) => (await api(server, 'GET', `/consignments/getConsignmentReferences?${query}`, { key: shop })).body;
    const updated = assertError(await api(server, 'PUT', '/consignments', { key: shop, body: { ...nulBody('NUL\u0000TWO', 'Leeds'), Reference: ref } }), 400, 'ValidationFailed');
    assert.deepEqual(updated.Details.map((d: any) => d.Target), ['ConsignmentReferenceProvidedByCustomer']);
    assert.deepEqual(await inShop('referenceProvidedByCustomer=nulref'), [ref]);
    assert.deepEqual(await inShop('searchTerm=nullton'), [ref]);
  });

  it('describes the new endpoints in /openapi.json', async () => {
    const res = await api(server, 'GET', '/openapi.json', { key: null });
    const paths = res.body.paths;
    const parameters = paths['/consignments/{take}/{skip}'].get.parameters;
    assert.deepEqual(parameters.filter((p: any) => p.in === 'path').map((p: any) => p.name), ['take', 'skip']);
    // Every criterion, under the SDK's name, optional.
    const query = parameters.filter((p: any) => p.in === 'query');
    for (const name of ['state', 'shippingDateFrom', 'destinationCountryCode', 'postcode', 'carrierService', 'searchTerm', 'referenceProvidedByCustomer']) {
      assert.equal(query.find((p: any) => p.name === name)?.required, false, name);
    }
    assert.deepEqual(query.find((p: any) => p.name === 'stateAttribute').schema.enum, ['Shipped', 'UnShipped', 'IsUnAllocated']);
    for (const path of ['/consignments/getConsignmentReferences', '/consignments/summary', '/consignments/count']) assert.ok(paths[path].get, path);
    assert.ok(paths['/consignments'].put.requestBody.content['application/json'].schema.properties.Reference);
    assert.ok(paths['/consignments/{reference}/addpackage'].post.requestBody);
    assert.ok(paths['/packages/{packageReference}'].delete);
    assert.ok(paths['/consignments/{reference}/cancel'].put);
    assert.ok(paths['/consignments/cancellist'].put.requestBody);
  });

  describe('the search follows every change', () => {
    it('after an update, a new package, a deleted package, a deallocation and a cancellation', async () => {
      clock.set('2026-11-17T09:00:00Z');
      const b = await getConsignment(server, c.b, key);
      const update = {
        Reference: c.b,
        ConsignmentReferenceProvidedByCustomer: 'ORDER-B2-AMENDED',
        Addresses: [
          { AddressType: 'Origin', AddressLine1: '1 Mill Lane', Town: 'Manchester', Postcode: 'M1 1AA', Country: { IsoCode: { TwoLetterCode: 'GB' } } },
          { AddressType: 'Destination', AddressLine1: '3 Quarry Row', Town: 'Kendal', Postcode: 'LA9 6XE', Country: { IsoCode: { TwoLetterCode: 'GB' } } },
        ],
        Packages: [{ Reference: b.Packages[0].Reference, Weight: { Value: 1, Unit: 'Kg' }, Dimensions: { Unit: 'Cm', Length: 10, Width: 10, Height: 10 } }],
      };
      const updated = await api(server, 'PUT', '/consignments', { key, body: update });
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual(await found('searchTerm=kendal'), [c.b]);
      assert.deepEqual(await found('searchTerm=bristol'), []);
      assert.deepEqual(await found('postcode=LA9'), [c.b]);
      assert.deepEqual(await found('destinationRegion=avon'), []);
      assert.deepEqual(await found('referenceProvidedByCustomer=order-b2-amended'), [c.b]);
      assert.deepEqual(await found('weightInGramsFrom=1000&weightInGramsTo=1000'), [c.c, c.b]);
      assert.deepEqual(await found(`packageNumber=${b.Packages[0].Reference}`), [c.b], 'the kept package');
      assert.deepEqual(await found(`packageNumber=${b.Packages[1].Reference}`), [], 'the replaced package');
      assert.deepEqual(await found('direction=Inbound'), [c.b], 'an update without Direction keeps it');

      const added = await api(server, 'POST', `/consignments/${c.b}/addpackage`, {
        key,
        body: { Description: 'Extra', Weight: { Value: 2, Unit: 'Kg' }, Dimensions: { Length: 10, Width: 10, Height: 10 }, Value: { Amount: 5, Currency: { IsoCode: 'GBP' } } },
      });
      assert.equal(added.status, 201, added.text);
      assert.deepEqual(await found(`packageNumber=${added.body.Reference}`), [c.b]);
      assert.deepEqual(await found('weightInGramsFrom=3000&weightInGramsTo=3000'), [c.e, c.b]);
      assert.equal((await api(server, 'DELETE', `/packages/${added.body.Reference}`, { key })).status, 200);
      assert.deepEqual(await found(`packageNumber=${added.body.Reference}`), []);
      assert.deepEqual(await found('weightInGramsFrom=1000&weightInGramsTo=1000'), [c.c, c.b]);

      assert.equal((await api(server, 'PUT', `/consignments/${c.a}/deallocate`, { key })).status, 200);
      assert.deepEqual(await found('carrierService=Example-Carrier-Service'), []);
      assert.deepEqual(await found(`trackingReference=${aTracking}`), []);
      assert.deepEqual(await found(`scheduledDeliveryDateFrom=2000-01-01`), []);
      const again = await allocate(server, 'Example-Carrier-Service', [c.a], key);
      assert.equal(again.body[0].StatusCode, 200, again.text);
      assert.deepEqual(await found('carrierService=Example-Carrier-Service'), [c.a]);
      assert.equal((await api(server, 'PUT', `/consignments/${c.a}/cancel`, { key })).status, 200);
      assert.deepEqual(await found('carrierService=Example-Carrier-Service'), []);
      assert.deepEqual(await found('state=Cancelled'), [c.d, c.a]);
    });

    it('after a dispatch: shippedDateFrom and shippedDateTo find it by when it was dispatched (in the demo subscription)', async () => {
      clock.set('2026-11-20T09:00:00Z');
      const created = await api(server, 'POST', '/consignments', { body: body({ crpc: 'SHIPPED-1', destination: { line1: '1 Park Row', town: 'Leeds', postcode: 'LS1 5AB' }, packages: [{ kg: 1, value: 20 }] }) });
      const ref = created.body[0].Href.split('/').pop();
      assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 200);
      assert.equal((await api(server, 'PUT', '/consignments/manifest', { body: { ConsignmentReferences: [ref] } })).body[0].IsSuccess, true);
      const shippedBy = async (query: string) => (await search(`referenceProvidedByCustomer=SHIPPED-1&${query}`, 100, 0, true)).ConsignmentSummaries.map((s: any) => s.Reference);
      assert.deepEqual(await shippedBy('shippedDateFrom=2000-01-01'), [], 'not shipped before its dispatch');
      clock.set('2026-11-20T16:30:00Z');
      assert.equal((await api(server, 'PUT', '/consignments/Dispatch', { body: [ref] })).body[0].IsSuccess, true);
      assert.deepEqual(await shippedBy('shippedDateFrom=2026-11-20&shippedDateTo=2026-11-20'), [ref]);
      assert.deepEqual(await shippedBy('shippedDateFrom=2026-11-20T16:30:00Z'), [ref], 'inclusive');
      assert.deepEqual(await shippedBy('shippedDateTo=2026-11-20T16:29:59Z'), []);
      assert.deepEqual(await shippedBy('shippedDateFrom=2026-11-21'), []);
      assert.deepEqual(await shippedBy('shippedDateTo=2026-11-19'), []);
    });
  });
});
