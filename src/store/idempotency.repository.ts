import type { Kysely } from 'kysely';
import type { IdempotencyKeysTable, Schema } from './database.js';

/** The answer a request got, as it is given again to a repeat. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What became of a claim on a key: it is this request's to run, or another's that ran (or runs), or was for another request. */
export type Claim =
  | { kind: 'claimed'; owner: string }
  | { kind: 'answered'; answer: StoredAnswer }
  | { kind: 'running' }
  | { kind: 'reused' };

export interface ClaimRequest {
  subscriptionId: number;
  key: string;
  fingerprint: string;
  owner: string;
  now: string;
  leaseUntil: string;
  expiresAt: string;
}

/**
 * Idempotency keys (decisions.md §14). The row's primary key decides which of two requests with one
 * key runs, in any number of processes; a row whose lease or whose keeping has run out is taken over
 * by a conditional update, so that of two requests taking it over one does.
 */
export class IdempotencyRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async claim(request: ClaimRequest): Promise<Claim> {
    const { subscriptionId, key, fingerprint, owner, now, leaseUntil, expiresAt } = request;
    const fresh = { fingerprint, state: 'running', owner, lease_until: leaseUntil, created_at: now, expires_at: expiresAt, status: null, headers: null, body: null };
    // A few rounds at most: each lost race means another request changed the row meanwhile.
    for (let round = 0; round < 5; round++) {
      const inserted = await this.db
        .insertInto('idempotency_keys')
        .values({ subscription_id: subscriptionId, key, ...fresh })
        .onConflict((oc) => oc.columns(['subscription_id', 'key']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'claimed', owner };
      const row = await this.db.selectFrom('idempotency_keys').selectAll().where('subscription_id', '=', subscriptionId).where('key', '=', key).executeTakeFirst();
      if (!row) continue; // purged meanwhile
      const expired = row.expires_at <= now;
      const abandoned = row.state === 'running' && row.lease_until <= now;
      if (!expired && row.fingerprint !== fingerprint) return { kind: 'reused' };
      if (!expired && !abandoned) return row.state === 'done' ? { kind: 'answered', answer: answerOf(row) } : { kind: 'running' };
      // Kept past its time, or left running by a process that stopped: this request takes it over, unless another did first.
      const taken = await this.db
        .updateTable('idempotency_keys')
        .set(fresh)
        .where('subscription_id', '=', subscriptionId)
        .where('key', '=', key)
        .where('owner', '=', row.owner)
        .where('state', '=', row.state)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 1) return { kind: 'claimed', owner };
    }
    return { kind: 'running' };
  }

  /** Extends the lease of a claim whose request still runs. */
  async renew(subscriptionId: number, key: string, owner: string, leaseUntil: string): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ lease_until: leaseUntil })
      .where('subscription_id', '=', subscriptionId)
      .where('key', '=', key)
      .where('owner', '=', owner)
      .where('state', '=', 'running')
      .execute();
  }

  /** Keeps the answer of the claim's request; nothing when the claim was taken over meanwhile. */
  async answer(subscriptionId: number, key: string, owner: string, answer: StoredAnswer): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ state: 'done', status: answer.status, headers: JSON.stringify(answer.headers), body: answer.body.toString('base64') })
      .where('subscription_id', '=', subscriptionId)
      .where('key', '=', key)
      .where('owner', '=', owner)
      .where('state', '=', 'running')
      .execute();
  }

  /** Frees the key of a claim whose answer is not kept (the request was not carried out), so that a retry runs. */
  async release(subscriptionId: number, key: string, owner: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('subscription_id', '=', subscriptionId)
      .where('key', '=', key)
      .where('owner', '=', owner)
      .where('state', '=', 'running')
      .execute();
  }

  /** Forgets the keys kept until `nowIso` or before (a request still running a day later has long stopped); returns how many. */
  async purgeExpired(nowIso: string): Promise<number> {
    const result = await this.db.deleteFrom('idempotency_keys').where('expires_at', '<=', nowIso).executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  }
}

function answerOf(row: IdempotencyKeysTable): StoredAnswer {
  return { status: row.status!, headers: JSON.parse(row.headers ?? '{}'), body: Buffer.from(row.body ?? '', 'base64') };
}
