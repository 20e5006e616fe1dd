/**
 * Manifesting through the use-cases, on a real database, with the simulated carriers (cut-offs by
 * the world's clock) and, where a carrier must misbehave, a script in front of one: consignments
 * are grouped into one manifest per carrier, shipping location and collection day; every carrier
 * of a journey gets its leg; a refusal is ManifestFailed with its reason; an unreachable carrier
 * changes nothing; a consignment that changed meanwhile is decided again; deallocating takes a
 * consignment off its manifest; and two processes never put one consignment on two manifests.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CarrierUnreachable, type CallOptions, type CarrierConnector, type CarrierOperation, type ManifestRequest, type ManifestResult } from '../../src/carriers/connector.js';
import type { CreateConsignmentRequest } from '../../src/contract/consignments.js';
import { canPerform, CONSIGNMENT_STATES, type ConsignmentAction, type ConsignmentState } from '../../src/domain/states.js';
import { allocateConsignments, type AllocationOutcome } from '../../src/use-cases/allocate.js';
import type { AppContext } from '../../src/use-cases/app-context.js';
import { requireEnabledService } from '../../src/use-cases/carrier-services.js';
import { cancelList } from '../../src/use-cases/cancel-consignment.js';
import { createConsignment } from '../../src/use-cases/create-consignment.js';
import { listManifests, manifestFile } from '../../src/use-cases/customer-manifests.js';
import { deallocateList } from '../../src/use-cases/deallocate.js';
import { dispatchConsignments } from '../../src/use-cases/dispatch.js';
import { manifestConsignments, type ManifestOutcome } from '../../src/use-cases/manifest-consignments.js';
import { setNotReadyToShip, setReadyToShip } from '../../src/use-cases/ready-to-ship.js';
import type { ListTransitionOutcome } from '../../src/use-cases/transition-list.js';
import { consignmentRequest, type ConsignmentSpec } from '../support/consignments.js';
import { pdfText } from '../support/pdf-inspection.js';
import { databaseUnderTest, openWorld, skipReason, type UseCaseWorld } from '../support/use-case-context.js';

const NEXT_DAY = 'Example-Carrier-Service';
const NORTHERN = 'NP-PARCEL-48';
const TO_FRANCE: ConsignmentSpec = { destination: { country: 'FR', postcode: '75001', town: 'Paris' }, packages: [{ kg: 2 }, { kg: 3 }] };
/** The world's clock starts on Wednesday 18 November 2026 at 09:00 in London. */
const TODAY = '2026-11-18';

type Answer = 'take' | 'refuse' | 'unreachable';

/**
 * A carrier's real connector with its manifests scripted: each consignment taken or refused as the
 * test says, or the whole call failing as an unreachable carrier; it can wait for the test while
 * the carrier "thinks". Booking and cancelling stay the real connector's.
 */
class ManifestScript implements CarrierConnector {
  readonly capabilities: ReadonlySet<CarrierOperation> = new Set<CarrierOperation>(['book', 'cancel', 'manifest']);
  readonly requests: ManifestRequest[] = [];
  answer: (consignmentReference: string, n: number) => Answer = () => 'take';
  whileManifesting: (n: number) => Promise<unknown> | undefined = () => undefined;
  readonly timeoutMs: number;
  readonly keepsBookings: boolean;

  constructor(private readonly real: CarrierConnector) {
    this.timeoutMs = real.timeoutMs;
    this.keepsBookings = real.keepsBookings;
  }

  book: CarrierConnector['book'] = (request, options) => this.real.book!(request, options);
  cancel: CarrierConnector['cancel'] = (request, options) => this.real.cancel!(request, options);

  async manifest(request: ManifestRequest, options: CallOptions): Promise<ManifestResult> {
    const n = this.requests.push(request) - 1;
    await this.whileManifesting(n);
    options.signal.throwIfAborted();
    const answers = request.shipments.map((s) => [s.consignmentReference, this.answer(s.consignmentReference, n)] as const);
    if (answers.some(([, a]) => a === 'unreachable')) throw new CarrierUnreachable(request.carrier.reference, 'scripted manifest: the carrier answered 503');
    const refused = answers.filter(([, a]) => a === 'refuse').map(([consignmentReference]) => ({ consignmentReference, refusal: { code: 'CarrierRefused', message: 'no van on that day' } }));
    return { carrierManifestReference: `SCRIPT-${n}`, refused, documents: [], messages: [] };
  }
}

