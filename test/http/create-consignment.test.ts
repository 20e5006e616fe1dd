/**
 * POST /consignments over real HTTP (decisions.md §5): the 201 answer, references, unit
 * normalisation, renamed fields, XML, shipping locations, validation (one detail per problem,
 * nothing stored) and tenant isolation of GET /consignments/{ref} and /status.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_NOW, api, databaseUnderTest, skipReason, startServer, type ApiResponse, type TestServer } from '../support/test-server.js';
import { assertError, assertHealthy } from '../support/assertions.js';
import { consignmentRequest, createConsignment, createSubscription, consignmentCount, getConsignment } from '../support/consignments.js';

const EC = /^EC-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/;
const EP = /^EP-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LAST_DEMO_REF = 'EC-000-A04-0DV';

/** The sequence number behind an EC-/EP- reference. */
function sequenceOf(reference: string): number {
  return [...reference.slice(3).replace(/-/g, '')].reduce((n, ch) => n * 36 + ALPHABET.indexOf(ch), 0);
}

function assertClose(actual: number, expected: number, what: string): void {
  assert.equal(typeof actual, 'number', what);
  assert.ok(Math.abs(actual - expected) < 1e-4, `${what}: ${actual} is not ${expected}`);
}





/** Creates a consignment from a raw request body and returns it as GET shows it. */
async function createAndGet(server: TestServer, body: unknown): Promise<any> {
  const res = await api(server, 'POST', '/consignments', { body });
  assert.equal(res.status, 201, res.text);
  return getConsignment(server, res.body[0].Href.split('/').pop());
}

const destination = (overrides: Record<string, unknown> = {}) => ({
  AddressType: 'Destination',
  Contact: { FirstName: 'Sam', LastName: 'Tester' },
  AddressLine1: '1 Test Street',
  Town: 'Leeds',
  Postcode: 'LS1 4AP',
  Country: { IsoCode: { TwoLetterCode: 'GB' } },
  ...overrides,
});
const warehouse = { AddressType: 'Origin', ShippingLocationReference: 'WH-MAN-01' };
const parcel = (overrides: Record<string, unknown> = {}) => ({ Weight: { Value: 1, Unit: 'Kg' }, Dimensions: { Unit: 'Cm', Length: 30, Width: 20, Height: 10 }, ...overrides });
const request = (overrides: Record<string, unknown> = {}) => ({ Packages: [parcel()], Addresses: [warehouse, destination()], ...overrides });

