/**
 * Documents rendered on worker threads, one job at a time per thread, each job given to the
 * thread with the fewest in hand. Rendering a PDF label takes a few milliseconds of CPU that the
 * HTTP thread would otherwise spend: with these, a process's labels use every core. Threads start
 * at the first job and never keep the process alive; one idle for IDLE_MS stops, giving back its
 * memory (tens of megabytes each), and starts again at the next job; one that fails is replaced,
 * failing only the jobs it had.
 */
import type { Worker } from 'node:worker_threads';
import { startThread } from '../worker-threads.js';
import { renderJob, type DocumentRenderer, type RenderJob } from './renderer.js';

interface Pending {
  resolve(bytes: Uint8Array): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Set while it has nothing in hand: stops it once it has been idle long enough. */
  idle: NodeJS.Timeout | null;
}

/** How long a thread with nothing to render is kept before it stops. */
const IDLE_MS = 30_000;

export class RenderThreads implements DocumentRenderer {
  private readonly threads: (Thread | null)[];
  private nextId = 1;
  private closed = false;

  constructor(
    size: number,
    private readonly idleMs = IDLE_MS,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`render threads must be a whole number of at least 1 (got ${size})`);
    this.threads = Array.from({ length: size }, () => null);
  }

  private start(slot: number): Thread {
    const worker = startThread('documents/render-worker');
    worker.unref();
    const thread: Thread = { worker, pending: new Map(), idle: null };
    const failAll = (error: Error) => {
      if (thread.idle) clearTimeout(thread.idle);
      if (this.threads[slot] === thread) this.threads[slot] = null;
      for (const p of thread.pending.values()) p.reject(error);
      thread.pending.clear();
    };
    worker.on('message', ({ id, bytes, error }: { id: number; bytes?: Uint8Array; error?: string }) => {
      const p = thread.pending.get(id);
      if (!p) return;
      thread.pending.delete(id);
      if (thread.pending.size === 0) {
        worker.unref();
        thread.idle = setTimeout(() => {
          if (this.threads[slot] !== thread || thread.pending.size > 0) return;
          this.threads[slot] = null;
          void worker.terminate();
        }, this.idleMs).unref();
      }
      if (bytes) p.resolve(bytes);
      else p.reject(new Error(`rendering failed: ${error}`));
    });
    worker.on('error', (e) => failAll(e));
    worker.on('exit', (code) => failAll(new Error(`a render thread stopped (exit code ${code})`)));
    this.threads[slot] = thread;
    return thread;
  }

  /** How many threads are running now. */
  get running(): number {
    return this.threads.filter((t) => t !== null).length;
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
    if (thread.idle) {
      clearTimeout(thread.idle);
      thread.idle = null;
    }
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
    for (const t of running) if (t.idle) clearTimeout(t.idle);
    await Promise.all(running.map((t) => t.worker.terminate()));
  }
}
