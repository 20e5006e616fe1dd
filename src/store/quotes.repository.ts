import type { Kysely } from 'kysely';
import type { QuoteRecord, QuoteResultRecord } from '../domain/quote.js';
import type { Schema } from './database.js';

/** Keeps each multi-row INSERT well inside both databases' bound-parameter limits. */
const ROWS_PER_STATEMENT = 300;

export class QuotesRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  /** Stores quote results (with their quotes' references) in one transaction. */
  async save(subscriptionId: number, results: QuoteResultRecord[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const r of results) {
        await trx
          .insertInto('quote_requests')
          .values({ reference: r.reference, subscription_id: subscriptionId, created_at: r.createdAt, expires_at: r.expiresAt, result: JSON.stringify(r) })
          .execute();
        for (let i = 0; i < r.quotes.length; i += ROWS_PER_STATEMENT) {
          const rows = r.quotes.slice(i, i + ROWS_PER_STATEMENT).map((q) => ({ reference: q.reference, request_reference: r.reference, subscription_id: subscriptionId }));
          await trx.insertInto('quotes').values(rows).execute();
        }
      }
    });
  }

  async findResult(subscriptionId: number, reference: string): Promise<QuoteResultRecord | undefined> {
    const row = await this.db
      .selectFrom('quote_requests')
      .select('result')
      .where('reference', '=', reference.toLowerCase())
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirst();
    return row && JSON.parse(row.result);
  }

  /** A quote and the result it belongs to. */
  async findQuote(subscriptionId: number, reference: string): Promise<{ result: QuoteResultRecord; quote: QuoteRecord } | undefined> {
    const key = reference.toLowerCase();
    const row = await this.db
      .selectFrom('quotes')
      .innerJoin('quote_requests', 'quote_requests.reference', 'quotes.request_reference')
      .select('quote_requests.result')
      .where('quotes.reference', '=', key)
      .where('quotes.subscription_id', '=', subscriptionId)
      .executeTakeFirst();
    if (!row) return undefined;
    const result: QuoteResultRecord = JSON.parse(row.result);
    const quote = result.quotes.find((q) => q.reference === key);
    return quote && { result, quote };
  }

  /** Forgets quote results that expired before `beforeIso`; returns how many. */
  async purgeExpired(beforeIso: string): Promise<number> {
    const expired = this.db.selectFrom('quote_requests').select('reference').where('expires_at', '<', beforeIso);
    await this.db.deleteFrom('quotes').where('request_reference', 'in', expired).execute();
    const result = await this.db.deleteFrom('quote_requests').where('expires_at', '<', beforeIso).executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  }
}
