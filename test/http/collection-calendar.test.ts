/**
 * GET /collectioncalendar/{shippingLocationReference}/{mpdCarrierReference} over real HTTP
 * (endpoints.md P2-37, models.md §5.5): every demo carrier's calendar in JSON and XML, checked
 * field by field against the catalogue; a service with a calendar of its own; the subscription's
 * enabled services as its scope; the location's clock; stable Ids; the 404s and tenancy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { DateTime } from 'luxon';
import { DEMO_CATALOGUE_PATH, loadCatalogueFile } from '../../src/catalogue/load-catalogue.js';
import { CatalogueIndex, type CollectionCalendar } from '../../src/domain/catalogue.js';
import { assertError } from '../support/assertions.js';
import { createSubscription } from '../support/consignments.js';
import { ADMIN_TOKEN, api, databaseUnderTest, skipReason, startServer, type ApiResponse, type TestServer } from '../support/test-server.js';

const catalogue = new CatalogueIndex(loadCatalogueFile(DEMO_CATALOGUE_PATH));
const XML = { accept: 'application/xml' };
const NS = 'http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.ServiceAvailability';
const GUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const admin = { key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

async function calendarOf(server: TestServer, location: string, carrier: string, key?: string): Promise<any> {
  const res = await api(server, 'GET', `/collectioncalendar/${location}/${carrier}`, { key });
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return res.body;
}

const times = (c: CollectionCalendar) => ({
  ManifestTime: `${c.collectionTime}:00`,
  CutOffTime: { TimeOffsetInDays: 0, Time: `${c.cutOffTime}:00` },
  PreAdviceTime: null,
  OperationalCutOffTime: null,
});

/** The rules and exceptions that govern one service: those naming it, or naming none (every service). */
function governing(body: any, service: string) {
  const applies = (x: { MpdCarrierServiceReferences: string[] }) => x.MpdCarrierServiceReferences.length === 0 || x.MpdCarrierServiceReferences.includes(service);
  return { rules: body.CalendarRules.filter(applies), exceptions: body.CalendarExceptions.filter(applies) };
}

/** Checks a published calendar against the catalogue, field by field, for the given services of the carrier (`zone`: the location's). */
function assertMatchesCatalogue(body: any, carrierReference: string, location: string, services: string[], zone = 'Europe/London'): void {
  assert.deepEqual(Object.keys(body), ['MpdCarrierReference', 'ShippingLocationReference', 'CalendarRules', 'CalendarExceptions']);
  assert.equal(body.MpdCarrierReference, carrierReference);
  assert.equal(body.ShippingLocationReference, location);
  for (const rule of body.CalendarRules) {
    assert.deepEqual(Object.keys(rule), ['Id', 'CalendarOperationTimes', 'DayOfWeek', 'MpdCarrierServiceReferences']);
    assert.deepEqual(Object.keys(rule.CalendarOperationTimes), ['ManifestTime', 'CutOffTime', 'PreAdviceTime', 'OperationalCutOffTime']);
    for (const s of rule.MpdCarrierServiceReferences) assert.ok(services.includes(s), `${s} is one of ${carrierReference}'s services in scope`);
  }
  for (const exception of body.CalendarExceptions) {
    assert.deepEqual(Object.keys(exception), ['Id', 'Date', 'CalendarOperationTimes', 'CalendarExceptionType', 'MpdCarrierServiceReferences']);
    assert.equal(exception.CalendarExceptionType, 'Cancelled');
    for (const s of exception.MpdCarrierServiceReferences) assert.ok(services.includes(s));
  }
  const ids = [...body.CalendarRules, ...body.CalendarExceptions].map((x: { Id: string }) => x.Id);
  for (const id of ids) assert.match(id, GUID_V5);
  assert.equal(new Set(ids).size, ids.length, 'Ids are unique');
  const calendars = services.length ? services.map((s) => [s, catalogue.calendarOf(catalogue.service(s)!)] as const) : [['(any)', catalogue.carrier(carrierReference)!.collectionCalendar] as const];
  for (const [service, calendar] of calendars) {
    const { rules, exceptions } = governing(body, service);
    assert.deepEqual(
      rules.map((r: any) => [r.DayOfWeek, r.CalendarOperationTimes]),
      [...calendar.weekdays].sort((a, b) => a - b).map((d) => [DAY_NAMES[d], times(calendar)]),
      `${service}: one rule per collection weekday, with its times`,
    );
    assert.deepEqual(
      exceptions.map((e: any) => [e.Date, e.CalendarOperationTimes]),
      [...calendar.nonWorkingDates].sort().map((d) => [DateTime.fromISO(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ"), times(calendar)]),
      `${service}: one Cancelled exception per non-working date, at the location's midnight`,
    );
  }
}

const LISTS = new Set(['CalendarRule', 'CalendarException', 'string']);
const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => LISTS.has(name) });

/** The JSON body as the XML mapping writes it (decisions.md §3): lists as typed items, strings as <string>, null as i:nil. */
function asXml(value: any, key = ''): any {
  if (value === null) return { '@i:nil': 'true' };
  if (Array.isArray(value)) {
    if (!value.length) return '';
    const item = key === 'CalendarRules' ? 'CalendarRule' : key === 'CalendarExceptions' ? 'CalendarException' : 'string';
    return { [item]: value.map((v) => asXml(v)) };
  }
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asXml(v, k)]));
  return String(value);
}

