/**
 * Two Switchyard server processes on one PostgreSQL schema (as SWITCHYARD_WORKERS=2, or two
 * instances behind a load balancer): what one process changes, the other obeys at its very next
 * request, though it had cached the old state a moment before: allocation rules, service tags,
 * service groups, enabled services, and rotated API keys. PostgreSQL only: SQLite serves one process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, type TestServer } from '../support/test-server.js';
import { allocate, createConsignment } from '../support/consignments.js';
import { crashDatabase, killAllServers, spawnServer, type CrashDatabase, type ServerProcess } from '../support/crash-server.js';

const KEY = 'cache-test-key';
const ADMIN = 'cache-test-admin';
const admin = { key: null, headers: { authorization: `Bearer ${ADMIN}` } };
const postgresUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;
const skip = postgresUrl ? false : 'two server processes share one database on PostgreSQL only (set DATABASE_URL=postgres://…); skipping';
if (skip) console.log(`# ${skip}`);

const asServer = (s: ServerProcess) => ({ url: s.url }) as TestServer;
const toBristol = { destination: { postcode: 'BS1 5TT', town: 'Bristol' }, origin: { postcode: 'M1 1AE', town: 'Manchester' } };
const NO_BRISTOL = { Reference: 'NO-BRISTOL', Name: 'Nothing to Bristol', Action: 'Exclude', MpdCarrierServiceReferences: ['CX-ECONOMY-48'], Conditions: { DestinationPostcodes: ['BS'] } };

describe('Caches in two server processes on one PostgreSQL', { skip }, () => {
  let database: CrashDatabase | undefined;
  let a: TestServer;
  let b: TestServer;
  let servers: ServerProcess[] = [];

  before(async () => {
    database = await crashDatabase(postgresUrl);
    const env = { SWITCHYARD_ADMIN_TOKEN: ADMIN, SWITCHYARD_BACKGROUND_JOBS: 'false', SWITCHYARD_RENDER_THREADS: '0', SWITCHYARD_DEMO_STORIES: 'false' };
    // One after the other: the first migrates and seeds, the second finds it done.
    servers.push(await spawnServer({ databaseUrl: database.url, apiKey: KEY, env }));
    servers.push(await spawnServer({ databaseUrl: database.url, apiKey: KEY, env }));
    [a, b] = servers.map(asServer);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.kill('SIGKILL')));
    await killAllServers();
    await database?.remove();
  });

  /** Allocates a new Bristol consignment to CX-ECONOMY-48 through `server`, answering the item's StatusCode. */
  const allocateToBristol = async (server: TestServer, key = KEY) => {
    const ref = await createConsignment(server, toBristol, key);
    const res = await allocate(server, 'CX-ECONOMY-48', [ref], key);
    assert.equal(res.status, 200, res.text);
    return res.body[0].StatusCode as number;
  };

  it('obeys a rule created, changed, disabled and deleted through the other process at its next allocation', async () => {
    assert.equal(await allocateToBristol(b), 200, 'b has cached the policy without rules');
    assert.equal((await api(a, 'POST', '/allocationrules', { key: KEY, body: NO_BRISTOL })).status, 201);
    assert.equal(await allocateToBristol(b), 422, 'created through a');
    assert.equal((await api(a, 'PUT', '/allocationrules/NO-BRISTOL', { key: KEY, body: { ...NO_BRISTOL, Conditions: { DestinationPostcodes: ['PA20'] } } })).status, 200);
    assert.equal(await allocateToBristol(b), 200, 'changed through a');
    assert.equal((await api(a, 'PUT', '/allocationrules/NO-BRISTOL', { key: KEY, body: NO_BRISTOL })).status, 200);
    assert.equal(await allocateToBristol(b), 422, 'changed back through a');
    assert.equal((await api(a, 'PUT', '/allocationrules/NO-BRISTOL', { key: KEY, body: { ...NO_BRISTOL, IsEnabled: false } })).status, 200);
    assert.equal(await allocateToBristol(b), 200, 'disabled through a');
    assert.equal((await api(a, 'PUT', '/allocationrules/NO-BRISTOL', { key: KEY, body: NO_BRISTOL })).status, 200);
    assert.equal(await allocateToBristol(b), 422);
    assert.equal((await api(a, 'DELETE', '/allocationrules/NO-BRISTOL', { key: KEY })).status, 200);
    assert.equal(await allocateToBristol(b), 200, 'deleted through a');
  });

  it('obeys service tags set and cleared through the other process', async () => {
    const fragile = async () => {
      const ref = await createConsignment(b, { tags: ['Fragile'] }, KEY);
      return (await allocate(b, 'Example-Carrier-Service', [ref], KEY)).body[0].StatusCode as number;
    };
    const capabilityTags = async () =>
      (await api(b, 'GET', '/carrierservices', { key: KEY })).body.MpdCarrierServices.find((s: any) => s.Reference === 'Example-Carrier-Service').Capabilities.Tags;
    assert.equal(await fragile(), 422, 'the catalogue gives Example-Carrier-Service no tags');
    assert.deepEqual(await capabilityTags(), []);
    assert.equal((await api(a, 'PUT', '/carrierservices/Example-Carrier-Service/tags', { key: KEY, body: ['Fragile'] })).status, 200);
    assert.equal(await fragile(), 200, 'tags set through a');
    assert.deepEqual(await capabilityTags(), ['Fragile']);
    assert.equal((await api(a, 'DELETE', '/carrierservices/Example-Carrier-Service/tags', { key: KEY })).status, 200);
    assert.equal(await fragile(), 422, 'tags cleared through a');
    assert.deepEqual(await capabilityTags(), []);
  });

  it('sees service groups created, changed and deleted through the other process', async () => {
    const group = { Reference: 'cross-process', Name: 'Across processes', MpdCarrierServiceReferences: ['Example-Carrier-Service'] };
    assert.equal((await api(b, 'GET', '/serviceGroups/cross-process', { key: KEY })).status, 404);
    assert.equal((await api(a, 'POST', '/serviceGroups', { key: KEY, body: group })).status, 201);
    const seen = await api(b, 'GET', '/serviceGroups/cross-process', { key: KEY });
    assert.equal(seen.status, 200, seen.text);
    assert.deepEqual(seen.body.MpdCarrierServiceProfiles.map((p: any) => p.MpdCarrierService.Reference), ['Example-Carrier-Service']);
    assert.equal((await api(a, 'PUT', '/serviceGroups/cross-process', { key: KEY, body: { ...group, MpdCarrierServiceReferences: ['CX-ECONOMY-48'] } })).status, 200);
    const changed = await api(b, 'GET', '/serviceGroups/cross-process', { key: KEY });
    assert.deepEqual(changed.body.MpdCarrierServiceProfiles.map((p: any) => p.MpdCarrierService.Reference), ['CX-ECONOMY-48']);
    assert.equal((await api(a, 'DELETE', '/serviceGroups/cross-process', { key: KEY })).status, 200);
    assert.equal((await api(b, 'GET', '/serviceGroups/cross-process', { key: KEY })).status, 404);
  });

  it('refuses a key rotated through the other process’s admin API at once, and takes the new one; obeys a service disabled there', async () => {
    const created = await api(a, 'POST', '/admin/subscriptions', { ...admin, body: { Name: 'Rotating Ltd' } });
    assert.equal(created.status, 201, created.text);
    const oldKey = created.body.ApiKey as string;
    assert.equal((await api(b, 'GET', '/carrierservices', { key: oldKey })).status, 200, 'b has cached the key');
    assert.equal(await allocateToBristol(b, oldKey), 200);

    const disabled = await api(a, 'DELETE', `/admin/subscriptions/${created.body.Reference}/services/CX-ECONOMY-48`, admin);
    assert.equal(disabled.status, 204, disabled.text);
    const services = (await api(b, 'GET', '/carrierservices', { key: oldKey })).body.MpdCarrierServices.map((s: any) => s.Reference);
    assert.ok(!services.includes('CX-ECONOMY-48'), 'disabled through a');
    const ref = await createConsignment(b, toBristol, oldKey);
    assert.equal((await allocate(b, 'CX-ECONOMY-48', [ref], oldKey)).status, 404, 'b no longer lets it allocate there');
    assert.equal((await api(a, 'PUT', `/admin/subscriptions/${created.body.Reference}/services/CX-ECONOMY-48`, admin)).status, 204);
    assert.equal(await allocateToBristol(b, oldKey), 200, 'enabled again through a');

    const rotated = await api(a, 'POST', `/admin/subscriptions/${created.body.Reference}/rotatekey`, admin);
    assert.equal(rotated.status, 200, rotated.text);
    const refused = await api(b, 'GET', '/carrierservices', { key: oldKey });
    assert.equal(refused.status, 401, 'the old key no longer works in b');
    assert.equal(refused.body.Code, 'Unauthorized');
    assert.equal((await api(b, 'GET', '/carrierservices', { key: rotated.body.ApiKey })).status, 200, 'the new key works in b');
  });
});
