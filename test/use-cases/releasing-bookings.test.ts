/**
 * Deallocating and cancelling release the carrier's bookings, and never leave one behind: the
 * cancellations are written with the change, made after it, and what the carrier does not confirm
 * is retried by the background job, whose leases let any number of processes share the work.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import type { CreateConsignmentRequest } from '../../src/contract/consignments.js';
import { allocateConsignments } from '../../src/use-cases/allocate.js';
import { cancelConsignment, cancelList } from '../../src/use-cases/cancel-consignment.js';
import { GIVE_UP_AFTER_MS, retryDueCancellations } from '../../src/use-cases/carrier-cancellations.js';
import { requireEnabledService } from '../../src/use-cases/carrier-services.js';
import { createConsignment } from '../../src/use-cases/create-consignment.js';
import { deallocateConsignment, deallocateList } from '../../src/use-cases/deallocate.js';
import { utcTimestamp } from '../../src/domain/dates.js';
import { consignmentRequest } from '../support/consignments.js';
import { ScriptedConnector } from '../support/scripted-connector.js';
import { databaseUnderTest, openWorld, skipReason, type UseCaseWorld } from '../support/use-case-context.js';

describe(`Releasing carrier bookings (${databaseUnderTest})`, { skip: skipReason }, () => {
  let world: UseCaseWorld;
  let carrier: ScriptedConnector;
  const logged: { level: number; msg: string }[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logged.push(JSON.parse(line));
        done();
      },
    });
    world = await openWorld({ logger: pino({ level: 'warn' }, sink) });
  });
  after(() => world.close());
  beforeEach(async () => {
    carrier = new ScriptedConnector('CARRIER_X');
    world.ctx.carriers.replace('CARRIER_X', carrier);
    logged.length = 0;
    // Each test's background work is its own.
    await world.ctx.database.db.deleteFrom('carrier_cancellations').execute();
  });

  /** An Allocated consignment with Example-Carrier-Service, and its tracking references. */
  async function allocated(): Promise<{ reference: string; tracking: string[] }> {
    const { reference } = await createConsignment(world.ctx, world.caller, consignmentRequest({ packages: [{}, {}] }) as unknown as CreateConsignmentRequest);
    const target = { kind: 'service' as const, service: requireEnabledService(world.ctx, world.caller, 'Example-Carrier-Service') };
    for await (const o of allocateConsignments(world.ctx, world.caller, target, [reference])) assert.equal(o.kind, 'allocated', o.description);
    return { reference, tracking: carrier.booked.at(-1)! };
  }

  async function stored(reference: string) {
    return (await world.ctx.consignments.findByReference(world.caller.subscriptionId, reference))!;
  }

  async function cancellations(reference: string) {
    return world.ctx.carrierCancellations.forConsignment(world.caller.subscriptionId, (await stored(reference)).id);
  }

  it('deallocates and cancels the booking at once when the carrier confirms, leaving nothing to do', async () => {
    const { reference, tracking } = await allocated();
    await deallocateConsignment(world.ctx, world.caller, reference);
    assert.equal((await stored(reference)).state, 'Unallocated');
    assert.deepEqual(carrier.cancellations.map((c) => [c.consignmentReference, c.legNumber, c.trackingReferences]), [[reference, 1, tracking]]);
    assert.deepEqual(await cancellations(reference), []);
  });

  it('deallocates even when the carrier cannot be reached, and the background job cancels the booking once it can', async () => {
    const { reference, tracking } = await allocated();
    carrier.cancelAs = (n) => (n < 2 ? 'unreachable' : 'succeed');
    await deallocateConsignment(world.ctx, world.caller, reference);
    assert.equal((await stored(reference)).state, 'Unallocated', 'the deallocation itself succeeded');
    const [pending] = await cancellations(reference);
    assert.equal(pending.state, 'pending');
    assert.equal(pending.reason, 'Deallocated');
    assert.equal(pending.attempts, 1);
    assert.deepEqual(pending.trackingReferences, tracking);
    assert.match(pending.lastError!, /answered 503/);
    assert.equal(pending.leaseOwner, null, 'released for any process to take');

    world.clock.advance({ seconds: 5 });
    assert.deepEqual(await retryDueCancellations(world.ctx), { cancelled: 0, retrying: 1, refused: 0, abandoned: 0, lost: 0 }, 'second attempt fails too');
    const [again] = await cancellations(reference);
    assert.equal(again.attempts, 2);
    assert.equal(again.nextAttemptAt, utcTimestamp(world.clock.now().plus({ seconds: 30 })), 'waits longer after each failure');

    world.clock.advance({ seconds: 29 });
    assert.deepEqual(await retryDueCancellations(world.ctx), { cancelled: 0, retrying: 0, refused: 0, abandoned: 0, lost: 0 }, 'not due yet');
    world.clock.advance({ seconds: 1 });
    assert.deepEqual(await retryDueCancellations(world.ctx), { cancelled: 1, retrying: 0, refused: 0, abandoned: 0, lost: 0 });
    assert.deepEqual(await cancellations(reference), []);
    assert.equal(carrier.cancellations.length, 3);
  });

  it('cancels a consignment the same way: Cancelled at once, the booking released later when the carrier is down', async () => {
    const { reference, tracking } = await allocated();
    carrier.cancelAs = () => 'unreachable';
    await cancelConsignment(world.ctx, world.caller, reference);
    assert.equal((await stored(reference)).state, 'Cancelled');
    const [pending] = await cancellations(reference);
    assert.equal(pending.reason, 'Cancelled');
    assert.deepEqual(pending.trackingReferences, tracking);
  });

  it('records a cancellation the carrier refuses as refused, logs it, and does not try it again', async () => {
    const { reference } = await allocated();
    carrier.cancelAs = () => 'refuse';
    await deallocateConsignment(world.ctx, world.caller, reference);
    const [refused] = await cancellations(reference);
    assert.equal(refused.state, 'refused');
    assert.match(refused.lastError!, /Carrier X refused the cancellation of consignment .*'s leg 1: already collected/);
    assert.ok(logged.some((l) => l.level === 40 && /refused the cancellation/.test(l.msg)));
    world.clock.advance({ hours: 2 });
    await retryDueCancellations(world.ctx);
    assert.equal(carrier.cancellations.length, 1);
  });

  it('gives a cancellation up after a week of failures, with an error in the log naming the booking', async () => {
    const { reference, tracking } = await allocated();
    carrier.cancelAs = () => 'unreachable';
    await deallocateConsignment(world.ctx, world.caller, reference);
    world.clock.advance({ milliseconds: GIVE_UP_AFTER_MS });
    assert.deepEqual(await retryDueCancellations(world.ctx), { cancelled: 0, retrying: 0, refused: 0, abandoned: 1, lost: 0 });
    const [abandoned] = await cancellations(reference);
    assert.equal(abandoned.state, 'abandoned');
    const error = logged.find((l) => l.level === 50)!;
    assert.match(error.msg, new RegExp(`gave up cancelling consignment ${reference}'s leg 1 booking: .*cancel it with the carrier by hand`));
    assert.deepEqual((error as unknown as { trackingReferences: string[] }).trackingReferences, tracking);
  });

  it('answers a deallocation list and a cancel list per consignment, refusing what cannot be done and what does not exist', async () => {
    const { reference } = await allocated();
    const results = await deallocateList(world.ctx, world.caller, [reference, reference.replace(/.$/, 'Z'), reference]);
    assert.deepEqual(
      results.map((r) => [r.kind, r.kind === 'refused' ? r.code : null]),
      [
        ['deallocated', null],
        ['refused', 'ConsignmentNotFound'],
        ['refused', 'InvalidState'],
      ],
    );
    const cancelled = await cancelList(world.ctx, world.caller, [reference]);
    assert.deepEqual(cancelled.map((r) => r.kind), ['cancelled']);
    const again = await cancelList(world.ctx, world.caller, [reference]);
    assert.deepEqual(again.map((r) => [r.kind, r.kind === 'refused' ? r.message : null]), [['refused', `Consignment ${reference} cannot be cancelled: it is Cancelled`]]);
  });

  it('lets one process only take each due cancellation, and another take it over once the lease has expired', async () => {
    const rows: string[] = [];
    carrier.cancelAs = () => 'unreachable';
    for (let i = 0; i < 6; i++) {
      const { reference } = await allocated();
      await deallocateConsignment(world.ctx, world.caller, reference);
      rows.push(reference);
    }
    const other = await world.secondProcess();
    world.clock.advance({ seconds: 5 });
    const now = utcTimestamp(world.clock.now());
    const until = utcTimestamp(world.clock.now().plus({ minutes: 1 }));
    // Both processes claim at once; each row goes to exactly one of them.
    const [mine, theirs] = await Promise.all([
      world.ctx.carrierCancellations.claim({ owner: world.ctx.instanceId, until }, now, 4),
      other.carrierCancellations.claim({ owner: other.instanceId, until }, now, 4),
    ]);
    const taken = [...mine, ...theirs].map((r) => r.id);
    assert.equal(taken.length, 6, 'every due row was taken');
    assert.equal(new Set(taken).size, 6, 'no row was taken twice');
    // A process that took rows and died holds them until its lease expires; then anyone may take them.
    assert.deepEqual(await retryDueCancellations(world.ctx).then((s) => s.retrying), 0, 'all leased');
    world.clock.advance({ minutes: 1, seconds: 1 });
    carrier.cancelAs = () => 'succeed';
    assert.deepEqual(await retryDueCancellations(world.ctx), { cancelled: 6, retrying: 0, refused: 0, abandoned: 0, lost: 0 });
    for (const reference of rows) assert.deepEqual(await cancellations(reference), []);
  });

  it('gives up the rows of a round that another process took over while it waited on a slow carrier: no second call for them, nothing of theirs overwritten', async () => {
    const first = await allocated();
    const second = await allocated();
    carrier.cancelAs = () => 'unreachable';
    await deallocateConsignment(world.ctx, world.caller, first.reference);
    await deallocateConsignment(world.ctx, world.caller, second.reference);
    world.clock.advance({ seconds: 5 });
    // The other process is open before the round starts: opening one takes longer than the carrier's hang.
    const other = await world.secondProcess();
    const otherCarrier = new ScriptedConnector('CARRIER_X');
    other.carriers.replace('CARRIER_X', otherCarrier);
    carrier.cancelAs = (n) => (n === 2 ? 'hang' : 'succeed'); // the first row of this round hangs for the carrier's 200 ms
    const round = retryDueCancellations(world.ctx);
    for (let i = 0; i < 200 && carrier.cancellations.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    // While this process waits on the carrier, the claim's lease runs out, and another process takes what is left.
    world.clock.advance({ minutes: 1 });
    const theirs = await retryDueCancellations(other);
    const mine = await round;
    assert.equal(theirs.cancelled, 2, 'the other process cancelled both rows, their leases having expired');
    assert.deepEqual([mine.cancelled, mine.retrying, mine.lost], [0, 0, 2], 'this one recorded nothing over the other’s work');
    assert.equal(carrier.cancellations.length, 3, 'this one never called the carrier for the row it had not begun');
    for (const reference of [first.reference, second.reference]) assert.deepEqual(await cancellations(reference), [], 'both cancelled, and so recorded');
  });

  it('hands back, untried, the cancellations of a round when the process is stopping', async () => {
    const { reference } = await allocated();
    carrier.cancelAs = () => 'unreachable';
    await deallocateConsignment(world.ctx, world.caller, reference);
    world.clock.advance({ seconds: 5 });
    const stopping = new AbortController();
    stopping.abort();
    assert.deepEqual(await retryDueCancellations(world.ctx, stopping.signal), { cancelled: 0, retrying: 1, refused: 0, abandoned: 0, lost: 0 });
    assert.equal(carrier.cancellations.length, 1, 'not tried again');
    const [row] = await cancellations(reference);
    assert.deepEqual([row.leaseOwner, row.attempts], [null, 1], 'free for any process, the attempt not counted');
  });

  it('leaves a cancellation for a carrier this process does not know to a process that does, until it is given up', async () => {
    const { reference } = await allocated();
    const consignment = await stored(reference);
    const at = utcTimestamp(world.clock.now());
    await world.ctx.carrierCancellations.add(
      [{ subscriptionId: world.caller.subscriptionId, consignmentId: consignment.id, consignmentReference: reference, carrierReference: 'NEW_CARRIER', leg: 1, carrierServiceReference: 'N1', bookingReference: `${reference}-1-NEW`, carrierBookingReference: null, trackingReferences: ['N1'], reason: 'Deallocated' }],
      at,
      { dueAt: at, lease: null },
    );
    assert.deepEqual(await retryDueCancellations(world.ctx), { cancelled: 0, retrying: 1, refused: 0, abandoned: 0, lost: 0 });
    const [row] = await cancellations(reference);
    assert.match(row.lastError!, /carrier NEW_CARRIER is not in this process's catalogue/);
    world.clock.advance({ milliseconds: GIVE_UP_AFTER_MS });
    assert.equal((await retryDueCancellations(world.ctx)).abandoned, 1);
  });
});