describe(`Manifesting (${databaseUnderTest})`, { skip: skipReason }, () => {
  let world: UseCaseWorld;
  const originals = new Map<string, CarrierConnector>();

  before(async () => {
    world = await openWorld();
    await world.ctx.locations.create(world.caller.subscriptionId, {
      reference: 'LDS-DC1',
      name: 'Leeds DC',
      locationType: 'DistributionCentre',
      defaultLocationForReturns: false,
      notes: null,
      timeZone: 'Europe/London',
      address: {
        contact: null, companyName: 'Example Homewares Ltd', customerName: null, addressLine1: 'Unit 7 Aire Valley Park', addressLine2: null, addressLine3: null,
        town: 'Leeds', region: null, regionCode: null, postcode: 'LS12 2DT', countryCode: 'GB', specialInstructions: null, latLong: null,
      },
    });
  });
  after(() => world.close());
  beforeEach(() => {
    // Every test starts with the real connectors and the clock at 09:00 on Wednesday.
    for (const [carrier, connector] of originals) world.ctx.carriers.replace(carrier, connector);
    originals.clear();
    const now = world.clock.now().toMillis();
    world.clock.advance({ milliseconds: Date.parse(`${TODAY}T09:00:00Z`) - now });
  });

  function script(carrierReference: string): ManifestScript {
    const real = originals.get(carrierReference) ?? world.ctx.carriers.connectorFor(world.ctx.catalogue.carrier(carrierReference)!);
    const scripted = new ManifestScript(real);
    const previous = world.ctx.carriers.replace(carrierReference, scripted);
    if (!originals.has(carrierReference)) originals.set(carrierReference, previous);
    return scripted;
  }

  async function consignment(spec: ConsignmentSpec = {}, location = 'WH-MAN-01'): Promise<string> {
    const request = consignmentRequest(spec) as { Addresses: Record<string, unknown>[] };
    if (location !== 'WH-MAN-01') request.Addresses[0] = { AddressType: 'Origin', ShippingLocationReference: location };
    return (await createConsignment(world.ctx, world.caller, request as unknown as CreateConsignmentRequest)).reference;
  }

  async function allocated(service: string, count = 1, spec: ConsignmentSpec = {}, location = 'WH-MAN-01'): Promise<string[]> {
    const refs: string[] = [];
    for (let i = 0; i < count; i++) refs.push(await consignment(spec, location));
    const outcomes: AllocationOutcome[] = [];
    for await (const o of allocateConsignments(world.ctx, world.caller, { kind: 'service', service: requireEnabledService(world.ctx, world.caller, service) }, refs)) outcomes.push(o);
    for (const o of outcomes) assert.equal(o.kind, 'allocated', JSON.stringify(o));
    return refs;
  }

  async function stored(reference: string, ctx: AppContext = world.ctx) {
    return (await ctx.consignments.findByReference(world.caller.subscriptionId, reference))!;
  }

  async function force(reference: string, state: ConsignmentState): Promise<void> {
    await world.ctx.database.db
      .updateTable('consignments')
      .set({ state, last_action: state, last_message: 'test', version: (eb) => eb('version', '+', 1) })
      .where('reference', '=', reference)
      .execute();
  }

  /** Each live membership of the consignments: [reference, leg, manifest reference]. */
  async function memberships(references: string[]): Promise<[string, number, string][]> {
    if (!references.length) return [];
    const rows = await world.ctx.database.db
      .selectFrom('manifest_members')
      .innerJoin('consignments', 'consignments.id', 'manifest_members.consignment_id')
      .innerJoin('manifests', 'manifests.id', 'manifest_members.manifest_id')
      .select(['consignments.reference', 'manifest_members.leg', 'manifests.reference as manifest'])
      .where('consignments.reference', 'in', references)
      .where('manifest_members.withdrawn_at', 'is', null)
      .orderBy('consignments.reference')
      .orderBy('manifest_members.leg')
      .execute();
    return rows.map((r) => [r.reference, r.leg, r.manifest]);
  }

  const manifest = (references: string[], ctx: AppContext = world.ctx): Promise<ManifestOutcome[]> => manifestConsignments(ctx, world.caller, references);

  it('allows ready to ship, not ready to ship, dispatch and manifest in exactly the states states.ts names, and refuses every other state by name, unchanged', async () => {
    const states = Object.keys(CONSIGNMENT_STATES) as ConsignmentState[];
    const refs = await allocated(NEXT_DAY, states.length);
    const listed = (outcomes: ListTransitionOutcome[]) => outcomes.map((o) => (o.kind === 'changed' ? null : o.message));
    const actions: [ConsignmentAction, string, ConsignmentState, (refs: string[]) => Promise<(string | null)[]>][] = [
      ['readyToShip', 'marked as Ready To Ship', 'ReadyToShip', async (r) => listed(await setReadyToShip(world.ctx, world.caller, r))],
      ['notReadyToShip', 'set back to Allocated', 'Allocated', async (r) => listed(await setNotReadyToShip(world.ctx, world.caller, r))],
      ['dispatch', 'dispatched', 'Dispatched', async (r) => listed(await dispatchConsignments(world.ctx, world.caller, r))],
      ['manifest', 'manifested', 'Manifested', async (r) => (await manifest(r)).map((o) => (o.kind === 'manifested' ? null : o.message))],
    ];
    for (const [action, doing, after, run] of actions) {
      for (const [i, s] of states.entries()) await force(refs[i], s);
      const refusals = await run(refs);
      for (const [i, s] of states.entries()) {
        const allowed = canPerform(action, s);
        assert.equal(refusals[i], allowed ? null : `Consignment ${refs[i]} cannot be ${doing}: it is ${s}`, `${action} from ${s}`);
        assert.equal((await stored(refs[i])).state, allowed ? after : s, `${action} from ${s}`);
      }
    }
  });

  it('manifests Allocated, ReadyToShip and ManifestFailed consignments, and refuses every other state naming it, with nothing changed', async () => {
    const [a, r, f, m, u] = await allocated(NEXT_DAY, 5);
    await force(r, 'ReadyToShip');
    await force(f, 'ManifestFailed');
    await force(m, 'Manifested');
    await force(u, 'Cancelled');
    const outcomes = await manifest([a, r, f, m, u]);
    assert.deepEqual(outcomes.map((o) => o.kind), ['manifested', 'manifested', 'manifested', 'invalidState', 'invalidState']);
    assert.equal(outcomes[3].kind === 'invalidState' && outcomes[3].message, `Consignment ${m} cannot be manifested: it is Manifested`);
    assert.equal(outcomes[4].kind === 'invalidState' && outcomes[4].message, `Consignment ${u} cannot be manifested: it is Cancelled`);
    for (const ref of [a, r, f]) assert.equal((await stored(ref)).state, 'Manifested');
    assert.equal((await stored(m)).state, 'Manifested');
    assert.equal((await stored(u)).state, 'Cancelled');
    const on = await memberships([a, r, f, m, u]);
    assert.deepEqual(on.map(([ref]) => ref).sort(), [a, r, f].sort(), 'only those manifested are on a manifest');
    assert.equal(new Set(on.map(([, , ref]) => ref)).size, 1, 'one carrier, one location, one day: one manifest');
    const audit = await world.ctx.consignments.events((await stored(a)).id);
    assert.deepEqual(audit.at(-1), { at: audit.at(-1)!.at, action: 'Manifested', from_state: 'Allocated', to_state: 'Manifested', message: `Manifested with Carrier X (manifest ${on[0][2]})` });
  });

  it('makes one manifest per carrier, shipping location and collection day, each with its own consignments', async () => {
    const here = await allocated(NEXT_DAY, 2);
    const leeds = await allocated(NEXT_DAY, 1, {}, 'LDS-DC1');
    const tomorrow = await allocated(NEXT_DAY, 1, { shippingDate: '2026-11-19T10:00:00+00:00' });
    const northern = await allocated(NORTHERN, 2);
    const outcomes = await manifest([here[0], leeds[0], northern[0], tomorrow[0], here[1], northern[1]]);
    assert.ok(outcomes.every((o) => o.kind === 'manifested'), JSON.stringify(outcomes));
    const listed = await listManifests(world.ctx, world.caller, null);
    const made = listed.filter((m) => outcomes.some((o) => o.kind === 'manifested' && o.manifestReferences.includes(m.reference)));
    assert.deepEqual(
      made.map((m) => [m.carrierReference, m.shippingLocationReference, m.collectionDay, m.bookingsCount]).sort(),
      [
        ['CARRIER_X', 'LDS-DC1', TODAY, 1],
        ['CARRIER_X', 'WH-MAN-01', '2026-11-19', 1],
        ['CARRIER_X', 'WH-MAN-01', TODAY, 2],
        ['NORTHERN_PARCELS', 'WH-MAN-01', TODAY, 2],
      ].sort(),
    );
    for (const m of made) assert.match(m.reference, /^[0-9a-f]{32}$/);
    const byConsignment = new Map((await memberships([...here, ...leeds, ...tomorrow, ...northern])).map(([ref, , manifestRef]) => [ref, manifestRef]));
    assert.equal(byConsignment.get(here[0]), byConsignment.get(here[1]));
    assert.equal(byConsignment.get(northern[0]), byConsignment.get(northern[1]));
    assert.equal(new Set(byConsignment.values()).size, 4);
    assert.equal(made.find((m) => m.shippingLocationReference === 'LDS-DC1')!.shippingLocationName, 'Leeds DC');
  });

  it('makes a consignment whose collection has passed ManifestFailed, with the carrier’s reason saying to allocate again, and puts it on no manifest', async () => {
    const [late] = await allocated(NEXT_DAY);
    world.clock.advance({ hours: 8, minutes: 1 }); // 17:01, after Carrier X's 17:00 cut-off
    const [outcome] = await manifest([late]);
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.kind === 'failed' ? outcome.message : '', new RegExp(`^Consignment ${late} could not be manifested: Carrier X refused it: Carrier X's collection on 18/11/2026 closed at 17:00; deallocate and allocate again for a later collection \\(COLLECTION_CLOSED\\)$`));
    const c = await stored(late);
    assert.equal(c.state, 'ManifestFailed');
    assert.match(c.failedManifest!.message, /deallocate and allocate again/);
    assert.equal(c.failedManifest!.at, '2026-11-18T17:01:00.000+00:00');
    assert.deepEqual(await memberships([late]), []);
    // Allocated again, for the next collection, it is manifested.
    await deallocateList(world.ctx, world.caller, [late]);
    const again: AllocationOutcome[] = [];
    for await (const o of allocateConsignments(world.ctx, world.caller, { kind: 'service', service: requireEnabledService(world.ctx, world.caller, NEXT_DAY) }, [late])) again.push(o);
    assert.equal(again[0].kind, 'allocated');
    assert.equal((await manifest([late]))[0].kind, 'manifested');
    assert.equal((await stored(late)).failedManifest?.message.includes('COLLECTION_CLOSED'), true, 'the last failure stays, as history');
  });

  it('hands a journey’s legs to every carrier of it, each on its own carrier’s manifest', async () => {
    const trunk = script('NORTHERN_PARCELS');
    const road = script('EUROLINK');
    const [ref] = await allocated('EL-EU-ROAD', 1, TO_FRANCE);
    const [outcome] = await manifest([ref]);
    assert.equal(outcome.kind, 'manifested');
    assert.equal(trunk.requests[0].shipments[0].legNumber, 1);
    assert.equal(road.requests[0].shipments[0].legNumber, 2);
    const legs = (await stored(ref)).allocation!.legs;
    assert.deepEqual(road.requests[0].shipments[0].trackingReferences, legs[1].trackingReferences, 'each carrier is given its own leg’s tracking references');
    const on = await memberships([ref]);
    assert.deepEqual(on.map(([, leg]) => leg), [1, 2]);
    assert.notEqual(on[0][2], on[1][2]);
  });

  it('makes a journey with one leg refused ManifestFailed, keeps the leg taken on its manifest, and hands over only the other leg the next time', async () => {
    script('NORTHERN_PARCELS');
    const road = script('EUROLINK');
    road.answer = (_ref, n) => (n === 0 ? 'refuse' : 'take');
    const [ref] = await allocated('EL-EU-ROAD', 1, TO_FRANCE);
    const [first] = await manifest([ref]);
    assert.equal(first.kind, 'failed');
    assert.match(first.kind === 'failed' ? first.message : '', /EuroLink Road refused it: no van on that day/);
    assert.equal((await stored(ref)).state, 'ManifestFailed');
    const trunkManifest = (await memberships([ref]))[0];
    assert.deepEqual(trunkManifest.slice(0, 2), [ref, 1]);

    const trunk = script('NORTHERN_PARCELS');
    const [second] = await manifest([ref]);
    assert.equal(second.kind, 'manifested');
    assert.equal(trunk.requests.length, 0, 'the trunk carrier already has its leg');
    assert.equal(road.requests.length, 2);
    const on = await memberships([ref]);
    assert.deepEqual(on.map(([, leg]) => leg), [1, 2]);
    assert.equal(on[0][2], trunkManifest[2], 'leg 1 stays on its first manifest');
  });

  it('changes nothing when a carrier cannot be reached, and says so', async () => {
    const x = script('CARRIER_X');
    x.answer = () => 'unreachable';
    const refs = await allocated(NEXT_DAY, 2);
    const versions = await Promise.all(refs.map(async (r) => (await stored(r)).version));
    const outcomes = await manifest(refs);
    assert.deepEqual(outcomes.map((o) => o.kind), ['carrierUnavailable', 'carrierUnavailable']);
    assert.match(outcomes[0].kind === 'carrierUnavailable' ? outcomes[0].message : '', /was not manifested: scripted manifest: the carrier answered 503; nothing was changed, try again later/);
    assert.equal(x.requests.length, 1, 'one call for the group, not one per consignment');
    for (const [i, r] of refs.entries()) {
      const c = await stored(r);
      assert.equal(c.state, 'Allocated');
      assert.equal(c.version, versions[i]);
      assert.equal(c.failedManifest, null);
    }
    assert.deepEqual(await memberships(refs), []);
  });

  it('decides again on its own a consignment deallocated while its carrier was answering, and puts only the others on the manifest', async () => {
    const x = script('CARRIER_X');
    const [moved, kept] = await allocated(NEXT_DAY, 2);
    x.whileManifesting = (n) => (n === 0 ? deallocateList(world.ctx, world.caller, [moved]) : undefined);
    const outcomes = await manifest([moved, kept]);
    assert.deepEqual(outcomes.map((o) => o.kind), ['invalidState', 'manifested']);
    assert.equal(outcomes[0].kind === 'invalidState' && outcomes[0].message, `Consignment ${moved} cannot be manifested: it is Unallocated`);
    assert.equal((await stored(moved)).state, 'Unallocated');
    assert.deepEqual((await memberships([moved, kept])).map(([ref]) => ref), [kept]);
    const [m] = (await listManifests(world.ctx, world.caller, null)).filter((l) => outcomes[1].kind === 'manifested' && l.reference === outcomes[1].manifestReferences[0]);
    assert.equal(m.bookingsCount, 1);
  });

  it('takes a deallocated consignment off its manifest: the count drops, and the file shows it withdrawn with the rest unchanged', async () => {
    const refs = await allocated(NEXT_DAY, 3);
    const [o] = await manifest(refs);
    const reference = o.kind === 'manifested' ? o.manifestReferences[0] : '';
    const before = await manifestFile(world.ctx, world.caller, reference);
    assert.equal(before.manifest.bookingsCount, 3);
    assert.deepEqual(await manifestFile(world.ctx, world.caller, reference.toUpperCase()).then((f) => f.pdf), before.pdf, 'the same file on every download');
    world.clock.advance({ hours: 1, minutes: 15 });
    const [d] = await deallocateList(world.ctx, world.caller, [refs[1]]);
    assert.equal(d.kind, 'deallocated');
    const afterwards = await manifestFile(world.ctx, world.caller, reference);
    assert.equal(afterwards.manifest.bookingsCount, 2);
    const text = pdfText(afterwards.pdf);
    const line = (ref: string) => text.split('\n').find((l) => l.includes(ref)) ?? '';
    assert.match(line(refs[1]), /WITHDRAWN 18\/11\/2026 10:15/);
    assert.doesNotMatch(line(refs[0]), /WITHDRAWN/);
    assert.match(text, /Totals: 2 consignment\(s\)/);
    assert.deepEqual((await memberships(refs)).map(([ref]) => ref).sort(), [refs[0], refs[2]].sort());
  });

  it('takes a cancelled ManifestFailed consignment’s leg off the manifest it was on', async () => {
    script('NORTHERN_PARCELS');
    script('EUROLINK').answer = () => 'refuse';
    const [ref] = await allocated('EL-EU-ROAD', 1, TO_FRANCE);
    await manifest([ref]);
    assert.equal((await memberships([ref])).length, 1);
    const [c] = await cancelList(world.ctx, world.caller, [ref]);
    assert.equal(c.kind, 'cancelled');
    assert.deepEqual(await memberships([ref]), []);
  });

  it('dispatches a Manifested consignment, dated, keeping it on its manifest; refuses any other state naming it', async () => {
    const [m, a] = await allocated(NEXT_DAY, 2);
    await manifest([m]);
    world.clock.advance({ hours: 7 });
    const outcomes = await dispatchConsignments(world.ctx, world.caller, [m, a]);
    assert.deepEqual(outcomes, [
      { kind: 'changed', reference: m },
      { kind: 'refused', reference: a, code: 'InvalidState', message: `Consignment ${a} cannot be dispatched: it is Allocated` },
    ]);
    const c = await stored(m);
    assert.equal(c.state, 'Dispatched');
    assert.equal(c.dispatchedAt, '2026-11-18T16:00:00.000+00:00');
    assert.equal((await memberships([m])).length, 1);
    assert.equal((await world.ctx.consignments.events(c.id)).at(-1)!.action, 'Dispatched');
  });

  it('has the database itself refuse a second live membership of one consignment leg, and allow one after a withdrawal', async () => {
    const [ref] = await allocated(NEXT_DAY);
    await manifest([ref]);
    const db = world.ctx.database.db;
    const member = await db.selectFrom('manifest_members').selectAll().where('consignment_id', '=', (await stored(ref)).id).executeTakeFirstOrThrow();
    const again = { ...member, position: member.position + 10_000 };
    await assert.rejects(db.insertInto('manifest_members').values(again).execute(), /unique|duplicate/i);
    await db.updateTable('manifest_members').set({ withdrawn_at: '2026-11-18T10:00:00+00:00' }).where('manifest_id', '=', member.manifest_id).where('position', '=', member.position).execute();
    await db.insertInto('manifest_members').values(again).execute();
  });

  it('puts each consignment on exactly one manifest when two requests (two processes on PostgreSQL) manifest the same ones at once', async () => {
    // SQLite has one writer: Switchyard runs one process on a file, so the race is between two
    // requests of that process. PostgreSQL serves several processes: the race is between two.
    const other = world.ctx.database.kind === 'postgres' ? await world.secondProcess() : world.ctx;
    const refs = await allocated(NEXT_DAY, 30);
    const reversed = [...refs].reverse();
    const [mine, theirs] = await Promise.all([manifest(refs), manifestConsignments(other, world.caller, reversed)]);
    const won = new Map<string, number>();
    for (const o of [...mine, ...theirs]) {
      if (o.kind === 'manifested') won.set(o.reference, (won.get(o.reference) ?? 0) + 1);
      else assert.equal(o.kind === 'invalidState' && o.message, `Consignment ${o.reference} cannot be manifested: it is Manifested`);
    }
    for (const ref of refs) assert.equal(won.get(ref), 1, `${ref} manifested by exactly one request`);
    const on = await memberships(refs);
    assert.deepEqual(on.map(([ref]) => ref).sort(), [...refs].sort(), 'each on exactly one manifest');
    for (const ref of refs) assert.equal((await stored(ref)).state, 'Manifested');
  });
});
