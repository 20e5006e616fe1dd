import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { allocate, createConsignment, createSubscription, getConsignment } from '../support/consignments.js';
import { assertError } from '../support/assertions.js';

const HIGHLANDS = {
  Reference: 'NO-AIR-HIGHLANDS',
  Name: 'No air freight to the Highlands',
  Action: 'Exclude',
  MpdCarrierServiceReferences: ['Example-Carrier-Service'],
  Conditions: { DestinationPostcodes: ['IV', 'PA20'] },
};

/** The stored form of a rule body: every condition present. */
function stored(body: Record<string, any>): Record<string, unknown> {
  const c = body.Conditions ?? {};
  return {
    Reference: body.Reference,
    Name: body.Name,
    IsEnabled: body.IsEnabled ?? true,
    Action: body.Action,
    MpdCarrierServiceReferences: body.MpdCarrierServiceReferences ?? [],
    Conditions: {
      DestinationCountries: c.DestinationCountries ?? [],
      DestinationPostcodes: c.DestinationPostcodes ?? [],
      MinWeightKg: c.MinWeightKg ?? null,
      MaxWeightKg: c.MaxWeightKg ?? null,
      MinPackageLengthCm: c.MinPackageLengthCm ?? null,
      MaxPackageLengthCm: c.MaxPackageLengthCm ?? null,
      MinValue: c.MinValue ?? null,
      MaxValue: c.MaxValue ?? null,
      Currency: c.Currency ?? 'GBP',
      Directions: c.Directions ?? [],
      Tags: c.Tags ?? [],
    },
  };
}

async function createRule(server: TestServer, body: unknown, key?: string): Promise<void> {
  const res = await api(server, 'POST', '/allocationrules', { body, key });
  assert.equal(res.status, 201, res.text);
}

async function ruleReferences(server: TestServer, key?: string): Promise<string[]> {
  const res = await api(server, 'GET', '/allocationrules', { key });
  assert.equal(res.status, 200, res.text);
  return res.body.map((r: any) => r.Reference);
}

