import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CONSIGNMENTS } from '../../src/demo/seed-demo.js';
import { demoCatalogueVariant, withConnectorSettings } from '../support/catalogue-variant.js';
import { startServerProcess } from '../support/server-process.js';
import { promisify } from 'node:util';
import pg from 'pg';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { createConsignment } from '../support/consignments.js';

const run = promisify(execFile);
const admin = { key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

describe(`Carrier services, carriers, admin and health over HTTP (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  it('lists the enabled services with their capabilities at /carrierservices and /carriers', async () => {
    for (const path of ['/carrierservices', '/CarrierServices/', '/carriers']) {
      const res = await api(server, 'GET', path);
      assert.equal(res.status, 200);
      assert.equal(res.body.Success, true);
      assert.equal(res.body.ErrorMessage, null);
      const example = res.body.MpdCarrierServices.find((s: any) => s.Reference === 'Example-Carrier-Service');
      assert.equal(example.MpdCarrierReference, 'CARRIER_X');
      assert.equal(example.CarrierName, 'Carrier X');
      assert.equal(example.Status, 3);
      assert.equal(example.Journey[0].CarrierService.Reference, 'CX_ND');
      assert.equal(example.Capabilities.MaxPackageWeightKg, 30);
      assert.equal(example.Capabilities.MaxPackageLengthCm, 100);
      assert.deepEqual(example.Capabilities.CollectionDays, ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']);
      assert.ok(res.body.MpdCarrierServices.length >= 8);
    }
  });

  it('lists carriers, in JSON and XML', async () => {
    const res = await api(server, 'GET', '/carriers/getcarriers');
    assert.ok(res.body.length >= 3);
    assert.deepEqual(Object.keys(res.body[0]), ['Reference', 'Name', 'IsCached']);
    const xml = await api(server, 'GET', '/carriers/getcarriers', { headers: { accept: 'application/xml' } });
    assert.match(xml.text, /<ArrayOfCarrier xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.CarrierServiceDirectory" xmlns:i="http:\/\/www.w3.org\/2001\/XMLSchema-instance"><Carrier><Reference>CARRIER_X<\/Reference>/);
  });

  it('creates subscriptions through the admin API, with a key shown once and every service enabled', async () => {
    const res = await api(server, 'POST', '/admin/subscriptions', { ...admin, body: { Name: 'Acme Ltd' } });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(Object.keys(res.body), ['Reference', 'Name', 'ApiKey']);
    const services = await api(server, 'GET', '/carrierservices', { key: res.body.ApiKey });
    assert.equal(services.status, 200);
    assert.ok(services.body.MpdCarrierServices.length >= 8);
    assert.deepEqual((await api(server, 'GET', '/carriers', { key: res.body.ApiKey })).body.MpdCarrierServices.length, services.body.MpdCarrierServices.length);
  });

  it('lists subscriptions to the admin, without their keys', async () => {
    const created = (await api(server, 'POST', '/admin/subscriptions', { ...admin, body: { Name: 'Listed Ltd' } })).body;
    const res = await api(server, 'GET', '/admin/subscriptions', admin);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body[0], { Reference: res.body[0].Reference, Name: 'Demo' });
    assert.ok(res.body.some((s: any) => s.Reference === created.Reference && s.Name === 'Listed Ltd'));
    assert.ok(!res.text.includes(created.ApiKey));
  });

  it('rotates a key: the new one works, the old one is refused', async () => {
    const created = (await api(server, 'POST', '/admin/subscriptions', { ...admin, body: { Name: 'Rotating' } })).body;
    const rotated = await api(server, 'POST', `/admin/subscriptions/${created.Reference}/rotatekey`, admin);
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.ApiKey, created.ApiKey);
    assert.equal((await api(server, 'GET', '/carriers', { key: rotated.body.ApiKey })).status, 200);
    const old = await api(server, 'GET', '/carriers', { key: created.ApiKey });
    assert.equal(old.status, 401);
    assert.equal(old.body.Code, 'Unauthorized');
  });

  it('refuses the admin API without the right token, and validates its body', async () => {
    assert.equal((await api(server, 'POST', '/admin/subscriptions', { key: null, body: { Name: 'x' } })).status, 401);
    assert.equal((await api(server, 'POST', '/admin/subscriptions', { key: null, headers: { authorization: 'Bearer wrong' }, body: { Name: 'x' } })).status, 401);
    const bad = await api(server, 'POST', '/admin/subscriptions', { ...admin, body: { Name: 12 } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.Details[0].Target, 'Name');
    assert.equal((await api(server, 'POST', '/admin/subscriptions/SUB-NOPE/rotatekey', admin)).status, 404);
  });

  it('describes the API at /openapi.json, from the schemas that read the bodies', async () => {
    const res = await api(server, 'GET', '/openapi.json', { key: null });
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, '3.1.0');
    const allocate = res.body.paths['/allocation/allocatewithcarrierservice'].put;
    assert.deepEqual(Object.keys(allocate.requestBody.content['application/json'].schema.properties), ['MpdCarrierServiceReference', 'ConsignmentReferences']);
    assert.ok(res.body.paths['/consignments'].post.requestBody.content['application/xml'].schema.properties.Packages);
    assert.deepEqual(res.body.paths['/consignments/{reference}'].get.parameters.map((p: any) => p.name), ['reference']);
  });

  it('reports database reachability at /health without a key', async () => {
    const res = await api(server, 'GET', '/health', { key: null });
    assert.equal(res.status, 200);
    assert.equal(res.body.Database, 'Reachable');
  });
});

describe(`Admin API switched off (${databaseUnderTest})`, { skip: skipReason }, () => {
  it('answers 404 RouteNotFound for /admin when no admin token is configured', async () => {
    const server = await startServer({ env: { SWITCHYARD_ADMIN_TOKEN: '' } });
    try {
      const res = await api(server, 'POST', '/admin/subscriptions', { key: null, headers: { authorization: 'Bearer anything' }, body: { Name: 'x' } });
      assert.equal(res.status, 404);
      assert.equal(res.body.Code, 'RouteNotFound');
    } finally {
      await server.close();
    }
  });
});

describe(`Health when the database is gone (${databaseUnderTest})`, { skip: skipReason }, () => {
  it('answers 503 once the database cannot be reached', async () => {
    const server = await startServer();
    try {
      await server.app.ctx.database.close();
      const res = await api(server, 'GET', '/health', { key: null });
      assert.equal(res.status, 503);
      assert.equal(res.body.Database, 'Unreachable');
    } finally {
      await server.app.server.close();
    }
  });
});

describe('PostgreSQL connections dropped under a running server', { skip: skipReason || (databaseUnderTest !== 'postgres' && 'runs on PostgreSQL only') }, () => {
  it('survives its idle connections being killed, and keeps answering', async () => {
    const server = await startServer();
    try {
      assert.equal((await api(server, 'GET', '/carriers', {})).status, 200);
      const admin = new pg.Client({ connectionString: server.databaseUrl });
      await admin.connect();
      const killed = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where pid <> pg_backend_pid() and datname = current_database() and query not ilike '%pg_stat_activity%' and application_name = '' and state = 'idle'`,
      );
      await admin.end();
      assert.ok(killed.rowCount! > 0, 'some idle connection of the server was killed');
      await new Promise((r) => setTimeout(r, 200));
      const health = await api(server, 'GET', '/health', { key: null });
      assert.equal(health.status, 200, health.text);
      assert.equal((await api(server, 'GET', `/consignments/EC-000-05A-Z6S`)).status, 200);
    } finally {
      await server.close();
    }
  });
});

