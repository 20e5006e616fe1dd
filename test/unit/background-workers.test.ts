import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../../src/use-cases/app-context.js';
import { BackgroundWorkers } from '../../src/workers/background-workers.js';

function fakeContext(errors: unknown[]): AppContext {
  return { logger: { error: (fields: unknown) => errors.push(fields) } } as unknown as AppContext;
}

/**
 * A promise and the function that resolves it. The workers' timers do not keep a process alive
 * (unref), so while a test waits, this does.
 */
function signal(): { reached: Promise<void>; reach: () => void } {
  let reach!: () => void;
  const keepAlive = setInterval(() => undefined, 1_000);
  const reached = new Promise<void>((resolve) => (reach = resolve)).finally(() => clearInterval(keepAlive));
  return { reached, reach };
}

describe('BackgroundWorkers', () => {
  it('runs each job again and again, one run at a time, until stopped; stop() waits for the run in progress', async () => {
    let runs = 0;
    let inFlight = 0;
    let most = 0;
    const third = signal();
    const workers = new BackgroundWorkers(fakeContext([]), [
      {
        name: 'slow',
        everyMs: 1,
        run: async () => {
          if (++runs === 3) third.reach();
          most = Math.max(most, ++inFlight);
          await sleep(5);
          inFlight--;
        },
      },
    ]);
    workers.start();
    await third.reached;
    await workers.stop();
    const stoppedAt = runs;
    assert.equal(most, 1, 'never two runs of one job at once');
    assert.equal(inFlight, 0, 'stop() waited for the run in progress');
    await sleep(20);
    assert.equal(runs, stoppedAt, 'nothing runs after stop()');
  });

  it('logs a failed run and keeps the job going', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const second = signal();
    const workers = new BackgroundWorkers(fakeContext(errors), [
      {
        name: 'flaky',
        everyMs: 1,
        run: async () => {
          runs++;
          if (runs === 1) throw new Error('database unreachable');
          second.reach();
        },
      },
    ]);
    workers.start();
    await second.reached;
    await workers.stop();
    assert.equal(errors.length, 1);
    assert.equal((errors[0] as { job: string }).job, 'flaky');
  });
});
