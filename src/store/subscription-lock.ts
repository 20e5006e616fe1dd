import type { Transaction } from 'kysely';
import type { Schema } from './database.js';

/**
 * Serialises a subscription's changes to its reference data (a reference's uniqueness, the one
 * default) within a transaction: PostgreSQL row-locks the subscription until commit (a no-op
 * update of a non-key column, which does not block inserts that reference the row); SQLite runs
 * one write transaction at a time anyway.
 */
export async function lockSubscription(trx: Transaction<Schema>, subscriptionId: number): Promise<void> {
  await trx
    .updateTable('subscriptions')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', subscriptionId)
    .execute();
}

/** A LIKE pattern matching `text` anywhere, with LIKE's own characters escaped by backslash (use with ESCAPE '\'). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
