/**
 * Allocation when several requests and processes race for the same consignments, through the
 * use-cases on one real database: each consignment is allocated once, every answer agrees with
 * what was stored, and the losers' bookings are released.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CreateConsignmentRequest } from '../../src/contract/consignments.js';
import { allocateConsignments, type AllocationOutcome, type AllocationTarget } from '../../src/use-cases/allocate.js';
import type { AppContext } from '../../src/use-cases/app-context.js';
import { requireEnabledService } from '../../src/use-cases/carrier-services.js';
import { createConsignment } from '../../src/use-cases/create-consignment.js';
import { consignmentRequest } from '../support/consignments.js';
import { ScriptedConnector } from '../support/scripted-connector.js';
import { databaseUnderTest, openWorld, skipReason, type UseCaseWorld } from '../support/use-case-context.js';

describe(`Allocation races (${databaseUnderTest})`, { skip: skipReason }, () => {
  let world: UseCaseWorld;
  let other: AppContext;
  // Two connectors for the same carrier, one per process, numbering their bookings apart.
  const carriers = { here: new ScriptedConnector('HERE'), there: new ScriptedConnector('THERE') };

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
});
