/**
 * Ready to ship, manifest, dispatch and the customer's manifests over real HTTP (decisions.md §11,
 * endpoints.md P2-10 … P2-16), with the simulated carriers and a clock the test moves: every state
 * rule and refusal as a WithMessage item in request order, unknown references 404 first with
 * nothing changed, another subscription's references as unknown ones, JSON and XML forms, one
 * manifest per carrier, location and collection day with its PDF, ManifestFailed after the cut-off,
 * manifest from query by each criterion, and a deallocated consignment withdrawn from its manifest.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { allocate, createConsignment, createSubscription, getConsignment, type ConsignmentSpec } from '../support/consignments.js';
import { forceState, SettableClock } from '../support/force-state.js';
import { pdfFonts, pdfText } from '../support/pdf-inspection.js';
import { api, databaseUnderTest, DEFAULT_NOW, skipReason, startServer, type TestServer } from '../support/test-server.js';

const NEXT_DAY = 'Example-Carrier-Service';
const NORTHERN = 'NP-PARCEL-48';
const CONSIGNMENTS_NS = 'http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Consignments';
/** Another subscription has no WH-MAN-01: its consignments give their origin in full. */
const ELSEWHERE: ConsignmentSpec = { origin: { postcode: 'LS1 4AP', town: 'Leeds', line1: '1 Park Row' } };

const LEEDS = {
  Reference: 'LDS-DC1',
  Name: 'Leeds DC',
  ShippingLocationType: 'DistributionCentre',
  AddressLine1: 'Unit 7 Aire Valley Park',
  Town: 'Leeds',
  Postcode: 'LS12 2DT',
  Country: { IsoCode: { TwoLetterCode: 'GB' } },
  TimeZone: 'Europe/London',
};

async function allocated(server: TestServer, service = NEXT_DAY, spec: ConsignmentSpec = {}, key?: string): Promise<string> {
  const ref = await createConsignment(server, spec, key);
  const res = await allocate(server, service, [ref], key);
  assert.equal(res.body[0].StatusCode, 200, res.text);
  return ref;
}

/** A consignment from Leeds DC (the location must exist for the caller). */
async function fromLeeds(server: TestServer, key?: string): Promise<string> {
  const body = {
    ConsignmentReferenceProvidedByCustomer: 'LEEDS-1',
    Packages: [{ Description: 'Box', Weight: { Value: 1, Unit: 'Kg' }, Dimensions: { Unit: 'Cm', Length: 30, Width: 20, Height: 10 }, Value: { Amount: 10, Currency: { IsoCode: 'GBP' } } }],
    Addresses: [
      { AddressType: 'Origin', ShippingLocationReference: 'lds-dc1' },
      { AddressType: 'Destination', AddressLine1: '1 High Street', Town: 'York', Postcode: 'YO1 7HH', Country: { IsoCode: { TwoLetterCode: 'GB' } } },
    ],
  };
  const res = await api(server, 'POST', '/consignments', { body, key });
  assert.equal(res.status, 201, res.text);
  const ref = res.body[0].Href.split('/').pop();
  assert.equal((await allocate(server, NEXT_DAY, [ref], key)).body[0].StatusCode, 200);
  return ref;
}

const state = async (server: TestServer, ref: string, key?: string) => (await getConsignment(server, ref, key)).ConsignmentState;
const manifest = (server: TestServer, refs: string[], key?: string) => api(server, 'PUT', '/consignments/manifest', { body: { ConsignmentReferences: refs }, key });

