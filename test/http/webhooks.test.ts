import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { purgeOldEvents, sequenceEvents } from '../../src/use-cases/events.js';
import { deliverDueWebhooks } from '../../src/use-cases/webhook-deliveries.js';
import { allocate, createConsignment, createSubscription } from '../support/consignments.js';
import { api, databaseUnderTest, DEFAULT_NOW, movableClock, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { crashDatabase, killAllServers, spawnServer, type CrashDatabase, type ServerProcess } from '../support/crash-server.js';

/** What the background jobs do, a round at a time: place the new events (writing their deliveries), then attempt what is due. */
async function deliverRound(server: TestServer) {
  await sequenceEvents(server.app.ctx);
  return deliverDueWebhooks(server.app.ctx);
}

async function makeWebhook(server: TestServer, receiver: WebhookReceiver, eventTypes: string[] = ['*'], key?: string) {
  const res = await api(server, 'POST', '/webhooks', { key, body: { Url: receiver.url, EventTypes: eventTypes, Description: 'test receiver' } });
  assert.equal(res.status, 201, res.text);
  receiver.secret = res.body.Secret;
  return res.body;
}

/** Makes one event of every type: an allocation, a failed one, state changes, a manifest, a tracking event. */
async function everyEventType(server: TestServer) {
  const ok = await createConsignment(server);
  const heavy = await createConsignment(server, { packages: [{ kg: 45 }] });
  await allocate(server, 'Example-Carrier-Service', [ok, heavy]);
  await api(server, 'PUT', '/consignments/manifest', { body: { ConsignmentReferences: [ok] } });
  const pkg = (await api(server, 'GET', `/consignments/${ok}`)).body.Packages[0].Reference;
  await api(server, 'POST', '/tracking/carrierevents', { body: [{ ConsignmentReference: ok, PackageReference: pkg, TimeStamp: '2026-11-18T18:00:00Z', Code: 'COLLECTED' }] });
  return { ok, heavy };
}

describe(`Webhooks (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  let clock: ReturnType<typeof movableClock>;
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    clock = movableClock(DEFAULT_NOW);
    server = await startServer({ clock });
    receiver = await new WebhookReceiver().start();
  });
  afterEach(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('makes, reads, changes and deletes an endpoint; shows its secret once; refuses what it cannot take, naming it', async () => {
    const made = await makeWebhook(server, receiver, ['consignment.allocated', 'MANIFEST.CREATED']);
    assert.match(made.Reference, /^wh_[0-9a-f]{16}$/);
    assert.match(made.Secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(made.EventTypes, ['consignment.allocated', 'manifest.created']);
    assert.equal(made.IsEnabled, true);
    const read = await api(server, 'GET', `/webhooks/${made.Reference}`);
    assert.equal(read.body.Secret, undefined);
    assert.deepEqual((await api(server, 'GET', '/webhooks')).body.map((w: any) => w.Reference), [made.Reference]);
    const changed = await api(server, 'PUT', `/webhooks/${made.Reference}`, { body: { Url: receiver.url, EventTypes: ['*'], IsEnabled: false } });
    assert.deepEqual([changed.status, changed.body.EventTypes, changed.body.IsEnabled, changed.body.Description], [200, ['*'], false, null]);
    const bad = await api(server, 'POST', '/webhooks', { body: { Url: 'ftp://example.com/x', EventTypes: ['consignment.exploded', '*'] } });
    assert.equal(bad.status, 400);
    assert.deepEqual([...new Set(bad.body.Details.map((d: any) => d.Target))].sort(), ['EventTypes']);
    const scheme = await api(server, 'POST', '/webhooks', { body: { Url: 'ftp://example.com/x', EventTypes: ['*'] } });
    assert.deepEqual([scheme.status, scheme.body.Details[0].Target], [400, 'Url']);
    const other = await createSubscription(server, 'Webhooks other');
    assert.equal((await api(server, 'GET', `/webhooks/${made.Reference}`, { key: other.ApiKey })).status, 404);
    assert.equal((await api(server, 'DELETE', `/webhooks/${made.Reference}`, { key: other.ApiKey })).status, 404);
    assert.equal((await api(server, 'DELETE', `/webhooks/${made.Reference}`)).status, 204);
    assert.equal((await api(server, 'GET', `/webhooks/${made.Reference}`)).status, 404);
  });

  it('delivers each event once to each endpoint that takes its type, signed so that standardwebhooks verifies it, as the feed lists it', async () => {
    const all = await makeWebhook(server, receiver);
    const manifests = await new WebhookReceiver().start();
    try {
      await makeWebhook(server, manifests, ['manifest.created']);
      await everyEventType(server);
      for (let i = 0; i < 5 && (await deliverRound(server)).delivered > 0; i++);
      const feed = (await api(server, 'GET', '/events?limit=1000')).body.Events;
      assert.equal(feed.length, 8);
      assert.equal(receiver.received.length, feed.length, 'once each');
      assert.deepEqual(receiver.received.map((r) => r.error), feed.map(() => null), 'every signature verifies');
      assert.deepEqual(receiver.received.map((r) => r.headers['webhook-id']), feed.map((e: any) => e.id));
      assert.deepEqual(receiver.received.map((r) => r.verified), feed.map((e: any) => ({ type: e.type, timestamp: e.timestamp, data: e.data })));
      assert.deepEqual(new Set(feed.map((e: any) => e.type)), new Set(['consignment.allocated', 'consignment.allocation_failed', 'consignment.state_changed', 'consignment.tracking_event', 'manifest.created']));
      assert.deepEqual(manifests.received.map((r) => [r.verified?.type, r.error]), [['manifest.created', null]]);
      // Nothing is delivered twice.
      assert.equal((await deliverRound(server)).delivered, 0);
      // Every request answered, none is counted as in flight: background work runs at full speed again.
      assert.equal(server.app.ctx.foreground.busy, false);
      const log = await api(server, 'GET', `/webhooks/${all.Reference}/deliveries?limit=3`);
      assert.equal(log.status, 200, log.text);
      assert.deepEqual(log.body.Deliveries.map((d: any) => [d.State, d.Attempts, d.AttemptLog[0].StatusCode, d.AttemptLog[0].ResponseExcerpt]), [
        ['Delivered', 1, 200, 'thanks'],
        ['Delivered', 1, 200, 'thanks'],
        ['Delivered', 1, 200, 'thanks'],
      ]);
      assert.equal(log.body.HasMore, true);
      const older = await api(server, 'GET', `/webhooks/${all.Reference}/deliveries?limit=500&before=${log.body.Before}`);
      assert.equal(older.body.Deliveries.length + 3, feed.length);
    } finally {
      await manifests.close();
    }
  });

  it('tries a failed delivery again on the schedule, by the injected clock, until the endpoint takes it', async () => {
    const made = await makeWebhook(server, receiver, ['consignment.allocated']);
    receiver.answer = (n) => (n < 2 ? 500 : 200);
    const ref = await createConsignment(server);
    await allocate(server, 'Example-Carrier-Service', [ref]);
    assert.deepEqual(await deliverRound(server), { delivered: 0, retrying: 1, failed: 0 });
    assert.deepEqual(await deliverRound(server), { delivered: 0, retrying: 0, failed: 0 }, 'not due before 5 s');
    clock.advance(5_000);
    assert.deepEqual(await deliverRound(server), { delivered: 0, retrying: 1, failed: 0 });
    clock.advance(5 * 60_000 - 1);
    assert.deepEqual(await deliverRound(server), { delivered: 0, retrying: 0, failed: 0 }, 'the third attempt waits 5 minutes');
    clock.advance(1);
    assert.deepEqual(await deliverRound(server), { delivered: 1, retrying: 0, failed: 0 });
    assert.equal(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size, 1, 'the same event each time');
    const [delivery] = (await api(server, 'GET', `/webhooks/${made.Reference}/deliveries`)).body.Deliveries;
    assert.deepEqual([delivery.State, delivery.Attempts, delivery.AttemptLog.map((a: any) => a.StatusCode), delivery.AttemptLog.map((a: any) => a.At)], [
      'Delivered',
      3,
      [500, 500, 200],
      ['2026-11-18T09:00:00.000+00:00', '2026-11-18T09:00:05.000+00:00', '2026-11-18T09:05:05.000+00:00'],
    ]);
    assert.equal(delivery.AttemptLog[0].Error, 'answered 500');
  });

  it('marks a delivery failed after eight attempts, disables an endpoint failing for five days, and delivers again once it is enabled', async () => {
    const made = await makeWebhook(server, receiver, ['consignment.allocated']);
    receiver.answer = () => 503;
    const first = await createConsignment(server);
    await allocate(server, 'Example-Carrier-Service', [first]);
    const waits = [0, 5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000];
    const outcomes = [];
    for (const wait of waits) {
      clock.advance(wait);
      outcomes.push(await deliverRound(server));
    }
    assert.deepEqual(outcomes.map((o) => o.retrying + 2 * o.failed), [1, 1, 1, 1, 1, 1, 1, 2], 'seven retries, then failed');
    let [delivery] = (await api(server, 'GET', `/webhooks/${made.Reference}/deliveries`)).body.Deliveries;
    assert.deepEqual([delivery.State, delivery.Attempts, delivery.NextAttemptAt], ['Failed', 8, null]);
    assert.equal((await api(server, 'GET', `/webhooks/${made.Reference}`)).body.IsEnabled, true, 'failing for a day and a bit only');

    clock.advance(4 * 86_400_000);
    const second = await createConsignment(server);
    await allocate(server, 'Example-Carrier-Service', [second]);
    assert.equal((await deliverRound(server)).retrying, 1);
    const disabled = (await api(server, 'GET', `/webhooks/${made.Reference}`)).body;
    assert.deepEqual([disabled.IsEnabled, disabled.DisabledReason], [false, 'Its deliveries have failed since 2026-11-18T09:00:00.000+00:00; enable it again once it answers']);
    clock.advance(60_000);
    const sent = receiver.received.length;
    assert.deepEqual(await deliverRound(server), { delivered: 0, retrying: 0, failed: 0 }, 'a disabled endpoint gets nothing');
    assert.equal(receiver.received.length, sent);

    receiver.answer = () => 200;
    const enabled = await api(server, 'PUT', `/webhooks/${made.Reference}`, { body: { Url: receiver.url, EventTypes: ['consignment.allocated'], IsEnabled: true } });
    assert.deepEqual([enabled.body.IsEnabled, enabled.body.DisabledReason], [true, null]);
    assert.equal((await deliverRound(server)).delivered, 1, 'the waiting delivery goes');
    // And a failed one can be sent again by hand.
    const replayed = await api(server, 'POST', `/webhooks/${made.Reference}/deliveries/${delivery.Id}/replay`);
    assert.deepEqual([replayed.status, replayed.body.State, replayed.body.Attempts], [202, 'Pending', 0]);
    assert.equal((await deliverRound(server)).delivered, 1);
    [delivery] = (await api(server, 'GET', `/webhooks/${made.Reference}/deliveries?limit=500`)).body.Deliveries.filter((d: any) => d.Id === delivery.Id);
    assert.deepEqual([delivery.State, delivery.AttemptLog.length], ['Delivered', 9]);
    assert.equal((await api(server, 'POST', `/webhooks/${made.Reference}/deliveries/999999/replay`)).status, 404);
    // An event while it is disabled is not for it, even once it is enabled again.
    await api(server, 'PUT', `/webhooks/${made.Reference}`, { body: { Url: receiver.url, EventTypes: ['consignment.allocated'], IsEnabled: false } });
    const third = await createConsignment(server);
    await allocate(server, 'Example-Carrier-Service', [third]);
    await api(server, 'PUT', `/webhooks/${made.Reference}`, { body: { Url: receiver.url, EventTypes: ['consignment.allocated'], IsEnabled: true } });
    assert.equal((await api(server, 'GET', `/webhooks/${made.Reference}/deliveries`)).body.Deliveries.length, 2);
    // Kept 30 days with the events they carry.
    clock.advance(31 * 86_400_000);
    await purgeOldEvents(server.app.ctx);
    assert.deepEqual((await api(server, 'GET', `/webhooks/${made.Reference}/deliveries`)).body.Deliveries, []);
    const attempts = await server.app.ctx.database.db.selectFrom('webhook_attempts').select('id').execute();
    assert.deepEqual(attempts, []);
  });

  it('records an answer holding a NUL or any bytes, and takes a round with one failure as a working endpoint', async () => {
    const made = await makeWebhook(server, receiver, ['consignment.allocated']);
    receiver.answer = (n) => (n === 1 ? 500 : 200);
    receiver.body = () => 'ok\u0000\u00ff\ud800 fine';
    const refs = [await createConsignment(server), await createConsignment(server)];
    await allocate(server, 'Example-Carrier-Service', refs);
    assert.deepEqual(await deliverRound(server), { delivered: 1, retrying: 1, failed: 0 });
    const log = (await api(server, 'GET', `/webhooks/${made.Reference}/deliveries`)).body.Deliveries;
    assert.ok(log.every((d: any) => d.AttemptLog[0].ResponseExcerpt.startsWith('ok\ufffd')), JSON.stringify(log));
    const row = await server.app.ctx.database.db.selectFrom('webhook_endpoints').select('failing_since').executeTakeFirstOrThrow();
    assert.equal(row.failing_since, null, 'one delivery of the round succeeded');
  });

  it('answers 404 for another subscription’s webhook and deliveries, and for ids out of range', async () => {
    const made = await makeWebhook(server, receiver);
    const other = await createSubscription(server, 'Webhooks other');
    const body = { Url: receiver.url, EventTypes: ['*'] };
    for (const [method, path] of [['PUT', ''], ['POST', '/test'], ['GET', '/deliveries'], ['POST', '/deliveries/1/replay']] as const) {
      const res = await api(server, method, `/webhooks/${made.Reference}${path}`, { key: other.ApiKey, body: method === 'PUT' ? body : undefined });
      assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
    }
    assert.equal((await api(server, 'POST', `/webhooks/${made.Reference}/deliveries/3000000000/replay`)).status, 404);
    assert.equal((await api(server, 'GET', `/webhooks/${made.Reference}/deliveries?before=3000000000`)).status, 200);
    assert.equal(receiver.received.length, 0);
  });

  it('sends a test event on demand and says what the endpoint answered', async () => {
    const made = await makeWebhook(server, receiver);
    const ok = await api(server, 'POST', `/webhooks/${made.Reference}/test`);
    assert.deepEqual([ok.status, ok.body.Delivered, ok.body.StatusCode, ok.body.ResponseExcerpt, ok.body.Error], [200, true, 200, 'thanks', null]);
    assert.deepEqual([receiver.received[0].verified?.type, receiver.received[0].error], ['webhook.test', null]);
    receiver.answer = () => 500;
    const refused = await api(server, 'POST', `/webhooks/${made.Reference}/test`);
    assert.deepEqual([refused.body.Delivered, refused.body.StatusCode, refused.body.Error], [false, 500, 'answered 500']);
    await receiver.close();
    const gone = await api(server, 'POST', `/webhooks/${made.Reference}/test`);
    assert.deepEqual([gone.body.Delivered, gone.body.StatusCode], [false, null]);
    assert.match(gone.body.Error, /ECONNREFUSED|refused/i);
  });

  it('records, when stopping, the attempts the endpoint answered (so none is sent twice) and gives back the rest', async () => {
    const slow = await new WebhookReceiver().start();
    try {
      const made = await makeWebhook(server, receiver, ['consignment.allocated']);
      await makeWebhook(server, slow, ['consignment.allocated']);
      slow.delayMs = 5_000;
      const ref = await createConsignment(server);
      await allocate(server, 'Example-Carrier-Service', [ref]);
      await sequenceEvents(server.app.ctx);
      const stop = new AbortController();
      const round = deliverDueWebhooks(server.app.ctx, stop.signal);
      await receiver.waitFor(1);
      await new Promise((r) => setTimeout(r, 300)); // its answer on its way back; the slow one still waiting
      stop.abort();
      await round;
      const [fast] = (await api(server, 'GET', `/webhooks/${made.Reference}/deliveries`)).body.Deliveries;
      assert.deepEqual([fast.State, fast.Attempts], ['Delivered', 1]);
      const leased = await server.app.ctx.database.db.selectFrom('webhook_deliveries').select(['state', 'lease_owner', 'attempts']).where('state', '=', 'pending').execute();
      assert.deepEqual(leased, [{ state: 'pending', lease_owner: null, attempts: 0 }], 'the slow one given back untried');
    } finally {
      await slow.close();
    }
  });

  it('counts a request whose client went away as done, so that background work is not held back', async () => {
    const made = await makeWebhook(server, receiver);
    receiver.delayMs = 1_000;
    const { request } = await import('node:http');
    await new Promise<void>((resolve) => {
      const req = request(`${server.url}/webhooks/${made.Reference}/test`, { method: 'POST', headers: { 'ocp-apim-subscription-key': 'test-demo-key' } });
      req.on('error', () => resolve());
      req.end(() => setTimeout(() => { req.destroy(); resolve(); }, 200));
    });
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(server.app.ctx.foreground.busy, false);
  });

  it('signs so that a tampered body, another secret or a stale timestamp fails verification', async () => {
    const made = await makeWebhook(server, receiver);
    await api(server, 'POST', `/webhooks/${made.Reference}/test`);
    const { headers, body } = receiver.received[0];
    const h = headers as Record<string, string>;
    assert.ok(new Webhook(made.Secret).verify(body, h));
    assert.throws(() => new Webhook(made.Secret).verify(body.replace('webhook.test', 'webhook.tset'), h), /signature/i);
    assert.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(body, h), /signature/i);
    const stale = String(Number(h['webhook-timestamp']) - 10 * 60);
    assert.throws(() => new Webhook(made.Secret).verify(body, { ...h, 'webhook-timestamp': stale }), /timestamp/i);
  });
});

describe(`Webhook targets (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'false' } });
  });
  after(() => server?.close());

  it('refuses loopback and private targets unless SWITCHYARD_WEBHOOK_ALLOW_PRIVATE allows them', async () => {
    for (const url of ['http://127.0.0.1:9/hooks', 'http://localhost/hooks', 'http://10.1.2.3/', 'https://192.168.0.10/x', 'http://[::1]:8080/', 'http://169.254.169.254/latest', 'http://0.0.0.0/']) {
      const res = await api(server, 'POST', '/webhooks', { body: { Url: url, EventTypes: ['*'] } });
      assert.equal(res.status, 400, `${url}: ${res.text}`);
      assert.equal(res.body.Details[0].Target, 'Url');
      assert.match(res.body.Details[0].Message, /loopback or private|cannot be resolved/);
    }
    assert.deepEqual((await api(server, 'GET', '/webhooks')).body, []);
  });
});

