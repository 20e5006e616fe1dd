/**
 * POST /consignments/bulk over real HTTP: one result per item in order, each item decided exactly
 * as POST /consignments decides it (same data stored, same Details refused), valid items stored
 * whatever becomes of the others, a whole-body problem storing nothing, the 10,000 limit, the CSV
 * import (examples/bulk-create.csv), and unique references when bulk and single creates race.
 * (The JSON example of docs/api/consignments.md is checked by test/http/docs-examples.test.ts.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { api, databaseUnderTest, skipReason, type ApiResponse, type TestServer, startServer } from '../support/test-server.js';
import { assertError, assertHealthy } from '../support/assertions.js';
import { consignmentCount, consignmentRequest, getConsignment } from '../support/consignments.js';
import { MAX_BULK_CREATE } from '../../src/domain/limits.js';

const EC = /^EC-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/;
const EP = /^EP-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/;
const EXAMPLE_CSV = readFileSync(new URL('../../examples/bulk-create.csv', import.meta.url), 'utf8');

const destination = consignmentRequest().Addresses as object[];
/** Requests each of which POST /consignments refuses, for a reason of its own. */
const INVALID: Record<string, unknown>[] = [
  consignmentRequest({ packages: [{ kg: -1 }] }),
  { Packages: 'not a list' },
  consignmentRequest({ extra: { Addresses: [{ AddressType: 'Origin', ShippingLocationReference: 'NO-SUCH-WAREHOUSE' }, destination[1]] } }),
  consignmentRequest({ extra: { Packages: [{ PackageSizeReference: 'NO-SUCH-BOX' }] } }),
  consignmentRequest({ shippingDate: 'next tuesday' }),
  // The text rule and the MetaData bound hold for each item as for a single body.
  consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: 'A\u0000B' } }),
  consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: 'x'.repeat(1001) } }),
  consignmentRequest({ extra: { MetaData: Array.from({ length: 101 }, (_, i) => ({ KeyValue: `k${i}`, StringValue: 'v' })) } }),
];

const bulk = (server: TestServer, body: unknown, options: { contentType?: string; accept?: string } = {}) =>
  api(server, 'POST', '/consignments/bulk', { body, contentType: options.contentType, headers: options.accept ? { accept: options.accept } : {} });

/** A consignment as GET shows it, its own references replaced, to compare one stored by a bulk create with one stored by a single create. */
function comparable(c: any): string {
  let text = JSON.stringify(c).replaceAll(c.Reference, '<EC>');
  c.Packages.forEach((p: any, i: number) => (text = text.replaceAll(p.Reference, `<EP${i}>`)));
  return text;
}

async function singleCreate(server: TestServer, body: unknown): Promise<ApiResponse> {
  return api(server, 'POST', '/consignments', { body });
}

function assertCreated(result: any): void {
  assert.equal(result.StatusCode, 201, JSON.stringify(result));
  assert.match(result.ConsignmentReference, EC);
  assert.ok(result.PackageReferences.length > 0);
  for (const p of result.PackageReferences) assert.match(p, EP);
  assert.deepEqual(result.Details, []);
}

