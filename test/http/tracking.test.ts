/**
 * Tracking over real HTTP (decisions.md §12, endpoints.md P2-17 … P2-19), on the run's database:
 * events pushed to POST /tracking/carrierevents by tracking reference or by consignment and
 * package, in JSON and XML, one WithMessage per event; the state rule (by TimeStamp, not arrival
 * order; PartiallyDelivered; INFO changing nothing), duplicates ignored, refusals before Manifested
 * naming the state, unknown codes and references per item, bad bodies 400; GET /tracking/{ref} and
 * /tracking/flattened/{ref} in both representations; DateCollected / DateDelivered and the PHP
 * client's CollectedDate / DeliveryDate on the consignment and its summary; another
 * subscription's consignment as absent (404); and the tracker moving a consignment from
 * Manifested to Delivered as the injected clock moves.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertError } from '../support/assertions.js';
import { allocate, createConsignment, createSubscription, getConsignment, type ConsignmentSpec } from '../support/consignments.js';
import { NEVER } from '../../src/store/tracking.repository.js';
import { SettableClock } from '../support/force-state.js';
import { api, databaseUnderTest, DEFAULT_NOW, skipReason, startServer, type TestServer } from '../support/test-server.js';

const NEXT_DAY = 'Example-Carrier-Service';
const NS = 'http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Consignments';
const TWO_PACKAGES: ConsignmentSpec = { packages: [{}, {}] };

interface Manifested {
  reference: string;
  packages: string[];
  tracking: string[];
}

async function manifested(server: TestServer, spec: ConsignmentSpec = {}, key?: string): Promise<Manifested> {
  const reference = await createConsignment(server, spec, key);
  assert.equal((await allocate(server, NEXT_DAY, [reference], key)).body[0].StatusCode, 200);
  const res = await api(server, 'PUT', '/consignments/manifest', { body: { ConsignmentReferences: [reference] }, key });
  assert.equal(res.body[0].IsSuccess, true, res.text);
  const c = await getConsignment(server, reference, key);
  assert.equal(c.ConsignmentState, 'Manifested');
  return { reference, packages: c.Packages.map((p: any) => p.Reference), tracking: c.ConsignmentLegs[0].TrackingReferences };
}

const push = (server: TestServer, events: unknown, key?: string) => api(server, 'POST', '/tracking/carrierevents', { body: events, key });
const ev = (trackingReference: string, Code: string, TimeStamp: string, extra: Record<string, unknown> = {}) => ({ TrackingReference: trackingReference, Code, TimeStamp, ...extra });
const state = async (server: TestServer, ref: string) => (await getConsignment(server, ref)).ConsignmentState;

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

describe(`Tracking over HTTP (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  let other: { Reference: string; ApiKey: string };

  before(async () => {
    server = await startServer();
    other = await createSubscription(server, 'Other shop');
  });
  after(() => server.close());

  describe('POST /tracking/carrierevents', () => {
    it('forgets a deallocated consignment’s tracking: its new allocation starts with no history, its old numbers find nothing', async () => {
      const m = await manifested(server);
      assert.equal((await push(server, [ev(m.tracking[0], 'INFO', '2026-11-18T10:00:00Z', { Description: 'label scanned' })])).body[0].IsSuccess, true);
      assert.equal((await api(server, 'PUT', `/consignments/${m.reference}/deallocate`)).status, 200);
      assert.equal((await allocate(server, NEXT_DAY, [m.reference])).body[0].StatusCode, 200);
      assert.equal((await api(server, 'PUT', '/consignments/manifest', { body: { ConsignmentReferences: [m.reference] } })).body[0].IsSuccess, true);
      const tracking = await api(server, 'GET', `/tracking/${m.reference}`);
      assert.deepEqual(tracking.body.TrackedPackages[0].Legs.flatMap((l: any) => l.Events), [], 'the old booking’s events are gone');
      const old = await push(server, [ev(m.tracking[0], 'COLLECTED', '2026-11-18T17:30:00Z')]);
      assert.equal(old.body[0].IsSuccess, false, 'the old tracking number finds nothing');
      assert.equal(await state(server, m.reference), 'Manifested');
    });

    it('on a journey of two legs, takes a delivery on the first as the handover: only the last leg delivers', async () => {
      const toPoland = {
        extra: {
          Addresses: [
            { AddressType: 'Origin', ShippingLocationReference: 'WH-MAN-01' },
            { AddressType: 'Destination', AddressLine1: 'ul. Piotrkowska 12', Town: 'Łódź', Postcode: '90-001', Country: { IsoCode: { TwoLetterCode: 'PL' } } },
          ],
        },
      };
      const reference = await createConsignment(server, toPoland);
      assert.equal((await allocate(server, 'EL-EU-ROAD', [reference])).body[0].StatusCode, 200);
      assert.equal((await api(server, 'PUT', '/consignments/manifest', { body: { ConsignmentReferences: [reference] } })).body[0].IsSuccess, true);
      const legs = (await getConsignment(server, reference)).ConsignmentLegs;
      assert.equal(legs.length, 2);
      const [first, second] = legs.map((l: any) => l.TrackingReferences[0]);
      await push(server, [ev(first, 'COLLECTED', '2026-11-18T17:30:00Z'), ev(first, 'DELIVERED', '2026-11-19T09:00:00Z', { Location: 'Dover' })]);
      const c = await getConsignment(server, reference);
      assert.equal(c.ConsignmentState, 'InTransit', 'handed over to the second carrier, not delivered');
      assert.equal(c.DateDelivered, null);
      await push(server, [ev(second, 'OUT_FOR_DELIVERY', '2026-11-21T07:30:00Z'), ev(second, 'DELIVERED', '2026-11-21T12:00:00Z')]);
      const delivered = await getConsignment(server, reference);
      assert.equal(delivered.ConsignmentState, 'Delivered');
      assert.equal(Date.parse(delivered.DateDelivered), Date.parse('2026-11-21T12:00:00Z'));
    });

    it('records events by tracking reference: one WithMessage per event in order, the state follows and DateCollected is set', async () => {
      const m = await manifested(server);
      const res = await push(server, [
        ev(m.tracking[0], 'COLLECTED', '2026-11-18T17:30:00+00:00', { Description: 'Collected from sender', Location: 'Manchester' }),
        ev(m.tracking[0].toLowerCase(), 'in_transit', '2026-11-18T20:00:00+00:00'),
      ]);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.length, 2);
      for (const item of res.body) {
        assert.deepEqual(Object.keys(item), ['IsSuccess', 'Message', 'Data', 'ApiLinks']);
        assert.equal(item.IsSuccess, true, item.Message);
        assert.equal(item.Message, 'Tracking event recorded');
        assert.match(item.ApiLinks[0].Href, new RegExp(`/tracking/${m.reference}$`));
      }
      assert.deepEqual(res.body.map((i: any) => i.Data), [m.tracking[0], m.tracking[0].toLowerCase()]);
      const c = await getConsignment(server, m.reference);
      assert.equal(c.ConsignmentState, 'InTransit');
      assert.equal(c.DateCollected, '2026-11-18T17:30:00.000+00:00');
      assert.equal(c.CollectedDate, c.DateCollected);
      assert.equal(c.DateDelivered, null);
      assert.equal(c.DeliveryDate, null);
    });

    it('follows the events by TimeStamp, not arrival order; INFO changes nothing; DateDelivered and DeliveryDate on the consignment and its summary', async () => {
      const m = await manifested(server);
      const t = m.tracking[0];
      assert.equal((await push(server, [ev(t, 'DELIVERED', '2026-11-19T12:00:00+01:00', { SignedBy: 'Tester' })])).body[0].IsSuccess, true);
      assert.equal(await state(server, m.reference), 'Delivered');
      // Older events arriving late do not move it back.
      const late = await push(server, [ev(t, 'OUT_FOR_DELIVERY', '2026-11-19T07:30:00+00:00'), ev(t, 'COLLECTED', '2026-11-18T17:30:00+00:00'), ev(t, 'INFO', '2026-11-19T13:00:00+00:00', { Description: 'Left with neighbour' })]);
      assert.deepEqual(late.body.map((i: any) => i.IsSuccess), [true, true, true]);
      const c = await getConsignment(server, m.reference);
      assert.equal(c.ConsignmentState, 'Delivered');
      assert.equal(c.DateDelivered, '2026-11-19T11:00:00.000+00:00');
      assert.equal(c.DeliveryDate, c.DateDelivered);
      assert.equal(c.DateCollected, '2026-11-18T17:30:00.000+00:00');
      const summary = await api(server, 'GET', `/consignments/summary?reference=${m.reference}`);
      assert.equal(summary.status, 200, summary.text);
      const found = (summary.body.ConsignmentSummaries ?? summary.body).find?.((s: any) => s.Reference === m.reference) ?? null;
      if (found) {
        assert.equal(found.DateDelivered, c.DateDelivered);
        assert.equal(found.DeliveryDate, c.DateDelivered);
        assert.equal(found.DateCollected, c.DateCollected);
        assert.equal(found.CollectedDate, c.DateCollected);
      }
      const search = await api(server, 'GET', `/consignments/10/0?reference=${m.reference}`);
      assert.equal(search.status, 200, search.text);
      const s = search.body.ConsignmentSummaries.find((x: any) => x.Reference === m.reference);
      assert.equal(s.DateDelivered, c.DateDelivered);
      assert.equal(s.DeliveryDate, c.DateDelivered);
      assert.equal(s.DateCollected, c.DateCollected);
      assert.equal(s.CollectedDate, c.DateCollected);
      assert.equal(s.State, 'Delivered');
      // An INFO event alone leaves a Manifested consignment Manifested.
      const quiet = await manifested(server);
      assert.equal((await push(server, [ev(quiet.tracking[0], 'INFO', '2026-11-18T10:00:00Z')])).body[0].IsSuccess, true);
      assert.equal(await state(server, quiet.reference), 'Manifested');
    });

    it('ignores a duplicate (same package, leg, code and moment), in the same batch or a later one, whatever the offset it is written in', async () => {
      const m = await manifested(server);
      const t = m.tracking[0];
      const first = await push(server, [ev(t, 'COLLECTED', '2026-11-18T17:30:00+00:00'), ev(t, 'COLLECTED', '2026-11-18T18:30:00+01:00')]);
      assert.deepEqual(first.body.map((i: any) => [i.IsSuccess, i.Message]), [
        [true, 'Tracking event recorded'],
        [true, 'Tracking event already recorded; the duplicate was ignored'],
      ]);
      const again = await push(server, [ev(t, 'collected', '2026-11-18T17:30:00Z')]);
      assert.equal(again.body[0].Message, 'Tracking event already recorded; the duplicate was ignored');
      const tracking = await api(server, 'GET', `/tracking/${m.reference}`);
      assert.equal(tracking.body.TrackedPackages[0].Legs[0].Events.length, 1);
      // The same moment with another code is another event.
      assert.equal((await push(server, [ev(t, 'INFO', '2026-11-18T17:30:00Z')])).body[0].Message, 'Tracking event recorded');
    });

    it('makes a consignment PartiallyDelivered while some packages are delivered, Delivered once all are (DateDelivered the last)', async () => {
      const m = await manifested(server, TWO_PACKAGES);
      assert.equal(m.tracking.length, 2);
      await push(server, [ev(m.tracking[0], 'OUT_FOR_DELIVERY', '2026-11-19T07:30:00Z'), ev(m.tracking[1], 'OUT_FOR_DELIVERY', '2026-11-19T07:31:00Z')]);
      assert.equal(await state(server, m.reference), 'OutForDelivery');
      await push(server, [ev(m.tracking[1], 'DELIVERED', '2026-11-19T11:00:00Z')]);
      const partly = await getConsignment(server, m.reference);
      assert.equal(partly.ConsignmentState, 'PartiallyDelivered');
      assert.equal(partly.DateDelivered, null);
      // By consignment and package reference, leg 1 by default.
      const res = await push(server, [{ ConsignmentReference: m.reference.toLowerCase(), PackageReference: m.packages[0], Code: 'DELIVERED', TimeStamp: '2026-11-19T12:30:00Z' }]);
      assert.equal(res.body[0].IsSuccess, true, res.text);
      assert.equal(res.body[0].Data, m.reference.toLowerCase());
      const all = await getConsignment(server, m.reference);
      assert.equal(all.ConsignmentState, 'Delivered');
      assert.equal(all.DateDelivered, '2026-11-19T12:30:00.000+00:00');
    });

    it('refuses events for a consignment not yet Manifested, naming its state, and unknown codes and references per item, recording the rest', async () => {
      const allocated = await createConsignment(server);
      assert.equal((await allocate(server, NEXT_DAY, [allocated])).body[0].StatusCode, 200);
      const allocatedPackage = (await getConsignment(server, allocated)).Packages[0].Reference;
      const m = await manifested(server);
      const res = await push(server, [
        { ConsignmentReference: allocated, PackageReference: allocatedPackage, Code: 'COLLECTED', TimeStamp: '2026-11-18T17:30:00Z' },
        ev(m.tracking[0], 'TELEPORTED', '2026-11-18T17:30:00Z'),
        ev('NOSUCHNUMBER1', 'COLLECTED', '2026-11-18T17:30:00Z'),
        { ConsignmentReference: m.reference, PackageReference: 'EP-ZZZ-ZZZ-ZZZ', Code: 'COLLECTED', TimeStamp: '2026-11-18T17:30:00Z' },
        { ConsignmentReference: m.reference, PackageReference: m.packages[0], Leg: 2, Code: 'COLLECTED', TimeStamp: '2026-11-18T17:30:00Z' },
        { TrackingReference: m.tracking[0], Leg: 2, Code: 'COLLECTED', TimeStamp: '2026-11-18T17:30:00Z' },
        ev(m.tracking[0], 'COLLECTED', '2026-11-18T17:30:00Z'),
      ]);
      assert.equal(res.status, 200, res.text);
      const items = res.body.map((i: any) => [i.IsSuccess, i.Message]);
      assert.deepEqual(items.map((i: any) => i[0]), [false, false, false, false, false, false, true]);
      assert.match(items[0][1], new RegExp(`Consignment ${allocated} cannot take tracking events: it is Allocated`));
      assert.match(items[1][1], /Unknown tracking code TELEPORTED/);
      assert.match(items[2][1], /No manifested package has tracking reference NOSUCHNUMBER1/);
      assert.match(items[3][1], /has no package EP-ZZZ-ZZZ-ZZZ/);
      assert.match(items[4][1], /has no leg 2 \(it has 1\)/);
      assert.match(items[5][1], /is not on leg 2/);
      assert.equal(res.body[0].ApiLinks, null);
      assert.equal(await state(server, allocated), 'Allocated');
      assert.equal(await state(server, m.reference), 'Collected');
    });

    it('treats another subscription’s packages as unknown, and refuses its own events on consignments of others', async () => {
      const mine = await manifested(server);
      const res = await push(server, [ev(mine.tracking[0], 'COLLECTED', '2026-11-18T17:30:00Z'), { ConsignmentReference: mine.reference, PackageReference: mine.packages[0], Code: 'COLLECTED', TimeStamp: '2026-11-18T17:30:00Z' }], other.ApiKey);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.map((i: any) => i.IsSuccess), [false, false]);
      assert.match(res.body[0].Message, /No manifested package/);
      assert.match(res.body[1].Message, /No consignment .* exists for this subscription/);
      assert.equal(await state(server, mine.reference), 'Manifested');
    });

    it('answers 400 with every problem for a body that is not a list of events', async () => {
      const m = await manifested(server);
      assertError(await push(server, { TrackingReference: m.tracking[0], Code: 'COLLECTED', TimeStamp: '2026-11-18T17:30:00Z' }), 400, 'ValidationFailed');
      const bad = assertError(await push(server, [{ Code: 'COLLECTED' }, { TrackingReference: m.tracking[0], Code: 'COLLECTED', TimeStamp: 'yesterday' }, { ConsignmentReference: m.reference, Code: 'COLLECTED', TimeStamp: '2026-11-18T17:30:00Z' }, { TrackingReference: 5, Code: 7, TimeStamp: '2026-11-18T17:30:00Z' }]), 400, 'ValidationFailed');
      const targets = bad.Details.map((d: any) => d.Target);
      for (const t of ['body[0].TimeStamp', 'body[0].TrackingReference', 'body[1].TimeStamp', 'body[2].TrackingReference', 'body[3].TrackingReference', 'body[3].Code']) assert.ok(targets.includes(t), `${t} in ${JSON.stringify(targets)}`);
      assertError(await api(server, 'POST', '/tracking/carrierevents', { body: '[{"Code": ', contentType: 'application/json' }), 400, 'MalformedBody');
      assertError(await api(server, 'POST', '/tracking/carrierevents', {}), 400, 'ValidationFailed');
      const texts = assertError(await push(server, [
        { ...ev(m.tracking[0], 'COLLECTED', '2026-11-18T17:30:00Z'), Description: 'a\u0000b' },
        { ...ev(m.tracking[0], 'COLLECTED', '2026-11-18T17:30:00Z'), Location: 'x'.repeat(1001) },
        { ...ev(m.tracking[0], 'COLLECTED', '2026-11-18T17:30:00Z'), SignedBy: '\u0000' },
      ]), 400, 'ValidationFailed');
      assert.deepEqual(texts.Details.map((d: any) => d.Target), ['body[0].Description', 'body[1].Location', 'body[2].SignedBy'], 'texts it could not keep whole (PostgreSQL stores no NUL): 400, never 500 or cut short');
      const moments = assertError(await push(server, ['+275760-09-13T00:00:00-01:00', '9999-12-31T23:59:59-05:00', '0050-01-01T00:00:00Z', '-000001-01-01T00:00:00Z'].map((t) => ev(m.tracking[0], 'COLLECTED', t))), 400, 'ValidationFailed');
      assert.deepEqual(moments.Details.map((d: any) => d.Target), ['body[0].TimeStamp', 'body[1].TimeStamp', 'body[2].TimeStamp', 'body[3].TimeStamp'], 'moments outside the years 1900 to 9998: 400, never 500');
      assert.match(moments.Details[0].Message, /1900 to 9998/);
      assertError(await push(server, [ev(m.tracking[0], 'COLLECTED', '2026-11-18T17:30:00Z')], 'wrong-key'), 401, 'Unauthorized');
      assert.equal(await state(server, m.reference), 'Manifested');
      const empty = await push(server, []);
      assert.equal(empty.status, 200);
      assert.deepEqual(empty.body, []);
    });

    it('takes the events as XML (ArrayOfCarrierTrackingEvent) and answers ArrayOfWithMessageOfString', async () => {
      const m = await manifested(server, TWO_PACKAGES);
      const xml = `<?xml version="1.0" encoding="utf-8"?>
<ArrayOfCarrierTrackingEvent xmlns="${NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <CarrierTrackingEvent><TrackingReference>${m.tracking[0]}</TrackingReference><TimeStamp>2026-11-18T17:30:00+00:00</TimeStamp><Code>COLLECTED</Code><Location>Manchester</Location><SignedBy i:nil="true"/></CarrierTrackingEvent>
  <CarrierTrackingEvent><ConsignmentReference>${m.reference}</ConsignmentReference><PackageReference>${m.packages[1]}</PackageReference><Leg>1</Leg><TimeStamp>2026-11-18T17:31:00+00:00</TimeStamp><Code>COLLECTED</Code></CarrierTrackingEvent>
</ArrayOfCarrierTrackingEvent>`;
      const res = await api(server, 'POST', '/tracking/carrierevents', { body: xml, headers: { accept: 'application/xml' } });
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /xml/);
      assert.match(res.text, /<ArrayOfWithMessageOfString[^>]*xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.Consignments"/);
      assert.equal(res.text.match(/<IsSuccess>true<\/IsSuccess>/g)?.length, 2, res.text);
      assert.equal(await state(server, m.reference), 'Collected');
      const one = `<ArrayOfCarrierTrackingEvent><CarrierTrackingEvent><TrackingReference>${m.tracking[1]}</TrackingReference><TimeStamp>2026-11-18T20:00:00Z</TimeStamp><Code>IN_TRANSIT</Code></CarrierTrackingEvent></ArrayOfCarrierTrackingEvent>`;
      const single = await api(server, 'POST', '/tracking/carrierevents', { body: one });
      assert.equal(single.status, 200, single.text);
      assert.equal(single.body[0].IsSuccess, true, single.text);
    });
  });

  describe('GET /tracking/{ref} and /tracking/flattened/{ref}', () => {
    let m: Manifested;
    before(async () => {
      m = await manifested(server, TWO_PACKAGES);
      await push(server, [
        ev(m.tracking[0], 'IN_TRANSIT', '2026-11-18T20:00:00+00:00'),
        ev(m.tracking[0], 'COLLECTED', '2026-11-18T17:30:00+00:00', { Description: 'Collected', Location: 'Manchester' }),
        ev(m.tracking[1], 'COLLECTED', '2026-11-18T17:31:00+00:00'),
      ]);
    });

    it('shows each package’s legs and their events oldest first, with the PHP client’s Reference, flat Events and per-event CarrierServiceName', async () => {
      const res = await api(server, 'GET', `/tracking/${m.reference.toLowerCase()}`);
      assert.equal(res.status, 200, res.text);
      const b = res.body;
      assert.equal(b.ConsignmentReferenceForAllLegsAssignedByMpd, m.reference);
      assert.equal(b.Reference, m.reference);
      assert.deepEqual(b.TrackedPackages.map((p: any) => p.PackageReferenceForAllLegsAssignedByMpd), m.packages);
      assert.deepEqual(b.TrackedPackages.map((p: any) => p.Reference), m.packages);
      const [first, second] = b.TrackedPackages;
      assert.equal(first.Legs.length, 1);
      assert.equal(first.Legs[0].Leg, 1);
      assert.equal(typeof first.Legs[0].CarrierServiceName, 'string');
      assert.equal(first.Legs[0].TrackingReference, m.tracking[0]);
      assert.deepEqual(first.Legs[0].Events.map((e: any) => e.Code), ['COLLECTED', 'IN_TRANSIT']);
      assert.deepEqual(Object.keys(first.Legs[0].Events[0]), ['TimeStamp', 'Code', 'Description', 'SignedBy', 'Location', 'CarrierServiceName']);
      assert.deepEqual(first.Legs[0].Events[0], { TimeStamp: '2026-11-18T17:30:00+00:00', Code: 'COLLECTED', Description: 'Collected', SignedBy: null, Location: 'Manchester', CarrierServiceName: first.Legs[0].CarrierServiceName });
      assert.deepEqual(first.Events, first.Legs[0].Events);
      assert.deepEqual(second.Legs[0].Events.map((e: any) => e.Code), ['COLLECTED']);
    });

    it('flattened: each package’s events whatever the leg', async () => {
      const res = await api(server, 'GET', `/tracking/flattened/${m.reference}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.ConsignmentReferenceForAllLegsAssignedByMpd, m.reference);
      assert.deepEqual(Object.keys(res.body.TrackedPackages[0]), ['PackageReferenceForAllLegsAssignedByMpd', 'Reference', 'Events']);
      assert.deepEqual(res.body.TrackedPackages[0].Events.map((e: any) => e.Code), ['COLLECTED', 'IN_TRANSIT']);
      assert.ok(res.body.TrackedPackages[0].Events.every((e: any) => typeof e.CarrierServiceName === 'string'));
    });

    it('answers in XML on Accept: application/xml', async () => {
      for (const [path, root] of [[`/tracking/${m.reference}`, 'ConsignmentViewModel'], [`/tracking/flattened/${m.reference}`, 'FlattenedConsignmentViewModel']]) {
        const res = await api(server, 'GET', path, { headers: { accept: 'application/xml' } });
        assert.equal(res.status, 200, res.text);
        assert.match(res.text, new RegExp(`<${root} [^>]*xmlns="${NS.replaceAll('.', '\\.')}"`));
        assert.match(res.text, /<Code>COLLECTED<\/Code>/);
        assert.match(res.text, /<SignedBy i:nil="true"\s*\/>/);
      }
    });

    it('a consignment without events has its packages and legs with no events; unknown and another subscription’s references are 404', async () => {
      const quiet = await manifested(server);
      const res = await api(server, 'GET', `/tracking/${quiet.reference}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.TrackedPackages[0].Legs[0].Events, []);
      assertError(await api(server, 'GET', '/tracking/EC-ZZZ-ZZZ-ZZZ'), 404, 'ConsignmentNotFound');
      assertError(await api(server, 'GET', `/tracking/${m.reference}`, { key: other.ApiKey }), 404, 'ConsignmentNotFound');
      assertError(await api(server, 'GET', `/tracking/flattened/${m.reference}`, { key: other.ApiKey }), 404, 'ConsignmentNotFound');
      assertError(await api(server, 'GET', `/tracking/${m.reference}`, { key: null }), 401, 'Unauthorized');
      const theirs = await manifested(server, { origin: { postcode: 'LS1 4AP', town: 'Leeds', line1: '1 Park Row' } }, other.ApiKey);
      assertError(await api(server, 'GET', `/tracking/${theirs.reference}`), 404, 'ConsignmentNotFound');
      assert.equal((await api(server, 'GET', `/tracking/${theirs.reference}`, { key: other.ApiKey })).status, 200);
    });
  });
});

describe(`The tracker over HTTP (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  const clock = new SettableClock(DEFAULT_NOW);

  before(async () => {
    server = await startServer({ clock, env: { SWITCHYARD_BACKGROUND_JOBS: 'true' } });
  });
  after(() => server.close());

  it('moves a manifested consignment to Collected and then Delivered as the clock passes its dates, with the simulated carrier’s events', { timeout: 120_000 }, async () => {
    const m = await manifested(server, TWO_PACKAGES);
    const c = await getConsignment(server, m.reference);
    const collection = new Date(c.CollectionDate);
    // The tracker has asked once already (nothing had happened yet): the leg is not due again until the clock moves.
    clock.set(new Date(collection.getTime() + 60_000).toISOString());
    await until('Collected', () => state(server, m.reference), (s) => s === 'Collected');
    const collected = await getConsignment(server, m.reference);
    assert.equal(Date.parse(collected.DateCollected), collection.getTime());
    // Past the delivery day's noon: the rest of the history at once.
    const latest = new Date(c.LatestDeliveryDate);
    clock.set(new Date(Date.UTC(latest.getUTCFullYear(), latest.getUTCMonth(), latest.getUTCDate(), 23, 0)).toISOString());
    await until('Delivered', () => state(server, m.reference), (s) => s === 'Delivered');
    const delivered = await getConsignment(server, m.reference);
    assert.ok(delivered.DateDelivered, 'DateDelivered set');
    assert.equal(delivered.DeliveryDate, delivered.DateDelivered);
    const tracking = await api(server, 'GET', `/tracking/${m.reference}`);
    for (const p of tracking.body.TrackedPackages) {
      assert.deepEqual(p.Legs[0].Events.map((e: any) => e.Code), ['COLLECTED', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED']);
      const times = p.Legs[0].Events.map((e: any) => Date.parse(e.TimeStamp));
      assert.deepEqual([...times].sort((a, b) => a - b), times, 'in time order');
      assert.equal(p.Legs[0].Events[3].SignedBy, 'Sam Tester');
    }
    // Delivered: the tracker stops asking about it (never due again), having asked twice.
    const legs = await server.app.ctx.database.db
      .selectFrom('tracked_legs')
      .innerJoin('consignments', 'consignments.id', 'tracked_legs.consignment_id')
      .select(['tracked_legs.next_poll_at', 'tracked_legs.polls', 'tracked_legs.lease_owner'])
      .where('consignments.reference', '=', m.reference)
      .execute();
    assert.equal(legs.length, 1);
    assert.equal(legs[0].next_poll_at, NEVER);
    assert.equal(legs[0].lease_owner, null);
    assert.ok(legs[0].polls >= 2, `asked ${legs[0].polls} times`);
    const audit = await api(server, 'GET', `/consignments/${m.reference}/audit`);
    assert.equal(audit.status, 200, audit.text);
    const states = audit.body.map((e: any) => e.ToState);
    assert.deepEqual(states.slice(states.indexOf('Manifested')), ['Manifested', 'Collected', 'Delivered']);
  });
});