describe(`POST /consignments (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  describe('creating', () => {
    it('answers 201 with a Location header and a link to the new, Unallocated consignment', async () => {
      const res = await api(server, 'POST', '/consignments', { body: consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: 'ORDER-1001' } }) });
      assert.equal(res.status, 201, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(res.body.length, 1);
      assert.deepEqual(Object.keys(res.body[0]), ['Rel', 'Href']);
      assert.equal(res.body[0].Rel, 'Link');
      const href: string = res.body[0].Href;
      const reference = href.split('/').pop()!;
      assert.match(reference, EC);
      assert.equal(href, `${server.url}/consignments/${reference}`);
      assert.equal(res.headers.get('location'), href);
      assert.ok(sequenceOf(reference) > sequenceOf(LAST_DEMO_REF), 'references continue past the demo consignments');

      const got = await api(server, 'GET', new URL(href).pathname);
      assert.equal(got.status, 200, got.text);
      const c = got.body;
      assert.equal(c.Reference, reference);
      assert.equal(c.ConsignmentState, 'Unallocated');
      assert.equal(c.Direction, 'Outbound');
      assert.equal(c.ConsignmentReferenceProvidedByCustomer, 'ORDER-1001');
      assert.equal(c.Allocation, null);
      assert.equal(c.FailedAllocation, null);
      assert.deepEqual(c.ConsignmentLegs, []);
      assert.equal(Date.parse(c.DateCreated), Date.parse(DEFAULT_NOW));
      assert.match(c.Packages[0].Reference, EP);
      const status = await api(server, 'GET', `/consignments/${reference}/status`);
      assert.equal(status.body.Status, 'Unallocated');
      assert.deepEqual(status.body.ApiLink, { Rel: 'Link', Href: href });
    });

    it('gives consignments and packages references of their own, in sequence', async () => {
      const three = Array.from({ length: 3 }, () => ({ kg: 1 }));
      const a = await getConsignment(server, await createConsignment(server, { packages: three }));
      const b = await getConsignment(server, await createConsignment(server, { packages: three }));
      for (const c of [a, b]) {
        assert.match(c.Reference, EC);
        for (const p of c.Packages) assert.match(p.Reference, EP);
      }
      assert.equal(sequenceOf(b.Reference), sequenceOf(a.Reference) + 1);
      const packages = [...a.Packages, ...b.Packages].map((p: any) => p.Reference);
      assert.equal(new Set(packages).size, 6);
      packages.slice(1).forEach((ref, i) => assert.ok(sequenceOf(ref) > sequenceOf(packages[i]), 'package references increase'));
    });

    it('writes weights given in kg, g, lb and oz (any case) and the SDK {Kg} as {Value, Unit: "Kg"}', async () => {
      const weights: [unknown, number][] = [
        [{ Value: 2, Unit: 'kg' }, 2],
        [{ Value: 2.5, Unit: 'KG' }, 2.5],
        [{ Value: 1.25, Unit: 'Kg' }, 1.25],
        [{ Value: 1500, Unit: 'g' }, 1.5],
        [{ Value: 250, Unit: 'G' }, 0.25],
        [{ Value: 10, Unit: 'lb' }, 4.5359237],
        [{ Value: 1, Unit: 'LB' }, 0.45359237],
        [{ Value: 2, Unit: 'lbs' }, 0.90718474],
        [{ Value: 16, Unit: 'oz' }, 0.45359237],
        [{ Value: 8, Unit: 'OZ' }, 0.226796185],
        [{ Kg: 3.2 }, 3.2],
        [{ kg: 0.75 }, 0.75],
      ];
      const c = await createAndGet(server, request({ Packages: weights.map(([w]) => parcel({ Weight: w, Items: [{ Description: 'Thing', Weight: { Value: 100, Unit: 'g' } }] })) }));
      weights.forEach(([given, kg], i) => {
        const w = c.Packages[i].Weight;
        assert.deepEqual(Object.keys(w), ['Value', 'Unit'], JSON.stringify(given));
        assert.equal(w.Unit, 'Kg');
        assertClose(w.Value, kg, JSON.stringify(given));
        assert.deepEqual(c.Packages[i].Items[0].Weight, { Value: 0.1, Unit: 'Kg' });
      });
      assert.equal(c.Weight.Unit, 'Kg');
      assertClose(c.Weight.Value, weights.reduce((s, [, kg]) => s + kg, 0), 'consignment weight');
    });

    it('writes dimensions given in cm, mm, m, in (any case) and the SDK unit-less form in Cm', async () => {
      const dimensions: [unknown, [number, number, number]][] = [
        [{ Unit: 'cm', Length: 30, Width: 20, Height: 10 }, [30, 20, 10]],
        [{ Unit: 'CM', Length: 30.5, Width: 20, Height: 10 }, [30.5, 20, 10]],
        [{ Unit: 'mm', Length: 300, Width: 200, Height: 105 }, [30, 20, 10.5]],
        [{ Unit: 'MM', Length: 1000, Width: 10, Height: 1 }, [100, 1, 0.1]],
        [{ Unit: 'm', Length: 0.3, Width: 0.2, Height: 0.1 }, [30, 20, 10]],
        [{ Unit: 'M', Length: 1.2, Width: 0.8, Height: 0.6 }, [120, 80, 60]],
        [{ Unit: 'in', Length: 10, Width: 5, Height: 2 }, [25.4, 12.7, 5.08]],
        [{ Unit: 'IN', Length: 1, Width: 1, Height: 1 }, [2.54, 2.54, 2.54]],
        [{ Length: 40, Width: 30, Height: 20 }, [40, 30, 20]],
      ];
      const c = await createAndGet(server, request({ Packages: dimensions.map(([d]) => parcel({ Dimensions: d })) }));
      dimensions.forEach(([given, [length, width, height]], i) => {
        const d = c.Packages[i].Dimensions;
        assert.deepEqual(Object.keys(d).sort(), ['Height', 'Length', 'Unit', 'Width'], JSON.stringify(given));
        assert.equal(d.Unit, 'Cm');
        assertClose(d.Length, length, `${JSON.stringify(given)} Length`);
        assertClose(d.Width, width, `${JSON.stringify(given)} Width`);
        assertClose(d.Height, height, `${JSON.stringify(given)} Height`);
      });
    });

    it('accepts the renamed fields under either name and writes the Docs name', async () => {
      const date = { Date: '2026-11-23T00:00:00+00:00', IsToBeExactlyOnTheDateSpecified: true };
      const sdkStyle = await createAndGet(server, request({
        RequiredDeliveryDate: date,
        Packages: [parcel({ Items: [{ Description: 'Mug', Quantity: 3, Unit: 'Box', ItemReferenceProvidedByCustomer: 'LINE-1' }] })],
        Addresses: [warehouse, destination({ LatLong: { Latitude: 53.8, Longitude: -1.55 } })],
      }));
      const phpStyle = await createAndGet(server, request({
        RequestedDeliveryDate: date,
        Packages: [parcel({ Items: [{ Description: 'Mug', UnitOfQuantity: 3, ItemUnit: 'Box', ItemReferenceAssignedByCustomer: 'LINE-1' }] })],
        Addresses: [warehouse, destination({ LatitudeLongitude: { Latitude: 53.8, Longitude: -1.55 } })],
      }));
      for (const c of [sdkStyle, phpStyle]) {
        assert.equal(c.RequestedDeliveryDate.Date, date.Date);
        assert.equal(c.RequestedDeliveryDate.IsToBeExactlyOnTheDateSpecified, true);
        assert.ok(!('RequiredDeliveryDate' in c));
        const item = c.Packages[0].Items[0];
        assert.equal(item.Quantity, 3);
        assert.equal(item.Unit, 'Box');
        assert.equal(item.ItemReferenceProvidedByCustomer, 'LINE-1');
        for (const renamed of ['UnitOfQuantity', 'ItemUnit', 'ItemReferenceAssignedByCustomer']) assert.ok(!(renamed in item), renamed);
        assert.deepEqual(c.Addresses[1].LatLong, { Latitude: 53.8, Longitude: -1.55 });
        assert.ok(!('LatitudeLongitude' in c.Addresses[1]));
      }
    });

    it('matches property names case-insensitively and ignores unknown ones', async () => {
      const c = await createAndGet(server, {
        packages: [{ weight: { value: 500, unit: 'g' }, DIMENSIONS: { unit: 'mm', length: 100, width: 100, height: 100 }, Colour: 'red' }],
        addresses: [{ addresstype: 'origin', shippinglocationreference: 'WH-MAN-01' }, { ...destination(), addressType: 'DESTINATION', AddressType: undefined }],
        direction: 'outbound',
        SomethingElse: { Nested: [1, 2, 3] },
      });
      assert.deepEqual(c.Packages[0].Weight, { Value: 0.5, Unit: 'Kg' });
      assert.deepEqual(c.Packages[0].Dimensions, { Unit: 'Cm', Width: 10, Length: 10, Height: 10 });
      assert.equal(c.Direction, 'Outbound');
      assert.deepEqual(c.Addresses.map((a: any) => a.AddressType), ['Origin', 'Destination']);
    });

    it('accepts the PHP client\'s package BarCode string', async () => {
      const res = await api(server, 'POST', '/consignments', { body: request({ Packages: [parcel({ BarCode: '5012345678900' })] }) });
      assert.equal(res.status, 201, res.text);
      const c = await getConsignment(server, res.body[0].Href.split('/').pop());
      assert.equal(c.Packages[0].Barcode.Code, '5012345678900');
    });

    it('takes a create request in XML, in any element order, and answers in XML when asked', async () => {
      const xml = `<?xml version="1.0" encoding="utf-8"?>
<CreateConsignmentRequest xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Consignments">
  <Tags><string>Fragile</string><string>Gift</string></Tags>
  <Addresses>
    <Address>
      <Postcode>LS1 4AP</Postcode>
      <AddressType>Destination</AddressType>
      <AddressLine1>14 Chapel Street</AddressLine1>
      <Town>Leeds</Town>
      <Country><IsoCode><TwoLetterCode>GB</TwoLetterCode></IsoCode></Country>
      <LatLong><Latitude>53.8</Latitude><Longitude>-1.55</Longitude></LatLong>
    </Address>
    <Address><ShippingLocationReference>WH-MAN-01</ShippingLocationReference><AddressType>Origin</AddressType></Address>
  </Addresses>
  <ShippingDate xsi:nil="true" />
  <ConsignmentReferenceProvidedByCustomer>XML-ORDER-1</ConsignmentReferenceProvidedByCustomer>
  <RequiredDeliveryDate><Date>2026-11-23T00:00:00+00:00</Date><IsToBeExactlyOnTheDateSpecified>false</IsToBeExactlyOnTheDateSpecified></RequiredDeliveryDate>
  <Packages>
    <Package>
      <Dimensions><Height>10</Height><Width>20</Width><Length>30</Length><Unit>in</Unit></Dimensions>
      <Weight><Unit>lb</Unit><Value>4</Value></Weight>
      <Items>
        <Item><Description>Mug &amp; saucer</Description><Quantity>2</Quantity><Value><Amount>9.99</Amount><Currency><IsoCode>GBP</IsoCode></Currency></Value></Item>
      </Items>
    </Package>
    <Package>
      <Weight><Kg>1.5</Kg></Weight>
      <Dimensions><Width>10</Width><Length>10</Length><Height>10</Height></Dimensions>
    </Package>
  </Packages>
</CreateConsignmentRequest>`;
      const res = await api(server, 'POST', '/consignments', { body: xml, headers: { accept: 'application/xml' } });
      assert.equal(res.status, 201, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/xml/);
      const m = /^<\?xml version="1.0" encoding="utf-8"\?>\n<ArrayOfApiLink xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.Common" xmlns:i="http:\/\/www.w3.org\/2001\/XMLSchema-instance"><ApiLink><Rel>Link<\/Rel><Href>([^<]+)<\/Href><\/ApiLink><\/ArrayOfApiLink>$/.exec(res.text);
      assert.ok(m, res.text);
      assert.equal(res.headers.get('location'), m[1]);
      const reference = m[1].split('/').pop()!;
      assert.match(reference, EC);

      const c = await getConsignment(server, reference);
      assert.equal(c.ConsignmentState, 'Unallocated');
      assert.equal(c.ConsignmentReferenceProvidedByCustomer, 'XML-ORDER-1');
      assert.deepEqual(c.Tags, ['Fragile', 'Gift']);
      assert.equal(c.ShippingDate, null);
      assert.equal(c.RequestedDeliveryDate.Date, '2026-11-23T00:00:00+00:00');
      assert.equal(c.RequestedDeliveryDate.IsToBeExactlyOnTheDateSpecified, false);
      assert.equal(c.Packages.length, 2);
      assertClose(c.Packages[0].Weight.Value, 1.81436948, 'lb');
      assert.equal(c.Packages[0].Weight.Unit, 'Kg');
      assert.deepEqual(c.Packages[0].Dimensions, { Unit: 'Cm', Width: 50.8, Length: 76.2, Height: 25.4 });
      assert.equal(c.Packages[0].Items[0].Description, 'Mug & saucer');
      assert.equal(c.Packages[0].Items[0].Quantity, 2);
      assert.equal(c.Packages[0].Items[0].Value.Amount, 9.99);
      assert.deepEqual(c.Packages[1].Weight, { Value: 1.5, Unit: 'Kg' });
      assert.deepEqual(c.Packages[1].Dimensions, { Unit: 'Cm', Width: 10, Length: 10, Height: 10 });
      assert.equal(c.Addresses.find((a: any) => a.AddressType === 'Origin').Town, 'Manchester');
      assert.deepEqual(c.Addresses.find((a: any) => a.AddressType === 'Destination').LatLong, { Latitude: 53.8, Longitude: -1.55 });

      const v1 = await api(server, 'POST', '/consignments', {
        body: xml.replace('schemas/v1.1/', 'schemas/v1/'),
        contentType: 'text/xml; charset=utf-8',
      });
      assert.equal(v1.status, 201, v1.text);
      assert.match(v1.headers.get('content-type') ?? '', /^application\/json/, 'JSON unless XML is asked for');
      assert.match(v1.body[0].Href.split('/').pop(), EC);
    });

    it('expands ShippingLocationReference WH-MAN-01 to the warehouse address', async () => {
      const c = await createAndGet(server, request({ Addresses: [{ AddressType: 'Origin', ShippingLocationReference: 'wh-man-01', SpecialInstructions: 'Dock 3' }, destination()] }));
      const origin = c.Addresses[0];
      assert.equal(origin.AddressType, 'Origin');
      assert.equal(origin.ShippingLocationReference, 'WH-MAN-01', 'the stored spelling');
      assert.equal(origin.CompanyName, 'Switchyard Demo Ltd');
      assert.equal(origin.AddressLine1, 'Unit 4, Westinghouse Road');
      assert.equal(origin.AddressLine2, 'Trafford Park');
      assert.equal(origin.Town, 'Manchester');
      assert.equal(origin.Region, 'Greater Manchester');
      assert.equal(origin.Postcode, 'M17 1PY');
      assert.deepEqual(origin.Country, { Name: 'United Kingdom', IsoCode: { TwoLetterCode: 'GB' } });
      assert.equal(origin.Contact.FirstName, 'Dispatch');
      assert.equal(origin.SpecialInstructions, 'Dock 3', 'what the request gives still wins');
      assert.equal(c.Addresses[1].Town, 'Leeds');
      assert.equal(c.Addresses[1].ShippingLocationReference, null);
    });
  });

  describe('validation', () => {
    const cases: [string, unknown, [string, string?][]][] = [
      ['no packages', request({ Packages: [] }), [['Packages', 'Required']]],
      ['Packages missing', { Addresses: [warehouse, destination()] }, [['Packages']]],
      ['weight 0', request({ Packages: [parcel({ Weight: { Value: 0, Unit: 'Kg' } })] }), [['Packages[0].Weight', 'Invalid']]],
      ['negative weight', request({ Packages: [parcel(), parcel({ Weight: { Value: -2, Unit: 'kg' } })] }), [['Packages[1].Weight', 'Invalid']]],
      ['SDK weight 0', request({ Packages: [parcel({ Weight: { Kg: 0 } })] }), [['Packages[0].Weight', 'Invalid']]],
      ['unknown weight unit', request({ Packages: [parcel({ Weight: { Value: 2, Unit: 'stone' } })] }), [['Packages[0].Weight.Unit', 'Invalid']]],
      ['weight without a value', request({ Packages: [parcel({ Weight: { Unit: 'kg' } })] }), [['Packages[0].Weight', 'Required']]],
      ['missing weight', request({ Packages: [parcel({ Weight: undefined })] }), [['Packages[0].Weight', 'Required']]],
      ['unknown length unit', request({ Packages: [parcel({ Dimensions: { Unit: 'ft', Length: 1, Width: 1, Height: 1 } })] }), [['Packages[0].Dimensions.Unit', 'Invalid']]],
      ['a side of 0', request({ Packages: [parcel({ Dimensions: { Unit: 'cm', Length: 10, Width: 0, Height: 5 } })] }), [['Packages[0].Dimensions.Width', 'Invalid']]],
      ['missing dimensions', request({ Packages: [parcel({ Dimensions: undefined })] }), [['Packages[0].Dimensions', 'Required']]],
      ['missing origin', request({ Addresses: [destination()] }), [['Addresses', 'Required']]],
      ['missing destination', request({ Addresses: [warehouse] }), [['Addresses', 'Required']]],
      ['no addresses', request({ Addresses: [] }), [['Addresses', 'Required'], ['Addresses', 'Required']]],
      ['two origins', request({ Addresses: [warehouse, warehouse, destination()] }), [['Addresses', 'Invalid']]],
      ['unknown address type', request({ Addresses: [warehouse, destination({ AddressType: 'Warehouse' })] }), [['Addresses[1].AddressType']]],
      ['unknown country code', request({ Addresses: [warehouse, destination({ Country: { IsoCode: { TwoLetterCode: 'QQ' } } })] }), [['Addresses[1].Country.IsoCode.TwoLetterCode', 'Invalid']]],
      ['three-letter country code', request({ Addresses: [warehouse, destination({ Country: { IsoCode: { TwoLetterCode: 'GBR' } } })] }), [['Addresses[1].Country.IsoCode.TwoLetterCode', 'Invalid']]],
      ['missing country', request({ Addresses: [warehouse, destination({ Country: undefined })] }), [['Addresses[1].Country', 'Required']]],
      ['missing postcode for GB', request({ Addresses: [warehouse, destination({ Postcode: undefined })] }), [['Addresses[1].Postcode', 'Required']]],
      ['blank postcode for GB', request({ Addresses: [warehouse, destination({ Postcode: '   ' })] }), [['Addresses[1].Postcode', 'Required']]],
      ['missing AddressLine1', request({ Addresses: [warehouse, destination({ AddressLine1: undefined })] }), [['Addresses[1].AddressLine1', 'Required']]],
      ['unknown shipping location', request({ Addresses: [{ AddressType: 'Origin', ShippingLocationReference: 'WH-NOWHERE' }, destination()] }), [['Addresses[0].ShippingLocationReference', 'NotFound']]],
      // A NUL is refused in any text a client sends (request-body.ts), before any lookup.
      ['shipping location with a NUL byte', request({ Addresses: [{ AddressType: 'Origin', ShippingLocationReference: 'WH-MAN-01\u0000' }, destination()] }), [['Addresses[0].ShippingLocationReference', 'Invalid']]],
      ['bad ShippingDate', request({ ShippingDate: 'next tuesday' }), [['ShippingDate', 'Invalid']]],
      ['impossible ShippingDate', request({ ShippingDate: '2026-13-45T10:00:00Z' }), [['ShippingDate', 'Invalid']]],
      ['bad delivery date', request({ RequiredDeliveryDate: { Date: 'soon' } }), [['RequiredDeliveryDate.Date', 'Invalid']]],
      [
        'several problems at once',
        request({
          ShippingDate: '18/11/2026',
          Packages: [parcel({ Weight: { Value: 0, Unit: 'kg' } }), parcel({ Dimensions: undefined }), parcel({ Weight: { Value: 1, Unit: 'stone' } })],
          Addresses: [warehouse, destination({ Country: { IsoCode: { TwoLetterCode: 'XX' } } })],
        }),
        [['Addresses[1].Country.IsoCode.TwoLetterCode', 'Invalid'], ['ShippingDate', 'Invalid'], ['Packages[0].Weight', 'Invalid'], ['Packages[1].Dimensions', 'Required'], ['Packages[2].Weight.Unit', 'Invalid']],
      ],
    ];

    it('answers each problem with 400 ValidationFailed, one detail per problem, and stores nothing', async () => {
      const first = await createConsignment(server);
      const count = await consignmentCount(server);
      for (const [name, body, expected] of cases) {
        const res = await api(server, 'POST', '/consignments', { body });
        const error = assertError(res, 400, 'ValidationFailed');
        assert.deepEqual(error.Details.map((d: any) => d.Target), expected.map(([target]) => target), name);
        expected.forEach(([, code], i) => code && assert.equal(error.Details[i].Code, code, `${name}: ${error.Details[i].Code}`));
        for (const d of error.Details) assert.ok(d.Message.startsWith(d.Target), `${name}: ${d.Message}`);
        if (expected.length === 1) assert.equal(error.Message, error.Details[0].Message, name);
        else assert.equal(error.Message, `The request has ${expected.length} problems`, name);
      }
      assert.equal(await consignmentCount(server), count, 'nothing was stored');
      const next = await getConsignment(server, await createConsignment(server));
      assert.equal(sequenceOf(next.Reference), sequenceOf(first) + 1, 'no consignment reference was used up');
      const firstPackage = (await getConsignment(server, first)).Packages[0].Reference;
      assert.equal(sequenceOf(next.Packages[0].Reference), sequenceOf(firstPackage) + 1, 'no package reference was used up');
      await assertHealthy(server);
    });

    it('reports problems in an XML request the same way', async () => {
      const count = await consignmentCount(server);
      const xml = `<CreateConsignmentRequest xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Consignments">
  <Packages><Package><Weight><Value>0</Value><Unit>Kg</Unit></Weight></Package><Package><Weight><Value>heavy</Value></Weight><Dimensions><Width>1</Width><Length>1</Length><Height>1</Height></Dimensions></Package></Packages>
  <Addresses><Address><AddressType>Origin</AddressType><ShippingLocationReference>WH-MAN-01</ShippingLocationReference></Address>
  <Address><AddressType>Destination</AddressType><AddressLine1>1 Road</AddressLine1><Country><IsoCode><TwoLetterCode>GB</TwoLetterCode></IsoCode></Country></Address></Addresses>
</CreateConsignmentRequest>`;
      const res = await api(server, 'POST', '/consignments', { body: xml });
      const error = assertError(res, 400, 'ValidationFailed');
      assert.deepEqual(error.Details.map((d: any) => d.Target), ['Packages[1].Weight.Value']);
      const fixed = xml.replace('<Value>heavy</Value>', '<Value>2</Value>');
      const second = assertError(await api(server, 'POST', '/consignments', { body: fixed }), 400, 'ValidationFailed');
      assert.deepEqual(second.Details.map((d: any) => d.Target), ['Addresses[1].Postcode', 'Packages[0].Weight', 'Packages[0].Dimensions']);
      assert.equal(await consignmentCount(server), count);
    });
  });

  describe('tenant isolation', () => {
    /** The error body with the reference and correlation id taken out, to compare two 404s. */
    const shape = (res: ApiResponse, reference: string) => {
      const { CorrelationId, ...rest } = res.body;
      assert.equal(typeof CorrelationId, 'string');
      return { status: res.status, contentType: res.headers.get('content-type'), body: JSON.parse(JSON.stringify(rest).split(reference).join('{ref}')) };
    };

    it("answers another subscription's consignment with 404 ConsignmentNotFound, exactly like an absent one", async () => {
      const other = await createSubscription(server, 'Other shop');
      const theirs = await createConsignment(server, { origin: { postcode: 'LS1 4AP', town: 'Leeds' } }, other.ApiKey);
      const absent = 'EC-ZZZ-ZZZ-ZZ0';
      for (const suffix of ['', '/status', '/']) {
        const foreign = await api(server, 'GET', `/consignments/${theirs}${suffix}`);
        assertError(foreign, 404, 'ConsignmentNotFound');
        const missing = await api(server, 'GET', `/consignments/${absent}${suffix}`);
        assertError(missing, 404, 'ConsignmentNotFound');
        assert.deepEqual(shape(foreign, theirs), shape(missing, absent), suffix);
        const lower = await api(server, 'GET', `/consignments/${theirs.toLowerCase()}${suffix}`);
        assert.deepEqual(shape(lower, theirs), shape(missing, absent));
      }
      // The owner sees it; the other subscription cannot see the demo consignments either.
      assert.equal((await getConsignment(server, theirs, other.ApiKey)).ConsignmentState, 'Unallocated');
      assert.equal((await api(server, 'GET', `/consignments/${theirs}/status`, { key: other.ApiKey })).body.Status, 'Unallocated');
      const demoRef = 'EC-000-05A-Z6S';
      const fromOther = await api(server, 'GET', `/consignments/${demoRef}`, { key: other.ApiKey });
      assertError(fromOther, 404, 'ConsignmentNotFound');
      assert.deepEqual(shape(fromOther, demoRef), shape(await api(server, 'GET', `/consignments/${absent}`, { key: other.ApiKey }), absent));
      const viaQuery = await api(server, 'GET', `/consignments/${demoRef}/status?subscription-key=${encodeURIComponent(other.ApiKey)}`, { key: null });
      assertError(viaQuery, 404, 'ConsignmentNotFound');
    });

    it("does not let a subscription use another subscription's shipping location", async () => {
      const other = await createSubscription(server, 'Location-less shop');
      const count = await consignmentCount(server);
      const res = await api(server, 'POST', '/consignments', { body: request(), key: other.ApiKey });
      const error = assertError(res, 400, 'ValidationFailed');
      assert.deepEqual(error.Details.map((d: any) => [d.Code, d.Target]), [['NotFound', 'Addresses[0].ShippingLocationReference']]);
      assert.equal(await consignmentCount(server), count);
    });
  });
});

describe(`POST /consignments: addresses and source (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  it('refuses more addresses than one of each type, without looking any up', async () => {
    const count = await consignmentCount(server);
    const many = Array.from({ length: 50 }, () => ({ AddressType: 'Origin', ShippingLocationReference: 'WH-MAN-01' }));
    const res = await api(server, 'POST', '/consignments', { body: { ...consignmentRequest(), Addresses: many } });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.Details[0].Target, 'Addresses');
    assert.equal(await consignmentCount(server), count);
  });

  it('refuses more than 100 tags, and merges tags differing only in case', async () => {
    const tooMany = await api(server, 'POST', '/consignments', { body: { ...consignmentRequest(), Tags: Array.from({ length: 101 }, (_, i) => `T${i}`) } });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.Details[0].Target, 'Tags');
    const ok = await api(server, 'POST', '/consignments', { body: { ...consignmentRequest(), Tags: ['Fragile', 'fragile', ' FRAGILE ', 'Gift'] } });
    assert.equal(ok.status, 201, ok.text);
    assert.deepEqual((await getConsignment(server, ok.body[0].Href.split('/').pop())).Tags, ['Fragile', 'Gift']);
  });

  it('reads Source as the SDK enum number or a name, and shows Api or Web', async () => {
    for (const [source, shown] of [[1, 'Web'], [0, 'Api'], ['web', 'Web'], ['API', 'Api'], ['Anything', 'Api']] as const) {
      const res = await api(server, 'POST', '/consignments', { body: { ...consignmentRequest(), Source: source } });
      assert.equal(res.status, 201, res.text);
      const c = await getConsignment(server, res.body[0].Href.split('/').pop());
      assert.equal(c.Source, shown, String(source));
    }
  });
});
