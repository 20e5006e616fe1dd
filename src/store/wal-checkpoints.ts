/**
 * WAL checkpoints off the HTTP thread. SQLite checkpoints from the connection that commits, once
 * the WAL holds 1,000 pages: a few milliseconds of copying and two disk flushes inside whichever
 * request committed last, which was most of the slowest 1% of quotes (each stores its result)
 * and part of every batch's commits. Here a worker thread with a connection of its own
 * checkpoints passively every CHECKPOINT_EVERY_MS instead, and the server's connection checkpoints
 * itself only as a safety net, should the WAL reach SAFETY_NET_PAGES (the thread stopped, or
 * cannot keep up). Once the WAL is wholly copied the next commit starts it again from the top,
 * and `journal_size_limit` gives back what it grew to.
 */
import type SQLite from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import { startThread } from '../worker-threads.js';

const CHECKPOINT_EVERY_MS = 50;
/** 80 MB of pages: where the server's own connection checkpoints after all. */
const SAFETY_NET_PAGES = 20_000;
/** What an emptied WAL file is cut back to. */
const WAL_SIZE_KEPT = 64 * 1024 * 1024;

export class WalCheckpoints {
  private ready = false;

  private constructor(private readonly worker: Worker) {}

  /**
   * Starts the thread for the database `file`, whose connection is `sqlite`, without waiting for
   * it: until it runs, and should it ever fail, the connection checkpoints as SQLite does by default.
   */
  static start(sqlite: SQLite.Database, file: string): WalCheckpoints {
    // A small heap: the thread holds one connection and a timer.
    const worker = startThread('store/checkpoint-worker', {
      workerData: { file, everyMs: CHECKPOINT_EVERY_MS },
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
    worker.unref();
    const checkpoints = new WalCheckpoints(worker);
    const autocheckpoint = (pages: number) => {
      if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${pages}`);
    };
    worker.once('message', (message: string) => {
      if (message !== 'ready') return;
      checkpoints.ready = true;
      autocheckpoint(SAFETY_NET_PAGES);
    });
    worker.on('error', () => autocheckpoint(1000));
    sqlite.pragma(`journal_size_limit = ${WAL_SIZE_KEPT}`);
    return checkpoints;
  }

  /** A last checkpoint, then the thread ends (at once if it had not started). */
  async stop(): Promise<void> {
    if (this.ready) {
      const closed = once(this.worker, 'message');
      this.worker.postMessage('close');
      await Promise.race([closed, once(this.worker, 'exit')]).catch(() => undefined);
    }
    await this.worker.terminate();
  }
}
