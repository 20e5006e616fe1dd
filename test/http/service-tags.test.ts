import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { allocate, createConsignment, createSubscription } from '../support/consignments.js';
import { assertError } from '../support/assertions.js';

async function tagsOf(server: TestServer, service: string, key?: string): Promise<string[]> {
  const res = await api(server, 'GET', `/carrierservices/${service}/tags`, { key });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

async function capabilityTags(server: TestServer, service: string, key?: string): Promise<string[]> {
  const res = await api(server, 'GET', '/carrierservices', { key });
  return res.body.MpdCarrierServices.find((s: any) => s.Reference === service).Capabilities.Tags;
}

describe(`Service tags per subscription (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  it("answers the catalogue's tags while the subscription has set none", async () => {
    assert.deepEqual(await tagsOf(server, 'cx-nextday-1030'), ['Priority', 'Fragile']);
    assert.deepEqual(await tagsOf(server, 'Example-Carrier-Service'), []);
  });

  it('sets the tags TagsNotMatched uses, at once, and shows them in the service’s Capabilities', async () => {
    const fragile = await createConsignment(server, { tags: ['fragile'] });
    const before = (await allocate(server, 'Example-Carrier-Service', [fragile])).body[0];
    assert.equal(before.StatusCode, 422);
    assert.equal(before.FailureReasons[0].Message, "the service lacks the consignment's tags fragile; its tags are none");

    const res = await api(server, 'PUT', '/carrierservices/example-carrier-service/tags', { body: [' Fragile ', 'Glass', 'FRAGILE'] });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, ['Fragile', 'Glass'], 'trimmed, duplicates merged, first spelling kept');
    assert.deepEqual(await tagsOf(server, 'Example-Carrier-Service'), ['Fragile', 'Glass']);
    assert.deepEqual(await capabilityTags(server, 'Example-Carrier-Service'), ['Fragile', 'Glass']);

    assert.equal((await allocate(server, 'Example-Carrier-Service', [fragile])).body[0].StatusCode, 200);
  });

  it("replaces the catalogue's tags: an empty list means no tags", async () => {
    const res = await api(server, 'PUT', '/carrierservices/CX-NEXTDAY-1030/tags', { body: [] });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, []);
    const priority = await createConsignment(server, { tags: ['Priority'] });
    const failed = (await allocate(server, 'CX-NEXTDAY-1030', [priority])).body[0];
    assert.equal(failed.StatusCode, 422);
    assert.deepEqual(failed.FailureReasons, [{ Code: 'TagsNotMatched', Message: "the service lacks the consignment's tags Priority; its tags are none" }]);
  });

  it("DELETE restores the catalogue's tags, answering them", async () => {
    const res = await api(server, 'DELETE', '/carrierservices/CX-NEXTDAY-1030/tags');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, ['Priority', 'Fragile']);
    assert.deepEqual(await capabilityTags(server, 'CX-NEXTDAY-1030'), ['Priority', 'Fragile']);
    const priority = await createConsignment(server, { tags: ['Priority'] });
    assert.equal((await allocate(server, 'CX-NEXTDAY-1030', [priority])).body[0].StatusCode, 200);
  });

  it('takes and answers XML (ArrayOfstring)', async () => {
    const xml = '<ArrayOfstring xmlns="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><string>Glass</string><string>Priority</string></ArrayOfstring>';
    const bad = await api(server, 'PUT', '/carrierservices/CX-ECONOMY-48/tags', { body: xml, headers: { accept: 'application/xml' } });
    assert.equal(bad.status, 400, 'only the SortedPRO namespaces and none are accepted');
    const body = '<ArrayOfstring><string>Glass</string><string>Priority</string></ArrayOfstring>';
    const res = await api(server, 'PUT', '/carrierservices/CX-ECONOMY-48/tags', { body, headers: { accept: 'application/xml' } });
    assert.equal(res.status, 200, res.text);
    assert.match(res.text, /<ArrayOfstring xmlns="[^"]+" xmlns:i="[^"]+"><string>Glass<\/string><string>Priority<\/string><\/ArrayOfstring>$/);
    const none = await api(server, 'PUT', '/carrierservices/CX-ECONOMY-48/tags', { body: '<ArrayOfstring/>', headers: { accept: 'application/xml' } });
    assert.equal(none.status, 200, none.text);
    assert.match(none.text, /<ArrayOfstring xmlns="[^"]+" xmlns:i="[^"]+"><\/ArrayOfstring>$/);
    assert.deepEqual(await tagsOf(server, 'CX-ECONOMY-48'), []);
  });

  it('lists every problem of a bad tag list, changing nothing', async () => {
    await api(server, 'PUT', '/carrierservices/NP-PARCEL-48/tags', { body: ['Heavy'] });
    const res = await api(server, 'PUT', '/carrierservices/NP-PARCEL-48/tags', { body: ['ok', 7, '  ', 'x'.repeat(101)] });
    const body = assertError(res, 400, 'ValidationFailed');
    assert.deepEqual(body.Details.map((d: any) => d.Target), ['body[1]', 'body[2]', 'body[3]']);
    assertError(await api(server, 'PUT', '/carrierservices/NP-PARCEL-48/tags', { body: { Tags: ['a'] } }), 400, 'ValidationFailed');
    assertError(await api(server, 'PUT', '/carrierservices/NP-PARCEL-48/tags'), 400, 'ValidationFailed');
    const tooMany = await api(server, 'PUT', '/carrierservices/NP-PARCEL-48/tags', { body: Array.from({ length: 101 }, (_, i) => `t${i}`) });
    assert.deepEqual(assertError(tooMany, 400, 'ValidationFailed').Details.map((d: any) => d.Code), ['TooMany']);
    assert.deepEqual(await tagsOf(server, 'NP-PARCEL-48'), ['Heavy']);
  });

  it('answers 404 CarrierServiceNotFound for an unknown service or one not enabled for the caller', async () => {
    assertError(await api(server, 'GET', '/carrierservices/NO-SUCH/tags'), 404, 'CarrierServiceNotFound');
    assertError(await api(server, 'PUT', '/carrierservices/NO-SUCH/tags', { body: ['a'] }), 404, 'CarrierServiceNotFound');
    assertError(await api(server, 'DELETE', '/carrierservices/NO-SUCH/tags'), 404, 'CarrierServiceNotFound');
    const other = await createSubscription(server, 'No air');
    const admin = { key: null, headers: { authorization: 'Bearer test-admin-token' } };
    assert.equal((await api(server, 'DELETE', `/admin/subscriptions/${other.Reference}/services/SW-WORLD-AIR`, admin)).status, 204);
    assertError(await api(server, 'GET', '/carrierservices/SW-WORLD-AIR/tags', { key: other.ApiKey }), 404, 'CarrierServiceNotFound');
    assertError(await api(server, 'PUT', '/carrierservices/SW-WORLD-AIR/tags', { key: other.ApiKey, body: ['a'] }), 404, 'CarrierServiceNotFound');
  });

  it("keeps each subscription's tags to itself", async () => {
    const other = await createSubscription(server, 'Tagless');
    assert.deepEqual(await tagsOf(server, 'Example-Carrier-Service', other.ApiKey), [], "the demo subscription's tags are not theirs");
    assert.deepEqual(await capabilityTags(server, 'Example-Carrier-Service', other.ApiKey), []);
    const theirs = await createConsignment(server, { tags: ['Fragile'], origin: { postcode: 'LS1 4AP', town: 'Leeds' } }, other.ApiKey);
    assert.equal((await allocate(server, 'Example-Carrier-Service', [theirs], other.ApiKey)).body[0].StatusCode, 422);
    await api(server, 'PUT', '/carrierservices/Example-Carrier-Service/tags', { key: other.ApiKey, body: ['Other'] });
    assert.deepEqual(await tagsOf(server, 'Example-Carrier-Service'), ['Fragile', 'Glass'], 'ours are unchanged');
  });
});