describe(`The switchyard command line (${databaseUnderTest})`, { skip: skipReason }, () => {
  it('creates a subscription whose key then works over HTTP, and rotates it', async () => {
    const server = await startServer();
    try {
      const env = { ...process.env, DATABASE_URL: server.databaseUrl, LOG_LEVEL: 'silent' };
      // The CLI reaches the test's own PostgreSQL schema through the connection string's options.
      if (server.schema) env.DATABASE_URL = `${server.databaseUrl}${server.databaseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${server.schema}`)}`;
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'subscriptions', 'create', '--name', 'From the CLI'], { env });
      const created = JSON.parse(stdout);
      assert.equal(created.Name, 'From the CLI');
      const ref = await createConsignment(server, { origin: { postcode: 'LS1 4AP' } }, created.ApiKey);
      assert.match(ref, /^EC-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
      const listed = JSON.parse((await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'subscriptions', 'list'], { env })).stdout);
      assert.deepEqual(listed.map((s: any) => s.Name), ['Demo', 'From the CLI']);
      const rotated = JSON.parse((await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'subscriptions', 'rotate-key', created.Reference], { env })).stdout);
      assert.notEqual(rotated.ApiKey, created.ApiKey);
      await assert.rejects(run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'subscriptions', 'rotate-key', 'SUB-NOPE'], { env }), /Subscription SUB-NOPE not found/);
    } finally {
      await server.close();
    }
  });

  it('makes, lists, disables and deletes a subscription’s webhooks, which the API then shows', async () => {
    const server = await startServer();
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: server.databaseUrl, LOG_LEVEL: 'silent', SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'false' };
      if (server.schema) env.DATABASE_URL = `${server.databaseUrl}${server.databaseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${server.schema}`)}`;
      const cli = async (...args: string[]) => JSON.parse((await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'webhooks', ...args], { env })).stdout || 'null');
      const demo = (await api(server, 'GET', '/admin/subscriptions', { key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).body[0].Reference;
      // The CLI obeys SWITCHYARD_WEBHOOK_ALLOW_PRIVATE as the server does.
      await assert.rejects(cli('create', '--subscription', demo, '--url', 'http://127.0.0.1:9/hooks'), /loopback or private/);
      env.SWITCHYARD_WEBHOOK_ALLOW_PRIVATE = 'true';
      const made = await cli('create', '--subscription', demo, '--url', 'http://127.0.0.1:9/hooks', '--events', 'manifest.created,consignment.allocated', '--description', 'ops');
      assert.match(made.Secret, /^whsec_/);
      assert.deepEqual(made.EventTypes, ['consignment.allocated', 'manifest.created']);
      assert.deepEqual((await cli('list', '--subscription', demo)).map((w: any) => [w.Reference, w.Secret]), [[made.Reference, undefined]]);
      assert.equal((await cli('disable', made.Reference, '--subscription', demo)).IsEnabled, false);
      assert.equal((await api(server, 'GET', `/webhooks/${made.Reference}`)).body.IsEnabled, false);
      await assert.rejects(cli('create', '--subscription', demo, '--url', 'http://127.0.0.1:9/', '--events', 'consignment.exploded'), /--events takes/);
      await cli('delete', made.Reference, '--subscription', demo);
      assert.equal((await api(server, 'GET', `/webhooks/${made.Reference}`)).status, 404);
    } finally {
      await server.close();
    }
  });

  it('prints its version, and refuses an unknown command (suggesting the nearest) rather than serving', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.equal((await run(process.execPath, ['--import', 'tsx', 'src/main.ts', '--version'])).stdout.trim(), version);
    await assert.rejects(run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'servr'], { timeout: 20_000 }), (e: { code?: number; stderr?: string }) => {
      assert.equal(e.code, 1);
      assert.match(e.stderr ?? '', /unknown command 'servr'[\s\S]*Did you mean serve\?/);
      return true;
    });
  });

  it('finishes the requests in flight on SIGTERM, then exits 0', async () => {
    // Every carrier call takes 1.5 s, so that an allocation is still in flight when the signal comes.
    const catalogue = demoCatalogueVariant((file) => withConnectorSettings(file, 'CARRIER_X', { LatencyMs: 1_500 }));
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-sigterm-'));
    const { child, url } = await startServerProcess(['--import', 'tsx', 'src/main.ts', 'serve'], {
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      SWITCHYARD_CATALOGUE: catalogue,
      SWITCHYARD_DEMO_API_KEY: 'test-demo-key',
    });
    try {
      const exited = once(child, 'exit');
      const answer = fetch(`${url}/allocation/allocatewithcarrierservice`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': 'test-demo-key' },
        body: JSON.stringify({ MpdCarrierServiceReference: 'Example-Carrier-Service', ConsignmentReferences: [DEMO_CONSIGNMENTS[0]] }),
      });
      await new Promise((r) => setTimeout(r, 400));
      child.kill('SIGTERM');
      const res = await answer;
      assert.equal(res.status, 200);
      // So that the client lets go of its kept-alive connection at once: the server waits for every connection to close.
      assert.equal(res.headers.get('connection'), 'close');
      const [item] = (await res.json()) as { StatusCode: number }[];
      assert.equal(item.StatusCode, 200, 'the allocation in flight was finished and answered');
      const [code] = (await exited) as [number];
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says at start-up whether the admin API is on, and shows the demo key only while it still works', async () => {
    const server = await startServer();
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: server.databaseUrl, SWITCHYARD_DEMO_API_KEY: 'test-demo-key' };
      if (server.schema) env.DATABASE_URL = `${server.databaseUrl}${server.databaseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${server.schema}`)}`;
      /** The start-up line of `switchyard` (serve) with `more` in its environment; the process is then stopped. */
      const startUpLine = async (more: NodeJS.ProcessEnv = {}): Promise<string> => {
        const { child, startUp } = await startServerProcess(['--import', 'tsx', 'src/main.ts'], { ...env, ...more });
        child.kill('SIGTERM');
        await once(child, 'exit');
        return startUp;
      };
      const first = await startUpLine();
      assert.match(first, /admin API off \(set SWITCHYARD_ADMIN_TOKEN/);
      assert.match(first, /demo API key: test-demo-key/);
      assert.match(await startUpLine({ SWITCHYARD_ADMIN_TOKEN: 'an-admin-token' }), /admin API on/);
      const quiet = { env: { ...env, LOG_LEVEL: 'silent' } };
      const demo = JSON.parse((await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'subscriptions', 'list'], quiet)).stdout).find((s: any) => s.Name === 'Demo');
      await run(process.execPath, ['--import', 'tsx', 'src/main.ts', 'subscriptions', 'rotate-key', demo.Reference], quiet);
      const rotated = await startUpLine();
      assert.doesNotMatch(rotated, /demo API key|test-demo-key/, 'a rotated demo key is not shown');
    } finally {
      await server.close();
    }
  });
});
