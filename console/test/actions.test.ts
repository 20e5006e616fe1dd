/**
 * The console's bulk runs (console/src/actions.ts), without a browser or a server: chunks in order
 * with their progress, and what a chunk's failure means for each of its consignments.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAction, type Action, type ItemResult, type Progress } from '../src/actions.ts';
import { ApiError, type Api } from '../src/api/client.ts';

const api = {} as Api;
const references = ['EC-1', 'EC-2', 'EC-3', 'EC-4', 'EC-5'];

/** An action of chunks of 2 whose `answer` decides each call's outcome (its calls are kept). */
function action(answer: (chunk: string[], call: number) => ItemResult[] | Error): Action & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    id: 'test',
    label: 'Test',
    doing: 'Testing',
    allowed: 'allocate',
    chunk: 2,
    calls,
    run: async (_api, chunk) => {
      calls.push(chunk);
      const outcome = answer(chunk, calls.length);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
}

const done = (chunk: string[]) => chunk.map((reference) => ({ reference, ok: true, message: `${reference} done` }));

async function run(a: Action, options: { stopAfter?: number } = {}): Promise<{ progress: Progress; reports: Progress[]; waited: number[] }> {
  const reports: Progress[] = [];
  const waited: number[] = [];
  const progress = await runAction(api, a, references, (p) => reports.push(p), {
    stopped: () => options.stopAfter !== undefined && reports.length > options.stopAfter,
    wait: async (seconds) => void waited.push(seconds),
  });
  return { progress, reports, waited };
}

describe('a bulk run', () => {
  it('sends the references a chunk at a time, in order, reporting after each chunk', async () => {
    const a = action(done);
    const { progress, reports } = await run(a);
    assert.deepEqual(a.calls, [['EC-1', 'EC-2'], ['EC-3', 'EC-4'], ['EC-5']]);
    assert.deepEqual(reports.map((r) => r.done), [0, 2, 4, 5]);
    assert.deepEqual(progress.results.map((r) => r.reference), references);
    assert.equal(progress.ended, undefined);
  });

  it('counts each consignment of a chunk refused as a whole (a 4xx) as refused with the API’s words, and goes on', async () => {
    const a = action((chunk, call) => (call === 2 ? new ApiError(409, 'InvalidState', 'Consignment EC-3 is Cancelled') : done(chunk)));
    const { progress } = await run(a);
    assert.deepEqual(progress.results.filter((r) => !r.ok), [
      { reference: 'EC-3', ok: false, message: 'Consignment EC-3 is Cancelled' },
      { reference: 'EC-4', ok: false, message: 'Consignment EC-3 is Cancelled' },
    ]);
    assert.equal(progress.results.length, 5);
  });

  it('says a chunk that got no clear answer (a 5xx, the network) may or may not have been done', async () => {
    const a = action((chunk, call) => (call === 1 ? new ApiError(0, 'NetworkError', 'The server could not be reached') : done(chunk)));
    const { progress } = await run(a);
    assert.ok(progress.results.slice(0, 2).every((r) => !r.ok && r.unknown && /Outcome unknown/.test(r.message)));
    assert.ok(progress.results.slice(2).every((r) => r.ok));
  });

  it('waits out a 429 for its Retry-After and sends the same chunk again', async () => {
    const a = action((chunk, call) => (call === 2 ? new ApiError(429, 'TooManyRequests', 'Over the rate limit', [], null, 7) : done(chunk)));
    const { progress, waited } = await run(a);
    assert.deepEqual(waited, [7]);
    assert.deepEqual(a.calls, [['EC-1', 'EC-2'], ['EC-3', 'EC-4'], ['EC-3', 'EC-4'], ['EC-5']]);
    assert.ok(progress.results.every((r) => r.ok));
  });

  it('ends when the key stops working (a 401), trying nothing more', async () => {
    const a = action((chunk, call) => (call === 2 ? new ApiError(401, 'Unauthorized', 'The API key is not valid') : done(chunk)));
    const { progress } = await run(a);
    assert.equal(a.calls.length, 2);
    assert.equal(progress.ended, 'Signed out: The API key is not valid');
    assert.equal(progress.done, 4);
    assert.equal(progress.total, 5);
  });

  it('ends between chunks when stopped', async () => {
    const a = action(done);
    const { progress } = await run(a, { stopAfter: 1 });
    assert.deepEqual(a.calls, [['EC-1', 'EC-2']]);
    assert.equal(progress.ended, 'Stopped');
    assert.equal(progress.done, 2);
  });
});
