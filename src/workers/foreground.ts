/**
 * How busy this process is with API requests, so that background work yields to them: webhook
 * deliveries and the event sequencer take small rounds (10 deliveries, 250 events) with a pause
 * between while requests are in flight, and full rounds back to back otherwise. A delivery is asynchronous anyway; a client
 * waiting on its request is not (issue 11's target: a 10,000 allocation with three webhook endpoints
 * at ≥ 0.85 of the rate without).
 */
export class ForegroundLoad {
  private inFlight = 0;

  begin(): void {
    this.inFlight++;
  }

  end(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Whether any API request is being served now. */
  get busy(): boolean {
    return this.inFlight > 0;
  }
}

/** A pause that lets the requests in flight run. */
const yieldToForeground = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export interface RoundSizes {
  /** A round's size while no API request is in flight. */
  idle: number;
  /** A round's size while one is, and the pause after it. */
  busy: number;
  pauseMs: number;
}

/**
 * A background job's rounds: one after another while they come full (a backlog), each as large as
 * the API's load allows, with a pause after each while requests are in flight. `round` does up to
 * `limit` pieces of work and answers how many it found.
 */
export async function inRounds(load: ForegroundLoad, sizes: RoundSizes, round: (limit: number) => Promise<number>, signal?: AbortSignal): Promise<void> {
  for (;;) {
    const busy = load.busy;
    const limit = busy ? sizes.busy : sizes.idle;
    if ((await round(limit)) < limit || signal?.aborted) return;
    if (busy) await yieldToForeground(sizes.pauseMs);
  }
}
