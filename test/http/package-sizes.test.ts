/**
 * Package sizes over real HTTP (endpoints.md P1-30, P1-31 and our management of them): lists, the
 * default, one size, create / replace / delete with every validation problem listed, switching the
 * one default, tenant isolation, and POST /consignments honouring PackageSizeReference.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, databaseUnderTest, skipReason, startServer, type ApiResponse, type TestServer } from '../support/test-server.js';
import { assertError, assertHealthy } from '../support/assertions.js';
import { allocate, consignmentCount, consignmentRequest, createSubscription, getConsignment } from '../support/consignments.js';

const SIZE_KEYS = ['Reference', 'Description', 'CustomerReference', 'Length', 'Width', 'Height', 'Weight', 'IsDefault'];
const COMMON_NS = 'xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Common"';
const XML = { accept: 'application/xml' };

function sizeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const body: Record<string, unknown> = { Reference: 'MEDIUM-BOX', Description: 'Medium box', Length: 45, Width: 35, Height: 25, Weight: 2.5, ...overrides };
  for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
  return body;
}

async function create(server: TestServer, overrides: Record<string, unknown> = {}, key?: string): Promise<any> {
  const res = await api(server, 'POST', '/packageSizes', { body: sizeBody(overrides), key });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function list(server: TestServer, key?: string): Promise<any[]> {
  const res = await api(server, 'GET', '/packagesizes', { key });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

async function defaults(server: TestServer, key?: string): Promise<string[]> {
  return (await list(server, key)).filter((s) => s.IsDefault).map((s) => s.Reference);
}

function assertNotFound(res: ApiResponse): any {
  const error = assertError(res, 404, 'PackageSizeNotFound');
  assert.deepEqual(error.Details.map((d: any) => [d.Code, d.Target]), [['NotFound', 'packageSizeReference']]);
  return error;
}

/** A create request whose packages are given as is (a size reference, with or without weight and dimensions). */
function requestWithPackages(packages: Record<string, unknown>[]): Record<string, unknown> {
  return { ...consignmentRequest(), Packages: packages };
}

async function createAndGet(server: TestServer, body: unknown, key?: string): Promise<any> {
  const res = await api(server, 'POST', '/consignments', { body, key });
  assert.equal(res.status, 201, res.text);
  return getConsignment(server, res.body[0].Href.split('/').pop(), key);
}

