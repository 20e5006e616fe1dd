/**
 * A SQLite database's WAL checkpoints, on a thread of their own (wal-checkpoints.ts): its own
 * connection copies committed pages from the WAL into the database file every few milliseconds
 * after a commit, passively (never waiting for, nor blocking, the server's connection), so that
 * the copying and the disk flushes it ends with are never on the HTTP thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const { file, everyMs } = workerData as { file: string; everyMs: number };
const db = new SQLite(file);
db.pragma('synchronous = NORMAL');
// It reads each page once, to copy it: a page cache would only take memory.
db.pragma('cache_size = -256');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
/** Changes whenever another connection has committed: the thread does nothing while the server only reads. */
const dataVersion = db.prepare('PRAGMA data_version').pluck();
let seen: unknown = null;
/** Whether the last checkpoint left pages uncopied (a reader was on them): tried again without a new commit. */
let behind = true;

const timer = setInterval(() => {
  try {
    const version = dataVersion.get();
    if (version === seen && !behind) return;
    seen = version;
    const { busy, log, checkpointed } = checkpoint.get() as { busy: number; log: number; checkpointed: number };
    behind = busy !== 0 || checkpointed < log;
  } catch {
    // Busy or locked for a moment (a migration, the CLI): the next round tries again.
    behind = true;
  }
}, everyMs);

parentPort!.on('message', (message: string) => {
  if (message !== 'close') return;
  clearInterval(timer);
  try {
    checkpoint.run();
  } catch {
    // What is left is checkpointed by the next connection to open the database.
  }
  db.close();
  parentPort!.postMessage('closed');
});
parentPort!.postMessage('ready');
