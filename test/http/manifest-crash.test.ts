/**
 * A server killed with SIGKILL in the middle of a manifest of 1,000 consignments (issue 8 item 8):
 * afterwards each consignment is Manifested on exactly one manifest, or untouched (still Allocated,
 * on no manifest, its audit trail unchanged), no manifest is left empty, and re-sending the request
 * to a restarted server manifests the rest, still each on exactly one manifest, every one listed in
 * its manifest's PDF.
 */
import assert from 'node:assert/strict';
import { after, describe, it, type TestContext } from 'node:test';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { createContext } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { CreateConsignmentRequest } from '../../src/contract/consignments.js';
import { seedDemo } from '../../src/demo/seed-demo.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { allocateConsignments } from '../../src/use-cases/allocate.js';
import { requireEnabledService } from '../../src/use-cases/carrier-services.js';
import { readConsignment } from '../../src/use-cases/input/consignment-reader.js';
import { hashApiKey } from '../../src/use-cases/subscriptions.js';
import { bulkInsertConsignments } from '../support/bulk-consignments.js';
import { consignmentRequest } from '../support/consignments.js';
import { crashDatabase, killAllServers, spawnServer, type CrashDatabase, type ServerProcess } from '../support/crash-server.js';
import { pdfText } from '../support/pdf-inspection.js';
import { databaseUnderTest, skipReason } from '../support/test-server.js';

const KEY = 'manifest-crash-key';
const COUNT = 1000;
const postgresUrl = process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : null;

/** Two weekdays at least a week ahead: the servers run on the real clock, and no cut-off may pass while the test runs. */
function shippingDays(): [string, string] {
  let day = DateTime.utc().plus({ days: 7 }).startOf('day');
  while (day.weekday !== 2) day = day.plus({ days: 1 });
  return [day.set({ hour: 10 }).toISO()!, day.plus({ days: 1 }).set({ hour: 10 }).toISO()!];
}

/** A fresh database with the demo subscription and COUNT consignments allocated to Example-Carrier-Service, half collected on each of two days. */
async function seed(database: CrashDatabase): Promise<string[]> {
  const ctx = await createContext(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' }), { logger: pino({ level: 'silent' }) });
  try {
    await seedDemo(ctx, KEY);
    const row = (await ctx.subscriptions.findByKeyHash(hashApiKey(KEY)))!;
    const caller = { subscriptionId: row.id, subscriptionReference: row.reference, enabledServices: await ctx.subscriptions.enabledServiceKeys(row.id) };
    const refs: string[] = [];
    for (const shippingDate of shippingDays()) {
      const template = await readConsignment(ctx, row.id, consignmentRequest({ shippingDate }) as CreateConsignmentRequest);
      refs.push(...(await bulkInsertConsignments(ctx, row.id, template, COUNT / 2, ctx.clock.now().toUTC().toISO()!)));
    }
    const target = { kind: 'service' as const, service: requireEnabledService(ctx, caller, 'Example-Carrier-Service') };
    for await (const o of allocateConsignments(ctx, caller, target, refs)) assert.equal(o.kind, 'allocated', JSON.stringify(o));
    return refs;
  } finally {
    await ctx.database.close();
  }
}

type Seen = 'untouched' | 'manifested';
type KillPoint = 'carriers answered' | 'manifests written';

/** Every consignment straight from the store: Manifested on exactly one manifest, or untouched; anything else throws, saying what. */
async function classify(db: Database, refs: string[]): Promise<{ seen: Seen[]; manifests: Map<string, number> }> {
  const rows = await db.db.selectFrom('consignments').select(['id', 'reference', 'state', 'failed_manifest_message']).where('reference', 'in', refs).execute();
  const byRef = new Map(rows.map((r) => [r.reference, r]));
  const members = await db.db
    .selectFrom('manifest_members')
    .innerJoin('manifests', 'manifests.id', 'manifest_members.manifest_id')
    .select(['manifest_members.consignment_id', 'manifest_members.withdrawn_at', 'manifests.reference'])
    .execute();
  const on = new Map<number, string[]>();
  const manifests = new Map<string, number>();
  for (const m of members) {
    assert.equal(m.withdrawn_at, null, 'nothing was withdrawn');
    on.set(m.consignment_id, [...(on.get(m.consignment_id) ?? []), m.reference]);
    manifests.set(m.reference, (manifests.get(m.reference) ?? 0) + 1);
  }
  const written = await db.db.selectFrom('manifests').select('reference').execute();
  for (const { reference } of written) assert.ok(manifests.has(reference), `manifest ${reference} was written without members`);
  const events = new Map<number, string[]>();
  for (const e of await db.db.selectFrom('consignment_events').select(['consignment_id', 'action', 'seq']).orderBy('seq').execute()) {
    events.set(e.consignment_id, [...(events.get(e.consignment_id) ?? []), e.action]);
  }
  const seen = refs.map((ref): Seen => {
    const row = byRef.get(ref);
    assert.ok(row, `${ref} is missing`);
    const manifestsOf = on.get(row.id) ?? [];
    const trail = (events.get(row.id) ?? []).join(',');
    const problem = (what: string) => new Error(`${ref} is neither untouched nor manifested once: ${what} (state ${row.state}, manifests ${manifestsOf.join(' ')}, trail ${trail})`);
    if (row.failed_manifest_message !== null) throw problem('a failed manifest');
    if (row.state === 'Allocated') {
      if (manifestsOf.length) throw problem('Allocated yet on a manifest');
      if (trail !== 'Created,Allocated') throw problem('audit trail');
      return 'untouched';
    }
    if (row.state !== 'Manifested') throw problem('state');
    if (manifestsOf.length !== 1) throw problem(`on ${manifestsOf.length} manifests`);
    if (trail !== 'Created,Allocated,Manifested') throw problem('audit trail');
    return 'manifested';
  });
  return { seen, manifests };
}

const ATTEMPTS = 8;

function sendManifest(server: ServerProcess, refs: string[]): Promise<Response> {
  return fetch(`${server.url}/consignments/manifest`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': KEY },
    body: JSON.stringify({ ConsignmentReferences: refs }),
  });
}

