/** The commit queue: concurrent single changes share a group commit, each keeping its own answer and its own failure. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommitQueue, type CommitWriter } from '../../src/store/commit-queue.js';

interface Change {
  row: number;
  /** What the store answers for it: applied, not applied (it changed meanwhile), or an error. */
  outcome: boolean | 'error';
}

/** A store that records its calls; a group holding a failing change fails whole, as a transaction does. */
function recordingWriter(): CommitWriter<Change> & { groups: number[][]; alone: number[]; release?: () => void; hold: boolean } {
  const writer = {
    groups: [] as number[][],
    alone: [] as number[],
    hold: false,
    release: undefined as (() => void) | undefined,
    async many(changes: readonly Change[]) {
      writer.groups.push(changes.map((c) => c.row));
      if (writer.hold) await new Promise<void>((resolve) => (writer.release = resolve));
      if (changes.some((c) => c.outcome === 'error')) throw new Error('the transaction failed');
      return changes.map((c) => c.outcome === true);
    },
    async one(change: Change) {
      writer.alone.push(change.row);
      if (change.outcome === 'error') throw new Error(`row ${change.row} failed`);
      return change.outcome;
    },
  };
  return writer;
}

const queueOver = (writer: CommitWriter<Change>) => new CommitQueue<Change>(writer, (c) => c.row);

describe('CommitQueue', () => {
  it('commits the changes submitted in one turn together, each answered with its own outcome', async () => {
    const writer = recordingWriter();
    const queue = queueOver(writer);
    const answers = await Promise.all([1, 2, 3, 4].map((row) => queue.submit({ row, outcome: row !== 3 })));
    assert.deepEqual(writer.groups, [[1, 2, 3, 4]]);
    assert.deepEqual(answers, [true, true, false, true]);
  });

  it('writes a lone change alone', async () => {
    const writer = recordingWriter();
    assert.equal(await queueOver(writer).submit({ row: 7, outcome: true }), true);
    assert.deepEqual(writer.groups, []);
    assert.deepEqual(writer.alone, [7]);
  });

  it('never puts two changes of one row in a group: the second waits for the next', async () => {
    const writer = recordingWriter();
    const queue = queueOver(writer);
    const answers = await Promise.all([queue.submit({ row: 1, outcome: true }), queue.submit({ row: 2, outcome: true }), queue.submit({ row: 1, outcome: false })]);
    assert.deepEqual(writer.groups, [[1, 2]]);
    assert.deepEqual(writer.alone, [1]);
    assert.deepEqual(answers, [true, true, false]);
  });

  it('when a group fails, writes each of its changes alone, so that only the change at fault fails', async () => {
    const writer = recordingWriter();
    const queue = queueOver(writer);
    const results = await Promise.allSettled([1, 2, 3].map((row) => queue.submit({ row, outcome: row === 2 ? 'error' : true })));
    assert.deepEqual(writer.groups, [[1, 2, 3]]);
    assert.deepEqual(writer.alone, [1, 2, 3]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason), /row 2 failed/);
  });

  it('keeps one group in flight: what arrives meanwhile forms the next group', async () => {
    const writer = recordingWriter();
    writer.hold = true;
    const queue = queueOver(writer);
    const first = [1, 2].map((row) => queue.submit({ row, outcome: true }));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(writer.groups, [[1, 2]]);
    const second = [3, 4, 5].map((row) => queue.submit({ row, outcome: true }));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(writer.groups.length, 1, 'nothing more is written while the first group is in flight');
    writer.hold = false;
    writer.release!();
    assert.deepEqual(await Promise.all([...first, ...second]), [true, true, true, true, true]);
    assert.deepEqual(writer.groups, [
      [1, 2],
      [3, 4, 5],
    ]);
  });
});
