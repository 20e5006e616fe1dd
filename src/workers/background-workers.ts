/**
 * Runs the background jobs of one process: each on its own interval, one run at a time, its
 * failures logged and never fatal. The jobs themselves are use-cases that take their work from
 * the database with leases (so any number of processes can run them, each piece done once);
 * this only says when.
 */
import type { AppContext } from '../use-cases/app-context.js';

export interface BackgroundJob {
  name: string;
  everyMs: number;
  /** `signal` is aborted when the process stops: a run then hands back the work it has not begun. */
  run(ctx: AppContext, signal: AbortSignal): Promise<unknown>;
}

export class BackgroundWorkers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = true;
  private stopping = new AbortController();

  constructor(
    private readonly ctx: AppContext,
    private readonly jobs: readonly BackgroundJob[],
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = new AbortController();
    for (const job of this.jobs) this.schedule(job, Math.min(job.everyMs, 1_000));
  }

  /** Stops scheduling, asks the runs in progress to stop and waits for them, so that the database can be closed after. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.running);
  }

  private schedule(job: BackgroundJob, delayMs: number): void {
    if (this.stopped) return;
    // unref: background work never keeps a process alive that has nothing else to do.
    this.timers.set(job.name, setTimeout(() => this.runOnce(job), delayMs).unref());
  }

  private runOnce(job: BackgroundJob): void {
    // Through a promise, so that a job that throws at once is logged like one that rejects, never thrown in a timer.
    const run = Promise.resolve()
      .then(() => job.run(this.ctx, this.stopping.signal))
      .then(
        () => undefined,
        (err) => this.ctx.logger.error({ err, job: job.name }, `background job ${job.name} failed; it runs again in ${job.everyMs} ms`),
      )
      .finally(() => {
        this.running.delete(run);
        this.schedule(job, job.everyMs);
      });
    this.running.add(run);
  }
}
