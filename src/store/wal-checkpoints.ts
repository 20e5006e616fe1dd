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
  private constructor(private readonly worker: Worker) {}

  /**
   * Starts the thread for the database `file`, whose connection is `sqlite`; null, leaving the
   * connection to checkpoint as SQLite does by default, when the thread cannot start.
   */
  static async start(sqlite: SQLite.Database, file: string): Promise<WalCheckpoints | null> {
    // A small heap: the thread holds one connection and a timer.
    const worker = startThread('store/checkpoint-worker', {
      workerData: { file, everyMs: CHECKPOINT_EVERY_MS },
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
    worker.unref();
    try {
      const [message] = (await once(worker, 'message')) as [string];
      if (message !== 'ready') throw new Error(`the checkpoint thread answered ${message}`);
    } catch {
      await worker.terminate();
      return null;
    }
    // Should the thread fail later, the connection checkpoints as SQLite does by default.
    worker.on('error', () => sqlite.pragma('wal_autocheckpoint = 1000'));
    sqlite.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
    sqlite.pragma(`journal_size_limit = ${WAL_SIZE_KEPT}`);
    return new WalCheckpoints(worker);
  }

  /** A last checkpoint, then the thread ends. */
  async stop(): Promise<void> {
    const closed = once(this.worker, 'message');
    this.worker.postMessage('close');
    await Promise.race([closed, once(this.worker, 'exit')]);
    await this.worker.terminate();
  }
}