describe(`A server killed with SIGKILL in the middle of a manifest of ${COUNT.toLocaleString('en')} consignments (${databaseUnderTest})`, { skip: skipReason }, () => {
  const databases: CrashDatabase[] = [];
  const handles: Database[] = [];
  after(async () => {
    await killAllServers();
    for (const h of handles.splice(0)) await h.close().catch(() => undefined);
    for (const d of databases.splice(0)) await d.remove().catch(() => undefined);
  });

  /**
   * One attempt: seed, start, send the manifest, SIGKILL when `when` says, restart, classify.
   * Null when the request was answered before the kill landed (the caller tries again).
   */
  async function crashMidManifest(t: TestContext, when: KillPoint) {
    const database = await crashDatabase(postgresUrl);
    databases.push(database);
    const refs = await seed(database);
    const poller = await openDatabase(database.url, { poolSize: 1 });
    handles.push(poller);
    const first = await spawnServer({ databaseUrl: database.url, apiKey: KEY });
    let answered = false;
    const request = sendManifest(first, refs).then(
      (res) => {
        answered = true;
        return res.status;
      },
      () => null,
    );
    // The simulated carrier numbers its manifests from a database sequence: once it has one, the
    // carriers have answered and the manifests are being written; once a manifest row is visible,
    // they are committed and the answer is being made.
    const reached = async () =>
      when === 'carriers answered'
        ? !!(await poller.db.selectFrom('sequences').select('name').where('name', '=', 'manifest:CARRIER_X').executeTakeFirst())
        : !!(await poller.db.selectFrom('manifests').select('id').executeTakeFirst());
    const deadline = Date.now() + 60_000;
    while (!answered && first.alive() && Date.now() < deadline && !(await reached())) await new Promise((r) => setTimeout(r, 2));
    assert.ok(first.alive(), `the server died on its own:\n${first.output()}`);
    await first.kill('SIGKILL');
    const status = await request;
    t.diagnostic(`[${when}] killed; the request was ${answered ? `answered (${status}) first` : 'not answered'}`);
    const second = await spawnServer({ databaseUrl: database.url, apiKey: KEY });
    const { seen } = await classify(poller, refs);
    t.diagnostic(`[${when}] after the restart: ${seen.filter((s) => s === 'manifested').length} manifested, ${seen.filter((s) => s === 'untouched').length} untouched`);
    if (answered) {
      await second.kill('SIGKILL');
      return null;
    }
    return { poller, server: second, refs, seen };
  }

  for (const when of ['carriers answered', 'manifests written'] as const) {
    it(`killed once the ${when === 'carriers answered' ? 'carriers have answered' : 'manifests are written'}: each consignment Manifested on exactly one manifest, or untouched, and a re-sent request manifests the rest`, { timeout: 300_000 }, async (t: TestContext) => {
      let crashed: Awaited<ReturnType<typeof crashMidManifest>> = null;
      // The window between the manifests' commit and the answer is milliseconds: on a busy machine
      // the answer can win a few times running (each attempt says so in its diagnostics).
      for (let attempt = 0; attempt < ATTEMPTS && !crashed; attempt++) crashed = await crashMidManifest(t, when);
      assert.ok(crashed, `could not kill the server before it answered in ${ATTEMPTS} attempts`);
      await resend(crashed);
    });
  }

  async function resend({ poller, server, refs, seen }: NonNullable<Awaited<ReturnType<typeof crashMidManifest>>>): Promise<void> {
    const res = await sendManifest(server, refs);
    assert.equal(res.status, 200);
    const items = (await res.json()) as any[];
    assert.equal(items.length, COUNT);
    items.forEach((item, i) => {
      assert.equal(item.Data, refs[i], 'in request order');
      if (seen[i] === 'manifested') assert.equal(item.Message, `Consignment ${refs[i]} cannot be manifested: it is Manifested`);
      else assert.equal(item.Message, `Consignment ${refs[i]} has been manifested successfully.`);
    });
    const final = await classify(poller, refs);
    assert.ok(final.seen.every((s) => s === 'manifested'), 'every consignment is manifested now');
    assert.equal([...final.manifests.values()].reduce((a, b) => a + b, 0), COUNT, 'each on exactly one manifest');

    // Over HTTP: the manifests list them all, and each PDF prints each of its consignments once.
    const listed = (await (await fetch(`${server.url}/consignments/customer/manifests`, { headers: { 'ocp-apim-subscription-key': KEY } })).json()) as any[];
    assert.equal(listed.reduce((sum, m) => sum + m.BookingsCount, 0), COUNT);
    const printed = new Map<string, number>();
    for (const m of listed) {
      const file = (await (await fetch(`${server.url}/consignments/customer/manifest/${m.ManifestReference}`, { headers: { 'ocp-apim-subscription-key': KEY, accept: 'application/pdf' } })).arrayBuffer());
      for (const ref of pdfText(Buffer.from(file)).match(/EC-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}/g) ?? []) printed.set(ref, (printed.get(ref) ?? 0) + 1);
    }
    for (const ref of refs) assert.equal(printed.get(ref), 1, `${ref} printed once across the manifests`);
    await server.kill('SIGKILL');
  }
});