describe(`Allocation rules API (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  it('starts with no rules: 200 []', async () => {
    const res = await api(server, 'GET', '/allocationrules');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, []);
  });

  it('creates a rule: 201, Location, and the stored rule with every condition written', async () => {
    const res = await api(server, 'POST', '/allocationrules', {
      body: { ...HIGHLANDS, Action: 'exclude', MpdCarrierServiceReferences: ['example-carrier-service'], Conditions: { DestinationPostcodes: ['iv', 'pa20'] } },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.get('location'), `${server.url}/allocationrules/NO-AIR-HIGHLANDS`);
    assert.deepEqual(res.body, stored(HIGHLANDS), 'codes, prefixes, the action and service references in their stored spelling');
    const again = await api(server, 'GET', '/allocationrules/no-air-highlands');
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, stored(HIGHLANDS));
  });

  it('reads and answers XML through the same mapping', async () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<AllocationRule xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <Name>Heavy only</Name>
  <Reference>heavy-only</Reference>
  <Action>Restrict</Action>
  <IsEnabled>false</IsEnabled>
  <MpdCarrierServiceReferences><string>NP-HEAVY-FREIGHT</string></MpdCarrierServiceReferences>
  <Conditions>
    <MinWeightKg>20</MinWeightKg>
    <MaxWeightKg>1000</MaxWeightKg>
    <MaxValue i:nil="true"/>
    <Directions><string>Outbound</string><string>inbound</string></Directions>
  </Conditions>
</AllocationRule>`;
    const res = await api(server, 'POST', '/allocationrules', { body: xml, headers: { accept: 'application/xml' } });
    assert.equal(res.status, 201, res.text);
    assert.match(res.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<AllocationRule xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.Consignments"/);
    assert.match(res.text, /<Reference>heavy-only<\/Reference><Name>Heavy only<\/Name><IsEnabled>false<\/IsEnabled><Action>Restrict<\/Action>/);
    assert.match(res.text, /<MpdCarrierServiceReferences><string>NP-HEAVY-FREIGHT<\/string><\/MpdCarrierServiceReferences>/);
    assert.match(res.text, /<MinWeightKg>20<\/MinWeightKg><MaxWeightKg>1000<\/MaxWeightKg>/);
    assert.match(res.text, /<MaxValue i:nil="true"\/><Currency>GBP<\/Currency><Directions><string>Outbound<\/string><string>Inbound<\/string><\/Directions>/);
    const list = await api(server, 'GET', '/allocationrules', { headers: { accept: 'application/xml' } });
    assert.match(list.text, /<ArrayOfAllocationRule xmlns="[^"]+" xmlns:i="[^"]+"><AllocationRule><Reference>heavy-only<\/Reference>/);
  });

  it('lists rules ordered by reference, ignoring case', async () => {
    await createRule(server, { Reference: 'a-first', Name: 'First', Action: 'Restrict' });
    assert.deepEqual(await ruleReferences(server), ['a-first', 'heavy-only', 'NO-AIR-HIGHLANDS']);
  });

  it('refuses a second rule with the same reference in any case: 409 DuplicateReference, nothing changed', async () => {
    const res = await api(server, 'POST', '/allocationrules', { body: { ...HIGHLANDS, Reference: 'No-Air-Highlands', Name: 'Another' } });
    const body = assertError(res, 409, 'DuplicateReference');
    assert.deepEqual(body.Details.map((d: any) => d.Target), ['Reference']);
    assert.equal((await api(server, 'GET', '/allocationrules/NO-AIR-HIGHLANDS')).body.Name, HIGHLANDS.Name);
  });

  it('lists every problem of a bad rule as a Detail, and stores nothing', async () => {
    const res = await api(server, 'POST', '/allocationrules', {
      body: {
        Reference: 'bad rule!',
        Action: 'Maybe',
        MpdCarrierServiceReferences: ['Example-Carrier-Service', 'NO-SUCH-SERVICE'],
        Conditions: { DestinationCountries: ['UK'], DestinationPostcodes: ['IV1 1AA'], MinWeightKg: 40, MaxWeightKg: 30, MaxValue: 'lots' },
      },
    });
    const body = assertError(res, 400, 'ValidationFailed');
    assert.deepEqual(body.Details.map((d: any) => d.Target), [
      'Action',
      'Conditions.MaxValue',
      'Reference',
      'Name',
      'MpdCarrierServiceReferences[1]',
      'Conditions.DestinationCountries[0]',
      'Conditions.DestinationPostcodes[0]',
      'Conditions.MinWeightKg',
    ]);
    assert.equal(body.Details.find((d: any) => d.Target === 'Conditions.MinWeightKg').Message, 'Conditions.MinWeightKg (40) must not exceed Conditions.MaxWeightKg (30)');
    assert.equal(body.Details.find((d: any) => d.Target === 'Action').Message, 'Action must be one of Exclude, Restrict');
    assert.deepEqual(await ruleReferences(server), ['a-first', 'heavy-only', 'NO-AIR-HIGHLANDS']);
  });

  it('requires a body, and refuses a service the subscription has not enabled', async () => {
    assertError(await api(server, 'POST', '/allocationrules'), 400, 'ValidationFailed');
    const other = await createSubscription(server, 'Narrow rules');
    const disabled = await api(server, 'DELETE', `/admin/subscriptions/${other.Reference}/services/SW-WORLD-AIR`, { key: null, headers: { authorization: 'Bearer test-admin-token' } });
    assert.equal(disabled.status, 204);
    const res = await api(server, 'POST', '/allocationrules', { key: other.ApiKey, body: { ...HIGHLANDS, MpdCarrierServiceReferences: ['SW-WORLD-AIR'] } });
    const body = assertError(res, 400, 'ValidationFailed');
    assert.deepEqual(body.Details.map((d: any) => [d.Code, d.Target]), [['NotFound', 'MpdCarrierServiceReferences[0]']]);
  });

  it('replaces a rule with PUT: the path reference and its stored spelling win over the body', async () => {
    const res = await api(server, 'PUT', '/allocationrules/no-air-HIGHLANDS', {
      body: { Reference: 'SOMETHING-ELSE', Name: 'Islands too', Action: 'Exclude', Conditions: { DestinationPostcodes: ['HS', 'ZE'] } },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, stored({ Reference: 'NO-AIR-HIGHLANDS', Name: 'Islands too', Action: 'Exclude', Conditions: { DestinationPostcodes: ['HS', 'ZE'] } }));
    assert.deepEqual(await ruleReferences(server), ['a-first', 'heavy-only', 'NO-AIR-HIGHLANDS']);
    assert.deepEqual((await api(server, 'GET', '/allocationrules/NO-AIR-HIGHLANDS')).body, res.body);
  });

  it('refuses a bad replacement, changing nothing, and answers 404 RuleNotFound for an absent rule', async () => {
    const before = (await api(server, 'GET', '/allocationrules/NO-AIR-HIGHLANDS')).body;
    assertError(await api(server, 'PUT', '/allocationrules/NO-AIR-HIGHLANDS', { body: { Name: 'x', Action: 'Exclude', Conditions: { MinValue: 9, MaxValue: 1 } } }), 400, 'ValidationFailed');
    assert.deepEqual((await api(server, 'GET', '/allocationrules/NO-AIR-HIGHLANDS')).body, before);
    const missing = assertError(await api(server, 'PUT', '/allocationrules/NOPE', { body: { Name: 'x', Action: 'Exclude' } }), 404, 'RuleNotFound');
    assert.match(missing.Message, /NOPE/);
    assert.deepEqual(await ruleReferences(server), ['a-first', 'heavy-only', 'NO-AIR-HIGHLANDS'], 'PUT does not create');
  });

  it('deletes a rule: 200 with no body, then 404', async () => {
    const res = await api(server, 'DELETE', '/allocationrules/A-FIRST');
    assert.equal(res.status, 200);
    assert.equal(res.text, '');
    assertError(await api(server, 'GET', '/allocationrules/a-first'), 404, 'RuleNotFound');
    assertError(await api(server, 'DELETE', '/allocationrules/a-first'), 404, 'RuleNotFound');
  });

  it("treats another subscription's rules as absent, and lets it use the same references", async () => {
    const other = await createSubscription(server, 'Other rules');
    assert.deepEqual(await ruleReferences(server, other.ApiKey), []);
    assertError(await api(server, 'GET', '/allocationrules/NO-AIR-HIGHLANDS', { key: other.ApiKey }), 404, 'RuleNotFound');
    assertError(await api(server, 'PUT', '/allocationrules/NO-AIR-HIGHLANDS', { key: other.ApiKey, body: { Name: 'x', Action: 'Exclude' } }), 404, 'RuleNotFound');
    assertError(await api(server, 'DELETE', '/allocationrules/NO-AIR-HIGHLANDS', { key: other.ApiKey }), 404, 'RuleNotFound');
    await createRule(server, { ...HIGHLANDS, Name: 'Theirs' }, other.ApiKey);
    assert.equal((await api(server, 'GET', '/allocationrules/NO-AIR-HIGHLANDS')).body.Name, 'Islands too', 'ours is untouched');
  });

  it('answers 404 for references that cannot exist (NUL, spaces, too long) without a database error', async () => {
    for (const path of ['/allocationrules/a%00b', '/allocationrules/two%20words', `/allocationrules/${'x'.repeat(101)}`]) {
      assertError(await api(server, 'GET', path), 404, 'RuleNotFound');
      assertError(await api(server, 'DELETE', path), 404, 'RuleNotFound');
    }
  });

  it('is described at /openapi.json with the schema that reads the body', async () => {
    const res = await api(server, 'GET', '/openapi.json', { key: null });
    const create = res.body.paths['/allocationrules'].post;
    assert.ok(create.requestBody.content['application/json'].schema.properties.Conditions.anyOf[0].properties.DestinationPostcodes);
    assert.ok(res.body.paths['/allocationrules/{rule}'].delete);
    assert.ok(res.body.paths['/carrierservices/{service}/tags'].put.requestBody);
    assert.ok(res.body.paths['/serviceGroups/summary/{group}'].get);
  });

  it('needs an API key', async () => {
    assertError(await api(server, 'GET', '/allocationrules', { key: null }), 401, 'Unauthorized');
    assertError(await api(server, 'POST', '/allocationrules', { key: null, body: HIGHLANDS }), 401, 'Unauthorized');
  });
});

