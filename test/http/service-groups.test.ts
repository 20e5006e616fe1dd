import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { createSubscription } from '../support/consignments.js';
import { assertError } from '../support/assertions.js';

const FRAGILE = { Reference: 'fragileItems', Name: 'Fragile items', MpdCarrierServiceReferences: ['sw-world-air', 'Example-Carrier-Service', 'SW-WORLD-AIR'] };

async function demoSubscriptionReference(server: TestServer): Promise<string> {
  const res = await api(server, 'GET', '/admin/subscriptions', { key: null, headers: { authorization: 'Bearer test-admin-token' } });
  return res.body.find((s: any) => s.Name === 'Demo').Reference;
}

describe(`Service groups (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  let subscription: string;
  before(async () => {
    server = await startServer();
    subscription = await demoSubscriptionReference(server);
  });
  after(() => server.close());

  it('starts with no groups: 200 [] from both lists', async () => {
    for (const path of ['/serviceGroups', '/serviceGroups/', '/serviceGroups/summaries']) {
      const res = await api(server, 'GET', path);
      assert.equal(res.status, 200, path);
      assert.deepEqual(res.body, []);
    }
  });

  it('creates a group: 201, Location, and the MpdCarrierServiceGroup with a profile per service in the group’s order', async () => {
    const res = await api(server, 'POST', '/serviceGroups', { body: FRAGILE });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.get('location'), `${server.url}/serviceGroups/fragileItems`);
    const g = res.body;
    assert.deepEqual(Object.keys(g), ['Reference', 'Name', 'CustomerReference', 'IsEnabled', 'MpdCarrierServiceProfiles']);
    assert.equal(g.Reference, 'fragileItems');
    assert.equal(g.Name, 'Fragile items');
    assert.equal(g.CustomerReference, subscription);
    assert.equal(g.IsEnabled, true);
    assert.deepEqual(g.MpdCarrierServiceProfiles.map((p: any) => p.MpdCarrierService.Reference), ['SW-WORLD-AIR', 'Example-Carrier-Service'], 'catalogue spelling, duplicates merged');
    const [air, nextDay] = g.MpdCarrierServiceProfiles;
    assert.deepEqual(Object.keys(nextDay), [
      'IsEnabled',
      'CustomerReference',
      'MpdCarrierService',
      'DimensionRestrictions',
      'DomesticLocationRestrictions',
      'InternationalLocationRestrictions',
      'CompensationAndValue',
    ]);
    assert.equal(nextDay.IsEnabled, true);
    assert.equal(nextDay.CustomerReference, subscription);
    const services = (await api(server, 'GET', '/carrierservices')).body.MpdCarrierServices;
    assert.deepEqual(nextDay.MpdCarrierService, services.find((s: any) => s.Reference === 'Example-Carrier-Service'), 'the service as GET /carrierservices shows it');
    assert.deepEqual(nextDay.DimensionRestrictions, [
      { Id: 1, DimensionType: 'AbsoluteWeight', RangeFrom: 0, RangeTo: 30 },
      { Id: 2, DimensionType: 'Length', RangeFrom: 0, RangeTo: 100 },
      { Id: 3, DimensionType: 'CombinedDimensions', RangeFrom: 0, RangeTo: 300 },
    ]);
    assert.deepEqual(
      nextDay.DomesticLocationRestrictions.map((r: any) => [r.Id, r.PostcodeArea, r.PostcodeDistrict, r.PostcodeSector, r.PostcodeUnit]),
      ['BT', 'GY', 'JE', 'IM', 'HS', 'ZE'].map((area, i) => [i + 1, area, null, null, null]),
    );
    assert.deepEqual(nextDay.InternationalLocationRestrictions, []);
    assert.deepEqual(nextDay.CompensationAndValue, { Id: 1, MaxParcelValue: 2500, GetEnhancedCompensation: false, CompensationThreshold: null });
    assert.deepEqual(air.InternationalLocationRestrictions, ['AQ', 'GB', 'KP'].map((c, i) => ({ Id: i + 1, Postcode: null, Town: null, County: null, CountryTwoLetterIsoCode: c })));
    assert.deepEqual(air.DimensionRestrictions.map((d: any) => [d.DimensionType, d.RangeTo]), [['AbsoluteWeight', 25], ['Length', 120], ['CombinedDimensions', 330]]);
  });

  it('reads one group in any case, whole or as a summary', async () => {
    const whole = await api(server, 'GET', '/serviceGroups/FRAGILEITEMS');
    assert.equal(whole.status, 200);
    assert.equal(whole.body.Reference, 'fragileItems');
    const summary = await api(server, 'GET', '/serviceGroups/summary/fragileitems');
    assert.equal(summary.status, 200);
    const { MpdCarrierServiceProfiles: profiles, ...rest } = summary.body;
    const { MpdCarrierServiceProfiles: wholeProfiles, ...wholeRest } = whole.body;
    assert.deepEqual(rest, wholeRest);
    profiles.forEach((p: any, i: number) => {
      assert.deepEqual(p.MpdCarrierService, wholeProfiles[i].MpdCarrierService);
      assert.equal(p.DimensionRestrictions, null);
      assert.equal(p.DomesticLocationRestrictions, null);
      assert.equal(p.InternationalLocationRestrictions, null);
      assert.equal(p.CompensationAndValue, null);
    });
  });

  it('lists groups ordered by reference, whole and as summaries', async () => {
    const created = await api(server, 'POST', '/serviceGroups', { body: { Reference: 'Economy', Name: 'Economy', IsEnabled: false, MpdCarrierServiceReferences: ['CX-ECONOMY-48', 'NP-PARCEL-48'] } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.IsEnabled, false);
    const list = await api(server, 'GET', '/serviceGroups');
    assert.deepEqual(list.body.map((g: any) => g.Reference), ['Economy', 'fragileItems']);
    assert.deepEqual(list.body[1], (await api(server, 'GET', '/serviceGroups/fragileItems')).body);
    const summaries = await api(server, 'GET', '/serviceGroups/summaries');
    assert.deepEqual(summaries.body.map((g: any) => g.Reference), ['Economy', 'fragileItems']);
    assert.deepEqual(summaries.body[0], (await api(server, 'GET', '/serviceGroups/summary/Economy')).body);
  });

  it('says whether a reference is available', async () => {
    const available = async (ref: string) => {
      const res = await api(server, 'GET', `/serviceGroups/${ref}/available`);
      assert.equal(res.status, 200, res.text);
      return res.body;
    };
    assert.equal(await available('fragileitems'), false);
    assert.equal(await available('new-group'), true);
    assert.equal(await available('has%20space'), false, 'not a valid reference');
    const xml = await api(server, 'GET', '/serviceGroups/new-group/available', { headers: { accept: 'application/xml' } });
    assert.match(xml.text, /<boolean xmlns="[^"]+" xmlns:i="[^"]+">true<\/boolean>$/);
  });

  it('takes and answers XML with the SDK type names', async () => {
    const xml = `<MpdCarrierServiceGroup xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Common">
  <Reference>Returns</Reference><Name>Returns &amp; more</Name><IsEnabled>true</IsEnabled>
  <MpdCarrierServiceReferences><string>CX-RETURNS</string></MpdCarrierServiceReferences>
</MpdCarrierServiceGroup>`;
    const res = await api(server, 'POST', '/serviceGroups', { body: xml, headers: { accept: 'application/xml' } });
    assert.equal(res.status, 201, res.text);
    assert.match(res.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<MpdCarrierServiceGroup xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.Common" xmlns:i="[^"]+"><Reference>Returns<\/Reference><Name>Returns &amp; more<\/Name>/);
    assert.match(res.text, /<MpdCarrierServiceProfiles><MpdCarrierServiceProfile><IsEnabled>true<\/IsEnabled>/);
    assert.match(res.text, /<DimensionRestrictions><DimensionRestriction><Id>1<\/Id><DimensionType>AbsoluteWeight<\/DimensionType><RangeFrom>0<\/RangeFrom><RangeTo>20<\/RangeTo><\/DimensionRestriction>/);
    assert.match(res.text, /<CompensationAndValue><Id>1<\/Id><MaxParcelValue>1000<\/MaxParcelValue><GetEnhancedCompensation>false<\/GetEnhancedCompensation><CompensationThreshold i:nil="true"\/><\/CompensationAndValue>/);
    const list = await api(server, 'GET', '/serviceGroups/summaries', { headers: { accept: 'application/xml' } });
    assert.match(list.text, /<ArrayOfMpdCarrierServiceGroup xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.Common" xmlns:i="[^"]+"><MpdCarrierServiceGroup>/);
    assert.match(list.text, /<DimensionRestrictions i:nil="true"\/>/);
  });

  it('replaces a group with PUT (path reference and stored spelling win; IsEnabled defaults to true)', async () => {
    const res = await api(server, 'PUT', '/serviceGroups/ECONOMY', { body: { Reference: 'ignored', Name: 'Cheap and cheerful', MpdCarrierServiceReferences: ['np-parcel-48'] } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.Reference, 'Economy');
    assert.equal(res.body.Name, 'Cheap and cheerful');
    assert.equal(res.body.IsEnabled, true);
    assert.deepEqual(res.body.MpdCarrierServiceProfiles.map((p: any) => p.MpdCarrierService.Reference), ['NP-PARCEL-48']);
    assert.deepEqual(res.body, (await api(server, 'GET', '/serviceGroups/economy')).body);
  });

  it('switches a group off and on', async () => {
    const off = await api(server, 'PUT', '/serviceGroups/economy/disable');
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.IsEnabled, false);
    assert.equal((await api(server, 'GET', '/serviceGroups/Economy')).body.IsEnabled, false);
    const on = await api(server, 'PUT', '/serviceGroups/Economy/enable', { body: '', contentType: 'text/plain' });
    assert.equal(on.status, 200, on.text);
    assert.equal(on.body.IsEnabled, true);
  });

  it('is what the allocation engine reads through ctx.serviceGroups', async () => {
    const found = await server.app.ctx.serviceGroups.find(1, 'FRAGILEITEMS');
    assert.deepEqual(found, { reference: 'fragileItems', name: 'Fragile items', isEnabled: true, serviceReferences: ['SW-WORLD-AIR', 'Example-Carrier-Service'] });
    assert.deepEqual((await server.app.ctx.serviceGroups.list(1)).map((g) => g.reference), ['Economy', 'fragileItems', 'Returns']);
  });

  it('lists every problem of a bad group as a Detail, storing nothing', async () => {
    const res = await api(server, 'POST', '/serviceGroups', { body: { Reference: 'a b', Name: 5, MpdCarrierServiceReferences: ['CX-RETURNS', 'NOPE', 7] } });
    const body = assertError(res, 400, 'ValidationFailed');
    assert.deepEqual(body.Details.map((d: any) => [d.Code, d.Target]), [
      ['Invalid', 'Name'],
      ['Invalid', 'MpdCarrierServiceReferences[2]'],
      ['Invalid', 'Reference'],
      ['NotFound', 'MpdCarrierServiceReferences[1]'],
    ]);
    const empty = assertError(await api(server, 'POST', '/serviceGroups', { body: { Reference: 'empty', Name: 'Empty', MpdCarrierServiceReferences: [] } }), 400, 'ValidationFailed');
    assert.deepEqual(empty.Details.map((d: any) => [d.Code, d.Target]), [['Required', 'MpdCarrierServiceReferences']]);
    const reserved = assertError(await api(server, 'POST', '/serviceGroups', { body: { Reference: 'Summaries', Name: 'x', MpdCarrierServiceReferences: ['CX-RETURNS'] } }), 400, 'ValidationFailed');
    assert.match(reserved.Details[0].Message, /reserved/);
    assertError(await api(server, 'PUT', '/serviceGroups/Economy', { body: { Name: 'x', MpdCarrierServiceReferences: ['NOPE'] } }), 400, 'ValidationFailed');
    assert.equal((await api(server, 'GET', '/serviceGroups/Economy')).body.Name, 'Cheap and cheerful');
    assert.equal((await api(server, 'GET', '/serviceGroups')).body.length, 3);
  });

  it('refuses a duplicate reference in any case: 409 DuplicateReference', async () => {
    const body = assertError(await api(server, 'POST', '/serviceGroups', { body: { ...FRAGILE, Reference: 'FragileItems' } }), 409, 'DuplicateReference');
    assert.deepEqual(body.Details.map((d: any) => d.Target), ['Reference']);
  });

  it('answers 404 ServiceGroupNotFound for an unknown group, and for references that cannot exist', async () => {
    for (const [method, path] of [
      ['GET', '/serviceGroups/nope'],
      ['GET', '/serviceGroups/summary/nope'],
      ['PUT', '/serviceGroups/nope/enable'],
      ['PUT', '/serviceGroups/nope/disable'],
      ['DELETE', '/serviceGroups/nope'],
      ['GET', '/serviceGroups/a%00b'],
      ['GET', '/serviceGroups/summary/a%00b'],
    ]) {
      assertError(await api(server, method, path), 404, 'ServiceGroupNotFound');
    }
    assertError(await api(server, 'PUT', '/serviceGroups/nope', { body: { Name: 'x', MpdCarrierServiceReferences: ['CX-RETURNS'] } }), 404, 'ServiceGroupNotFound');
  });

  it('routes the literal segments, never reading them as group references', async () => {
    assertError(await api(server, 'GET', '/serviceGroups/summary'), 404, 'RouteNotFound');
    assertError(await api(server, 'PUT', '/serviceGroups/summaries', { body: { Name: 'x', MpdCarrierServiceReferences: ['CX-RETURNS'] } }), 404, 'RouteNotFound');
    assertError(await api(server, 'DELETE', '/serviceGroups/SUMMARIES'), 404, 'RouteNotFound');
    assertError(await api(server, 'GET', '/serviceGroups/summaries/available'), 404, 'RouteNotFound');
  });

  it("keeps each subscription's groups to itself, and shows a service it disabled as not enabled", async () => {
    const other = await createSubscription(server, 'Group shop');
    assert.deepEqual((await api(server, 'GET', '/serviceGroups', { key: other.ApiKey })).body, []);
    assertError(await api(server, 'GET', '/serviceGroups/fragileItems', { key: other.ApiKey }), 404, 'ServiceGroupNotFound');
    assertError(await api(server, 'DELETE', '/serviceGroups/fragileItems', { key: other.ApiKey }), 404, 'ServiceGroupNotFound');
    assert.equal((await api(server, 'GET', '/serviceGroups/fragileItems/available', { key: other.ApiKey })).body, true);
    const theirs = await api(server, 'POST', '/serviceGroups', { key: other.ApiKey, body: FRAGILE });
    assert.equal(theirs.status, 201, theirs.text);
    assert.equal(theirs.body.CustomerReference, other.Reference);
    const admin = { key: null, headers: { authorization: 'Bearer test-admin-token' } };
    assert.equal((await api(server, 'DELETE', `/admin/subscriptions/${other.Reference}/services/SW-WORLD-AIR`, admin)).status, 204);
    const after = await api(server, 'GET', '/serviceGroups/fragileItems', { key: other.ApiKey });
    assert.deepEqual(after.body.MpdCarrierServiceProfiles.map((p: any) => [p.MpdCarrierService.Reference, p.IsEnabled]), [['SW-WORLD-AIR', false], ['Example-Carrier-Service', true]]);
    assert.equal((await api(server, 'GET', '/serviceGroups/fragileItems')).body.MpdCarrierServiceProfiles[0].IsEnabled, true, 'ours still has it');
  });

  it('deletes a group: 200 with no body, then 404, and the reference is available again', async () => {
    const res = await api(server, 'DELETE', '/serviceGroups/returns');
    assert.equal(res.status, 200);
    assert.equal(res.text, '');
    assertError(await api(server, 'GET', '/serviceGroups/Returns'), 404, 'ServiceGroupNotFound');
    assert.equal((await api(server, 'GET', '/serviceGroups/Returns/available')).body, true);
  });

  it('needs an API key', async () => {
    assertError(await api(server, 'GET', '/serviceGroups', { key: null }), 401, 'Unauthorized');
    assertError(await api(server, 'POST', '/serviceGroups', { key: null, body: FRAGILE }), 401, 'Unauthorized');
  });
});
