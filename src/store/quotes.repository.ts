import type { Kysely } from 'kysely';
import { quoteResultReference, type QuoteRecord, type QuoteResultRecord } from '../domain/quote.js';
import type { Schema } from './database.js';

export class QuotesRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  /** Stores quote results, one row each, in one transaction. */
  async save(subscriptionId: number, results: QuoteResultRecord[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const r of results) {
        await trx
          .insertInto('quote_requests')
          .values({ reference: r.reference, subscription_id: subscriptionId, created_at: r.createdAt, expires_at: r.expiresAt, result: JSON.stringify(r) })
          .execute();
      }
    });
  }

  /** A quote result by its reference (a well-formed GUID, checked by the caller). */
  async findResult(subscriptionId: number, reference: string): Promise<QuoteResultRecord | undefined> {
    const row = await this.db
      .selectFrom('quote_requests')
      .select('result')
      .where('reference', '=', reference.toLowerCase())
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirst();
    return row && JSON.parse(row.result);
  }

  /** A quote (by its reference, a well-formed GUID) and the result it belongs to. */
  async findQuote(subscriptionId: number, reference: string): Promise<{ result: QuoteResultRecord; quote: QuoteRecord } | undefined> {
    const key = reference.toLowerCase();
    const result = await this.findResult(subscriptionId, quoteResultReference(key));
    const quote = result?.quotes.find((q) => q.reference === key);
    return result && quote && { result, quote };
  }

  /** Forgets quote results that expired before `beforeIso`; returns how many. */
  async purgeExpired(beforeIso: string): Promise<number> {
    const result = await this.db.deleteFrom('quote_requests').where('expires_at', '<', beforeIso).executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  }
}
