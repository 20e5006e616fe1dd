/**
 * Booking journeys with carriers through the allocation use-cases, on a real database, with
 * scripted carriers: a journey is booked whole or not at all, a refusal is the consignment's
 * failure reason, an unreachable carrier changes nothing, and no booking is ever left behind.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { CreateConsignmentRequest } from '../../src/contract/consignments.js';
import { allocateConsignments, type AllocationOutcome, type AllocationTarget } from '../../src/use-cases/allocate.js';
import { defaultRulesTarget } from '../../src/use-cases/allocation-targets.js';
import { requireEnabledService } from '../../src/use-cases/carrier-services.js';
import { createConsignment } from '../../src/use-cases/create-consignment.js';
import { retryDueCancellations } from '../../src/use-cases/carrier-cancellations.js';
import { consignmentRequest, type ConsignmentSpec } from '../support/consignments.js';
import { ScriptedConnector } from '../support/scripted-connector.js';
import { databaseUnderTest, openWorld, skipReason, type UseCaseWorld } from '../support/use-case-context.js';

/** A parcel to France: EL-EU-ROAD carries it in two legs, NORTHERN_PARCELS to Dover, then EUROLINK. */
const TO_FRANCE: ConsignmentSpec = { destination: { country: 'FR', postcode: '75001', town: 'Paris' }, packages: [{ kg: 2 }, { kg: 3 }] };

