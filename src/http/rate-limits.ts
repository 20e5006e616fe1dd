/**
 * Rate limits (docs/api.md, "Rate limits"): requests per API key, and failed authentications per client
 * address, each counted in fixed windows in this process. A request over a limit is refused with
 * 429 TooManyRequests and `Retry-After` (whole seconds until the window ends).
 *
 * Our own counter rather than @fastify/rate-limit: the address limit counts only failed
 * authentications (and refuses before the key is even looked up), the key limit counts after
 * authentication, both read the injected clock, and the refusal is the API's error body. Each
 * request costs a Map lookup or two; memory is bounded (a window's counts are dropped when the
 * next window starts, and at most `maxKeys` are kept within one).
 */
import { AppError } from '../use-cases/errors.js';

export interface RateLimitSettings {
  /** Requests per API key per window; 0 turns the limit off. */
  perKey: number;
  /** Failed authentications per client address per window; 0 turns the limit off. */
  authFailuresPerAddress: number;
  windowMs: number;
}

/** Counts events per key in fixed windows aligned to multiples of the window's length. */
export class FixedWindowCounter<K> {
  private window = Number.NEGATIVE_INFINITY;
  private counts = new Map<K, number>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one event for `key`; the milliseconds until its window ends when that is over the limit, else 0. */
  hit(key: K, nowMs: number): number {
    this.roll(nowMs);
    const n = (this.counts.get(key) ?? 0) + 1;
    if (n === 1 && this.counts.size >= this.maxKeys) {
      // The oldest key of the window goes (a Map iterates in insertion order): O(1), bounded.
      this.counts.delete(this.counts.keys().next().value as K);
    }
    this.counts.set(key, n);
    return n > this.limit ? this.untilNextWindow(nowMs) : 0;
  }

  /** Like hit() for a key already at its limit, but without counting: 0 while `key` may go on. */
  exceeded(key: K, nowMs: number): number {
    this.roll(nowMs);
    return (this.counts.get(key) ?? 0) >= this.limit ? this.untilNextWindow(nowMs) : 0;
  }

  /** Whether nothing is counted (so that a caller may skip reading the clock). */
  get empty(): boolean {
    return this.counts.size === 0;
  }

  private roll(nowMs: number): void {
    const window = Math.floor(nowMs / this.windowMs);
    if (window !== this.window) {
      this.window = window;
      if (this.counts.size > 0) this.counts = new Map();
    }
  }

  private untilNextWindow(nowMs: number): number {
    return Math.max(1, (this.window + 1) * this.windowMs - nowMs);
  }
}

/** A refusal over a limit, with the seconds the client should wait (for `Retry-After`). */
export class RateLimited extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('TooManyRequests', message, [{ Code: 'TooManyRequests', Target: 'request', Message: message }]);
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

export class RateLimits {
  private readonly perKey: FixedWindowCounter<number> | null;
  private readonly failures: FixedWindowCounter<string> | null;

  constructor(
    settings: RateLimitSettings,
    private readonly nowMs: () => number,
  ) {
    this.perKey = settings.perKey > 0 ? new FixedWindowCounter(settings.perKey, settings.windowMs, 1_000_000) : null;
    this.failures = settings.authFailuresPerAddress > 0 ? new FixedWindowCounter(settings.authFailuresPerAddress, settings.windowMs) : null;
  }

  /** Refuses an address that failed to authenticate too often in this window, before its key is looked at. */
  checkAddress(address: string): void {
    if (!this.failures || this.failures.empty) return;
    const wait = this.failures.exceeded(address, this.nowMs());
    if (wait) throw new RateLimited(`Too many failed authentications from this address; try again in ${seconds(wait)} s`, seconds(wait));
  }

  /** Counts a failed authentication from the address. */
  failedAuthentication(address: string): void {
    this.failures?.hit(address, this.nowMs());
  }

  /** Counts one request of the subscription (its API key) and refuses it when over the limit. */
  request(subscriptionId: number): void {
    if (!this.perKey) return;
    const wait = this.perKey.hit(subscriptionId, this.nowMs());
    if (wait) throw new RateLimited(`More than ${this.perKey.limit} requests with this API key in ${this.perKey.windowMs / 1000} s; try again in ${seconds(wait)} s`, seconds(wait));
  }
}
