/**
 * Allocation when several requests and processes race for the same consignments, through the
 * use-cases on one real database: each consignment is allocated once, every answer agrees with
 * what was stored, and the losers' bookings are released. Both ways of writing are raced: a group
 * commit of a slice (carriers that keep no bookings) and one write per consignment with its
 * in-flight booking rows (carriers that keep them).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreateConsignmentRequest } from '../../src/contract/consignments.js';
import { allocateConsignments, type AllocationOutcome, type AllocationTarget } from '../../src/use-cases/allocate.js';
import type { AppContext } from '../../src/use-cases/app-context.js';
import { requireEnabledService } from '../../src/use-cases/carrier-services.js';
import { cancelConsignment } from '../../src/use-cases/cancel-consignment.js';
import { createConsignment } from '../../src/use-cases/create-consignment.js';
import { consignmentRequest } from '../support/consignments.js';
import { ScriptedConnector } from '../support/scripted-connector.js';
import { databaseUnderTest, openWorld, skipReason, type UseCaseWorld } from '../support/use-case-context.js';

for (const keepsBookings of [true, false]) describe(`Allocation races (${databaseUnderTest}), ${keepsBookings ? 'a carrier that keeps bookings: one write each' : 'a carrier that keeps none: group commits'}`, { skip: skipReason }, () => {
  let world: UseCaseWorld;
  let other: AppContext;
  // Two connectors for the same carrier, one per process, numbering their bookings apart.
  const carriers = { here: new ScriptedConnector('HERE', 200, keepsBookings), there: new ScriptedConnector('THERE', 200, keepsBookings) };

  before(async () => {
    world = await openWorld();
    // SQLite has one writer: Switchyard runs one process on a file, so the race is between two
    // requests of that process. PostgreSQL serves several processes: the race is between two.
    other = world.ctx.database.kind === 'postgres' ? await world.secondProcess() : world.ctx;
    world.ctx.carriers.replace('CARRIER_X', carriers.here);
    if (other !== world.ctx) other.carriers.replace('CARRIER_X', carriers.there);
  });
  after(() => world.close());

  async function allocate(ctx: AppContext, service: string, references: string[]): Promise<AllocationOutcome[]> {
    const target: AllocationTarget = { kind: 'service', service: requireEnabledService(ctx, world.caller, service) };
    const outcomes: AllocationOutcome[] = [];
    for await (const o of allocateConsignments(ctx, world.caller, target, references)) outcomes.push(o);
    return outcomes;
  }

  it('allocates each consignment exactly once when two requests (two processes on PostgreSQL) allocate the same ones to two services at once, releasing every losing booking', async () => {
    const references: string[] = [];
    for (let i = 0; i < 30; i++) references.push((await createConsignment(world.ctx, world.caller, consignmentRequest() as unknown as CreateConsignmentRequest)).reference);
    const [here, there] = await Promise.all([allocate(world.ctx, 'Example-Carrier-Service', references), allocate(other, 'CX-ECONOMY-48', [...references].reverse())]);
    const mineByReference = new Map(here.map((o) => [o.reference, o]));
    const theirsByReference = new Map(there.map((o) => [o.reference, o]));
    for (const reference of references) {
      const stored = (await world.ctx.consignments.findByReference(world.caller.subscriptionId, reference))!;
      assert.equal(stored.state, 'Allocated');
      const winner = stored.allocation!.mpdCarrierServiceReference;
      const mine = mineByReference.get(reference)!;
      const theirs = theirsByReference.get(reference)!;
      // The process whose service won says allocated; the other says the state does not allow it.
      assert.deepEqual(
        [mine.kind, theirs.kind].sort(),
        ['allocated', 'invalidState'],
        `${reference}: ${mine.description} / ${theirs.description}`,
      );
      assert.equal((winner === 'Example-Carrier-Service' ? mine : theirs).kind, 'allocated');
      const events = await world.ctx.consignments.events(stored.id);
      assert.deepEqual(events.map((e) => e.action), ['Created', 'Allocated'], 'one allocation in the audit trail');
    }
    // Every booking made is either the stored allocation's or was cancelled.
    const stored = new Set<string>();
    for (const reference of references) for (const t of (await world.ctx.consignments.findByReference(world.caller.subscriptionId, reference))!.allocation!.legs[0].trackingReferences) stored.add(t);
    const booked = [...carriers.here.booked.flat(), ...carriers.there.booked.flat()];
    assert.ok(booked.length > references.length, 'both requests booked some consignments');
    const cancelled = new Set([...carriers.here.cancelledReferences(), ...carriers.there.cancelledReferences()]);
    for (const t of booked) assert.ok(stored.has(t) !== cancelled.has(t), `${t} is either kept or cancelled, not both or neither`);
    assert.ok(cancelled.size > 0, 'some bookings lost their race, so the release was exercised');
  });

  it('writes the rest of a group when one of its consignments changed after it was decided: that one is decided again on its own, and its booking released', async () => {
    const references: string[] = [];
    for (let i = 0; i < 12; i++) references.push((await createConsignment(world.ctx, world.caller, consignmentRequest() as unknown as CreateConsignmentRequest)).reference);
    const changed = references[3];
    const first = carriers.here.bookings.length;
    // While the last one is being booked, the fourth (already decided and booked) is cancelled.
    carriers.here.whileBooking = (n) => (n === first + references.length - 1 ? cancelConsignment(world.ctx, world.caller, changed) : undefined);
    try {
      const outcomes = await allocate(world.ctx, 'Example-Carrier-Service', references);
      assert.deepEqual(outcomes.map((o) => o.reference), references, 'one outcome per consignment, in order');
      for (const [i, o] of outcomes.entries()) {
        const stored = (await world.ctx.consignments.findByReference(world.caller.subscriptionId, references[i]))!;
        if (references[i] === changed) {
          assert.equal(o.kind, 'invalidState', o.description);
          assert.equal(stored.state, 'Cancelled');
          assert.equal(stored.allocation, null);
        } else {
          assert.equal(o.kind, 'allocated', o.description);
          assert.equal(stored.state, 'Allocated');
          assert.deepEqual(stored.allocation!.legs[0].trackingReferences, o.kind === 'allocated' ? o.allocation.legs[0].trackingReferences : null, 'the answer is what was stored');
        }
      }
      // Every booking here succeeds, so the n-th booking made the n-th tracking references.
      const changedBooking = carriers.here.booked[carriers.here.bookings.findIndex((b, n) => n >= first && b.shipment.consignmentReference === changed)];
      assert.ok(changedBooking, 'the changed consignment had been booked');
      assert.ok(carriers.here.cancelledReferences().includes(changedBooking[0]), 'and its booking was cancelled');
    } finally {
      carriers.here.whileBooking = () => undefined;
    }
  });
});