describe(`POST /consignments/bulk (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  describe('JSON and XML', () => {
    it('answers one result per item in request order, stores the valid ones as POST /consignments would, and refuses the others with its Details', async () => {
      const valid = [
        consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: 'BULK-1' }, tags: ['Fragile'] }),
        consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: 'BULK-2', Packages: [{ PackageSizeReference: 'small-box' }] } }),
        consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: 'BULK-3' }, packages: [{ kg: 1 }, { kg: 3, dims: [50, 40, 30] }], direction: 'Inbound' }),
      ];
      const items = [valid[0], INVALID[0], INVALID[1], valid[1], INVALID[2], INVALID[3], valid[2], INVALID[4], INVALID[5], INVALID[6], INVALID[7]];
      const before = await consignmentCount(server);
      const res = await bulk(server, items);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.length, items.length);
      assert.deepEqual(res.body.map((r: any) => r.StatusCode), [201, 400, 400, 201, 400, 400, 201, 400, 400, 400, 400]);
      assert.equal(await consignmentCount(server), before + valid.length, 'the valid items are stored, the invalid ones are not');

      const created = res.body.filter((r: any) => r.StatusCode === 201);
      created.forEach(assertCreated);
      assert.equal(new Set(created.map((r: any) => r.ConsignmentReference)).size, 3);
      for (const [i, result] of created.entries()) {
        const stored = await getConsignment(server, result.ConsignmentReference);
        assert.equal(stored.ConsignmentState, 'Unallocated');
        assert.deepEqual(stored.Packages.map((p: any) => p.Reference), result.PackageReferences);
        const single = await singleCreate(server, valid[i]);
        assert.equal(single.status, 201, single.text);
        const twin = await getConsignment(server, single.body[0].Href.split('/').pop());
        assert.equal(comparable(stored), comparable(twin), `item ${i} is stored as POST /consignments stores it`);
      }

      const refused = res.body.filter((r: any) => r.StatusCode === 400);
      for (const [i, result] of refused.entries()) {
        const single = assertError(await singleCreate(server, INVALID[i]), 400, 'ValidationFailed');
        assert.equal(result.Code, 'ValidationFailed');
        assert.equal(result.ConsignmentReference, null);
        assert.deepEqual(result.PackageReferences, []);
        assert.equal(result.Message, single.Message);
        assert.deepEqual(result.Details, single.Details, `item ${i} is refused with the single create's Details`);
      }
      assert.ok(refused[2].Details.some((d: any) => d.Target === 'Addresses[0].ShippingLocationReference' && d.Code === 'NotFound'));
      assert.ok(refused[3].Details.some((d: any) => d.Target.startsWith('Packages[0].PackageSizeReference')));
      for (const i of [5, 6]) assert.deepEqual(refused[i].Details.map((d: any) => d.Target), ['ConsignmentReferenceProvidedByCustomer'], 'a NUL, then a text over 1,000 characters');
      assert.ok(refused[7].Details.some((d: any) => d.Target === 'MetaData'), JSON.stringify(refused[7].Details));
    });

    it('records each bulk-created consignment’s Created event in its audit trail, as a single create does', async () => {
      const res = await bulk(server, [consignmentRequest(), consignmentRequest()]);
      assert.equal(res.status, 200, res.text);
      for (const r of res.body) {
        const audit = await api(server, 'GET', `/consignments/${r.ConsignmentReference}/audit`);
        assert.equal(audit.status, 200, audit.text);
        assert.deepEqual(audit.body.map((e: any) => [e.Action, e.ToState]), [['Created', 'Unallocated']]);
        assert.equal(audit.body[0].Message, `Consignment ${r.ConsignmentReference} created`);
      }
    });

    it('takes XML (a root holding one CreateConsignmentRequest per item) and answers in XML when asked', async () => {
      const item = (customerRef: string, weight: string) => `<CreateConsignmentRequest>
    <ConsignmentReferenceProvidedByCustomer>${customerRef}</ConsignmentReferenceProvidedByCustomer>
    <Packages><Package><Weight><Value>${weight}</Value><Unit>Kg</Unit></Weight><Dimensions><Length>30</Length><Width>20</Width><Height>10</Height></Dimensions></Package></Packages>
    <Addresses>
      <Address><AddressType>Origin</AddressType><ShippingLocationReference>WH-MAN-01</ShippingLocationReference></Address>
      <Address><AddressType>Destination</AddressType><AddressLine1>1 Test Street</AddressLine1><Town>Leeds</Town><Postcode>LS1 4AP</Postcode><Country><IsoCode><TwoLetterCode>GB</TwoLetterCode></IsoCode></Country></Address>
    </Addresses>
  </CreateConsignmentRequest>`;
      const xml = `<?xml version="1.0" encoding="utf-8"?>
<ArrayOfCreateConsignmentRequest xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Consignments">
  ${item('XML-1', '2')}${item('XML-2', 'heavy')}${item('XML-3', '0.5')}
</ArrayOfCreateConsignmentRequest>`;
      const before = await consignmentCount(server);
      const res = await bulk(server, xml);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.map((r: any) => r.StatusCode), [201, 400, 201]);
      assert.deepEqual(res.body[1].Details.map((d: any) => d.Target), ['Packages[0].Weight.Value']);
      assert.equal((await getConsignment(server, res.body[0].ConsignmentReference)).ConsignmentReferenceProvidedByCustomer, 'XML-1');
      const third = await getConsignment(server, res.body[2].ConsignmentReference);
      assert.equal(third.ConsignmentReferenceProvidedByCustomer, 'XML-3');
      assert.equal(third.Packages[0].Weight.Value, 0.5);
      assert.equal(await consignmentCount(server), before + 2);

      const one = await bulk(server, xml.replace(/<CreateConsignmentRequest>[\s\S]*<\/CreateConsignmentRequest>/, item('XML-4', '1')), { accept: 'application/xml' });
      assert.equal(one.status, 200, one.text);
      assert.match(one.headers.get('content-type') ?? '', /^application\/xml/);
      assert.match(one.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<ArrayOfBulkCreateResult xmlns="[^"]+Consignments"[^>]*><BulkCreateResult><StatusCode>201<\/StatusCode><ConsignmentReference>EC-[0-9A-Z-]+<\/ConsignmentReference><PackageReferences><string>EP-[0-9A-Z-]+<\/string><\/PackageReferences>/);
    });

    it('refuses an XML body with a DOCTYPE outright, storing nothing', async () => {
      const before = await consignmentCount(server);
      const xml = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><ArrayOfCreateConsignmentRequest><CreateConsignmentRequest><ConsignmentReferenceProvidedByCustomer>&lol;</ConsignmentReferenceProvidedByCustomer></CreateConsignmentRequest></ArrayOfCreateConsignmentRequest>`;
      assertError(await bulk(server, xml), 400, 'MalformedBody');
      assert.equal(await consignmentCount(server), before);
    });
  });

  describe('whole-body problems', () => {
    it('answers a plain 400 and stores nothing for a body that is not a list, an empty list, or more than the limit', async () => {
      const before = await consignmentCount(server);
      const notAList = assertError(await bulk(server, { Consignments: [consignmentRequest()] }), 400, 'ValidationFailed');
      assert.deepEqual(notAList.Details.map((d: any) => d.Target), ['body']);
      assertError(await bulk(server, consignmentRequest()), 400, 'ValidationFailed');
      assertError(await bulk(server, []), 400, 'ValidationFailed');
      const tooMany = assertError(await bulk(server, Array.from({ length: MAX_BULK_CREATE + 1 }, () => consignmentRequest())), 400, 'ValidationFailed');
      assert.match(tooMany.Message, /at most 10000/);
      assertError(await bulk(server, '[1, 2'), 400, 'MalformedBody');
      assertError(await api(server, 'POST', '/consignments/bulk', {}), 400, 'ValidationFailed');
      assert.equal(await consignmentCount(server), before);
      await assertHealthy(server);
    });

    it(`creates ${MAX_BULK_CREATE} consignments in one request, each with its own references`, async () => {
      const before = await consignmentCount(server);
      const res = await bulk(server, Array.from({ length: MAX_BULK_CREATE }, (_, i) => consignmentRequest({ extra: { ConsignmentReferenceProvidedByCustomer: `MANY-${i}` } })));
      assert.equal(res.status, 200, res.text.slice(0, 400));
      assert.equal(res.body.length, MAX_BULK_CREATE);
      assert.ok(res.body.every((r: any) => r.StatusCode === 201));
      assert.equal(new Set(res.body.map((r: any) => r.ConsignmentReference)).size, MAX_BULK_CREATE);
      assert.equal(await consignmentCount(server), before + MAX_BULK_CREATE);
      // Slices are stored in order: the last item is the last one stored, with its own data.
      const last = await getConsignment(server, res.body[MAX_BULK_CREATE - 1].ConsignmentReference);
      assert.equal(last.ConsignmentReferenceProvidedByCustomer, `MANY-${MAX_BULK_CREATE - 1}`);
    });
  });

  describe('racing single creates', () => {
    it('hands out references from the same sequences: concurrent bulk and single creates never share one', async () => {
      const before = await consignmentCount(server);
      const bulks = Array.from({ length: 3 }, () => bulk(server, Array.from({ length: 700 }, () => consignmentRequest({ packages: [{}, {}] }))));
      const singles = Array.from({ length: 40 }, () => singleCreate(server, consignmentRequest()));
      const [bulkAnswers, singleAnswers] = await Promise.all([Promise.all(bulks), Promise.all(singles)]);
      const consignments: string[] = [];
      const packages: string[] = [];
      for (const res of bulkAnswers) {
        assert.equal(res.status, 200, res.text.slice(0, 400));
        for (const r of res.body) {
          assertCreated(r);
          consignments.push(r.ConsignmentReference);
          packages.push(...r.PackageReferences);
        }
      }
      for (const res of singleAnswers) {
        assert.equal(res.status, 201, res.text);
        const ref = res.body[0].Href.split('/').pop();
        consignments.push(ref);
        packages.push(...(await getConsignment(server, ref)).Packages.map((p: any) => p.Reference));
      }
      assert.equal(consignments.length, 3 * 700 + 40);
      assert.equal(new Set(consignments).size, consignments.length, 'no consignment reference is handed out twice');
      assert.equal(new Set(packages).size, packages.length, 'no package reference is handed out twice');
      assert.equal(await consignmentCount(server), before + consignments.length);
    });
  });

  describe('CSV import', () => {
    it('creates the example file: one package per row, grouped into consignments by ConsignmentKey', async () => {
      const res = await bulk(server, EXAMPLE_CSV, { contentType: 'text/csv' });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.map((r: any) => [r.StatusCode, r.ConsignmentKey, r.PackageReferences.length]), [[201, 'ORDER-1001', 2], [201, 'ORDER-1002', 1]]);
      res.body.forEach(assertCreated);

      const first = await getConsignment(server, res.body[0].ConsignmentReference);
      assert.equal(first.ConsignmentReferenceProvidedByCustomer, 'ORDER-1001');
      assert.deepEqual(first.Tags, ['Fragile', 'Gift']);
      assert.match(first.ShippingDate, /^2026-11-19/);
      const origin = first.Addresses.find((a: any) => a.AddressType === 'Origin');
      assert.equal(origin.ShippingLocationReference, 'WH-MAN-01');
      const dest = first.Addresses.find((a: any) => a.AddressType === 'Destination');
      assert.deepEqual([dest.Contact.FirstName, dest.Contact.Email, dest.AddressLine1, dest.Town, dest.Postcode, dest.Country.IsoCode.TwoLetterCode], ['Sam', 'sam@example.com', '1 Test Street', 'Leeds', 'LS1 4AP', 'GB']);
      assert.deepEqual(first.Packages.map((p: any) => [p.Description, p.Weight.Value, p.Dimensions.Length, p.Value.Amount, p.Value.Currency.IsoCode]), [
        ['Mugs', 2.5, 30, 25, 'GBP'],
        ['Saucers', 1, 20, 10, 'GBP'],
      ]);
      const second = await getConsignment(server, res.body[1].ConsignmentReference);
      assert.equal(second.Addresses.find((a: any) => a.AddressType === 'Destination').AddressLine1, 'Flat 2, 10 High Street');
      assert.equal(second.Packages[0].PackageSizeReference, 'SMALL-BOX');
      assert.equal(second.Packages[0].Dimensions.Length, 30, 'the package size supplies the dimensions');
    });

    it('tells a row’s problems by row number and column, and still stores the other consignments', async () => {
      const lines = EXAMPLE_CSV.trimEnd().split('\n');
      // Line 2 weighs "heavy"; line 3 gives a value without a currency.
      lines[1] = lines[1].replace(',2.5,', ',heavy,');
      lines[2] = lines[2].replace(/,10,GBP$/, ',10,');
      const before = await consignmentCount(server);
      const res = await bulk(server, lines.join('\n'), { contentType: 'text/csv; charset=utf-8' });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.map((r: any) => r.StatusCode), [400, 201]);
      assert.deepEqual(res.body[0].Details.map((d: any) => [d.Target, d.Message]), [
        ['Row 2.WeightKg', 'Row 2.WeightKg must be a number'],
        ['Row 3.Currency', 'Row 3.Currency is required'],
      ]);
      assert.equal(await consignmentCount(server), before + 1);
    });

    it('reports the reader’s problems (an unknown shipping location) at the consignment’s first row, and a later row that contradicts it', async () => {
      const header = 'ConsignmentKey,OriginShippingLocationReference,DestinationAddressLine1,DestinationTown,DestinationPostcode,DestinationCountryCode,WeightKg,LengthCm,WidthCm,HeightCm,ShippingDate';
      // Windows line ends, a blank line, and one LF among them: rows are still named by their line in the file.
      const csv = `${header}\r\n\r\nK1,NOPE,1 Road,Leeds,LS1 4AP,GB,1,10,10,10,\r\nK2,WH-MAN-01,1 Road,Leeds,LS1 4AP,GB,1,10,10,10,2026-11-19\nK2,,,,,,1,10,10,10,2026-11-20\r\n`;
      const res = await bulk(server, csv, { contentType: 'text/csv' });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.map((r: any) => [r.ConsignmentKey, r.StatusCode]), [['K1', 400], ['K2', 400]]);
      assert.deepEqual(res.body[0].Details.map((d: any) => [d.Code, d.Target]), [['NotFound', 'Row 3.OriginShippingLocationReference']]);
      assert.deepEqual(res.body[1].Details.map((d: any) => d.Target), ['Row 5.ShippingDate']);
    });

    it('refuses the whole file, storing nothing, for an unknown column, no ConsignmentKey column, a row without a key, or malformed CSV', async () => {
      const before = await consignmentCount(server);
      const csv = (text: string) => bulk(server, text, { contentType: 'text/csv' });
      const unknown = assertError(await csv(EXAMPLE_CSV.replace('WeightKg', 'Weight')), 400, 'ValidationFailed');
      assert.deepEqual(unknown.Details.map((d: any) => d.Target), ['Row 1.Weight']);
      const noKey = assertError(await csv(EXAMPLE_CSV.replace('ConsignmentKey,', 'Key,')), 400, 'ValidationFailed');
      assert.ok(noKey.Details.some((d: any) => d.Target === 'Row 1.ConsignmentKey'));
      const blankKey = assertError(await csv(EXAMPLE_CSV.replace('\nORDER-1002,', '\n,')), 400, 'ValidationFailed');
      assert.deepEqual(blankKey.Details.map((d: any) => d.Target), ['Row 4.ConsignmentKey']);
      assertError(await csv(`${EXAMPLE_CSV}ORDER-1003,too,few\n`), 400, 'MalformedBody');
      assertError(await csv(EXAMPLE_CSV.split('\n')[0]), 400, 'ValidationFailed');
      assert.equal(await consignmentCount(server), before);
    });

    it('refuses text/csv on routes that do not read it (415)', async () => {
      assertError(await api(server, 'POST', '/consignments', { body: EXAMPLE_CSV, contentType: 'text/csv' }), 415, 'UnsupportedMediaType');
    });

    it('is documented in /openapi.json with its JSON, XML and CSV bodies', async () => {
      const doc = await api(server, 'GET', '/openapi.json', { key: null });
      assert.equal(doc.status, 200);
      const op = doc.body.paths['/consignments/bulk']?.post;
      assert.ok(op, 'POST /consignments/bulk is in the document');
      assert.deepEqual(Object.keys(op.requestBody.content), ['application/json', 'application/xml', 'text/csv']);
      assert.equal(op.requestBody.content['application/json'].schema.maxItems, MAX_BULK_CREATE);
    });
  });
});