describe(`Package sizes (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  let demoReference: string;
  before(async () => {
    server = await startServer();
    const row = await server.app.ctx.database.db.selectFrom('subscriptions').select('reference').where('name', '=', 'Demo').executeTakeFirstOrThrow();
    demoReference = row.reference;
  });
  after(() => server.close());

  describe('reading', () => {
    it('lists the demo sizes by reference in the documented shape (cm and kg as numbers)', async () => {
      const sizes = await list(server);
      assert.deepEqual(sizes, [
        { Reference: 'LARGE-BOX', Description: 'Large box', CustomerReference: demoReference, Length: 60, Width: 40, Height: 40, Weight: 5, IsDefault: false },
        { Reference: 'SMALL-BOX', Description: 'Small box', CustomerReference: demoReference, Length: 30, Width: 20, Height: 15, Weight: 1, IsDefault: true },
      ]);
      assert.deepEqual((await api(server, 'GET', '/packageSizes/')).body, sizes, 'any casing, trailing slash');
    });

    it('answers the list in XML as ArrayOfPackageSize in the Common namespace, also when it is empty', async () => {
      const xml = await api(server, 'GET', '/packagesizes', { headers: XML });
      assert.equal(xml.status, 200, xml.text);
      assert.ok(xml.text.startsWith(`<?xml version="1.0" encoding="utf-8"?>\n<ArrayOfPackageSize ${COMMON_NS}`), xml.text.slice(0, 200));
      assert.match(
        xml.text,
        /<PackageSize><Reference>LARGE-BOX<\/Reference><Description>Large box<\/Description><CustomerReference>[^<]+<\/CustomerReference><Length>60<\/Length><Width>40<\/Width><Height>40<\/Height><Weight>5<\/Weight><IsDefault>false<\/IsDefault><\/PackageSize>/,
      );
      const other = await createSubscription(server, 'No Sizes Ltd');
      assert.deepEqual(await list(server, other.ApiKey), []);
      const empty = await api(server, 'GET', '/packagesizes', { key: other.ApiKey, headers: XML });
      assert.match(empty.text, new RegExp(`<ArrayOfPackageSize ${COMMON_NS.replace(/[./]/g, '\\$&')} xmlns:i="[^"]+"></ArrayOfPackageSize>$`));
    });

    it('gets the default size, in JSON and XML', async () => {
      const res = await api(server, 'GET', '/packageSizes/default');
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.body), SIZE_KEYS);
      assert.equal(res.body.Reference, 'SMALL-BOX');
      const xml = await api(server, 'GET', '/packagesizes/DEFAULT', { headers: XML });
      assert.ok(xml.text.startsWith(`<?xml version="1.0" encoding="utf-8"?>\n<PackageSize ${COMMON_NS}`), xml.text.slice(0, 200));
      assert.match(xml.text, /<Reference>SMALL-BOX<\/Reference>.*<IsDefault>true<\/IsDefault><\/PackageSize>$/);
    });

    it('gets one size by its reference in any case, answering with the stored spelling', async () => {
      const res = await api(server, 'GET', '/packageSizes/large-box');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.Reference, 'LARGE-BOX');
      const xml = await api(server, 'GET', '/packageSizes/Large-Box', { headers: XML });
      assert.match(xml.text, /<PackageSize [^>]*><Reference>LARGE-BOX<\/Reference>/);
    });

    it('answers an unknown size with 404 PackageSizeNotFound, and no default with 404 too', async () => {
      assert.match(assertNotFound(await api(server, 'GET', '/packageSizes/HUGE-BOX')).Message, /HUGE-BOX/);
      const other = await createSubscription(server, 'Defaultless Ltd');
      const error = assertNotFound(await api(server, 'GET', '/packageSizes/default', { key: other.ApiKey }));
      assert.equal(error.Message, 'No default package size is set');
      const xml = await api(server, 'GET', '/packageSizes/default', { key: other.ApiKey, headers: XML });
      assert.equal(xml.status, 404);
      assert.match(xml.text, /<Code>PackageSizeNotFound<\/Code>/);
    });
  });

  describe('creating', () => {
    it('answers 201 with a Location header and the size, from plain numbers in cm and kg', async () => {
      const res = await api(server, 'POST', '/packageSizes', { body: sizeBody({ Reference: 'Medium-Box' }) });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.headers.get('location'), `${server.url}/packageSizes/Medium-Box`);
      assert.deepEqual(res.body, { Reference: 'Medium-Box', Description: 'Medium box', CustomerReference: demoReference, Length: 45, Width: 35, Height: 25, Weight: 2.5, IsDefault: false });
      assert.deepEqual((await api(server, 'GET', new URL(res.headers.get('location')!).pathname)).body, res.body);
      assert.deepEqual(await defaults(server), ['SMALL-BOX'], 'a new size is not the default unless asked');
    });

    it('takes Dimensions and Weight in the object forms a package accepts, in any unit, with property names in any case', async () => {
      const mm = await create(server, { Reference: 'ENVELOPE', Length: undefined, Width: undefined, Height: undefined, Weight: undefined, dimensions: { unit: 'mm', length: 350, width: 250, height: 10 }, weight: { value: 200, unit: 'g' } });
      assert.deepEqual([mm.Length, mm.Width, mm.Height, mm.Weight], [35, 25, 1, 0.2]);
      const sdk = await create(server, { Reference: 'SDK-BOX', Length: undefined, Width: undefined, Height: undefined, Weight: { Kg: 3 }, Dimensions: { Width: 10, Length: 20, Height: 30 } });
      assert.deepEqual([sdk.Length, sdk.Width, sdk.Height, sdk.Weight], [20, 10, 30, 3]);
      const inches = await create(server, { Reference: 'INCH-BOX', Length: undefined, Width: undefined, Height: undefined, Weight: { Value: 1, Unit: 'lb' }, Dimensions: { Unit: 'in', Width: 10, Length: 10, Height: 10 } });
      assert.deepEqual([inches.Length, inches.Weight], [25.4, 0.45359]);
    });

    it('takes an XML body in any element order, in either form, and answers in XML', async () => {
      const res = await api(server, 'POST', '/packageSizes', {
        body: `<PackageSize xmlns="http://electioapp.com/schemas/v1/MPD.Electio.SDK.DataTypes.Common"><Weight>0.75</Weight><IsDefault>false</IsDefault><Height>10</Height><Width>10</Width><Length>90</Length><Description>Poster tube</Description><Reference>TUBE</Reference></PackageSize>`,
        headers: XML,
      });
      assert.equal(res.status, 201, res.text);
      assert.match(res.text, /<PackageSize [^>]*><Reference>TUBE<\/Reference><Description>Poster tube<\/Description><CustomerReference>[^<]+<\/CustomerReference><Length>90<\/Length><Width>10<\/Width><Height>10<\/Height><Weight>0.75<\/Weight><IsDefault>false<\/IsDefault><\/PackageSize>$/);
      const objects = await api(server, 'POST', '/packageSizes', {
        body: '<PackageSize><Reference>XML-OBJ</Reference><Description>Objects</Description><Dimensions><Unit>cm</Unit><Length>12</Length><Width>11</Width><Height>10</Height></Dimensions><Weight><Value>500</Value><Unit>g</Unit></Weight></PackageSize>',
      });
      assert.equal(objects.status, 201, objects.text);
      assert.deepEqual([objects.body.Length, objects.body.Width, objects.body.Height, objects.body.Weight], [12, 11, 10, 0.5]);
    });

    it('refuses a reference another size of the subscription has, in any case: 409 DuplicateReference, nothing changed', async () => {
      const before = await list(server);
      const error = assertError(await api(server, 'POST', '/packageSizes', { body: sizeBody({ Reference: 'small-box', IsDefault: true }) }), 409, 'DuplicateReference');
      assert.deepEqual(error.Details.map((d: any) => [d.Code, d.Target]), [['Duplicate', 'Reference']]);
      assert.deepEqual(await list(server), before, 'not even the default moved');
    });

    const cases: [string, Record<string, unknown>, [string, string?][]][] = [
      ['no reference', { Reference: undefined }, [['Reference', 'Required']]],
      ['a reference with a space', { Reference: 'BIG BOX' }, [['Reference', 'Invalid']]],
      ['the reserved reference "default"', { Reference: 'Default' }, [['Reference', 'Invalid']]],
      ['a reference of 101 characters', { Reference: 'B'.repeat(101) }, [['Reference', 'Invalid']]],
      ['no description', { Description: undefined }, [['Description', 'Required']]],
      ['a blank description', { Description: '  ' }, [['Description', 'Required']]],
      ['a description of 1,001 characters', { Description: 'd'.repeat(1001) }, [['Description', 'Invalid']]],
      ['no length', { Length: undefined }, [['Length', 'Required']]],
      ['no sides at all', { Length: undefined, Width: undefined, Height: undefined }, [['Length', 'Required'], ['Width', 'Required'], ['Height', 'Required']]],
      ['a side of 0', { Width: 0 }, [['Width', 'Invalid']]],
      ['a negative side', { Height: -3 }, [['Height', 'Invalid']]],
      ['a side over 1 km', { Length: 100_001 }, [['Length', 'Invalid']]],
      ['a side that is not a number', { Length: 'long' }, [['Length', 'Invalid']]],
      ['both forms of dimensions', { Dimensions: { Unit: 'cm', Length: 1, Width: 1, Height: 1 } }, [['Dimensions', 'Invalid']]],
      ['dimensions in an unknown unit', { Length: undefined, Width: undefined, Height: undefined, Dimensions: { Unit: 'ft', Length: 1, Width: 1, Height: 1 } }, [['Dimensions.Unit', 'Invalid']]],
      ['a zero side in Dimensions', { Length: undefined, Width: undefined, Height: undefined, Dimensions: { Length: 1, Width: 0, Height: 1 } }, [['Dimensions.Width', 'Invalid']]],
      ['no weight', { Weight: undefined }, [['Weight', 'Required']]],
      ['a weight of 0', { Weight: 0 }, [['Weight', 'Invalid']]],
      ['a weight over 1,000 t', { Weight: 1_000_001 }, [['Weight', 'Invalid']]],
      ['a weight in an unknown unit', { Weight: { Value: 2, Unit: 'stone' } }, [['Weight.Unit', 'Invalid']]],
      ['a weight object without a value', { Weight: { Unit: 'kg' } }, [['Weight', 'Required']]],
      ['a weight that is text', { Weight: 'heavy' }, [['Weight', 'Invalid']]],
      ['a weight object with a text value', { Weight: { Value: 'two' } }, [['Weight.Value', 'Invalid']]],
      ['IsDefault that is not a boolean', { IsDefault: 'yes' }, [['IsDefault', 'Invalid']]],
      [
        'several problems at once',
        { Reference: 'no way', Description: '', Length: 0, Height: undefined, Weight: -1 },
        [['Reference', 'Invalid'], ['Description', 'Required'], ['Length', 'Invalid'], ['Height', 'Required'], ['Weight', 'Invalid']],
      ],
    ];

    it('answers each problem with 400 ValidationFailed, one detail per problem, and stores nothing', async () => {
      const before = await list(server);
      for (const [name, overrides, expected] of cases) {
        const res = await api(server, 'POST', '/packageSizes', { body: sizeBody({ Reference: 'NEW-BOX', ...overrides }) });
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

    it('says what a weight of the wrong kind should be', async () => {
      const error = assertError(await api(server, 'POST', '/packageSizes', { body: sizeBody({ Weight: 'heavy' }) }), 400, 'ValidationFailed');
      assert.equal(error.Details[0].Message, 'Weight must be a number or an object');
    });
  });

  describe('the default', () => {
    it('switches the default with PUT /packageSizes/{ref}/default: exactly one default, before and after', async () => {
      const other = await createSubscription(server, 'Switching Ltd');
      await create(server, { Reference: 'A-BOX', IsDefault: true }, other.ApiKey);
      await create(server, { Reference: 'B-BOX' }, other.ApiKey);
      assert.deepEqual(await defaults(server, other.ApiKey), ['A-BOX']);
      const res = await api(server, 'PUT', '/packageSizes/b-box/default', { key: other.ApiKey });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.Reference, 'B-BOX');
      assert.equal(res.body.IsDefault, true);
      assert.deepEqual(await defaults(server, other.ApiKey), ['B-BOX']);
      assert.equal((await api(server, 'GET', '/packageSizes/default', { key: other.ApiKey })).body.Reference, 'B-BOX');
      const again = await api(server, 'PUT', '/packageSizes/B-BOX/default', { key: other.ApiKey, headers: XML });
      assert.equal(again.status, 200, 'idempotent');
      assert.match(again.text, /<Reference>B-BOX<\/Reference>.*<IsDefault>true<\/IsDefault>/);
      assert.deepEqual(await defaults(server, other.ApiKey), ['B-BOX']);
      assertNotFound(await api(server, 'PUT', '/packageSizes/C-BOX/default', { key: other.ApiKey }));
      assert.deepEqual(await defaults(server, other.ApiKey), ['B-BOX'], 'an unknown size changes nothing');
    });

    it('lets a new size created with IsDefault take over the default', async () => {
      const other = await createSubscription(server, 'Taking Over Ltd');
      await create(server, { Reference: 'OLD-DEFAULT', IsDefault: true }, other.ApiKey);
      await create(server, { Reference: 'NEW-DEFAULT', IsDefault: true }, other.ApiKey);
      assert.deepEqual(await defaults(server, other.ApiKey), ['NEW-DEFAULT']);
    });

    it('leaves no default when the default is replaced with IsDefault false or deleted', async () => {
      const other = await createSubscription(server, 'Giving Up Ltd');
      await create(server, { Reference: 'ONLY', IsDefault: true }, other.ApiKey);
      const put = await api(server, 'PUT', '/packageSizes/ONLY', { key: other.ApiKey, body: sizeBody({ Reference: undefined, IsDefault: false }) });
      assert.equal(put.status, 200, put.text);
      assertNotFound(await api(server, 'GET', '/packageSizes/default', { key: other.ApiKey }));
      await api(server, 'PUT', '/packageSizes/ONLY/default', { key: other.ApiKey });
      assert.equal((await api(server, 'DELETE', '/packageSizes/ONLY', { key: other.ApiKey })).status, 204);
      assertNotFound(await api(server, 'GET', '/packageSizes/default', { key: other.ApiKey }));
    });

    it('keeps exactly one default when many requests switch it at once', async () => {
      const other = await createSubscription(server, 'Racing Ltd');
      const refs = Array.from({ length: 8 }, (_, i) => `RACE-${i}`);
      for (const ref of refs) await create(server, { Reference: ref }, other.ApiKey);
      const results = await Promise.all([
        ...refs.map((ref) => api(server, 'PUT', `/packageSizes/${ref}/default`, { key: other.ApiKey })),
        ...refs.map((ref) => api(server, 'POST', '/packageSizes', { key: other.ApiKey, body: sizeBody({ Reference: `${ref}-NEW`, IsDefault: true }) })),
      ]);
      for (const r of results) assert.ok(r.status === 200 || r.status === 201, r.text);
      const now = await defaults(server, other.ApiKey);
      assert.equal(now.length, 1, JSON.stringify(now));
      assert.equal((await api(server, 'GET', '/packageSizes/default', { key: other.ApiKey })).body.Reference, now[0]);
    });
  });

  describe('replacing and deleting', () => {
    it('replaces every field of a size; its reference stays', async () => {
      await create(server, { Reference: 'REPL-BOX' });
      const res = await api(server, 'PUT', '/packageSizes/repl-box', { body: { Description: 'Bigger', Dimensions: { Unit: 'm', Length: 1, Width: 0.5, Height: 0.25 }, Weight: { Value: 4, Unit: 'kg' } } });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, { Reference: 'REPL-BOX', Description: 'Bigger', CustomerReference: demoReference, Length: 100, Width: 50, Height: 25, Weight: 4, IsDefault: false });
      assert.deepEqual((await api(server, 'GET', '/packageSizes/REPL-BOX')).body, res.body);
      const xml = await api(server, 'PUT', '/packageSizes/REPL-BOX', { body: '<PackageSize><Description>Smaller</Description><Length>10</Length><Width>10</Width><Height>10</Height><Weight>1</Weight></PackageSize>', headers: XML });
      assert.equal(xml.status, 200, xml.text);
      assert.match(xml.text, /<Reference>REPL-BOX<\/Reference><Description>Smaller<\/Description>/);
    });

    it('refuses a body naming another reference or breaking a rule, listing every problem, and changes nothing', async () => {
      const before = (await api(server, 'GET', '/packageSizes/LARGE-BOX')).body;
      const error = assertError(await api(server, 'PUT', '/packageSizes/LARGE-BOX', { body: sizeBody({ Reference: 'SMALL-BOX', Weight: 0 }) }), 400, 'ValidationFailed');
      assert.deepEqual(error.Details.map((d: any) => d.Target), ['Reference', 'Weight']);
      assert.deepEqual((await api(server, 'GET', '/packageSizes/LARGE-BOX')).body, before);
      assertNotFound(await api(server, 'PUT', '/packageSizes/NOPE-BOX', { body: sizeBody() }));
    });

    it('deletes a size: 204, then 404; a second delete is 404', async () => {
      await create(server, { Reference: 'GONE-BOX' });
      const res = await api(server, 'DELETE', '/packageSizes/gone-box');
      assert.equal(res.status, 204, res.text);
      assertNotFound(await api(server, 'GET', '/packageSizes/GONE-BOX'));
      assertNotFound(await api(server, 'DELETE', '/packageSizes/GONE-BOX'));
      assert.ok(!(await list(server)).some((s) => s.Reference === 'GONE-BOX'));
    });
  });

  describe('tenant isolation', () => {
    it('treats another subscription’s sizes as absent, for reading, changing and naming on a package', async () => {
      const other = await createSubscription(server, 'Sizes Tenant Ltd');
      await create(server, { Reference: 'THEIR-BOX', IsDefault: true }, other.ApiKey);
      assertNotFound(await api(server, 'GET', '/packageSizes/THEIR-BOX'));
      assertNotFound(await api(server, 'PUT', '/packageSizes/THEIR-BOX', { body: sizeBody({ Reference: undefined }) }));
      assertNotFound(await api(server, 'PUT', '/packageSizes/THEIR-BOX/default'));
      assertNotFound(await api(server, 'DELETE', '/packageSizes/THEIR-BOX'));
      assert.ok(!(await list(server)).some((s) => s.Reference === 'THEIR-BOX'));
      assert.equal((await api(server, 'GET', '/packageSizes/default')).body.Reference, 'SMALL-BOX', 'our default is ours');
      const res = await api(server, 'POST', '/consignments', { body: requestWithPackages([{ PackageSizeReference: 'THEIR-BOX' }]) });
      assert.deepEqual(assertError(res, 400, 'ValidationFailed').Details.map((d: any) => [d.Code, d.Target]), [['NotFound', 'Packages[0].PackageSizeReference']]);
      // And ours are absent for them.
      assertNotFound(await api(server, 'GET', '/packageSizes/SMALL-BOX', { key: other.ApiKey }));
      assert.equal((await api(server, 'GET', '/packageSizes/THEIR-BOX', { key: other.ApiKey })).status, 200);
    });

    it('needs an API key', async () => {
      assertError(await api(server, 'GET', '/packagesizes', { key: null }), 401, 'Unauthorized');
      assertError(await api(server, 'PUT', '/packageSizes/SMALL-BOX/default', { key: null }), 401, 'Unauthorized');
    });
  });

  describe('POST /consignments with PackageSizeReference', () => {
    it('gives a package naming a size (in any case) the size’s dimensions and weight, and its stored reference', async () => {
      const c = await createAndGet(server, requestWithPackages([{ Description: 'Mugs', PackageSizeReference: 'small-box' }]));
      const p = c.Packages[0];
      assert.equal(p.PackageSizeReference, 'SMALL-BOX');
      assert.deepEqual(p.Dimensions, { Unit: 'Cm', Width: 20, Length: 30, Height: 15 });
      assert.deepEqual(p.Weight, { Value: 1, Unit: 'Kg' });
      assert.deepEqual(c.Weight, { Value: 1, Unit: 'Kg' });
    });

    it('keeps the package’s own Weight, in any unit, but always the size’s dimensions', async () => {
      const c = await createAndGet(
        server,
        requestWithPackages([
          { PackageSizeReference: 'LARGE-BOX', Weight: { Value: 7500, Unit: 'g' } },
          { PackageSizeReference: 'LARGE-BOX', Weight: { Kg: 2 }, Dimensions: { Unit: 'cm', Length: 1, Width: 1, Height: 1 } },
          { PackageSizeReference: 'SMALL-BOX' },
          { Weight: { Value: 3, Unit: 'kg' }, Dimensions: { Unit: 'cm', Length: 10, Width: 10, Height: 10 } },
        ]),
      );
      const summary = c.Packages.map((p: any) => [p.PackageSizeReference, p.Weight.Value, p.Dimensions.Length, p.Dimensions.Width, p.Dimensions.Height]);
      assert.deepEqual(summary, [
        ['LARGE-BOX', 7.5, 60, 40, 40],
        ['LARGE-BOX', 2, 60, 40, 40],
        ['SMALL-BOX', 1, 30, 20, 15],
        [null, 3, 10, 10, 10],
      ]);
      assert.deepEqual(c.Weight, { Value: 13.5, Unit: 'Kg' });
    });

    it('copies the size: a later change or deletion of the size leaves the package as it was', async () => {
      await create(server, { Reference: 'COPIED-BOX', Length: 50, Width: 40, Height: 30, Weight: 2 });
      const before = await createAndGet(server, requestWithPackages([{ PackageSizeReference: 'COPIED-BOX' }]));
      await api(server, 'PUT', '/packageSizes/COPIED-BOX', { body: sizeBody({ Reference: undefined, Length: 90, Weight: 9 }) });
      const after = await createAndGet(server, requestWithPackages([{ PackageSizeReference: 'COPIED-BOX' }]));
      assert.equal((await api(server, 'DELETE', '/packageSizes/COPIED-BOX')).status, 204);
      const again = await getConsignment(server, before.Reference);
      assert.deepEqual([again.Packages[0].Dimensions.Length, again.Packages[0].Weight.Value], [50, 2]);
      assert.deepEqual([after.Packages[0].Dimensions.Length, after.Packages[0].Weight.Value], [90, 9]);
    });

    it('answers an unknown size with a 400 NotFound detail per package, even when weight and dimensions are given, and stores nothing', async () => {
      const count = await consignmentCount(server);
      const res = await api(server, 'POST', '/consignments', {
        body: requestWithPackages([
          { PackageSizeReference: 'HUGE-BOX' },
          { PackageSizeReference: 'SMALL-BOX' },
          { PackageSizeReference: 'huge-box', Weight: { Value: 1, Unit: 'kg' }, Dimensions: { Unit: 'cm', Length: 1, Width: 1, Height: 1 } },
          { PackageSizeReference: 'SMALL-BOX', Weight: { Value: 0, Unit: 'kg' } },
        ]),
      });
      const error = assertError(res, 400, 'ValidationFailed');
      assert.deepEqual(error.Details.map((d: any) => [d.Code, d.Target]), [
        ['NotFound', 'Packages[0].PackageSizeReference'],
        ['NotFound', 'Packages[2].PackageSizeReference'],
        ['Invalid', 'Packages[3].Weight'],
      ]);
      assert.equal(error.Details[0].Message, 'Packages[0].PackageSizeReference names package size HUGE-BOX, which does not exist');
      assert.equal(await consignmentCount(server), count);
    });

    it('treats a blank PackageSizeReference as none', async () => {
      const c = await createAndGet(server, requestWithPackages([{ PackageSizeReference: ' ', Weight: { Value: 1, Unit: 'kg' }, Dimensions: { Unit: 'cm', Length: 5, Width: 5, Height: 5 } }]));
      assert.equal(c.Packages[0].PackageSizeReference, null);
      const missing = assertError(await api(server, 'POST', '/consignments', { body: requestWithPackages([{ PackageSizeReference: '' }]) }), 400, 'ValidationFailed');
      assert.deepEqual(missing.Details.map((d: any) => [d.Code, d.Target]), [['Required', 'Packages[0].Weight'], ['Required', 'Packages[0].Dimensions']]);
    });

    it('takes PackageSizeReference in an XML create request', async () => {
      const xml = `<CreateConsignmentRequest xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Consignments">
  <Packages><Package><PackageSizeReference>LARGE-BOX</PackageSizeReference><Weight><Value>4</Value><Unit>Kg</Unit></Weight></Package></Packages>
  <Addresses>
    <Address><AddressType>Origin</AddressType><ShippingLocationReference>WH-MAN-01</ShippingLocationReference></Address>
    <Address><AddressType>Destination</AddressType><AddressLine1>1 Test Street</AddressLine1><Postcode>LS1 4AP</Postcode><Country><IsoCode><TwoLetterCode>GB</TwoLetterCode></IsoCode></Country></Address>
  </Addresses>
</CreateConsignmentRequest>`;
      const c = await createAndGet(server, xml);
      assert.deepEqual([c.Packages[0].PackageSizeReference, c.Packages[0].Weight.Value, c.Packages[0].Dimensions.Length], ['LARGE-BOX', 4, 60]);
    });

    it('allocates by the size’s dimensions: a box over a service’s length limit is refused for it', async () => {
      await create(server, { Reference: 'LONG-BOX', Length: 110, Width: 20, Height: 20, Weight: 3 });
      const c = await createAndGet(server, requestWithPackages([{ PackageSizeReference: 'LONG-BOX' }]));
      const res = await allocate(server, 'Example-Carrier-Service', [c.Reference]);
      assert.equal(res.body[0].StatusCode, 422, res.text);
      assert.deepEqual(res.body[0].FailureReasons.map((r: any) => r.Code), ['PackageTooLong']);
      const ok = await createAndGet(server, requestWithPackages([{ PackageSizeReference: 'LARGE-BOX' }]));
      assert.equal((await allocate(server, 'Example-Carrier-Service', [ok.Reference])).body[0].StatusCode, 200);
    });

    it('looks the sizes of a request up once, however many packages name them, and not at all when none does', async () => {
      const sizes = server.app.ctx.packageSizes;
      const original = sizes.findMany;
      let calls = 0;
      sizes.findMany = function (...args: Parameters<typeof original>) {
        calls++;
        return original.apply(this, args);
      };
      try {
        const packages = Array.from({ length: 40 }, (_, i) => ({ PackageSizeReference: i % 2 ? 'small-box' : 'LARGE-BOX' }));
        const c = await createAndGet(server, requestWithPackages(packages));
        assert.equal(c.Packages.length, 40);
        assert.equal(calls, 1);
        await createAndGet(server, consignmentRequest());
        assert.equal(calls, 1, 'no lookup for a request naming no size');
      } finally {
        sizes.findMany = original;
      }
    });
  });
});
