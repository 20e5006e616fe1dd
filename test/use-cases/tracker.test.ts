/**
 * The tracker as a use-case (decisions.md §12), against a real database with a clock the test
 * moves and the carrier's connector wrapped or scripted: it asks about a manifested leg and asks
 * again only after the carrier's interval, for the events after its last answer; a carrier that
 * cannot be reached leaves the leg to be asked again; a leg whose consignment no longer takes
 * events is not asked about; and a process that stops does not wait for a carrier that hangs.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CarrierUnreachable, type CallOptions, type CarrierConnector, type TrackRequest, type TrackResult } from '../../src/carriers/connector.js';
import type { CreateConsignmentRequest } from '../../src/contract/consignments.js';
import { allocateConsignments } from '../../src/use-cases/allocate.js';
import { requireEnabledService } from '../../src/use-cases/carrier-services.js';
import { createConsignment } from '../../src/use-cases/create-consignment.js';
import { deallocateList } from '../../src/use-cases/deallocate.js';
import { manifestConsignments } from '../../src/use-cases/manifest-consignments.js';
import { trackDueLegs } from '../../src/use-cases/tracker.js';
import { NEVER } from '../../src/store/tracking.repository.js';
import { consignmentRequest } from '../support/consignments.js';
import { databaseUnderTest, openWorld, skipReason, type UseCaseWorld } from '../support/use-case-context.js';

const NEXT_DAY = 'Example-Carrier-Service';
const CARRIER = 'CARRIER_X';

/** The real connector, with its track calls counted, or answered by `answer` when one is set. */
class TrackScript implements CarrierConnector {
  readonly capabilities;
  readonly timeoutMs;
  readonly keepsBookings;
  readonly trackingIntervalMs;
  calls: TrackRequest[] = [];
  answer: ((request: TrackRequest, options: CallOptions) => Promise<TrackResult>) | null = null;

  constructor(private readonly real: CarrierConnector) {
    this.capabilities = real.capabilities;
    this.timeoutMs = real.timeoutMs;
    this.keepsBookings = real.keepsBookings;
    this.trackingIntervalMs = real.trackingIntervalMs;
    for (const op of ['book', 'cancel', 'documents', 'manifest'] as const) if (real[op]) (this as any)[op] = real[op]!.bind(real);
  }

  async track(request: TrackRequest, options: CallOptions): Promise<TrackResult> {
    this.calls.push(request);
    return this.answer ? this.answer(request, options) : this.real.track!(request, options);
  }
}

