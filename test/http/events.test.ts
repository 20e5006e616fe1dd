import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { purgeOldEvents } from '../../src/use-cases/events.js';
import { allocate, createConsignment, createSubscription } from '../support/consignments.js';
import { api, databaseUnderTest, DEFAULT_NOW, movableClock, skipReason, startServer, type TestServer } from '../support/test-server.js';

/** Every event of the subscription after `from`, read page by page with the cursor. */
async function readAll(server: TestServer, query = '', from = '0', key?: string): Promise<{ events: any[]; after: string }> {
  const events: any[] = [];
  let cursor = from;
  for (;;) {
    const res = await api(server, 'GET', `/events?after=${cursor}&limit=7${query}`, { key });
    assert.equal(res.status, 200, res.text);
    events.push(...res.body.Events);
    cursor = res.body.After;
    if (!res.body.HasMore) return { events, after: cursor };
  }
}

const summary = (e: any) => `${e.type} ${e.data.Reference ?? e.data.ManifestReference}${e.data.State ? ` ${e.data.PreviousState}→${e.data.State}` : ''}${e.data.Code ? ` ${e.data.Code}` : ''}`;

describe(`The event feed (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  const clock = movableClock(DEFAULT_NOW);
  before(async () => {
    server = await startServer({ clock });
  });
  after(() => server?.close());

  let start = '0';
  it('lists what happened to consignments and manifests, in the order it was committed, each event once', async () => {
    start = (await readAll(server)).after;
    const ok = await createConsignment(server);
    const heavy = await createConsignment(server, { packages: [{ kg: 45 }] });
    assert.equal((await allocate(server, 'Example-Carrier-Service', [ok, heavy])).status, 200);
    // A second failed attempt is an event of its own, though the state stays AllocationFailed.
    assert.equal((await allocate(server, 'Example-Carrier-Service', [heavy])).status, 200);
    assert.equal((await api(server, 'PUT', '/consignments/setreadytoship', { body: [ok] })).status, 200);
    assert.equal((await api(server, 'PUT', '/consignments/manifest', { body: { ConsignmentReferences: [ok] } })).status, 200);
    const pkg = (await api(server, 'GET', `/consignments/${ok}`)).body.Packages[0].Reference;
    const pushed = await api(server, 'POST', '/tracking/carrierevents', { body: [{ ConsignmentReference: ok, PackageReference: pkg, TimeStamp: '2026-11-18T18:00:00Z', Code: 'COLLECTED', Location: 'Manchester' }] });
    assert.equal(pushed.body[0].IsSuccess, true, pushed.text);
    const manifest = (await api(server, 'GET', '/consignments/customer/manifests')).body[0].ManifestReference;

    const { events } = await readAll(server, '', start);
    assert.deepEqual(events.map(summary), [
      `consignment.state_changed ${ok} Unallocated→Allocated`,
      `consignment.allocated ${ok} Unallocated→Allocated`,
      `consignment.state_changed ${heavy} Unallocated→AllocationFailed`,
      `consignment.allocation_failed ${heavy} Unallocated→AllocationFailed`,
      `consignment.allocation_failed ${heavy} AllocationFailed→AllocationFailed`,
      `consignment.state_changed ${ok} Allocated→ReadyToShip`,
      `consignment.state_changed ${ok} ReadyToShip→Manifested`,
      `manifest.created ${manifest}`,
      `consignment.tracking_event ${ok} COLLECTED`,
      `consignment.state_changed ${ok} Manifested→Collected`,
    ]);
    assert.equal(new Set(events.map((e) => e.id)).size, events.length);
    const allocated = events[1];
    assert.match(allocated.id, /^evt_\d+$/);
    assert.equal(allocated.timestamp, '2026-11-18T09:00:00.000+00:00');
    assert.equal(allocated.data.MpdCarrierServiceReference, 'Example-Carrier-Service');
    assert.equal(allocated.data.CarrierReference, 'CARRIER_X');
    assert.equal(allocated.data.CollectionDate, '2026-11-18');
    assert.deepEqual(allocated.data.TrackingReferences, (await api(server, 'GET', `/consignments/${ok}`)).body.ConsignmentLegs[0].TrackingReferences);
    assert.deepEqual(events[3].data.FailureReasons.map((r: any) => r.Code), ['PackageTooHeavy']);
    assert.match(events[3].data.Message, /PackageTooHeavy/);
    assert.equal(events[7].data.CarrierReference, 'CARRIER_X');
    assert.deepEqual([events[8].data.PackageReference, events[8].data.Location, events[8].data.TimeStamp], [pkg, 'Manchester', '2026-11-18T18:00:00+00:00']);
  });

  it('reads on from a cursor without repeating or missing an event, filtered by type', async () => {
    const all = (await readAll(server, '', start)).events;
    const pages: any[] = [];
    let cursor = start;
    for (let i = 0; i < 20; i++) {
      const res = await api(server, 'GET', `/events?after=${cursor}&limit=3`);
      pages.push(...res.body.Events);
      if (!res.body.HasMore) break;
      cursor = res.body.After;
    }
    assert.deepEqual(pages.map((e) => e.id), all.map((e) => e.id));
    const { events: failed } = await readAll(server, '&types=consignment.allocation_failed,MANIFEST.CREATED', start);
    assert.deepEqual(failed.map((e) => e.type), ['consignment.allocation_failed', 'consignment.allocation_failed', 'manifest.created']);
    // Nothing new: the cursor stays, and reading on from it finds nothing.
    const { after: end } = await readAll(server, '', start);
    const none = await api(server, 'GET', `/events?after=${end}`);
    assert.deepEqual([none.body.Events, none.body.After, none.body.HasMore], [[], end, false]);
  });

  it('writes an event for each consignment of a group commit (a list allocated at once)', async () => {
    const { after: from } = await readAll(server);
    const refs = await Promise.all(Array.from({ length: 40 }, () => createConsignment(server)));
    assert.equal((await allocate(server, 'Example-Carrier-Service', refs)).status, 200);
    const { events } = await readAll(server, '&types=consignment.allocated', from);
    assert.deepEqual(events.map((e) => e.data.Reference).sort(), [...refs].sort());
  });

  it('shows a subscription its own events only', async () => {
    const other = await createSubscription(server, 'Events other');
    const mine = await readAll(server);
    const theirs = await readAll(server, '', '0', other.ApiKey);
    assert.ok(mine.events.length > 0);
    assert.deepEqual(theirs.events, []);
    const ref = await createConsignment(server, { origin: { town: 'Manchester', postcode: 'M1 1AA' } }, other.ApiKey);
    assert.equal((await allocate(server, 'Example-Carrier-Service', [ref], other.ApiKey)).status, 200);
    assert.deepEqual((await readAll(server, '', '0', other.ApiKey)).events.map((e) => e.data.Reference), [ref, ref]);
    assert.equal((await readAll(server, '', mine.after)).events.length, 0);
  });

  it('answers the SortedPRO event endpoints from the feed, within a time window', async () => {
    const window = { From: '2026-11-18T00:00:00Z', To: '2026-11-19T00:00:00Z' };
    const states = await api(server, 'POST', '/events/consignments/stateevents', { body: { ...window, Take: 1000 } });
    assert.equal(states.status, 200, states.text);
    assert.ok(states.body.Events.length > 0);
    assert.ok(states.body.Events.every((e: any) => e.type === 'consignment.state_changed'));
    const tracking = await api(server, 'POST', '/events/consignments', { body: { ...window, EventTypes: ['consignment.tracking_event'] } });
    assert.deepEqual(tracking.body.Events.map((e: any) => e.data.Code), ['COLLECTED']);
    const before = await api(server, 'POST', '/events/consignments', { body: { From: '2026-11-17T00:00:00Z', To: '2026-11-18T00:00:00Z' } });
    assert.deepEqual(before.body.Events, []);
    const xml = await api(server, 'POST', '/events/consignments', { body: { ...window, Take: 1 }, headers: { accept: 'application/xml' } });
    assert.match(xml.text, /^<\?xml[^>]*>\s*<EventPage [^>]*><Events><Event><id>evt_\d+<\/id><type>consignment\.state_changed<\/type>/);
  });

  it('refuses a cursor, a type, a page size or a window it cannot read, naming each', async () => {
    const bad = await api(server, 'GET', '/events?after=abc&types=consignment.exploded&limit=0');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.Details.map((d: any) => d.Target).sort(), ['after', 'limit', 'types']);
    const manifests = await api(server, 'POST', '/events/consignments', { body: { From: '2026-11-18', To: '2026-11-17', EventTypes: ['manifest.created'] } });
    assert.equal(manifests.status, 400);
    assert.deepEqual(manifests.body.Details.map((d: any) => d.Target).sort(), ['EventTypes', 'To']);
    const wide = await api(server, 'POST', '/events/consignments/stateevents', { body: { From: '2026-01-01T00:00:00Z', To: '2026-03-01T00:00:00Z' } });
    assert.equal(wide.status, 400);
    const missing = await api(server, 'POST', '/events/consignments/stateevents', { body: { From: 'yesterday' } });
    assert.equal(missing.status, 400);
  });

  it('keeps events 30 days', async () => {
    const count = async () => Number((await server.app.ctx.database.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    assert.ok(before > 0);
    clock.advance(29 * 86_400_000);
    assert.equal(await purgeOldEvents(server.app.ctx), 0);
    clock.advance(2 * 86_400_000);
    const { after: cursor } = await readAll(server);
    assert.equal(await purgeOldEvents(server.app.ctx), before);
    assert.deepEqual([(await readAll(server)).events, await count()], [[], 0]);
    // A cursor taken before the purge still reads what follows: no place is given twice.
    const ref = await createConsignment(server);
    assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).status, 200);
    assert.deepEqual((await readAll(server, '', cursor)).events.map(summary), [`consignment.state_changed ${ref} Unallocated→Allocated`, `consignment.allocated ${ref} Unallocated→Allocated`]);
  });

  it('lists a batch of tracking events in the order they happened, whatever their codes', async () => {
    const ref = await createConsignment(server);
    await allocate(server, 'Example-Carrier-Service', [ref]);
    await api(server, 'PUT', '/consignments/manifest', { body: { ConsignmentReferences: [ref] } });
    const { after: from } = await readAll(server);
    const PackageReference = (await api(server, 'GET', `/consignments/${ref}`)).body.Packages[0].Reference;
    const day = clock.now().toISODate();
    const events = [['COLLECTED', '17:30'], ['IN_TRANSIT', '22:00'], ['OUT_FOR_DELIVERY', '23:10'], ['DELIVERED', '23:50']].map(([Code, time]) => ({ ConsignmentReference: ref, PackageReference, Code, TimeStamp: `${day}T${time}:00Z` }));
    assert.ok((await api(server, 'POST', '/tracking/carrierevents', { body: events })).body.every((o: any) => o.IsSuccess));
    const listed = (await readAll(server, '&types=consignment.tracking_event', from)).events.map((e) => e.data.Code);
    assert.deepEqual(listed, ['COLLECTED', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED']);
  });
});

const postgresUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;

describe('The event feed’s order on PostgreSQL, where transactions commit out of id order', { skip: postgresUrl ? false : 'PostgreSQL only (set DATABASE_URL=postgres://…); skipping' }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server?.close());

  const connect = async () => {
    const client = new pg.Client({ connectionString: postgresUrl! });
    await client.connect();
    await client.query(`set search_path to ${server.schema}, public`);
    return client;
  };
  const subscription = async () => Number((await server.app.ctx.database.db.selectFrom('subscriptions').select('id').executeTakeFirstOrThrow()).id);
  const insertEvent = (client: pg.Client, id: number, subject: string) =>
    client.query(`insert into events (subscription_id, type, subject, data, occurred_at) values ($1, 'manifest.created', $2, $3, '2026-11-18T09:00:00.000+00:00')`, [id, subject, JSON.stringify({ ManifestReference: subject })]);

  it('gives a late commit a later place, so that a reader who has read on misses nothing', async () => {
    const sub = await subscription();
    const { after: from } = await readAll(server);
    const slow = await connect();
    const quick = await connect();
    try {
      await slow.query('begin');
      await insertEvent(slow, sub, 'LATE'); // the lower id, not committed yet
      await insertEvent(quick, sub, 'EARLY'); // the higher id, committed
      const first = await readAll(server, '', from);
      assert.deepEqual(first.events.map((e) => e.data.ManifestReference), ['EARLY']);
      await slow.query('commit');
      const next = await readAll(server, '', first.after);
      assert.deepEqual(next.events.map((e) => e.data.ManifestReference), ['LATE'], 'the late one, after the cursor');
      assert.ok(Number(next.events[0].id.slice(4)) < Number(first.events[0].id.slice(4)), 'its id is the lower');
    } finally {
      await slow.end();
      await quick.end();
    }
  });

  it('gives every event one place, with no gap, however many sequencers run at once', async () => {
    const sub = await subscription();
    const clients = await Promise.all(Array.from({ length: 4 }, connect));
    try {
      await Promise.all([
        ...clients.map(async (c, i) => {
          for (let n = 0; n < 50; n++) await insertEvent(c, sub, `E${i}-${n}`);
        }),
        ...Array.from({ length: 8 }, async () => {
          for (let n = 0; n < 20; n++) await server.app.ctx.events.sequence('2026-11-18T09:00:00.000+00:00', { limit: 7 });
        }),
      ]);
      while ((await server.app.ctx.events.sequence('2026-11-18T09:00:00.000+00:00')) > 0);
      const rows = await server.app.ctx.database.db.selectFrom('events').select(['id', 'position']).orderBy('position').execute();
      const positions = rows.map((r) => Number(r.position));
      assert.deepEqual(positions, positions.map((_, i) => i + 1), 'positions 1 … n, none twice, none missing');
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});