function assertNotFound(res: ApiResponse, code: string, target: string, reference: string): void {
  const error = assertError(res, 404, code);
  assert.deepEqual(error.Details.map((d: any) => [d.Code, d.Target]), [['NotFound', target]]);
  assert.match(error.Message, new RegExp(reference));
}

const carrierServices = (carrier: string) => catalogue.catalogue.services.filter((s) => s.carrierReference === carrier).map((s) => s.reference);

describe(`GET /collectioncalendar/{location}/{carrier} (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  describe('the demo carriers', () => {
    for (const carrier of catalogue.catalogue.carriers) {
      it(`${carrier.reference}: its catalogue calendar and its services’ own, in JSON`, async () => {
        const body = await calendarOf(server, 'WH-MAN-01', carrier.reference);
        assertMatchesCatalogue(body, carrier.reference, 'WH-MAN-01', carrierServices(carrier.reference));
      });

      it(`${carrier.reference}: the same calendar in XML, element by element`, async () => {
        const json = await calendarOf(server, 'WH-MAN-01', carrier.reference);
        const res = await api(server, 'GET', `/collectioncalendar/WH-MAN-01/${carrier.reference}`, { headers: XML });
        assert.equal(res.status, 200, res.text);
        assert.match(res.headers.get('content-type') ?? '', /^application\/xml/);
        assert.ok(res.text.startsWith(`<?xml version="1.0" encoding="utf-8"?>\n<CollectionCalendar xmlns="${NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">`), res.text.slice(0, 300));
        const parsed = xmlParser.parse(res.text).CollectionCalendar;
        delete parsed['@xmlns'];
        delete parsed['@xmlns:i'];
        assert.deepEqual(parsed, asXml(json));
        // Element order is the JSON's.
        assert.match(res.text, /<CollectionCalendar [^>]*><MpdCarrierReference>[^<]+<\/MpdCarrierReference><ShippingLocationReference>WH-MAN-01<\/ShippingLocationReference><CalendarRules><CalendarRule><Id>/);
        assert.match(res.text, /<CalendarOperationTimes><ManifestTime>\d\d:\d\d:00<\/ManifestTime><CutOffTime><TimeOffsetInDays>0<\/TimeOffsetInDays><Time>\d\d:\d\d:00<\/Time><\/CutOffTime><PreAdviceTime i:nil="true"\/><OperationalCutOffTime i:nil="true"\/><\/CalendarOperationTimes>/);
      });
    }

    it('a carrier whose services all follow its calendar has rules and exceptions for every service (empty lists)', async () => {
      const body = await calendarOf(server, 'WH-MAN-01', 'EUROLINK');
      assert.deepEqual(body.CalendarRules.map((r: any) => [r.DayOfWeek, r.CalendarOperationTimes.CutOffTime.Time, r.CalendarOperationTimes.ManifestTime, r.MpdCarrierServiceReferences]), [
        ['Monday', '12:00:00', '14:00:00', []],
        ['Wednesday', '12:00:00', '14:00:00', []],
        ['Friday', '12:00:00', '14:00:00', []],
      ]);
      assert.deepEqual(body.CalendarExceptions.map((e: any) => [e.Date, e.CalendarExceptionType, e.MpdCarrierServiceReferences]), [
        ['2026-12-25T00:00:00+00:00', 'Cancelled', []],
        ['2027-01-01T00:00:00+00:00', 'Cancelled', []],
      ]);
    });

    it('a service with a calendar of its own (CX-DROPOFF-48) has its own rules, and the carrier’s rules name the others', async () => {
      const body = await calendarOf(server, 'WH-MAN-01', 'CARRIER_X');
      const others = carrierServices('CARRIER_X').filter((s) => s !== 'CX-DROPOFF-48');
      const named = (list: any[]) => list.map((x) => x.MpdCarrierServiceReferences);
      const dropOffRules = body.CalendarRules.filter((r: any) => r.MpdCarrierServiceReferences.includes('CX-DROPOFF-48'));
      assert.deepEqual(dropOffRules.map((r: any) => [r.DayOfWeek, r.CalendarOperationTimes.CutOffTime.Time, r.CalendarOperationTimes.ManifestTime]), [
        ['Monday', '18:00:00', '18:30:00'],
        ['Tuesday', '18:00:00', '18:30:00'],
        ['Wednesday', '18:00:00', '18:30:00'],
        ['Thursday', '18:00:00', '18:30:00'],
        ['Friday', '18:00:00', '18:30:00'],
        ['Saturday', '18:00:00', '18:30:00'],
      ]);
      assert.deepEqual(named(dropOffRules), dropOffRules.map(() => ['CX-DROPOFF-48']), 'its rules name it alone');
      const carrierRules = body.CalendarRules.filter((r: any) => !r.MpdCarrierServiceReferences.includes('CX-DROPOFF-48'));
      assert.deepEqual(carrierRules.map((r: any) => r.DayOfWeek), ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']);
      assert.deepEqual(named(carrierRules), carrierRules.map(() => others), 'the carrier’s rules name the services that follow them, never the drop-off service');
      // Christmas Day is off for both calendars (one exception each); 28 December only for the carrier's.
      assert.deepEqual(
        body.CalendarExceptions.filter((e: any) => e.Date.startsWith('2026-12')).map((e: any) => [e.Date.slice(0, 10), e.CalendarOperationTimes.CutOffTime.Time, e.MpdCarrierServiceReferences]),
        [
          ['2026-12-25', '18:00:00', ['CX-DROPOFF-48']],
          ['2026-12-25', '17:00:00', others],
          ['2026-12-28', '17:00:00', others],
        ],
      );
    });

    it('dates a summer exception at the location’s midnight in summer time', async () => {
      const body = await calendarOf(server, 'WH-MAN-01', 'CARRIER_X');
      assert.ok(body.CalendarExceptions.some((e: any) => e.Date === '2027-05-31T00:00:00+01:00'), 'Spring bank holiday at midnight BST');
    });
  });

  describe('the request', () => {
    it('matches the path and both references in any case, with or without a trailing slash, and answers with the stored spellings', async () => {
      const canonical = await api(server, 'GET', '/collectioncalendar/WH-MAN-01/CARRIER_X');
      for (const path of ['/collectionCalendar/wh-man-01/carrier_x', '/COLLECTIONCALENDAR/Wh-Man-01/Carrier_X/', '/collectioncalendar/WH%2DMAN%2D01/CARRIER_X']) {
        const res = await api(server, 'GET', path);
        assert.equal(res.status, 200, `${path}: ${res.text}`);
        assert.equal(res.text, canonical.text, path);
      }
      assert.equal(canonical.body.MpdCarrierReference, 'CARRIER_X');
      assert.equal(canonical.body.ShippingLocationReference, 'WH-MAN-01');
    });

    it('answers the same bytes, Ids included, on every GET', async () => {
      const first = await api(server, 'GET', '/collectioncalendar/WH-MAN-01/CARRIER_X');
      const again = await api(server, 'GET', '/collectioncalendar/WH-MAN-01/CARRIER_X');
      assert.equal(again.text, first.text);
      const xml = await api(server, 'GET', '/collectioncalendar/WH-MAN-01/CARRIER_X', { headers: XML });
      const xmlAgain = await api(server, 'GET', '/collectioncalendar/WH-MAN-01/CARRIER_X', { headers: XML });
      assert.equal(xmlAgain.text, xml.text);
      for (const rule of first.body.CalendarRules) assert.ok(xml.text.includes(`<Id>${rule.Id}</Id>`));
    });

    it('gives different carriers’ rules different Ids', async () => {
      const ids = async (carrier: string) => (await calendarOf(server, 'WH-MAN-01', carrier)).CalendarRules.map((r: any) => r.Id);
      const x = await ids('CARRIER_X');
      for (const other of ['NORTHERN_PARCELS', 'SKYWAY', 'EUROLINK']) assert.equal((await ids(other)).filter((id: string) => x.includes(id)).length, 0, other);
    });

    it('needs an API key (401), and answers HEAD like GET without a body', async () => {
      assertError(await api(server, 'GET', '/collectioncalendar/WH-MAN-01/CARRIER_X', { key: null }), 401, 'Unauthorized');
      const head = await fetch(`${server.url}/collectioncalendar/WH-MAN-01/CARRIER_X`, { method: 'HEAD', headers: { 'ocp-apim-subscription-key': 'test-demo-key' } });
      assert.equal(head.status, 200);
      assert.match(head.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(await head.text(), '');
      const headless = await fetch(`${server.url}/collectioncalendar/WH-MAN-01/CARRIER_X`, { method: 'HEAD' });
      assert.equal(headless.status, 401);
    });

    it('has no other method: POST, PUT and DELETE answer 404 RouteNotFound', async () => {
      for (const method of ['POST', 'PUT', 'DELETE']) assertError(await api(server, method, '/collectioncalendar/WH-MAN-01/CARRIER_X'), 404, 'RouteNotFound');
    });

    it('answers 406 to an Accept it cannot meet', async () => {
      assertError(await api(server, 'GET', '/collectioncalendar/WH-MAN-01/CARRIER_X', { headers: { accept: 'application/pdf' } }), 406, 'NotAcceptable');
    });
  });

  describe('404s', () => {
    it('an unknown shipping location: 404 ShippingLocationNotFound', async () => {
      assertNotFound(await api(server, 'GET', '/collectioncalendar/NOWHERE-1/CARRIER_X'), 'ShippingLocationNotFound', 'shippingLocationReference', 'NOWHERE-1');
    });

    it('an unknown carrier: 404 CarrierNotFound', async () => {
      assertNotFound(await api(server, 'GET', '/collectioncalendar/WH-MAN-01/NO_SUCH_CARRIER'), 'CarrierNotFound', 'mpdCarrierReference', 'NO_SUCH_CARRIER');
      // A service's reference is not a carrier's.
      assertNotFound(await api(server, 'GET', '/collectioncalendar/WH-MAN-01/Example-Carrier-Service'), 'CarrierNotFound', 'mpdCarrierReference', 'Example-Carrier-Service');
    });

    it('both unknown: the location is answered first', async () => {
      assertError(await api(server, 'GET', '/collectioncalendar/NOWHERE-1/NO_SUCH_CARRIER'), 404, 'ShippingLocationNotFound');
    });

    it('the error body in XML when XML is asked for', async () => {
      const res = await api(server, 'GET', '/collectioncalendar/WH-MAN-01/NO_SUCH_CARRIER', { headers: XML });
      assert.equal(res.status, 404);
      assert.match(res.text, /<ApiError xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.Common"[^>]*><Code>CarrierNotFound<\/Code><Message>Carrier NO_SUCH_CARRIER not found<\/Message>/);
    });
  });

  describe('tenancy', () => {
    let other: { Reference: string; ApiKey: string };
    before(async () => {
      other = await createSubscription(server, 'Calendar tenant');
      const created = await api(server, 'POST', '/shippingLocations', {
        key: other.ApiKey,
        body: {
          Reference: 'NYC-01',
          Name: 'New York store',
          ShippingLocationType: 'Store',
          AddressLine1: '1 State Street',
          Town: 'New York',
          Postcode: '10004',
          Country: { IsoCode: { TwoLetterCode: 'US' } },
          TimeZone: 'America/New_York',
        },
      });
      assert.equal(created.status, 201, created.text);
    });

    it('another subscription’s shipping location does not exist for the caller (404), either way round', async () => {
      assertNotFound(await api(server, 'GET', '/collectioncalendar/NYC-01/CARRIER_X'), 'ShippingLocationNotFound', 'shippingLocationReference', 'NYC-01');
      assertNotFound(await api(server, 'GET', '/collectioncalendar/WH-MAN-01/CARRIER_X', { key: other.ApiKey }), 'ShippingLocationNotFound', 'shippingLocationReference', 'WH-MAN-01');
    });

    it('each subscription reads the calendar at its own location, on that location’s clock', async () => {
      const body = await calendarOf(server, 'nyc-01', 'SKYWAY', other.ApiKey);
      assertMatchesCatalogue(body, 'SKYWAY', 'NYC-01', carrierServices('SKYWAY'), 'America/New_York');
      assert.deepEqual(body.CalendarExceptions.map((e: any) => e.Date), ['2026-12-25T00:00:00-05:00', '2027-01-01T00:00:00-05:00']);
    });

    it('covers only the services the subscription has enabled: without the drop-off service, Carrier X’s rules are for every service', async () => {
      const off = await api(server, 'DELETE', `/admin/subscriptions/${other.Reference}/services/CX-DROPOFF-48`, admin);
      assert.equal(off.status, 204, off.text);
      const body = await calendarOf(server, 'NYC-01', 'CARRIER_X', other.ApiKey);
      const enabled = carrierServices('CARRIER_X').filter((s) => s !== 'CX-DROPOFF-48');
      assertMatchesCatalogue(body, 'CARRIER_X', 'NYC-01', enabled, 'America/New_York');
      assert.deepEqual(body.CalendarRules.map((r: any) => r.DayOfWeek), ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']);
      for (const x of [...body.CalendarRules, ...body.CalendarExceptions]) assert.deepEqual(x.MpdCarrierServiceReferences, []);
      // The demo subscription, which still has it, is unaffected.
      const demo = await calendarOf(server, 'WH-MAN-01', 'CARRIER_X');
      assert.ok(demo.CalendarRules.some((r: any) => r.DayOfWeek === 'Saturday'));
    });

    it('with only the drop-off service enabled, Carrier X’s calendar is that service’s, for every service', async () => {
      for (const s of carrierServices('CARRIER_X')) {
        const res = await api(server, s === 'CX-DROPOFF-48' ? 'PUT' : 'DELETE', `/admin/subscriptions/${other.Reference}/services/${s}`, admin);
        assert.equal(res.status, 204, res.text);
      }
      const body = await calendarOf(server, 'NYC-01', 'CARRIER_X', other.ApiKey);
      assertMatchesCatalogue(body, 'CARRIER_X', 'NYC-01', ['CX-DROPOFF-48'], 'America/New_York');
      assert.equal(body.CalendarRules.length, 6);
      for (const x of [...body.CalendarRules, ...body.CalendarExceptions]) assert.deepEqual(x.MpdCarrierServiceReferences, []);
    });

    it('a carrier none of whose services is enabled still answers: its own calendar', async () => {
      for (const s of carrierServices('SKYWAY')) {
        const res = await api(server, 'DELETE', `/admin/subscriptions/${other.Reference}/services/${s}`, admin);
        assert.equal(res.status, 204, res.text);
      }
      const body = await calendarOf(server, 'NYC-01', 'SKYWAY', other.ApiKey);
      assertMatchesCatalogue(body, 'SKYWAY', 'NYC-01', [], 'America/New_York');
      for (const x of [...body.CalendarRules, ...body.CalendarExceptions]) assert.deepEqual(x.MpdCarrierServiceReferences, []);
    });
  });
});