describe(`The tracker (${databaseUnderTest})`, { skip: skipReason }, () => {
  let world: UseCaseWorld;
  let script: TrackScript;
  let real: CarrierConnector;

  before(async () => {
    world = await openWorld();
    real = world.ctx.carriers.connectorFor(world.ctx.catalogue.carrier(CARRIER)!);
  });
  after(() => world.close());
  beforeEach(() => {
    script = new TrackScript(real);
    world.ctx.carriers.replace(CARRIER, script);
  });

  async function manifested(): Promise<string> {
    const { ctx, caller } = world;
    const ref = (await createConsignment(ctx, caller, consignmentRequest() as unknown as CreateConsignmentRequest)).reference;
    for await (const o of allocateConsignments(ctx, caller, { kind: 'service', service: requireEnabledService(ctx, caller, NEXT_DAY) }, [ref])) assert.equal(o.kind, 'allocated', JSON.stringify(o));
    const [m] = await manifestConsignments(ctx, caller, [ref]);
    assert.equal(m.kind, 'manifested', JSON.stringify(m));
    return ref;
  }

  const legOf = async (ref: string) =>
    world.ctx.database.db
      .selectFrom('tracked_legs')
      .innerJoin('consignments', 'consignments.id', 'tracked_legs.consignment_id')
      .select(['tracked_legs.polls', 'tracked_legs.next_poll_at', 'tracked_legs.last_polled_at', 'tracked_legs.last_error', 'tracked_legs.lease_owner'])
      .where('consignments.reference', '=', ref)
      .executeTakeFirstOrThrow();
  const asked = (ref: string) => script.calls.filter((c) => c.shipments.some((s) => s.consignmentReference === ref));
  const state = async (ref: string) => (await world.ctx.consignments.findByReference(world.caller.subscriptionId, ref))!.state;

  it('asks about a manifested leg at once, then only after the carrier’s interval, for the events after its last answer', async () => {
    const ref = await manifested();
    await trackDueLegs(world.ctx);
    assert.equal(asked(ref).length, 1);
    assert.equal(asked(ref)[0].shipments[0].since, null);
    await trackDueLegs(world.ctx);
    assert.equal(asked(ref).length, 1, 'not due again yet');
    const first = await legOf(ref);
    assert.equal(first.lease_owner, null);
    world.clock.advance({ milliseconds: real.trackingIntervalMs! });
    await trackDueLegs(world.ctx);
    assert.equal(asked(ref).length, 2);
    assert.equal(asked(ref)[1].shipments[0].since, first.last_polled_at);
    assert.equal(await state(ref), 'Manifested', 'nothing has happened yet');
    // Past the delivery: the whole history, and the leg is finished.
    world.clock.advance({ days: 3 });
    await trackDueLegs(world.ctx);
    assert.equal(await state(ref), 'Delivered');
    assert.equal((await legOf(ref)).next_poll_at, NEVER);
    world.clock.advance({ days: 1 });
    await trackDueLegs(world.ctx);
    assert.equal(asked(ref).length, 3, 'a delivered consignment is not asked about again');
    world.clock.advance({ days: -4 });
  });

  it('asks again after the interval about a leg whose carrier could not be reached, recording nothing', async () => {
    const ref = await manifested();
    script.answer = async () => {
      throw new CarrierUnreachable(CARRIER, 'connection refused', { mayHaveActed: false });
    };
    const summary = await trackDueLegs(world.ctx);
    assert.ok(summary.failed >= 1);
    const leg = await legOf(ref);
    assert.match(leg.last_error ?? '', /connection refused/);
    assert.equal(leg.last_polled_at, null, 'the same events are asked for next time');
    assert.equal(leg.lease_owner, null);
    script.answer = null;
    world.clock.advance({ milliseconds: real.trackingIntervalMs! });
    await trackDueLegs(world.ctx);
    assert.equal(asked(ref).length, 2);
    assert.equal((await legOf(ref)).last_error, null);
  });

  it('records what it can of an answer with odd events, and never lets one hold the legs', async () => {
    const ref = await manifested();
    script.answer = async (request) => {
      const tracking = request.shipments.find((s) => s.consignmentReference === ref)!.trackingReferences[0];
      const event = (timeStamp: string, code: string, description: string) => ({ trackingReference: tracking, code, timeStamp, description, location: 'Hub\u0000', signedBy: null });
      return {
        events: [
          event('2026-11-18T17:30:00+00:00', 'COLLECTED', 'Collected\u0000 at the depot'),
          event('+275760-09-13T00:00:00-01:00', 'DELIVERED', 'a moment no calendar stores'),
          event('9999-12-31T23:59:59-05:00', 'DELIVERED', 'past the years a moment may have'),
          event('2026-11-18T18:00:00+00:00', 'IN_TRANSIT', 'x'.repeat(5000)),
        ],
        messages: [],
      };
    };
    world.clock.advance({ hours: 9 });
    try {
      await trackDueLegs(world.ctx);
    } finally {
      world.clock.advance({ hours: -9 });
    }
    assert.equal(await state(ref), 'InTransit', 'the two good events recorded, the impossible moments ignored');
    const c = (await world.ctx.consignments.findByReference(world.caller.subscriptionId, ref))!;
    const events = await world.ctx.tracking.eventsOf(world.caller.subscriptionId, c.id);
    assert.deepEqual(events.map((e) => e.code), ['COLLECTED', 'IN_TRANSIT']);
    assert.equal(events[0].description, 'Collected at the depot', 'a NUL a carrier sends is dropped, not a failed round');
    assert.equal(events[0].location, 'Hub');
    assert.equal(events[1].description?.length, 1000);
    const leg = await legOf(ref);
    assert.equal(leg.lease_owner, null, 'the leg is released');
    assert.equal(leg.last_error, null);
  });

  it('does not ask about a leg whose consignment no longer takes events (deallocated)', async () => {
    const ref = await manifested();
    const [d] = await deallocateList(world.ctx, world.caller, [ref]);
    assert.equal(d.kind, 'deallocated', JSON.stringify(d));
    await trackDueLegs(world.ctx);
    assert.equal(asked(ref).length, 0);
    const left = await world.ctx.database.db.selectFrom('tracked_legs').innerJoin('consignments', 'consignments.id', 'tracked_legs.consignment_id').select('tracked_legs.id').where('consignments.reference', '=', ref).execute();
    assert.deepEqual(left, [], 'the deallocation forgot its tracked legs');
  });

  it('never lands an answer about a released booking on the new one (deallocated and manifested again while it was asked)', async () => {
    const ref = await manifested();
    const { ctx, caller } = world;
    script.answer = async (request) => {
      const old = request.shipments.find((s) => s.consignmentReference === ref)!.trackingReferences[0];
      const [d] = await deallocateList(ctx, caller, [ref]);
      assert.equal(d.kind, 'deallocated');
      for await (const o of allocateConsignments(ctx, caller, { kind: 'service', service: requireEnabledService(ctx, caller, NEXT_DAY) }, [ref])) assert.equal(o.kind, 'allocated');
      assert.equal((await manifestConsignments(ctx, caller, [ref]))[0].kind, 'manifested');
      return { events: [{ trackingReference: old, code: 'COLLECTED', timeStamp: '2026-11-18T08:00:00+00:00', description: 'the old booking', location: null, signedBy: null }], messages: [] };
    };
    await trackDueLegs(ctx);
    assert.equal(await state(ref), 'Manifested', 'the old number’s event is not the new booking’s');
    const c = (await ctx.consignments.findByReference(caller.subscriptionId, ref))!;
    assert.deepEqual(await ctx.tracking.eventsOf(caller.subscriptionId, c.id), []);
  });

  it('stops promptly when the process stops: a carrier call that hangs is aborted and the leg left for later', { timeout: 30_000 }, async () => {
    const ref = await manifested();
    const stopping = new AbortController();
    let started!: () => void;
    const calling = new Promise<void>((r) => (started = r));
    script.answer = (_request, { signal }) =>
      new Promise((_resolve, reject) => {
        started();
        signal.addEventListener('abort', () => reject(new CarrierUnreachable(CARRIER, 'aborted')), { once: true });
      });
    const run = trackDueLegs(world.ctx, stopping.signal);
    await calling;
    stopping.abort();
    await run;
    const leg = await legOf(ref);
    assert.equal(leg.lease_owner, null, 'the lease is given back');
    assert.equal(await state(ref), 'Manifested');
  });
});
