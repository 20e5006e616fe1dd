/**
 * A bulk create whose database fails part-way: the slices already committed stay and are answered
 * with their references, every valid item not stored is answered 500 on its own (so that the
 * client knows exactly what to send again), and a failure before anything committed is the
 * request's own error, with nothing stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BULK_CREATE_SLICE, bulkCreateConsignments, type BulkCreateItem } from '../../src/use-cases/bulk-create-consignments.js';
import { consignmentRequest } from '../support/consignments.js';
import { databaseUnderTest, openWorld, skipReason, type UseCaseWorld } from '../support/use-case-context.js';
import type { CreateConsignmentRequest } from '../../src/contract/consignments.js';

const valid = (): BulkCreateItem => ({ kind: 'request', request: consignmentRequest() as CreateConsignmentRequest });
const unreadable: BulkCreateItem = { kind: 'unreadable', problems: [{ Code: 'Invalid', Target: 'Packages', Message: 'not a list' }] };

describe(`Bulk create when the database fails part-way (${databaseUnderTest})`, { skip: skipReason }, () => {
  let world: UseCaseWorld;
  before(async () => (world = await openWorld()));
  after(() => world.close());

  /** Makes the store's multi-row insert fail from its `failing`th call on (1 = the first). */
  function failInsertsFrom(failing: number): () => void {
    const repository = world.ctx.consignments;
    const original = repository.insertMany;
    let calls = 0;
    repository.insertMany = async function (...args) {
      if (++calls >= failing) throw new Error('the database went away');
      return original.apply(this, args);
    };
    return () => (repository.insertMany = original);
  }

  const count = async () => Number((await world.ctx.database.db.selectFrom('consignments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('answers the committed slices with their references and each valid item not stored with its own 500', async () => {
    const before = await count();
    // Two slices and a bit, an unreadable item in each part.
    const items = [unreadable, ...Array.from({ length: 2 * BULK_CREATE_SLICE + 10 }, valid)];
    items.splice(BULK_CREATE_SLICE + 5, 0, unreadable);
    const restore = failInsertsFrom(2);
    let outcomes;
    try {
      outcomes = await bulkCreateConsignments(world.ctx, world.caller, items);
    } finally {
      restore();
    }
    assert.equal(outcomes.length, items.length);
    const created = outcomes.filter((o) => o.kind === 'created');
    assert.equal(created.length, BULK_CREATE_SLICE, 'the first slice committed');
    assert.ok(created.every((o) => o.kind === 'created' && /^EC-/.test(o.reference)));
    const refused = outcomes.filter((o) => o.kind === 'refused');
    assert.deepEqual(
      refused.map((o) => o.kind === 'refused' && o.code).filter((c) => c === 'ValidationFailed').length,
      2,
      'the unreadable items keep their own answer',
    );
    const unstored = refused.filter((o) => o.kind === 'refused' && o.code === 'InternalError');
    assert.equal(unstored.length, BULK_CREATE_SLICE + 10, 'every valid item after the failure');
    assert.equal(await count(), before + BULK_CREATE_SLICE, 'exactly the committed slice is stored');
  });

  it('fails the whole request, storing nothing, when nothing had committed', async () => {
    const before = await count();
    const restore = failInsertsFrom(1);
    try {
      await assert.rejects(bulkCreateConsignments(world.ctx, world.caller, Array.from({ length: 3 }, valid)), /the database went away/);
    } finally {
      restore();
    }
    assert.equal(await count(), before);
  });
});
