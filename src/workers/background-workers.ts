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
  run(ctx: AppContext): Promise<unknown>;
}

export class BackgroundWorkers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = true;

  constructor(
    private readonly ctx: AppContext,
    private readonly jobs: readonly BackgroundJob[],
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const job of this.jobs) this.schedule(job, Math.min(job.everyMs, 1_000));
  }

  /** Stops scheduling and waits for the runs in progress, so that the database can be closed after. */
  async stop(): Promise<void> {
    this.stopped = true;
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
    const run = job
      .run(this.ctx)
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
