/**
 * Shipping locations over real HTTP (endpoints.md P1-26 … P1-29 and our management of them):
 * lists, one location, availability, create / replace / delete with every validation problem
 * listed, tenant isolation, the one default return location, what consignments keep when a
 * location changes, and the location's time zone driving cut-offs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, databaseUnderTest, skipReason, startServer, type ApiResponse, type TestServer } from '../support/test-server.js';
import { assertError, assertHealthy } from '../support/assertions.js';
import { allocate, consignmentRequest, createSubscription, getConsignment } from '../support/consignments.js';

const LOCATION_KEYS = [
  'Id',
  'Reference',
  'Name',
  'ShippingLocationType',
  'DefaultLocationForReturns',
  'Notes',
  'CustomerReference',
  'LinkedAccounts',
  'Contact',
  'CompanyName',
  'CustomerName',
  'AddressLine1',
  'AddressLine2',
  'AddressLine3',
  'Town',
  'Region',
  'RegionCode',
  'Postcode',
  'Country',
  'SpecialInstructions',
  'LatLong',
  'IsCached',
  'TimeZone',
];
const PROFILE_NS = 'xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Profile"';
const XML = { accept: 'application/xml' };

/** A valid location body, with overrides (undefined removes a field). */
function locationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    Reference: 'LDS-DC1',
    Name: 'Leeds DC',
    ShippingLocationType: 'DistributionCentre',
    DefaultLocationForReturns: false,
    Notes: 'Gate 2 after 18:00',
    Contact: { Title: 'Mr', FirstName: 'Dev', LastName: 'Okafor', Email: 'dispatch@example.com' },
    CompanyName: 'Example Homewares Ltd',
    AddressLine1: 'Unit 7 Aire Valley Park',
    AddressLine2: 'Canal Road',
    Town: 'Leeds',
    Region: 'West Yorkshire',
    Postcode: 'LS12 2DT',
    Country: { IsoCode: { TwoLetterCode: 'GB' } },
    ...overrides,
  };
  for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
  return body;
}

