import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapInOrder } from '../../src/use-cases/concurrency.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('mapInOrder', () => {
  it('keeps results in input order whatever the completion order', async () => {
    const out = await mapInOrder([30, 10, 20, 0], 3, async (n) => {
      for (let i = 0; i < n; i++) await tick();
      return n * 2;
    });
    assert.deepEqual(out, [60, 20, 40, 0]);
  });

  it('never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    await mapInOrder(Array.from({ length: 20 }, (_, i) => i), 4, async () => {
      most = Math.max(most, ++running);
      await tick();
      running--;
    });
    assert.equal(most, 4);
  });

  it('starts nothing new after a failure, waits for the items in flight, then throws the first error', async () => {
    const started: number[] = [];
    let inFlight = 0;
    await assert.rejects(
      mapInOrder(Array.from({ length: 50 }, (_, i) => i), 8, async (i) => {
        started.push(i);
        inFlight++;
        await tick();
        inFlight--;
        if (i === 3) throw new Error('boom 3');
        if (i === 5) throw new Error('boom 5');
      }),
      /boom 3/,
    );
    assert.equal(inFlight, 0, 'every started item had finished when the error was thrown');
    assert.ok(started.length < 20, `only the items in flight at the failure ran (${started.length})`);
  });
});