describe(`Booking journeys with carriers (${databaseUnderTest})`, { skip: skipReason }, () => {
  let world: UseCaseWorld;
  let trunk: ScriptedConnector;
  let road: ScriptedConnector;
  let domestic: ScriptedConnector;

  before(async () => {
    world = await openWorld();
  });
  after(() => world.close());
  beforeEach(async () => {
    // Each test's background work is its own.
    await world.ctx.database.db.deleteFrom('carrier_cancellations').execute();
    trunk = new ScriptedConnector('NORTHERN_PARCELS');
    road = new ScriptedConnector('EUROLINK');
    domestic = new ScriptedConnector('CARRIER_X');
    world.ctx.carriers.replace('NORTHERN_PARCELS', trunk);
    world.ctx.carriers.replace('EUROLINK', road);
    world.ctx.carriers.replace('CARRIER_X', domestic);
  });

  async function consignment(spec: ConsignmentSpec = {}): Promise<string> {
    return (await createConsignment(world.ctx, world.caller, consignmentRequest(spec) as unknown as CreateConsignmentRequest)).reference;
  }

  function service(reference: string): AllocationTarget {
    return { kind: 'service', service: requireEnabledService(world.ctx, world.caller, reference) };
  }

  async function allocate(target: AllocationTarget, references: string[]): Promise<AllocationOutcome[]> {
    const outcomes: AllocationOutcome[] = [];
    for await (const o of allocateConsignments(world.ctx, world.caller, target, references)) outcomes.push(o);
    return outcomes;
  }

  async function stored(reference: string) {
    return (await world.ctx.consignments.findByReference(world.caller.subscriptionId, reference))!;
  }

  async function pendingCancellations(reference: string) {
    const c = await stored(reference);
    return world.ctx.carrierCancellations.forConsignment(world.caller.subscriptionId, c.id);
  }

  it('books every leg of a two-leg journey, one tracking reference per package per leg, and keeps the carriers’ warnings', async () => {
    const ref = await consignment(TO_FRANCE);
    const [outcome] = await allocate(service('EL-EU-ROAD'), [ref]);
    assert.equal(outcome.kind, 'allocated', outcome.description);
    const legs = (await stored(ref)).allocation!.legs;
    assert.deepEqual(
      legs.map((l) => [l.leg, l.carrierReference, l.trackingReferences.length]),
      [
        [1, 'NORTHERN_PARCELS', 2],
        [2, 'EUROLINK', 2],
      ],
    );
    assert.deepEqual(legs[0].carrierMessages, [{ severity: 'warning', code: 'W1', text: 'collection may be late' }]);
    assert.equal(trunk.bookings[0].shipment.consignmentReference, ref, 'the carrier is given our reference');
    assert.equal(road.bookings[0].legNumber, 2);
  });

  it('releases leg 1 when leg 2 cannot be booked (the carrier refuses), and fails the consignment with the carrier’s reason', async () => {
    const ref = await consignment(TO_FRANCE);
    road.bookAs = () => 'refuse';
    const [outcome] = await allocate(service('EL-EU-ROAD'), [ref]);
    assert.equal(outcome.kind, 'failed');
    assert.ok(outcome.kind === 'failed');
    assert.deepEqual(outcome.reasons.map((r) => r.Code), ['CarrierRefused']);
    assert.match(outcome.reasons[0].Message, /^EuroLink .*refused to book leg 2 \(EU Road\): no capacity on that day$/);
    assert.deepEqual(trunk.cancelledReferences(), trunk.booked[0], "leg 1's booking is cancelled");
    assert.equal(road.cancellations.length, 0, 'a refused leg has nothing to cancel');
    const c = await stored(ref);
    assert.equal(c.state, 'AllocationFailed');
    assert.equal(c.allocation, null);
    assert.deepEqual(await pendingCancellations(ref), [], 'nothing is left to cancel');
  });

  it('releases leg 1 when leg 2’s carrier is unreachable, cancels the leg 2 booking whose answer was lost by its own booking reference once it can no longer land, and changes nothing', async () => {
    const ref = await consignment(TO_FRANCE);
    const before = await stored(ref);
    road.bookAs = () => 'unreachable';
    const [outcome] = await allocate(service('EL-EU-ROAD'), [ref]);
    assert.equal(outcome.kind, 'carrierUnavailable');
    assert.match(outcome.description, /EuroLink .*is unavailable .*nothing was changed, try again later$/);
    assert.deepEqual(trunk.cancelledReferences(), trunk.booked[0]);
    assert.equal(trunk.cancellations[0].bookingReference, trunk.bookings[0].bookingReference);
    assert.equal(road.cancellations.length, 0, 'not at once: the booking may still be landing');
    const [lost] = await pendingCancellations(ref);
    assert.deepEqual([lost.reason, lost.bookingReference, lost.trackingReferences], ['AnswerLost', road.bookings[0].bookingReference, []]);
    const after = await stored(ref);
    assert.equal(after.state, 'Unallocated');
    assert.equal(after.version, before.version, 'nothing was written to the consignment');
    world.clock.advance({ seconds: 1 }); // past the carrier's 200 ms time limit
    road.bookAs = () => 'succeed';
    assert.equal((await retryDueCancellations(world.ctx)).cancelled, 1);
    assert.deepEqual(road.cancellations.map((c) => [c.consignmentReference, c.legNumber, c.bookingReference, c.trackingReferences]), [[ref, 2, road.bookings[0].bookingReference, []]]);
  });

  it('never cancels a later booking of the same leg when it cancels one whose answer was lost: each attempt has its own reference', async () => {
    const ref = await consignment();
    domestic.bookAs = (n) => (n === 0 ? 'unreachable' : 'succeed');
    assert.equal((await allocate(service('Example-Carrier-Service'), [ref]))[0].kind, 'carrierUnavailable');
    const [retried] = await allocate(service('Example-Carrier-Service'), [ref]);
    assert.equal(retried.kind, 'allocated', 'the same request, sent again, books');
    const [first, second] = domestic.bookings.map((b) => b.bookingReference);
    assert.notEqual(first, second);
    assert.equal((await stored(ref)).allocation!.legs[0].bookingReference, second);
    world.clock.advance({ seconds: 1 });
    await retryDueCancellations(world.ctx);
    assert.deepEqual(domestic.cancellations.map((c) => c.bookingReference), [first], 'only the lost booking is cancelled');
  });
  it('does not ask a carrier that refused the connection to cancel anything: the request never arrived', async () => {
    const ref = await consignment(TO_FRANCE);
    road.bookAs = () => 'refused-connection';
    const [outcome] = await allocate(service('EL-EU-ROAD'), [ref]);
    assert.equal(outcome.kind, 'carrierUnavailable');
    assert.deepEqual(trunk.cancelledReferences(), trunk.booked[0]);
    assert.deepEqual(await pendingCancellations(ref), [], 'nothing is left to cancel');
    world.clock.advance({ minutes: 1 });
    await retryDueCancellations(world.ctx);
    assert.equal(road.cancellations.length, 0);
  });

  it('gives up on a carrier that does not answer within its time limit, even one that ignores the abort signal', async () => {
    const ref = await consignment();
    domestic.bookAs = () => 'hang';
    const started = Date.now();
    const [outcome] = await allocate(service('Example-Carrier-Service'), [ref]);
    assert.equal(outcome.kind, 'carrierUnavailable');
    assert.match(outcome.description, /did not answer a booking of consignment .* within 200 ms/);
    assert.ok(Date.now() - started < 10_000, 'the deadline, not the connector, ended the wait');
    assert.equal((await stored(ref)).state, 'Unallocated');
    const [lost] = await pendingCancellations(ref);
    assert.deepEqual([lost.reason, lost.bookingReference], ['AnswerLost', domestic.bookings[0].bookingReference], 'the booking it may have made is cancelled by its reference');
  });

  it('treats a connector that throws as an unavailable carrier, not a server error', async () => {
    const ref = await consignment();
    domestic.bookAs = () => 'throw';
    const [outcome] = await allocate(service('Example-Carrier-Service'), [ref]);
    assert.equal(outcome.kind, 'carrierUnavailable');
    assert.equal((await stored(ref)).state, 'Unallocated');
  });

  it('stops asking an unreachable carrier within one request: a batch answers at once for the rest', async () => {
    const refs: string[] = [];
    for (let i = 0; i < 12; i++) refs.push(await consignment());
    domestic.bookAs = () => 'unreachable';
    const outcomes = await allocate(service('Example-Carrier-Service'), refs);
    assert.deepEqual(new Set(outcomes.map((o) => o.kind)), new Set(['carrierUnavailable']));
    // Only those already in flight when the first failed were tried: one on SQLite, at most the 8 run at once on PostgreSQL.
    assert.ok(domestic.bookings.length <= (world.ctx.database.kind === 'sqlite' ? 1 : 8), `${domestic.bookings.length} bookings tried`);
  });

  it('tries the next cheapest service when the carrier of the cheapest refuses, and records why the refused one is out when none is left', async () => {
    const ref = await consignment();
    domestic.bookAs = () => 'refuse'; // every CARRIER_X service, the cheapest ones among them
    const [outcome] = await allocate(defaultRulesTarget(world.ctx, world.caller), [ref]);
    assert.equal(outcome.kind, 'allocated', outcome.description);
    assert.ok(outcome.kind === 'allocated');
    assert.equal(outcome.allocation.carrierReference, 'NORTHERN_PARCELS');
    assert.ok(domestic.bookings.length >= 1);

    const other = await consignment();
    trunk.bookAs = () => 'refuse';
    const [failed] = await allocate(defaultRulesTarget(world.ctx, world.caller), [other]);
    assert.equal(failed.kind, 'failed');
    assert.ok(failed.kind === 'failed');
    const refused = failed.reasons.filter((r) => r.Code === 'CarrierRefused').map((r) => r.MpdCarrierServiceReference);
    assert.ok(refused.includes('CX-DROPOFF-48') && refused.includes('NP-PARCEL-48'), failed.description);
    assert.equal((await stored(other)).state, 'AllocationFailed');
  });

  it('releases a booking that lost the race: the consignment was allocated by someone else meanwhile', async () => {
    const ref = await consignment();
    const target = service('Example-Carrier-Service');
    // While the first booking is in flight, another request allocates the same consignment, to another service, first.
    domestic.whileBooking = (n) => (n === 0 ? allocate(service('CX-ECONOMY-48'), [ref]) : undefined);
    const [outcome] = await allocate(target, [ref]);
    assert.equal(outcome.kind, 'invalidState', outcome.description);
    const c = await stored(ref);
    assert.equal(c.allocation?.mpdCarrierServiceReference, 'CX-ECONOMY-48');
    // The losing booking (Example-Carrier-Service's) is cancelled; the winner's stays.
    const lost = domestic.booked.find((refs) => !c.allocation!.legs[0].trackingReferences.includes(refs[0]))!;
    assert.deepEqual(domestic.cancelledReferences(), lost);
  });

  it('leaves a release the carrier does not confirm to the background job, which makes it later', async () => {
    const ref = await consignment(TO_FRANCE);
    road.bookAs = () => 'refuse';
    trunk.cancelAs = (n) => (n === 0 ? 'unreachable' : 'succeed');
    await allocate(service('EL-EU-ROAD'), [ref]);
    const [pending] = await pendingCancellations(ref);
    assert.equal(pending.state, 'pending');
    assert.equal(pending.reason, 'BookingUndone');
    assert.deepEqual(pending.trackingReferences, trunk.booked[0]);
    assert.equal((await retryDueCancellations(world.ctx)).cancelled, 0, 'not yet due');
    world.clock.advance({ seconds: 6 });
    assert.deepEqual(await retryDueCancellations(world.ctx), { cancelled: 1, retrying: 0, refused: 0, abandoned: 0, lost: 0 });
    assert.deepEqual(await pendingCancellations(ref), []);
    assert.deepEqual(trunk.cancelledReferences(), [...trunk.booked[0], ...trunk.booked[0]]);
  });

  describe('with a carrier that keeps bookings, each booking is written down before it is made', () => {
    it('deletes the in-flight rows with the allocation that records the bookings', async () => {
      const ref = await consignment(TO_FRANCE);
      let during: unknown[] = [];
      road.whileBooking = async () => (during = await pendingCancellations(ref));
      assert.equal((await allocate(service('EL-EU-ROAD'), [ref]))[0].kind, 'allocated');
      assert.deepEqual(
        (during as { reason: string; leg: number; bookingReference: string }[]).map((r) => [r.reason, r.leg, r.bookingReference]),
        [
          ['InFlight', 1, trunk.bookings[0].bookingReference],
          ['InFlight', 2, road.bookings[0].bookingReference],
        ],
        'while leg 2 was being booked, both legs were written down',
      );
      assert.deepEqual(await pendingCancellations(ref), [], 'recorded: nothing left to cancel');
      world.clock.advance({ hours: 1 });
      await retryDueCancellations(world.ctx);
      assert.equal(trunk.cancellations.length + road.cancellations.length, 0);
    });

    it('cancels, once its lease has expired, a booking whose process stalled before recording it; the stalled process then records nothing', async () => {
      const ref = await consignment();
      // A carrier with time to wait: the stall below must outlast the lease (moved by the clock), never a real-time limit on a busy machine.
      domestic = new ScriptedConnector('CARRIER_X', 30_000);
      world.ctx.carriers.replace('CARRIER_X', domestic);
      // The booking process stalls while the carrier books (as a process that stopped would): it is not answered until `resume`.
      let resume!: () => void;
      const stalled = new Promise<void>((resolve) => (resume = resolve));
      domestic.whileBooking = (n) => (n === 0 ? stalled : undefined);
      domestic.bookAs = (n) => (n === 0 ? 'succeed' : 'refuse');
      const allocation = allocate(service('Example-Carrier-Service'), [ref]);
      for (let i = 0; i < 200 && domestic.bookings.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
      const [inFlight] = await pendingCancellations(ref);
      assert.deepEqual([inFlight.reason, inFlight.bookingReference], ['InFlight', domestic.bookings[0].bookingReference]);
      // Another process's background job: nothing while the lease holds, the cancellation once it has expired.
      const other = await world.secondProcess();
      const otherCarrier = new ScriptedConnector('CARRIER_X');
      other.carriers.replace('CARRIER_X', otherCarrier);
      assert.equal((await retryDueCancellations(other)).cancelled, 0, 'held by the booking process');
      world.clock.advance({ minutes: 3 });
      assert.equal((await retryDueCancellations(other)).cancelled, 1);
      assert.deepEqual(otherCarrier.cancellations.map((c) => [c.bookingReference, c.trackingReferences]), [[domestic.bookings[0].bookingReference, []]]);
      // The stalled process wakes up with its booking: it no longer holds it, so it does not record it, and decides again.
      resume();
      const [outcome] = await allocation;
      assert.equal(outcome.kind, 'failed', outcome.description);
      const c = await stored(ref);
      assert.equal(c.state, 'AllocationFailed');
      assert.equal(c.allocation, null, 'the cancelled booking was never recorded');
      assert.equal(domestic.bookings.length, 2);
    });
  });
});