async function create(server: TestServer, overrides: Record<string, unknown> = {}, key?: string): Promise<any> {
  const res = await api(server, 'POST', '/shippingLocations', { body: locationBody(overrides), key });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function list(server: TestServer, key?: string): Promise<any[]> {
  const res = await api(server, 'GET', '/shippinglocations', { key });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

function assertNotFound(res: ApiResponse, reference: string): void {
  const error = assertError(res, 404, 'ShippingLocationNotFound');
  assert.deepEqual(error.Details.map((d: any) => [d.Code, d.Target]), [['NotFound', 'shippingLocationReference']]);
  assert.match(error.Message, new RegExp(reference));
}

/** Creates a consignment whose Origin (or, inbound, Destination) is the named location; returns its reference. */
async function createVia(server: TestServer, reference: string, type: 'Origin' | 'Destination' = 'Origin'): Promise<string> {
  const body = consignmentRequest(type === 'Destination' ? { direction: 'Inbound' } : {});
  const customer = {
    AddressType: type === 'Origin' ? 'Destination' : 'Origin',
    Contact: { FirstName: 'Sam', LastName: 'Tester' },
    AddressLine1: '1 Test Street',
    Town: 'Leeds',
    Postcode: 'LS6 3JZ',
    Country: { IsoCode: { TwoLetterCode: 'GB' } },
  };
  body.Addresses = [{ AddressType: type, ShippingLocationReference: reference }, customer];
  const res = await api(server, 'POST', '/consignments', { body });
  assert.equal(res.status, 201, res.text);
  return res.body[0].Href.split('/').pop();
}

describe(`Shipping locations (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  let demoReference: string;
  before(async () => {
    server = await startServer();
    const row = await server.app.ctx.database.db.selectFrom('subscriptions').select('reference').where('name', '=', 'Demo').executeTakeFirstOrThrow();
    demoReference = row.reference;
  });
  after(() => server.close());

  describe('reading', () => {
    it('lists the demo warehouse WH-MAN-01 in the documented shape, at /shippinglocations and /shippinglocations/assigned alike', async () => {
      const all = await list(server);
      const wh = all.find((l) => l.Reference === 'WH-MAN-01');
      assert.ok(wh, JSON.stringify(all));
      assert.deepEqual(Object.keys(wh), LOCATION_KEYS);
      assert.equal(typeof wh.Id, 'number');
      assert.equal(wh.Name, 'Manchester Warehouse');
      assert.equal(wh.ShippingLocationType, 'Warehouse');
      assert.equal(wh.DefaultLocationForReturns, false);
      assert.equal(wh.Notes, null);
      assert.equal(wh.CustomerReference, demoReference);
      assert.deepEqual(wh.LinkedAccounts, []);
      assert.equal(wh.AddressLine1, 'Unit 4, Westinghouse Road');
      assert.equal(wh.Postcode, 'M17 1PY');
      assert.deepEqual(wh.Country, { Name: 'United Kingdom', IsoCode: { TwoLetterCode: 'GB' } });
      assert.equal(wh.Contact.FirstName, 'Dispatch');
      assert.equal(wh.IsCached, false);
      assert.equal(wh.TimeZone, 'Europe/London');
      for (const path of ['/shippinglocations/assigned', '/shippingLocations/Assigned/', '/SHIPPINGLOCATIONS']) {
        const res = await api(server, 'GET', path);
        assert.equal(res.status, 200, `${path}: ${res.text}`);
        assert.deepEqual(res.body, all, path);
      }
    });

    it('gets one location by its reference in any case, answering with the stored spelling, in JSON and XML', async () => {
      const res = await api(server, 'GET', '/shippingLocations/wh-man-01');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.Reference, 'WH-MAN-01');
      const xml = await api(server, 'GET', '/shippinglocations/Wh-Man-01', { headers: XML });
      assert.equal(xml.status, 200, xml.text);
      assert.match(xml.headers.get('content-type') ?? '', /^application\/xml/);
      assert.ok(xml.text.startsWith(`<?xml version="1.0" encoding="utf-8"?>\n<ShippingLocation ${PROFILE_NS}`), xml.text.slice(0, 200));
      assert.match(xml.text, /<Reference>WH-MAN-01<\/Reference><Name>Manchester Warehouse<\/Name><ShippingLocationType>Warehouse<\/ShippingLocationType>/);
      assert.match(xml.text, /<Notes i:nil="true"\/>/);
      assert.match(xml.text, /<Country><Name>United Kingdom<\/Name><IsoCode><TwoLetterCode>GB<\/TwoLetterCode><\/IsoCode><\/Country>/);
      assert.match(xml.text, /<TimeZone>Europe\/London<\/TimeZone><\/ShippingLocation>$/);
    });

    it('answers the list in XML as ArrayOfShippingLocation, also when it is empty', async () => {
      const xml = await api(server, 'GET', '/shippinglocations', { headers: XML });
      assert.equal(xml.status, 200, xml.text);
      assert.match(xml.text, new RegExp(`^<\\?xml version="1.0" encoding="utf-8"\\?>\\n<ArrayOfShippingLocation ${PROFILE_NS.replace(/[./]/g, '\\$&')}[^>]*><ShippingLocation><Id>`));
      const other = await createSubscription(server, 'No Locations Ltd');
      const empty = await api(server, 'GET', '/shippinglocations/assigned', { key: other.ApiKey, headers: XML });
      assert.equal(empty.status, 200, empty.text);
      assert.match(empty.text, new RegExp(`<ArrayOfShippingLocation ${PROFILE_NS.replace(/[./]/g, '\\$&')} xmlns:i="[^"]+"></ArrayOfShippingLocation>$`));
      assert.deepEqual((await api(server, 'GET', '/shippinglocations', { key: other.ApiKey })).body, []);
    });

    it('answers an unknown reference with 404 ShippingLocationNotFound, in JSON and XML', async () => {
      assertNotFound(await api(server, 'GET', '/shippingLocations/WH-NOWHERE'), 'WH-NOWHERE');
      const xml = await api(server, 'GET', '/shippingLocations/WH-NOWHERE', { headers: XML });
      assert.equal(xml.status, 404);
      assert.match(xml.text, /<ApiError [^>]*><Code>ShippingLocationNotFound<\/Code>/);
    });

    it('says whether a reference is available: unused by this subscription and usable as a reference', async () => {
      const available = async (ref: string) => {
        const res = await api(server, 'GET', `/shippingLocations/${ref}/available`);
        assert.equal(res.status, 200, res.text);
        return res.body;
      };
      assert.equal(await available('WH-MAN-01'), false);
      assert.equal(await available('wh-man-01'), false, 'case-insensitively');
      assert.equal(await available('WH-NEW-01'), true);
      assert.equal(await available('assigned'), false, 'a path word cannot be a reference');
      assert.equal(await available('no%20spaces'), false, 'a reference with a space cannot be created');
      const xml = await api(server, 'GET', '/shippinglocations/WH-NEW-01/available', { headers: XML });
      assert.match(xml.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<boolean [^>]*>true<\/boolean>$/);
    });
  });

  describe('creating', () => {
    it('answers 201 with a Location header and the location, which the list then shows', async () => {
      const res = await api(server, 'POST', '/shippingLocations', { body: locationBody({ Reference: 'LDS-DC1' }) });
      assert.equal(res.status, 201, res.text);
      const l = res.body;
      assert.deepEqual(Object.keys(l), LOCATION_KEYS);
      assert.equal(res.headers.get('location'), `${server.url}/shippingLocations/LDS-DC1`);
      assert.equal(l.Reference, 'LDS-DC1');
      assert.equal(l.Name, 'Leeds DC');
      assert.equal(l.ShippingLocationType, 'DistributionCentre');
      assert.equal(l.Notes, 'Gate 2 after 18:00');
      assert.equal(l.CustomerReference, demoReference);
      assert.deepEqual(l.Contact, { Reference: null, Title: 'Mr', FirstName: 'Dev', LastName: 'Okafor', Position: null, Telephone: null, Mobile: null, LandLine: null, Email: 'dispatch@example.com' });
      assert.equal(l.CompanyName, 'Example Homewares Ltd');
      assert.equal(l.AddressLine2, 'Canal Road');
      assert.equal(l.AddressLine3, null);
      assert.equal(l.Region, 'West Yorkshire');
      assert.equal(l.TimeZone, 'Europe/London', 'the zone of a one-zone country');
      const got = await api(server, 'GET', new URL(res.headers.get('location')!).pathname);
      assert.deepEqual(got.body, l);
      assert.ok((await list(server)).some((x) => x.Id === l.Id));
    });

    it('takes an XML body in any element order and answers in XML', async () => {
      const xml = `<?xml version="1.0" encoding="utf-8"?>
<ShippingLocation xmlns="http://electioapp.com/schemas/v1/MPD.Electio.SDK.DataTypes.Profile" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <Country><IsoCode><TwoLetterCode>de</TwoLetterCode></IsoCode></Country>
  <Postcode>10115</Postcode>
  <AddressLine1>Invalidenstraße 1</AddressLine1>
  <Town>Berlin</Town>
  <DefaultLocationForReturns>false</DefaultLocationForReturns>
  <ShippingLocationType>store</ShippingLocationType>
  <Name>Berlin Store</Name>
  <Notes i:nil="true"/>
  <Reference>BER-ST1</Reference>
</ShippingLocation>`;
      const res = await api(server, 'POST', '/shippingLocations', { body: xml, headers: XML });
      assert.equal(res.status, 201, res.text);
      assert.ok(res.text.includes(`<ShippingLocation ${PROFILE_NS}`), res.text.slice(0, 200));
      assert.match(res.text, /<Reference>BER-ST1<\/Reference><Name>Berlin Store<\/Name><ShippingLocationType>Store<\/ShippingLocationType>/);
      assert.match(res.text, /<AddressLine1>Invalidenstraße 1<\/AddressLine1>/);
      assert.match(res.text, /<TwoLetterCode>DE<\/TwoLetterCode>/);
      assert.match(res.text, /<TimeZone>Europe\/Berlin<\/TimeZone>/);
    });

    it('takes a TimeZone in any case and writes its usual spelling; a country with several zones needs one', async () => {
      const ny = await create(server, { Reference: 'NYC-01', Postcode: '10004', Town: 'New York', Country: { IsoCode: { TwoLetterCode: 'US' } }, TimeZone: 'america/new_york' });
      assert.equal(ny.TimeZone, 'America/New_York');
      const canaries = await create(server, { Reference: 'LPA-01', Postcode: '35001', Country: { IsoCode: { TwoLetterCode: 'ES' } }, TimeZone: 'Atlantic/Canary' });
      assert.equal(canaries.TimeZone, 'Atlantic/Canary');
      const dublin = await create(server, { Reference: 'DUB-01', Postcode: undefined, Country: { IsoCode: { TwoLetterCode: 'IE' } } });
      assert.equal(dublin.TimeZone, 'Europe/Dublin', 'IE has one zone and no postcodes');
      const utc = await create(server, { Reference: 'UTC-01', TimeZone: 'UTC' });
      assert.equal(utc.TimeZone, 'UTC');
    });

    it('refuses a reference another location of the subscription has, in any case: 409 DuplicateReference, nothing changed', async () => {
      const before = await list(server);
      const res = await api(server, 'POST', '/shippingLocations', { body: locationBody({ Reference: 'wh-man-01', Name: 'Impostor' }) });
      const error = assertError(res, 409, 'DuplicateReference');
      assert.deepEqual(error.Details.map((d: any) => [d.Code, d.Target]), [['Duplicate', 'Reference']]);
      assert.deepEqual(await list(server), before);
    });

    const cases: [string, Record<string, unknown>, [string, string?][]][] = [
      ['no reference', { Reference: undefined }, [['Reference', 'Required']]],
      ['a blank reference', { Reference: '   ' }, [['Reference', 'Required']]],
      ['a reference with a space', { Reference: 'LDS DC1' }, [['Reference', 'Invalid']]],
      ['a reference with a slash', { Reference: 'LDS/DC1' }, [['Reference', 'Invalid']]],
      ['a reference starting with a dot', { Reference: '.hidden' }, [['Reference', 'Invalid']]],
      ['a reference of 101 characters', { Reference: 'R'.repeat(101) }, [['Reference', 'Invalid']]],
      ['the reserved reference "assigned"', { Reference: 'Assigned' }, [['Reference', 'Invalid']]],
      ['no name', { Name: undefined }, [['Name', 'Required']]],
      ['a blank name', { Name: ' ' }, [['Name', 'Required']]],
      ['a name of 201 characters', { Name: 'N'.repeat(201) }, [['Name', 'Invalid']]],
      ['no type', { ShippingLocationType: undefined }, [['ShippingLocationType', 'Required']]],
      ['an unknown type', { ShippingLocationType: 'Garage' }, [['ShippingLocationType', 'Invalid']]],
      ['a DefaultLocationForReturns that is not a boolean', { DefaultLocationForReturns: 'yes' }, [['DefaultLocationForReturns', 'Invalid']]],
      ['notes of 1,001 characters', { Notes: 'n'.repeat(1001) }, [['Notes', 'Invalid']]],
      ['no AddressLine1', { AddressLine1: undefined }, [['AddressLine1', 'Required']]],
      ['no country', { Country: undefined }, [['Country', 'Required']]],
      ['an unknown country', { Country: { IsoCode: { TwoLetterCode: 'QQ' } } }, [['Country.IsoCode.TwoLetterCode', 'Invalid']]],
      ['no postcode in GB', { Postcode: undefined }, [['Postcode', 'Required']]],
      ['an unknown time zone', { TimeZone: 'Mars/Olympus_Mons' }, [['TimeZone', 'Invalid']]],
      ['a fixed offset for a time zone', { TimeZone: '+01:00' }, [['TimeZone', 'Invalid']]],
      ['an abbreviation for a time zone', { TimeZone: 'EST' }, [['TimeZone', 'Invalid']]],
      ['an Etc/ offset zone', { TimeZone: 'Etc/GMT+5' }, [['TimeZone', 'Invalid']]],
      ['no time zone for a country with several', { Country: { IsoCode: { TwoLetterCode: 'US' } }, Postcode: '10004' }, [['TimeZone', 'Required']]],
      [
        'several problems at once',
        { Reference: 'bad ref', Name: undefined, ShippingLocationType: undefined, AddressLine1: '', Country: { IsoCode: { TwoLetterCode: 'AU' } }, Postcode: '2000', TimeZone: undefined },
        [['Reference', 'Invalid'], ['Name', 'Required'], ['ShippingLocationType', 'Required'], ['AddressLine1', 'Required'], ['TimeZone', 'Required']],
      ],
    ];

    it('answers each problem with 400 ValidationFailed, one detail per problem, and stores nothing', async () => {
      const before = await list(server);
      for (const [name, overrides, expected] of cases) {
        const res = await api(server, 'POST', '/shippingLocations', { body: locationBody({ Reference: 'NEW-01', ...overrides }) });
        const error = assertError(res, 400, 'ValidationFailed');
        assert.deepEqual(
          error.Details.map((d: any) => d.Target),
          expected.map(([target]) => target),
          `${name}: ${res.text}`,
        );
        expected.forEach(([, code], i) => code && assert.equal(error.Details[i].Code, code, `${name}: ${error.Details[i].Code}`));
        for (const d of error.Details) assert.ok(d.Message.startsWith(d.Target), `${name}: ${d.Message}`);
      }
      assert.deepEqual(await list(server), before, 'nothing was stored');
      await assertHealthy(server);
    });

    it('names the zones to choose from when a country has several', async () => {
      const res = await api(server, 'POST', '/shippingLocations', { body: locationBody({ Reference: 'SYD-01', Postcode: '2000', Country: { IsoCode: { TwoLetterCode: 'AU' } } }) });
      const error = assertError(res, 400, 'ValidationFailed');
      assert.match(error.Details[0].Message, /^TimeZone is required for AU, whose time zones differ \(such as Australia\/Lord_Howe, .*\)$/);
      const us = assertError(await api(server, 'POST', '/shippingLocations', { body: locationBody({ Reference: 'NYC-02', Postcode: '10004', Country: { IsoCode: { TwoLetterCode: 'US' } } }) }), 400, 'ValidationFailed');
      // One zone per clock, not four names for New York's.
      assert.equal(us.Details[0].Message, 'TimeZone is required for US, whose time zones differ (such as America/New_York, America/Chicago, America/Denver, America/Phoenix, America/Los_Angeles, America/Anchorage, …)');
    });

    it('reports an XML body’s problems the same way', async () => {
      const res = await api(server, 'POST', '/shippingLocations', {
        body: '<ShippingLocation><Reference>X 1</Reference><ShippingLocationType>Depot</ShippingLocationType></ShippingLocation>',
        headers: XML,
      });
      assert.equal(res.status, 400);
      assert.match(res.text, /<Code>ValidationFailed<\/Code>/);
      assert.match(res.text, /<Target>ShippingLocationType<\/Target><Message>ShippingLocationType must be one of DistributionCentre, Office, Store, Warehouse<\/Message>/);
    });

    it('keeps exactly one default location for returns: a new default takes over from the old one', async () => {
      const first = await create(server, { Reference: 'RET-A', Name: 'Returns A', DefaultLocationForReturns: true });
      assert.equal(first.DefaultLocationForReturns, true);
      const second = await create(server, { Reference: 'RET-B', Name: 'Returns B', DefaultLocationForReturns: true });
      assert.equal(second.DefaultLocationForReturns, true);
      const defaults = (await list(server)).filter((l) => l.DefaultLocationForReturns).map((l) => l.Reference);
      assert.deepEqual(defaults, ['RET-B']);
      const replaced = await api(server, 'PUT', '/shippingLocations/RET-A', { body: locationBody({ Reference: undefined, Name: 'Returns A', DefaultLocationForReturns: true }) });
      assert.equal(replaced.status, 200, replaced.text);
      assert.deepEqual((await list(server)).filter((l) => l.DefaultLocationForReturns).map((l) => l.Reference), ['RET-A']);
    });
  });

  describe('listing order', () => {
    it('orders the list by Name, case-insensitively, the same on every database', async () => {
      const other = await createSubscription(server, 'Ordering Ltd');
      for (const [ref, name] of [['Z1', 'zeta'], ['A1', 'Alpha'], ['B2', 'beta'], ['B1', 'Beta']]) await create(server, { Reference: ref, Name: name }, other.ApiKey);
      const names = (await list(server, other.ApiKey)).map((l) => `${l.Name}/${l.Reference}`);
      assert.deepEqual(names, ['Alpha/A1', 'Beta/B1', 'beta/B2', 'zeta/Z1']);
    });
  });

  describe('replacing', () => {
    it('replaces every field: what the body leaves out becomes null, the reference and Id stay', async () => {
      const created = await create(server, { Reference: 'REP-01' });
      const res = await api(server, 'PUT', '/shippingLocations/rep-01', {
        body: { Name: 'Leeds DC (new site)', ShippingLocationType: 'Warehouse', AddressLine1: '1 New Road', Postcode: 'LS1 1AA', Country: { IsoCode: { TwoLetterCode: 'GB' } }, TimeZone: 'Europe/London' },
      });
      assert.equal(res.status, 200, res.text);
      const l = res.body;
      assert.equal(l.Id, created.Id);
      assert.equal(l.Reference, 'REP-01');
      assert.equal(l.Name, 'Leeds DC (new site)');
      assert.equal(l.ShippingLocationType, 'Warehouse');
      assert.equal(l.AddressLine1, '1 New Road');
      for (const field of ['Notes', 'Contact', 'CompanyName', 'AddressLine2', 'Town', 'Region']) assert.equal(l[field], null, field);
      assert.deepEqual((await api(server, 'GET', '/shippingLocations/REP-01')).body, l);
    });

    it('replaces from an XML body and answers in XML', async () => {
      await create(server, { Reference: 'REP-XML' });
      const res = await api(server, 'PUT', '/shippingLocations/REP-XML', {
        body: '<ShippingLocation><Name>Renamed</Name><ShippingLocationType>Office</ShippingLocationType><AddressLine1>2 Road</AddressLine1><Postcode>LS1 1AA</Postcode><Country><IsoCode><TwoLetterCode>GB</TwoLetterCode></IsoCode></Country><Reference>rep-xml</Reference></ShippingLocation>',
        headers: XML,
      });
      assert.equal(res.status, 200, res.text);
      assert.match(res.text, /<Reference>REP-XML<\/Reference><Name>Renamed<\/Name><ShippingLocationType>Office<\/ShippingLocationType>/);
    });

    it('refuses a body naming another reference, listing every problem, and changes nothing', async () => {
      const created = await create(server, { Reference: 'REP-02' });
      const res = await api(server, 'PUT', '/shippingLocations/REP-02', { body: locationBody({ Reference: 'REP-03', Name: '', Country: undefined }) });
      const error = assertError(res, 400, 'ValidationFailed');
      assert.deepEqual(error.Details.map((d: any) => d.Target), ['Reference', 'Name', 'Country']);
      assert.deepEqual((await api(server, 'GET', '/shippingLocations/REP-02')).body, created);
    });

    it('answers 404 for an unknown location', async () => {
      assertNotFound(await api(server, 'PUT', '/shippingLocations/NOPE-01', { body: locationBody({ Reference: undefined }) }), 'NOPE-01');
    });

    it('leaves consignments created from the location with the address they copied; new ones get the new address', async () => {
      await create(server, { Reference: 'COPY-01', AddressLine1: '1 Old Road' });
      const before = await createVia(server, 'COPY-01');
      const put = await api(server, 'PUT', '/shippingLocations/COPY-01', { body: locationBody({ Reference: undefined, AddressLine1: '9 New Road' }) });
      assert.equal(put.status, 200, put.text);
      const after = await createVia(server, 'COPY-01');
      assert.equal((await getConsignment(server, before)).Addresses[0].AddressLine1, '1 Old Road');
      assert.equal((await getConsignment(server, after)).Addresses[0].AddressLine1, '9 New Road');
    });
  });

  describe('deleting', () => {
    it('deletes a location no consignment uses: 204, then 404 and gone from the list', async () => {
      await create(server, { Reference: 'DEL-01' });
      const res = await api(server, 'DELETE', '/shippingLocations/del-01');
      assert.equal(res.status, 204, res.text);
      assert.equal(res.text, '');
      assertNotFound(await api(server, 'GET', '/shippingLocations/DEL-01'), 'DEL-01');
      assert.ok(!(await list(server)).some((l) => l.Reference === 'DEL-01'));
      assertNotFound(await api(server, 'DELETE', '/shippingLocations/DEL-01'), 'DEL-01');
      assert.equal((await api(server, 'GET', '/shippingLocations/DEL-01/available')).body, true, 'the reference is free again');
    });

    it('refuses (409 ShippingLocationInUse) while Unallocated or AllocationFailed consignments use it, as origin or destination, naming them', async () => {
      await create(server, { Reference: 'DEL-02' });
      const unallocated = await createVia(server, 'DEL-02');
      const inbound = await createVia(server, 'DEL-02', 'Destination');
      const failed = await createVia(server, 'DEL-02');
      // EU Road does not deliver within GB: the attempt fails and leaves the consignment AllocationFailed.
      const attempt = await allocate(server, 'EL-EU-ROAD', [failed]);
      assert.equal(attempt.body[0].StatusCode, 422, attempt.text);
      const res = await api(server, 'DELETE', '/shippingLocations/DEL-02');
      const error = assertError(res, 409, 'ShippingLocationInUse');
      assert.deepEqual(error.Details.map((d: any) => [d.Code, d.Target]), [['InUse', unallocated], ['InUse', inbound], ['InUse', failed]]);
      assert.equal(error.Details[2].Message, `Consignment ${failed} is AllocationFailed and uses shipping location DEL-02`);
      assert.match(error.Message, new RegExp(`^Shipping location DEL-02 cannot be deleted while consignments awaiting allocation use it: ${unallocated}, ${inbound}, ${failed};`));
      assert.equal((await api(server, 'GET', '/shippingLocations/DEL-02')).status, 200, 'still there');

      const xml = await api(server, 'DELETE', '/shippingLocations/DEL-02', { headers: XML });
      assert.equal(xml.status, 409);
      assert.match(xml.text, /<Code>ShippingLocationInUse<\/Code>/);
    });

    it('names at most ten of the consignments in the way', async () => {
      await create(server, { Reference: 'DEL-03' });
      const refs: string[] = [];
      for (let i = 0; i < 12; i++) refs.push(await createVia(server, 'DEL-03'));
      const error = assertError(await api(server, 'DELETE', '/shippingLocations/DEL-03'), 409, 'ShippingLocationInUse');
      assert.deepEqual(error.Details.map((d: any) => d.Target), refs.slice(0, 10));
      assert.match(error.Message, / and more; /);
    });

    it('deletes once its consignments are allocated, which keep the address and time zone they copied', async () => {
      await create(server, { Reference: 'DEL-04', AddressLine1: '4 Kept Road' });
      const ref = await createVia(server, 'DEL-04');
      assert.equal((await api(server, 'DELETE', '/shippingLocations/DEL-04')).status, 409);
      const allocated = await allocate(server, 'Example-Carrier-Service', [ref]);
      assert.equal(allocated.body[0].StatusCode, 200, allocated.text);
      const res = await api(server, 'DELETE', '/shippingLocations/DEL-04');
      assert.equal(res.status, 204, res.text);
      const c = await getConsignment(server, ref);
      assert.equal(c.Addresses[0].ShippingLocationReference, 'DEL-04');
      assert.equal(c.Addresses[0].AddressLine1, '4 Kept Road');
      assert.equal(c.ConsignmentState, 'Allocated');
    });

    it('is not kept by another location’s consignments whose reference merely contains this one', async () => {
      await create(server, { Reference: 'DEL-05' });
      await create(server, { Reference: 'DEL-05X' });
      await createVia(server, 'DEL-05X');
      assert.equal((await api(server, 'DELETE', '/shippingLocations/DEL-05')).status, 204);
      assert.equal((await api(server, 'DELETE', '/shippingLocations/DEL-05X')).status, 409);
    });
  });

  describe('tenant isolation', () => {
    it('treats another subscription’s location as absent (404) and its reference as available here', async () => {
      const other = await createSubscription(server, 'Tenant Ltd');
      const theirs = await create(server, { Reference: 'THEIRS-01', Name: 'Their warehouse' }, other.ApiKey);
      assert.equal(theirs.CustomerReference, other.Reference);
      assertNotFound(await api(server, 'GET', '/shippingLocations/THEIRS-01'), 'THEIRS-01');
      assertNotFound(await api(server, 'PUT', '/shippingLocations/THEIRS-01', { body: locationBody({ Reference: undefined }) }), 'THEIRS-01');
      assertNotFound(await api(server, 'DELETE', '/shippingLocations/THEIRS-01'), 'THEIRS-01');
      assert.ok(!(await list(server)).some((l) => l.Reference === 'THEIRS-01'));
      assert.equal((await api(server, 'GET', '/shippingLocations/THEIRS-01/available')).body, true);
      // Their consignments cannot name it through our key either.
      const body = consignmentRequest();
      (body.Addresses as any)[0] = { AddressType: 'Origin', ShippingLocationReference: 'THEIRS-01' };
      const res = await api(server, 'POST', '/consignments', { body });
      assert.deepEqual(assertError(res, 400, 'ValidationFailed').Details.map((d: any) => [d.Code, d.Target]), [['NotFound', 'Addresses[0].ShippingLocationReference']]);
      // The same reference can exist in both subscriptions.
      const mine = await create(server, { Reference: 'THEIRS-01', Name: 'Ours' });
      assert.notEqual(mine.Id, theirs.Id);
      assert.equal((await api(server, 'GET', '/shippingLocations/THEIRS-01', { key: other.ApiKey })).body.Name, 'Their warehouse');
      assert.equal((await api(server, 'DELETE', '/shippingLocations/THEIRS-01', { key: other.ApiKey })).status, 204);
      assert.equal((await api(server, 'GET', '/shippingLocations/THEIRS-01')).body.Name, 'Ours');
    });

    it('needs an API key', async () => {
      assertError(await api(server, 'GET', '/shippinglocations', { key: null }), 401, 'Unauthorized');
      assertError(await api(server, 'POST', '/shippingLocations', { key: null, body: locationBody() }), 401, 'Unauthorized');
    });
  });
});

