/**
 * Idempotent requests (decisions.md §14): a POST with an Idempotency-Key runs once per
 * subscription and key; a repeat of the same request within 24 hours gets the first answer again,
 * the key given to another request is refused, and a repeat while the first still runs is told so.
 * What makes two requests "the same" is the caller's fingerprint of them (the HTTP layer's).
 */
import { randomUUID } from 'node:crypto';
import { utcTimestamp } from '../domain/dates.js';
import type { StoredAnswer } from '../store/idempotency.repository.js';
import type { AppContext } from './app-context.js';
import { AppError } from './errors.js';

/** How long a key and its answer are kept. */
export const KEEP_MS = 24 * 3_600_000;
/** How long a request may run holding its key: past it, its process is taken to have stopped and a repeat runs. */
export const LEASE_MS = 5 * 60_000;
export const MAX_KEY_LENGTH = 255;

/** The key as given, checked: 1 to 255 visible ASCII characters. */
export function checkKey(key: string): string {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || /[^\x21-\x7e]/.test(key)) {
    const message = `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters (got ${key.length})`;
    throw new AppError('ValidationFailed', message, [{ Code: 'Invalid', Target: 'Idempotency-Key', Message: message }]);
  }
  return key;
}

/** A request that holds its key while it runs. */
export interface HeldKey {
  subscriptionId: number;
  key: string;
  owner: string;
}

/**
 * Claims the key for a request with this fingerprint: the request is to run (and its answer then
 * kept or the key freed), or here is the answer it already got. Refuses the key held by a request
 * still running (IdempotencyKeyInUse) or given to another request (IdempotencyKeyReused).
 */
export async function claimKey(ctx: AppContext, subscriptionId: number, key: string, fingerprint: string): Promise<{ run: HeldKey } | { answered: StoredAnswer }> {
  const now = ctx.clock.now();
  const claim = await ctx.idempotency.claim({
    subscriptionId,
    key,
    fingerprint,
    owner: randomUUID(),
    now: utcTimestamp(now),
    leaseUntil: utcTimestamp(now.plus({ milliseconds: LEASE_MS })),
    expiresAt: utcTimestamp(now.plus({ milliseconds: KEEP_MS })),
  });
  switch (claim.kind) {
    case 'claimed':
      return { run: { subscriptionId, key, owner: claim.owner } };
    case 'answered':
      return { answered: claim.answer };
    case 'running':
      throw new AppError('IdempotencyKeyInUse', 'A request with this Idempotency-Key is still running; repeat it once it has been answered');
    case 'reused':
      throw new AppError('IdempotencyKeyReused', 'This Idempotency-Key was given to another request (another body, path or answer format) in the last 24 hours; use a new key for a new request');
  }
}

/** Extends the lease of a request still running. */
export async function renewKey(ctx: AppContext, held: HeldKey): Promise<void> {
  await ctx.idempotency.renew(held.subscriptionId, held.key, held.owner, utcTimestamp(ctx.clock.now().plus({ milliseconds: LEASE_MS })));
}

/** Keeps the answer of a request that ran, for its repeats. */
export async function keepAnswer(ctx: AppContext, held: HeldKey, answer: StoredAnswer): Promise<void> {
  await ctx.idempotency.answer(held.subscriptionId, held.key, held.owner, answer);
}

/** Frees the key of a request that was not carried out, so that a retry runs. */
export async function freeKey(ctx: AppContext, held: HeldKey): Promise<void> {
  await ctx.idempotency.release(held.subscriptionId, held.key, held.owner);
}

/** Housekeeping (a background job): forgets keys kept 24 hours; returns how many. */
export async function purgeExpiredKeys(ctx: AppContext): Promise<number> {
  return ctx.idempotency.purgeExpired(utcTimestamp(ctx.clock.now()));
}