describe(`Allocation rules applied by Allocate With Carrier Service (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  const toHighlands = { destination: { postcode: 'IV1 1AA', town: 'Inverness' } };

  it('excludes a service with 422, RuleExcluded in the Description and the stored FailedAllocation', async () => {
    await createRule(server, HIGHLANDS);
    const ref = await createConsignment(server, toHighlands);
    const res = await allocate(server, 'Example-Carrier-Service', [ref]);
    assert.equal(res.status, 200, res.text);
    const item = res.body[0];
    assert.equal(item.StatusCode, 422);
    const reason = 'RuleExcluded: rule NO-AIR-HIGHLANDS (No air freight to the Highlands) excludes this service: the destination postcode IV1 1AA is in IV';
    assert.equal(item.Description, `Consignment ${ref} could not be allocated with Carrier X Next Day: ${reason}`);
    assert.deepEqual(item.FailureReasons, [{ Code: 'RuleExcluded', Message: reason.slice('RuleExcluded: '.length) }]);
    const c = await getConsignment(server, ref);
    assert.equal(c.ConsignmentState, 'AllocationFailed');
    assert.equal(c.FailedAllocation.Message, item.Description);
  });

  it('leaves other services and other consignments alone', async () => {
    const elsewhere = await createConsignment(server);
    assert.equal((await allocate(server, 'Example-Carrier-Service', [elsewhere])).body[0].StatusCode, 200);
    const highland = await createConsignment(server, toHighlands);
    assert.equal((await allocate(server, 'CX-ECONOMY-48', [highland])).body[0].StatusCode, 200, 'the rule names Example-Carrier-Service only');
  });

  it('obeys an edited rule at the very next allocation', async () => {
    const ref = await createConsignment(server, toHighlands);
    assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 422);
    const edited = await api(server, 'PUT', '/allocationrules/NO-AIR-HIGHLANDS', { body: { ...HIGHLANDS, Conditions: { DestinationPostcodes: ['PA20'] } } });
    assert.equal(edited.status, 200, edited.text);
    const res = await allocate(server, 'Example-Carrier-Service', [ref]);
    assert.equal(res.body[0].StatusCode, 200, res.text);
  });

  it('obeys disabling, re-enabling and deleting a rule at once', async () => {
    await createRule(server, { Reference: 'NO-BRISTOL', Name: 'Nothing to Bristol', Action: 'Exclude', Conditions: { DestinationPostcodes: ['BS'] } });
    const toBristol = { destination: { postcode: 'BS1 5TT', town: 'Bristol' } };
    const first = await createConsignment(server, toBristol);
    assert.equal((await allocate(server, 'CX-ECONOMY-48', [first])).body[0].StatusCode, 422);
    const off = await api(server, 'PUT', '/allocationrules/NO-BRISTOL', { body: { Name: 'Nothing to Bristol', Action: 'Exclude', IsEnabled: false, Conditions: { DestinationPostcodes: ['BS'] } } });
    assert.equal(off.body.IsEnabled, false);
    assert.equal((await allocate(server, 'CX-ECONOMY-48', [first])).body[0].StatusCode, 200, 'a disabled rule does nothing');
    await api(server, 'PUT', '/allocationrules/NO-BRISTOL', { body: { Name: 'Nothing to Bristol', Action: 'Exclude', Conditions: { DestinationPostcodes: ['BS'] } } });
    const second = await createConsignment(server, toBristol);
    assert.equal((await allocate(server, 'CX-ECONOMY-48', [second])).body[0].StatusCode, 422, 'enabled again');
    assert.equal((await api(server, 'DELETE', '/allocationrules/NO-BRISTOL')).status, 200);
    assert.equal((await allocate(server, 'CX-ECONOMY-48', [second])).body[0].StatusCode, 200, 'deleted');
  });

  it('lets a Restrict rule keep a service for the consignments it matches, naming every rule that excludes', async () => {
    await createRule(server, { Reference: 'HEAVY-ONLY', Name: 'Heavy only', Action: 'Restrict', MpdCarrierServiceReferences: ['NP-HEAVY-FREIGHT'], Conditions: { MinWeightKg: 20, MaxWeightKg: 1000 } });
    await createRule(server, { Reference: 'NO-FRAGILE-FREIGHT', Name: 'No fragile freight', Action: 'Exclude', MpdCarrierServiceReferences: ['NP-HEAVY-FREIGHT'], Conditions: { Tags: ['fragile'] } });
    const light = await createConsignment(server, { packages: [{ kg: 15 }] });
    const res = await allocate(server, 'NP-HEAVY-FREIGHT', [light]);
    assert.equal(res.body[0].StatusCode, 422);
    assert.deepEqual(res.body[0].FailureReasons, [{ Code: 'RuleExcluded', Message: 'rule HEAVY-ONLY (Heavy only) restricts this service to consignments of 20 kg to 1000 kg; this one weighs 15 kg' }]);
    const heavy = await createConsignment(server, { packages: [{ kg: 15 }, { kg: 12 }] });
    assert.equal((await allocate(server, 'NP-HEAVY-FREIGHT', [heavy])).body[0].StatusCode, 200, '27 kg is within 20 kg to 1000 kg');
    const both = await createConsignment(server, { packages: [{ kg: 12 }], tags: ['Fragile'] });
    const failed = (await allocate(server, 'NP-HEAVY-FREIGHT', [both])).body[0];
    assert.deepEqual(failed.FailureReasons.map((r: any) => r.Code), ['TagsNotMatched', 'RuleExcluded']);
    assert.equal(
      failed.FailureReasons[1].Message,
      'rule HEAVY-ONLY (Heavy only) restricts this service to consignments of 20 kg to 1000 kg; this one weighs 12 kg; rule NO-FRAGILE-FREIGHT (No fragile freight) excludes this service: the consignment is tagged Fragile',
    );
  });

  it("does not apply another subscription's rules", async () => {
    const other = await createSubscription(server, 'Strict shop');
    await createRule(server, { Reference: 'EVERYTHING-OFF', Name: 'Switch every service off', Action: 'Exclude' }, other.ApiKey);
    const ours = await createConsignment(server);
    assert.equal((await allocate(server, 'CX-ECONOMY-48', [ours])).body[0].StatusCode, 200);
    const theirs = await createConsignment(server, { origin: { postcode: 'LS1 4AP', town: 'Leeds' } }, other.ApiKey);
    const res = await allocate(server, 'CX-ECONOMY-48', [theirs], other.ApiKey);
    assert.equal(res.body[0].StatusCode, 422);
    assert.equal(res.body[0].FailureReasons[0].Message, 'rule EVERYTHING-OFF (Switch every service off) excludes this service: the rule has no conditions, so it covers every consignment');
  });

  it('applies rules in XML requests and answers as well', async () => {
    const ref = await createConsignment(server, toHighlands);
    await createRule(server, { Reference: 'NO-IV-ECONOMY', Name: 'No economy to IV', Action: 'Exclude', MpdCarrierServiceReferences: ['CX-ECONOMY-48'], Conditions: { DestinationPostcodes: ['IV1'] } });
    const xml = `<AllocateConsignmentsWithCarrierServiceRequest><MpdCarrierServiceReference>CX-ECONOMY-48</MpdCarrierServiceReference><ConsignmentReferences><string>${ref}</string></ConsignmentReferences></AllocateConsignmentsWithCarrierServiceRequest>`;
    const res = await api(server, 'PUT', '/allocation/allocatewithcarrierservice', { body: xml, headers: { accept: 'application/xml' } });
    assert.equal(res.status, 200);
    assert.match(res.text, /<StatusCode>422<\/StatusCode>/);
    assert.match(res.text, /<Code>RuleExcluded<\/Code><Message>rule NO-IV-ECONOMY \(No economy to IV\) excludes this service: the destination postcode IV1 1AA is in IV1<\/Message>/);
  });
});