describe(`Webhooks delivered by the background jobs (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  before(async () => {
    server = await startServer({ env: { SWITCHYARD_BACKGROUND_JOBS: 'true' } });
    receiver = await new WebhookReceiver().start();
  });
  after(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('delivers an allocation without being asked', async () => {
    await makeWebhook(server, receiver, ['consignment.allocated']);
    const ref = await createConsignment(server);
    await allocate(server, 'Example-Carrier-Service', [ref]);
    const [got] = await receiver.waitFor(1);
    assert.ok(got, 'delivered');
    assert.deepEqual([got.error, got.verified?.type, got.verified?.data.Reference], [null, 'consignment.allocated', ref]);
  });
});

const postgresUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;

describe(`Webhooks across server processes (${databaseUnderTest})`, { skip: skipReason }, () => {
  const KEY = 'webhook-process-key';
  const env = { SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'true', SWITCHYARD_RENDER_THREADS: '0', SWITCHYARD_DEMO_STORIES: 'false' };
  let database: CrashDatabase;
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    database = await crashDatabase(postgresUrl);
    receiver = await new WebhookReceiver().start();
  });
  afterEach(async () => {
    await killAllServers();
    await receiver.close();
    await database.remove();
  });
  const asServer = (p: ServerProcess) => ({ url: p.url }) as TestServer;

  it('delivers after a restart what a process killed (SIGKILL) between the change and its delivery never sent', async () => {
    const first = await spawnServer({ databaseUrl: database.url, apiKey: KEY, env: { ...env, SWITCHYARD_BACKGROUND_JOBS: 'false' } });
    await makeWebhook(asServer(first), receiver, ['consignment.allocated'], KEY);
    const ref = await createConsignment(asServer(first), {}, KEY);
    assert.equal((await allocate(asServer(first), 'Example-Carrier-Service', [ref], KEY)).status, 200);
    await first.kill('SIGKILL');
    assert.equal(receiver.received.length, 0);
    await spawnServer({ databaseUrl: database.url, apiKey: KEY, env: { ...env, SWITCHYARD_BACKGROUND_JOBS: 'true' } });
    const [got] = await receiver.waitFor(1);
    assert.ok(got, 'delivered after the restart');
    assert.deepEqual([got.error, got.verified?.type, got.verified?.data.Reference], [null, 'consignment.allocated', ref]);
  });

  it('has each event delivered once when two processes on one PostgreSQL run the deliveries', { skip: postgresUrl ? false : 'two server processes share one database on PostgreSQL only; skipping' }, async () => {
    const jobs = { ...env, SWITCHYARD_BACKGROUND_JOBS: 'true' };
    const a = await spawnServer({ databaseUrl: database.url, apiKey: KEY, env: jobs });
    const b = await spawnServer({ databaseUrl: database.url, apiKey: KEY, env: jobs });
    await makeWebhook(asServer(a), receiver, ['*'], KEY);
    const refs = await Promise.all(Array.from({ length: 30 }, (_, i) => createConsignment(asServer(i % 2 ? a : b), {}, KEY)));
    await allocate(asServer(a), 'Example-Carrier-Service', refs.slice(0, 15), KEY);
    await allocate(asServer(b), 'Example-Carrier-Service', refs.slice(15), KEY);
    // Two events each: state_changed and allocated.
    await receiver.waitFor(60);
    await new Promise((r) => setTimeout(r, 1_000)); // time for a second delivery to show, were there one
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    assert.equal(ids.length, 60, `received ${ids.length}`);
    assert.equal(new Set(ids).size, 60, 'none twice');
    assert.ok(receiver.received.every((r) => r.error === null));
  });
});

describe('The webhook sender', () => {
  it('gives up on an endpoint that does not answer in time, saying so, and reads no more than the start of an answer', async () => {
    const { createServer } = await import('node:http');
    const { createWebhookSender } = await import('../../src/webhooks/http-sender.js');
    const hanging = createServer(() => undefined); // never answers
    const talkative = createServer((_req, res) => res.end('x'.repeat(100_000)));
    await Promise.all([hanging, talkative].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    const sender = createWebhookSender({ allowPrivate: true });
    try {
      const port = (s: typeof hanging) => (s.address() as { port: number }).port;
      const late = await sender.send(`http://127.0.0.1:${port(hanging)}/`, {}, '{}', 300);
      assert.ok('error' in late && late.error === 'no answer within 300 ms', JSON.stringify(late));
      assert.ok(late.durationMs >= 250 && late.durationMs < 5_000);
      const long = await sender.send(`http://127.0.0.1:${port(talkative)}/`, {}, '{}', 5_000);
      assert.ok('status' in long && long.status === 200 && long.excerpt.length === 1_000);
      // Without SWITCHYARD_WEBHOOK_ALLOW_PRIVATE, a loopback target is refused before any connection.
      const guarded = createWebhookSender({ allowPrivate: false });
      const refused = await guarded.send(`http://127.0.0.1:${port(talkative)}/`, {}, '{}', 5_000);
      await guarded.close();
      assert.ok('error' in refused && /loopback or private/.test(refused.error), JSON.stringify(refused));
      const byName = createWebhookSender({ allowPrivate: false });
      const named = await byName.send(`http://localhost:${port(talkative)}/`, {}, '{}', 5_000);
      await byName.close();
      assert.ok('error' in named && /loopback or private/.test(named.error), JSON.stringify(named));
    } finally {
      await sender.close();
      hanging.closeAllConnections();
      talkative.closeAllConnections();
      await Promise.all([hanging, talkative].map((s) => new Promise((r) => s.close(r))));
    }
  });
});