describe(`A shipping location's time zone drives cut-offs (${databaseUnderTest})`, { skip: skipReason }, () => {
  // Wednesday 18 November 2026, 18:00 UTC: after Carrier X's 17:00 cut-off in London, before it in New York (13:00).
  let server: TestServer;
  before(async () => (server = await startServer({ now: '2026-11-18T18:00:00Z' })));
  after(() => server.close());

  async function collectionFrom(reference: string): Promise<string> {
    const ref = await createVia(server, reference);
    const res = await allocate(server, 'Example-Carrier-Service', [ref]);
    assert.equal(res.body[0].StatusCode, 200, res.text);
    return (await getConsignment(server, ref)).CollectionDate;
  }

  it('collects from a new GB location (Europe/London by default) the next working day', async () => {
    await create(server, { Reference: 'GB-DEFAULT' });
    assert.equal(await collectionFrom('GB-DEFAULT'), '2026-11-19T17:30:00+00:00');
  });

  it('collects from a new location on its own clock (TimeZone America/New_York) the same day, before its cut-off', async () => {
    const l = await create(server, { Reference: 'GB-NY-CLOCK', TimeZone: 'America/New_York' });
    assert.equal(l.TimeZone, 'America/New_York');
    assert.equal(await collectionFrom('GB-NY-CLOCK'), '2026-11-18T17:30:00-05:00');
  });

  it('uses the zone a PUT gives the location for consignments created after it', async () => {
    await create(server, { Reference: 'GB-MOVED' });
    assert.equal(await collectionFrom('GB-MOVED'), '2026-11-19T17:30:00+00:00');
    const put = await api(server, 'PUT', '/shippingLocations/GB-MOVED', { body: locationBody({ Reference: undefined, TimeZone: 'America/Chicago' }) });
    assert.equal(put.status, 200, put.text);
    assert.equal(await collectionFrom('GB-MOVED'), '2026-11-18T17:30:00-06:00');
  });
});