describe(`Ready to ship, manifest and dispatch over HTTP (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  let other: { Reference: string; ApiKey: string };
  const clock = new SettableClock(DEFAULT_NOW);

  before(async () => {
    server = await startServer({ clock });
    other = await createSubscription(server, 'Other shop');
    assert.equal((await api(server, 'POST', '/shippingLocations', { body: LEEDS })).status, 201);
  });
  after(() => server.close());

  describe('PUT /consignments/setreadytoship and /setnotreadytoship', () => {
    it('marks Allocated consignments ReadyToShip, refusing others by name, one item per reference in request order, duplicates merged', async () => {
      const a = await allocated(server);
      const u = await createConsignment(server);
      const m = await allocated(server);
      await forceState(server, m, 'Manifested');
      const res = await api(server, 'PUT', '/consignments/setreadytoship', { body: [a.toLowerCase(), u, m, a] });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, [
        { IsSuccess: true, Message: 'Consignment marked as Ready To Ship completed successfully', Data: a, ApiLinks: [{ Rel: 'detail', Href: `${server.url}/consignments/${a}` }] },
        { IsSuccess: false, Message: `Consignment ${u} cannot be marked as Ready To Ship: it is Unallocated`, Data: u, ApiLinks: null },
        { IsSuccess: false, Message: `Consignment ${m} cannot be marked as Ready To Ship: it is Manifested`, Data: m, ApiLinks: null },
      ]);
      assert.equal(await state(server, a), 'ReadyToShip');
      assert.equal(await state(server, u), 'Unallocated');
      assert.equal(await state(server, m), 'Manifested');
      const again = await api(server, 'PUT', '/consignments/setreadytoship', { body: [a] });
      assert.equal(again.body[0].Message, `Consignment ${a} cannot be marked as Ready To Ship: it is ReadyToShip`);
      const trail = (await api(server, 'GET', `/consignments/${a}/audit`)).body;
      assert.deepEqual([trail.at(-1).Action, trail.at(-1).FromState, trail.at(-1).ToState], ['ReadyToShip', 'Allocated', 'ReadyToShip']);
    });

    it('sets ReadyToShip consignments back to Allocated, and refuses an Allocated one naming its state', async () => {
      const r = await allocated(server);
      const a = await allocated(server);
      assert.equal((await api(server, 'PUT', '/consignments/setreadytoship', { body: [r] })).body[0].IsSuccess, true);
      const res = await api(server, 'PUT', '/consignments/SetNotReadyToShip/', { body: [r, a] });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.map((i: any) => [i.IsSuccess, i.Message, i.Data]), [
        [true, 'Consignment set back to Allocated from Ready To Ship completed successfully', r],
        [false, `Consignment ${a} cannot be set back to Allocated: it is Allocated`, a],
      ]);
      assert.deepEqual(res.body[0].ApiLinks, [{ Rel: 'detail', Href: `${server.url}/consignments/${r}` }]);
      assert.equal(await state(server, r), 'Allocated');
    });

    it('reads an ArrayOfstring and answers ArrayOfWithMessageOfString in XML', async () => {
      const a = await allocated(server);
      const xml = `<ArrayOfstring xmlns="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><string>${a}</string></ArrayOfstring>`;
      const res = await api(server, 'PUT', '/consignments/setreadytoship', { body: xml.replace(' xmlns="http://schemas.microsoft.com/2003/10/Serialization/Arrays"', ''), headers: { accept: 'application/xml' } });
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/xml/);
      assert.ok(res.text.includes(`<ArrayOfWithMessageOfString xmlns="${CONSIGNMENTS_NS}"`), res.text);
      assert.ok(res.text.includes(`<WithMessageOfString><IsSuccess>true</IsSuccess><Message>Consignment marked as Ready To Ship completed successfully</Message><Data>${a}</Data><ApiLinks><ApiLink><Rel>detail</Rel>`), res.text);
      assert.equal(await state(server, a), 'ReadyToShip');
    });

    it('answers 404 for any unknown or other subscription’s reference, one detail each, changing nothing', async () => {
      const a = await allocated(server);
      const theirs = await allocated(server, NEXT_DAY, ELSEWHERE, other.ApiKey);
      for (const path of ['/consignments/setreadytoship', '/consignments/setnotreadytoship']) {
        const error = assertError(await api(server, 'PUT', path, { body: [a, 'EC-000-ZZZ-ZZZ', theirs] }), 404, 'ConsignmentNotFound');
        assert.deepEqual(error.Details.map((d: any) => d.Target), ['EC-000-ZZZ-ZZZ', theirs]);
      }
      assert.equal(await state(server, a), 'Allocated');
      assert.equal(await state(server, theirs, other.ApiKey), 'Allocated');
    });

    it('answers 400 listing each problem for a body that is not a list of references', async () => {
      assertError(await api(server, 'PUT', '/consignments/setreadytoship', { body: { ConsignmentReferences: ['EC-000-05A-Z6S'] } }), 400, 'ValidationFailed');
      assertError(await api(server, 'PUT', '/consignments/setreadytoship', { body: [] }), 400, 'ValidationFailed');
      const error = assertError(await api(server, 'PUT', '/consignments/setnotreadytoship', { body: ['EC-000-05A-Z6S', 7, ''] }), 400, 'ValidationFailed');
      assert.deepEqual(error.Details.map((d: any) => d.Target), ['body[1]', 'body[2]']);
      assertError(await api(server, 'PUT', '/consignments/setreadytoship', { body: '' }), 400, 'ValidationFailed');
    });
  });

  describe('PUT /consignments/manifest', () => {
    it('manifests Allocated, ReadyToShip and ManifestFailed consignments, and refuses every other state by name, in request order', async () => {
      const a = await allocated(server);
      const r = await allocated(server);
      const f = await allocated(server);
      await forceState(server, r, 'ReadyToShip');
      await forceState(server, f, 'ManifestFailed');
      const refused: [string, string][] = [];
      for (const s of ['Unallocated', 'Manifested', 'Dispatched', 'Cancelled', 'InTransit']) {
        const ref = s === 'Unallocated' ? await createConsignment(server) : await allocated(server);
        if (s !== 'Unallocated') await forceState(server, ref, s);
        refused.push([ref, s]);
      }
      const res = await manifest(server, [a, ...refused.map(([ref]) => ref), r, f]);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.map((i: any) => i.Data), [a, ...refused.map(([ref]) => ref), r, f]);
      for (const [i, ref] of [[0, a], [6, r], [7, f]] as const) {
        assert.deepEqual(res.body[i], { IsSuccess: true, Message: `Consignment ${ref} has been manifested successfully.`, Data: ref, ApiLinks: [{ Rel: 'Link', Href: `${server.url}/consignments/${ref}` }] });
        assert.equal(await state(server, ref), 'Manifested');
      }
      for (const [k, [ref, s]] of refused.entries()) {
        assert.deepEqual(res.body[k + 1], { IsSuccess: false, Message: `Consignment ${ref} cannot be manifested: it is ${s}`, Data: ref, ApiLinks: null });
        assert.equal(await state(server, ref), s);
      }
    });

    it('reads ManifestConsignmentsRequest in XML and answers in XML', async () => {
      const a = await allocated(server);
      const xml = `<ManifestConsignmentsRequest xmlns="${CONSIGNMENTS_NS}"><ConsignmentReferences><string>${a}</string></ConsignmentReferences></ManifestConsignmentsRequest>`;
      const res = await api(server, 'PUT', '/consignments/manifest', { body: xml, headers: { accept: 'text/xml' } });
      assert.equal(res.status, 200, res.text);
      assert.ok(res.text.includes(`<IsSuccess>true</IsSuccess><Message>Consignment ${a} has been manifested successfully.</Message><Data>${a}</Data><ApiLinks><ApiLink><Rel>Link</Rel>`), res.text);
    });

    it('answers 404 for any unknown or other subscription’s reference, manifesting none of the others', async () => {
      const a = await allocated(server);
      const theirs = await allocated(server, NEXT_DAY, ELSEWHERE, other.ApiKey);
      const error = assertError(await manifest(server, [a, theirs]), 404, 'ConsignmentNotFound');
      assert.deepEqual(error.Details.map((d: any) => d.Target), [theirs]);
      assert.equal(await state(server, a), 'Allocated');
      assert.equal(await state(server, theirs, other.ApiKey), 'Allocated');
      assertError(await api(server, 'PUT', '/consignments/manifest', { body: { ConsignmentReferences: [] } }), 400, 'ValidationFailed');
      assertError(await api(server, 'PUT', '/consignments/manifest', { body: {} }), 400, 'ValidationFailed');
    });

    it('makes a consignment whose collection has passed ManifestFailed, saying to deallocate and allocate again, shown on the consignment and in searches', async () => {
      const late = await allocated(server);
      clock.set('2026-11-18T17:05:00Z');
      try {
        const res = await manifest(server, [late]);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body[0].IsSuccess, false);
        assert.equal(
          res.body[0].Message,
          `Consignment ${late} could not be manifested: Carrier X refused it: Carrier X's collection on 18/11/2026 closed at 17:00; deallocate and allocate again for a later collection (COLLECTION_CLOSED)`,
        );
        const c = await getConsignment(server, late);
        assert.equal(c.ConsignmentState, 'ManifestFailed');
        assert.match(c.FailedManifestMessage, /closed at 17:00; deallocate and allocate again/);
        assert.equal(c.FailedManifestTimeStamp, '2026-11-18T17:05:00.000+00:00');
        const summary = (await api(server, 'GET', '/consignments/1000/0?state=ManifestFailed')).body.ConsignmentSummaries.find((s: any) => s.Reference === late);
        assert.equal(summary.FailedManifestMessage, c.FailedManifestMessage);
        assert.equal(summary.FailedManifestTimeStamp, c.FailedManifestTimeStamp);
        const listed = (await api(server, 'GET', '/consignments/customer/manifests')).body;
        assert.ok(!JSON.stringify(listed).includes(late));
      } finally {
        clock.set(DEFAULT_NOW);
      }
    });
  });

  describe('manifests and their files', () => {
    it('makes one manifest per carrier, shipping location and collection day, listed with its file info, filterable by location', async () => {
      const refs = {
        here: [await allocated(server), await allocated(server)],
        leeds: [await fromLeeds(server)],
        tomorrow: [await allocated(server, NEXT_DAY, { shippingDate: '2026-11-19T10:00:00+00:00' })],
        northern: [await allocated(server, NORTHERN)],
      };
      const all = Object.values(refs).flat();
      const res = await manifest(server, all);
      assert.ok(res.body.every((i: any) => i.IsSuccess), res.text);
      const listed = (await api(server, 'GET', '/consignments/customer/manifests')).body as any[];
      const mine = listed.slice(0, 4);
      assert.deepEqual(
        mine.map((m) => [m.CarrierName, m.ShippingLocationReference, m.CollectionDate, m.BookingsCount]).sort(),
        [
          ['Carrier X', 'LDS-DC1', '2026-11-18', 1],
          ['Carrier X', 'WH-MAN-01', '2026-11-18', 2],
          ['Carrier X', 'WH-MAN-01', '2026-11-19', 1],
          ['Northern Parcels', 'WH-MAN-01', '2026-11-18', 1],
        ].sort(),
      );
      for (const m of mine) {
        assert.deepEqual(Object.keys(m).slice(0, 9), ['ManifestReference', 'ManifestFileStorageContainer', 'ManifestFileName', 'ShippingLocationReference', 'ShippingLocationName', 'Created', 'CarrierName', 'BookingsCount', 'ManifestFileNameSentToCarrier']);
        assert.match(m.ManifestReference, /^[0-9a-f]{32}$/);
        assert.equal(m.ManifestFileName, `manifest-${m.CollectionDate}-${m.CarrierReference}-${m.ManifestReference}.pdf`);
        assert.match(m.ManifestFileNameSentToCarrier, /^SIM-M\d+$/);
        assert.equal(m.Created, '2026-11-18T09:00:00.000+00:00');
      }
      assert.equal(mine.find((m) => m.ShippingLocationReference === 'LDS-DC1').ShippingLocationName, 'Leeds DC');
      const leeds = (await api(server, 'GET', '/consignments/customer/manifests?shippingLocationReference=lds-dc1')).body as any[];
      assert.ok(leeds.length >= 1 && leeds.every((m) => m.ShippingLocationReference === 'LDS-DC1'));
      assertError(await api(server, 'GET', '/consignments/customer/manifests?shippingLocationReference=NOWHERE'), 404, 'ShippingLocationNotFound');
      const xml = await api(server, 'GET', '/consignments/customer/manifests', { headers: { accept: 'application/xml' } });
      assert.ok(xml.text.includes(`<ArrayOfManifestFileInfo xmlns="${CONSIGNMENTS_NS}"`) && xml.text.includes('<ManifestFileInfo><ManifestReference>'), xml.text.slice(0, 300));
      assert.deepEqual((await api(server, 'GET', '/consignments/customer/manifests', { key: other.ApiKey })).body, [], 'another subscription sees none of them');
    });

    it('downloads a manifest as a base64 PDF, or its bytes with Accept: application/pdf, listing every package with tracking reference, weight and destination', async () => {
      const a = await allocated(server, NEXT_DAY, { packages: [{ kg: 1.25 }, { kg: 4 }], destination: { town: 'Łódź Road, Ærø Court', postcode: 'M1 1AE', country: 'GB' } });
      await manifest(server, [a]);
      const c = await getConsignment(server, a);
      const [info] = (await api(server, 'GET', '/consignments/customer/manifests')).body;
      const res = await api(server, 'GET', `/consignments/customer/manifest/${info.ManifestReference}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(typeof res.body, 'string');
      const pdf = Buffer.from(res.body, 'base64');
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      const raw = await fetch(`${server.url}/consignments/Customer/Manifest/${info.ManifestReference.toUpperCase()}`, { headers: { 'ocp-apim-subscription-key': 'test-demo-key', accept: 'application/pdf' } });
      assert.equal(raw.status, 200);
      assert.equal(raw.headers.get('content-type'), 'application/pdf');
      assert.deepEqual(Buffer.from(await raw.arrayBuffer()), pdf, 'the same file either way');
      const text = pdfText(pdf);
      const tracking = c.ConsignmentLegs[0].TrackingReferences;
      assert.match(text, new RegExp(`${a}\\s+${c.Packages[0].Reference} \\(1 of 2\\)\\s+${tracking[0]}\\s+1\\.25 kg\\s+Sam Tester, Łódź Road, Ærø Court M1 1AE, GB`));
      assert.match(text, new RegExp(`${a}\\s+${c.Packages[1].Reference} \\(2 of 2\\)\\s+${tracking[1]}\\s+4\\.00 kg`));
      assert.match(text, /Carrier X \(CARRIER_X\)[\s\S]*Manchester Warehouse \(WH-MAN-01\)[\s\S]*18\/11\/2026/);
      assert.match(text, /Totals: 1 consignment\(s\), 2 package\(s\), 5\.25 kg/);
      assert.ok(pdfFonts(pdf).every((f) => f.embedded));
      const xml = await api(server, 'GET', `/consignments/customer/manifest/${info.ManifestReference}`, { headers: { accept: 'application/xml' } });
      assert.ok(xml.text.includes(`<string xmlns="${CONSIGNMENTS_NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">${res.body}</string>`), xml.text.slice(0, 300));
    });

    it('answers 404 ManifestNotFound for an unknown, malformed or other subscription’s manifest, in JSON even when a PDF was asked for', async () => {
      const [info] = (await api(server, 'GET', '/consignments/customer/manifests')).body;
      assertError(await api(server, 'GET', `/consignments/customer/manifest/${info.ManifestReference}`, { key: other.ApiKey }), 404, 'ManifestNotFound');
      assertError(await api(server, 'GET', '/consignments/customer/manifest/0123456789abcdef0123456789abcdef'), 404, 'ManifestNotFound');
      assertError(await api(server, 'GET', '/consignments/customer/manifest/not-a-manifest', { headers: { accept: 'application/pdf' } }), 404, 'ManifestNotFound');
      assertError(await api(server, 'GET', '/consignments/customer/manifests', { headers: { accept: 'application/pdf' } }), 406, 'NotAcceptable');
      assertError(await api(server, 'GET', '/consignments/customer'), 404, 'RouteNotFound');
    });

    it('takes a deallocated Manifested consignment off its manifest: the count drops and the file marks it withdrawn', async () => {
      const [a, b] = [await allocated(server), await allocated(server)];
      await manifest(server, [a, b]);
      const [info] = (await api(server, 'GET', '/consignments/customer/manifests')).body;
      assert.equal(info.BookingsCount, 2);
      clock.set('2026-11-18T10:30:00Z');
      try {
        assert.equal((await api(server, 'PUT', `/consignments/${b}/deallocate`)).status, 200);
      } finally {
        clock.set(DEFAULT_NOW);
      }
      assert.equal(await state(server, b), 'Unallocated');
      const [after] = (await api(server, 'GET', '/consignments/customer/manifests')).body;
      assert.equal(after.ManifestReference, info.ManifestReference);
      assert.equal(after.BookingsCount, 1);
      const text = pdfText(Buffer.from((await api(server, 'GET', `/consignments/customer/manifest/${info.ManifestReference}`)).body, 'base64'));
      assert.match(text.split('\n').find((l) => l.includes(b)) ?? '', /WITHDRAWN 18\/11\/2026 10:30/);
      assert.doesNotMatch(text.split('\n').find((l) => l.includes(a)) ?? '', /WITHDRAWN/);
      assert.match(text, /Withdrawn: 1 consignment\(s\), 1 package\(s\), not to be collected/);
    });
  });

  describe('PUT /consignments/Dispatch', () => {
    it('dispatches Manifested consignments from a bare list or a ManifestConsignmentsRequest, in any case of the path, dated on the consignment and its summary', async () => {
      const [a, b, c] = [await allocated(server), await allocated(server), await allocated(server)];
      await manifest(server, [a, b, c]);
      clock.set('2026-11-18T16:45:00Z');
      try {
        const bare = await api(server, 'PUT', '/consignments/Dispatch', { body: [a] });
        assert.deepEqual(bare.body, [{ IsSuccess: true, Message: 'Consignment dispatch completed successfully', Data: a, ApiLinks: [{ Rel: 'Link', Href: `${server.url}/consignments/${a}` }] }]);
        const wrapped = await api(server, 'PUT', '/CONSIGNMENTS/DISPATCH/', { body: { consignmentReferences: [b, a] } });
        assert.deepEqual(wrapped.body.map((i: any) => [i.IsSuccess, i.Message]), [
          [true, 'Consignment dispatch completed successfully'],
          [false, `Consignment ${a} cannot be dispatched: it is Dispatched`],
        ]);
        const xml = await api(server, 'PUT', '/consignments/dispatch', { body: `<ManifestConsignmentsRequest><ConsignmentReferences><string>${c}</string></ConsignmentReferences></ManifestConsignmentsRequest>`, headers: { accept: 'application/xml' } });
        assert.ok(xml.text.includes(`<IsSuccess>true</IsSuccess><Message>Consignment dispatch completed successfully</Message><Data>${c}</Data>`), xml.text);
      } finally {
        clock.set(DEFAULT_NOW);
      }
      const got = await getConsignment(server, a);
      assert.equal(got.ConsignmentState, 'Dispatched');
      assert.equal(got.DateShipped, '2026-11-18T16:45:00.000+00:00');
      const summary = (await api(server, 'GET', '/consignments/1000/0?state=Dispatched')).body.ConsignmentSummaries.find((s: any) => s.Reference === a);
      assert.equal(summary.ShippedDate, '2026-11-18T16:45:00.000+00:00');
      assert.equal(summary.State, 'Dispatched');
    });

    it('reads a bare ArrayOfstring in XML, refuses a consignment that is not Manifested by name, and 404s unknown references first', async () => {
      const a = await allocated(server);
      const res = await api(server, 'PUT', '/consignments/Dispatch', { body: `<ArrayOfstring><string>${a}</string></ArrayOfstring>` });
      assert.deepEqual(res.body, [{ IsSuccess: false, Message: `Consignment ${a} cannot be dispatched: it is Allocated`, Data: a, ApiLinks: null }]);
      const m = await allocated(server);
      await manifest(server, [m]);
      const error = assertError(await api(server, 'PUT', '/consignments/Dispatch', { body: [m, 'EC-000-ZZZ-ZZY'] }), 404, 'ConsignmentNotFound');
      assert.deepEqual(error.Details.map((d: any) => d.Target), ['EC-000-ZZZ-ZZY']);
      assert.equal(await state(server, m), 'Manifested');
      assertError(await api(server, 'PUT', '/consignments/Dispatch', { body: { Something: [m] } }), 400, 'ValidationFailed');
      assertError(await api(server, 'PUT', '/consignments/Dispatch', { body: 'EC-000-ZZZ-ZZY' }), 400, 'MalformedBody');
    });
  });
});

describe(`Manifest from query over HTTP (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  const clock = new SettableClock(DEFAULT_NOW);
  before(async () => {
    server = await startServer({ clock });
    assert.equal((await api(server, 'POST', '/shippingLocations', { body: LEEDS })).status, 201);
  });
  after(() => server.close());

  const query = (body: unknown, method = 'POST', key?: string) => api(server, method, '/consignments/manifestFromQuery', { body, key });

  /** Its label printed, as a shipper would: LabelsPrinted from then on. */
  async function markLabelsPrinted(ref: string): Promise<void> {
    assert.equal((await api(server, 'GET', `/labels/${ref}`)).status, 200);
  }

  it('manifests each matching consignment before answering, by each criterion, and says how many it found, manifested and could not', async () => {
    const other = await createSubscription(server, 'Query neighbour');
    const theirs = await allocated(server, NEXT_DAY, ELSEWHERE, other.ApiKey);
    const leeds = await fromLeeds(server);
    const northern = await allocated(server, NORTHERN);
    const tomorrow = await allocated(server, NEXT_DAY, { shippingDate: '2026-11-19T10:00:00+00:00' });
    const printed = await allocated(server);
    const ready = await allocated(server);
    await api(server, 'PUT', '/consignments/setreadytoship', { body: [ready] });
    const unallocated = await createConsignment(server);
    await markLabelsPrinted(printed);

    const byLocation = await query({ ShippingLocationReferences: ['LDS-DC1'] });
    assert.equal(byLocation.status, 200, byLocation.text);
    assert.deepEqual(byLocation.body, { Message: 'Query found 1 consignment(s). 1 successfully queued to manifest. 0 failed to be added to the queue', FailedConsignments: [] });
    assert.equal(await state(server, leeds), 'Manifested');

    const byCarrier = await query({ Carriers: ['northern_parcels'] }, 'PUT');
    assert.equal(byCarrier.body.Message, 'Query found 1 consignment(s). 1 successfully queued to manifest. 0 failed to be added to the queue');
    assert.equal(await state(server, northern), 'Manifested');

    const byDay = await query({ ShippingDate: '2026-11-19' });
    assert.equal(byDay.body.Message, 'Query found 1 consignment(s). 1 successfully queued to manifest. 0 failed to be added to the queue');
    assert.equal(await state(server, tomorrow), 'Manifested');

    const byLabels = await query({ LabelsPrinted: true });
    assert.equal(byLabels.body.Message, 'Query found 1 consignment(s). 1 successfully queued to manifest. 0 failed to be added to the queue');
    assert.equal(await state(server, printed), 'Manifested');

    const byState = await query({ States: ['readytoship'], LabelsPrinted: false });
    assert.equal(byState.body.Message, 'Query found 1 consignment(s). 1 successfully queued to manifest. 0 failed to be added to the queue');
    assert.equal(await state(server, ready), 'Manifested');

    assert.equal(await state(server, unallocated), 'Unallocated');
    assert.equal(await state(server, theirs, other.ApiKey), 'Allocated', 'another subscription’s consignments are never matched');
    const nothing = await query({});
    assert.equal(nothing.body.Message, 'Query found 0 consignment(s). 0 successfully queued to manifest. 0 failed to be added to the queue');
  });

  it('by default takes Allocated and ReadyToShip consignments, and lists those a carrier refused as failed, ManifestFailed', async () => {
    const [a, r] = [await allocated(server), await allocated(server)];
    await api(server, 'PUT', '/consignments/setreadytoship', { body: [r] });
    clock.set('2026-11-18T17:30:00Z');
    try {
      const late = await query({}, 'PUT');
      assert.deepEqual(late.body, { Message: 'Query found 2 consignment(s). 0 successfully queued to manifest. 2 failed to be added to the queue', FailedConsignments: [a, r] });
      assert.equal(await state(server, a), 'ManifestFailed');
      const again = await query({ States: ['ManifestFailed', 'Unallocated'] });
      // The unallocated ones (the demo's among them) are found and cannot be manifested; the late ones are refused again.
      const failed: string[] = again.body.FailedConsignments;
      for (const ref of [a, r, 'EC-000-05A-Z6S', 'EC-000-083-45D', 'EC-000-A04-0DV']) assert.ok(failed.includes(ref), ref);
      assert.equal(again.body.Message, `Query found ${failed.length} consignment(s). 0 successfully queued to manifest. ${failed.length} failed to be added to the queue`);
      for (const ref of failed) assert.ok(['Unallocated', 'ManifestFailed'].includes(await state(server, ref)), ref);
    } finally {
      clock.set(DEFAULT_NOW);
    }
  });

  it('answers 400 listing each bad criterion, manifesting nothing', async () => {
    const a = await allocated(server);
    const error = assertError(await query({ States: ['Allocated', 'Teleported'], ShippingDate: 'soon', Carriers: [''] }), 400, 'ValidationFailed');
    assert.deepEqual(error.Details.map((d: any) => d.Target).sort(), ['Carriers[0]', 'ShippingDate', 'States[1]']);
    const mixed = assertError(await query({ States: ['Bogus'], ShippingDate: '2026-13-01', LabelsPrinted: 'yes', Carriers: [''] }), 400, 'ValidationFailed');
    assert.deepEqual(mixed.Details.map((d: any) => d.Target).sort(), ['Carriers[0]', 'LabelsPrinted', 'ShippingDate', 'States[0]'], 'a type error and the rest, in one answer');
    const many = Array.from({ length: 70_000 }, (_, i) => `LOC-${i}`);
    const tooMany = assertError(await query({ ShippingLocationReferences: many }), 400, 'ValidationFailed');
    assert.deepEqual(tooMany.Details.map((d: any) => d.Target), ['ShippingLocationReferences']);
    assertError(await query({ Carriers: many.slice(0, 1001) }), 400, 'ValidationFailed');
    const repeated = await query({ ShippingLocationReferences: Array.from({ length: 5000 }, (_, i) => (i % 2 ? 'wh-man-01' : 'WH-MAN-01')), States: ['Unallocated'] });
    assert.equal(repeated.status, 200, 'the same reference many times, in any case, is one');
    assert.equal(await state(server, a), 'Allocated');
  });
});
