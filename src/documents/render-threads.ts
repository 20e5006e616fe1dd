/**
 * Documents rendered on worker threads, one job at a time per thread, each job given to the
 * thread with the fewest in hand. Rendering a PDF label takes a few milliseconds of CPU that the
 * HTTP thread would otherwise spend: with these, a process's labels use every core. Threads start
 * at the first job and never keep the process alive; one that fails is replaced, failing only
 * the jobs it had.
 */
import { Worker } from 'node:worker_threads';
import { renderJob, type DocumentRenderer, type RenderJob } from './renderer.js';

interface Pending {
  resolve(bytes: Uint8Array): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * The worker's entry: the built render-worker.js beside the bundle (dist/documents/, an entry of
 * `npm run build`), or, when running from TypeScript (tests, tsx), render-worker.ts behind tsx's
 * loader, which a worker does not inherit from its parent.
 */
function spawn(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./render-worker.ts', here).href;
    return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`, { eval: true });
  }
  return new Worker(new URL('./documents/render-worker.js', here));
}

export class RenderThreads implements DocumentRenderer {
  private readonly threads: (Thread | null)[];
  private nextId = 1;
  private closed = false;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`render threads must be a whole number of at least 1 (got ${size})`);
    this.threads = Array.from({ length: size }, () => null);
  }

  private start(slot: number): Thread {
    const worker = spawn();
    worker.unref();
    const thread: Thread = { worker, pending: new Map() };
    const failAll = (error: Error) => {
      if (this.threads[slot] === thread) this.threads[slot] = null;
      for (const p of thread.pending.values()) p.reject(error);
      thread.pending.clear();
    };
    worker.on('message', ({ id, bytes, error }: { id: number; bytes?: Uint8Array; error?: string }) => {
      const p = thread.pending.get(id);
      if (!p) return;
      thread.pending.delete(id);
      if (thread.pending.size === 0) worker.unref();
      if (bytes) p.resolve(bytes);
      else p.reject(new Error(`rendering failed: ${error}`));
    });
    worker.on('error', (e) => failAll(e));
    worker.on('exit', (code) => failAll(new Error(`a render thread stopped (exit code ${code})`)));
    this.threads[slot] = thread;
    return thread;
  }

  render(job: RenderJob): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new Error('the render threads are closed'));
    // ZPL is text written in a tenth of a millisecond: less than sending it to a thread and back.
    if (job.kind === 'labels' && job.format === 'ZPL') return renderJob(job);
    let slot = 0;
    for (let i = 1; i < this.threads.length; i++) {
      if ((this.threads[i]?.pending.size ?? 0) < (this.threads[slot]?.pending.size ?? 0)) slot = i;
    }
    const thread = this.threads[slot] ?? this.start(slot);
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      // While it has work, the thread keeps the process alive (a request is waiting on it).
      thread.worker.ref();
      thread.worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const running = this.threads.filter((t): t is Thread => t !== null);
    this.threads.fill(null);
    await Promise.all(running.map((t) => t.worker.terminate()));
  }
}
