/**
 * Group commits across requests (decisions.md §4.8): the single changes that concurrent requests
 * make at the same moment are written in one transaction, instead of a commit each. A commit is
 * the dearest part of a small change (a WAL append on SQLite, a flush to disk on PostgreSQL), so
 * under load one commit serves many requests, while a lone request waits one turn of the event
 * loop at most.
 *
 * Each change keeps its own condition and its own answer: one whose consignment changed meanwhile
 * is simply not applied (false), and never holds up or fails the others. A consignment appears at
 * most once in a group (a group cannot tell two changes of one row apart): a second change of it
 * waits for the next group. When a group's transaction fails, its changes are written again one by
 * one, so that only the change at fault fails. One group is in flight at a time; changes that
 * arrive meanwhile form the next, so that the busier the server, the larger the groups.
 */
export interface CommitWriter<C> {
  /** Writes the changes in one transaction; which were applied, in order. */
  many(changes: readonly C[]): Promise<boolean[]>;
  /** Writes one change alone. */
  one(change: C): Promise<boolean>;
}

interface Waiting<C> {
  change: C;
  resolve(applied: boolean): void;
  reject(error: unknown): void;
}

/** The most changes one group commit takes; more wait for the next. */
const MAX_GROUP = 256;

export class CommitQueue<C> {
  private waiting: Waiting<C>[] = [];
  private flushing = false;
  private scheduled = false;

  constructor(
    private readonly writer: CommitWriter<C>,
    /** The row a change is conditional on: two changes of one row never share a group. */
    private readonly rowOf: (change: C) => number,
  ) {}

  /** Whether the change was applied, once it is committed. */
  submit(change: C): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ change, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || this.waiting.length === 0) return;
    this.scheduled = true;
    // After the current turn's other requests have reached their writes too.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    const rows = new Set<number>();
    const group: Waiting<C>[] = [];
    const later: Waiting<C>[] = [];
    for (const w of this.waiting) {
      const row = this.rowOf(w.change);
      if (group.length < MAX_GROUP && !rows.has(row)) {
        rows.add(row);
        group.push(w);
      } else later.push(w);
    }
    this.waiting = later;
    try {
      await this.write(group);
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }

  private async write(group: Waiting<C>[]): Promise<void> {
    if (group.length === 1) {
      await this.writer.one(group[0].change).then(group[0].resolve, group[0].reject);
      return;
    }
    let applied: boolean[];
    try {
      applied = await this.writer.many(group.map((w) => w.change));
    } catch {
      // Which change failed the transaction is not known: each is written alone, so that only it fails.
      for (const w of group) await this.writer.one(w.change).then(w.resolve, w.reject);
      return;
    }
    group.forEach((w, i) => w.resolve(applied[i]));
  }
}
