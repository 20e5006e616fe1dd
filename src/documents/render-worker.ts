/** A render thread (render-threads.ts): renders each job it is sent and answers its bytes, or the error's message. */
import { parentPort } from 'node:worker_threads';
import { renderJob, type RenderJob } from './renderer.js';

parentPort!.on('message', async ({ id, job }: { id: number; job: RenderJob }) => {
  try {
    // A copy of its own, so that transferring it detaches no buffer shared with others (Node pools small ones).
    const bytes = new Uint8Array(await renderJob(job));
    parentPort!.postMessage({ id, bytes }, [bytes.buffer]);
  } catch (e) {
    parentPort!.postMessage({ id, error: (e as Error).message ?? String(e) });
  }
});
