import type { Kysely } from 'kysely';
import type { Schema } from './database.js';
import { PreparedQuery } from './prepared-query.js';

export interface SubscriptionRow {
  id: number;
  reference: string;
  name: string;
}

/** A subscription found by its API key, with the version of its settings (what per-process caches check). */
export interface KeyHolder extends SubscriptionRow {
  settingsVersion: number;
}

/**
 * Bumps the subscription's settings version; call it in the transaction of the change (enabled
 * services, allocation rules, service tags), so that no process can see the change without it.
 */
export async function settingsChanged(db: Kysely<Schema>, subscriptionId: number): Promise<void> {
  await db.updateTable('subscriptions').set((eb) => ({ settings_version: eb('settings_version', '+', 1) })).where('id', '=', subscriptionId).execute();
}

/** Runs a change of a subscription's settings and bumps their version in one transaction when `changed` says it changed something. */
export async function changingSettings<T>(db: Kysely<Schema>, subscriptionId: number, change: (trx: Kysely<Schema>) => Promise<T>, changed: (result: T) => boolean = () => true): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const result = await change(trx);
    if (changed(result)) await settingsChanged(trx, subscriptionId);
    return result;
  });
}

export class SubscriptionsRepository {
  /** Every authenticated request runs it: built and compiled once. */
  private readonly byKeyHash: PreparedQuery<'hash'>;

  constructor(private readonly db: Kysely<Schema>) {
    this.byKeyHash = new PreparedQuery(db, ['hash'], (v) =>
      db.selectFrom('subscriptions').select(['id', 'reference', 'name', 'settings_version as settingsVersion']).where('api_key_hash', '=', v.hash),
    );
  }

  async findByKeyHash(hash: string): Promise<KeyHolder | undefined> {
    return (await this.byKeyHash.execute({ hash })).rows[0] as KeyHolder | undefined;
  }

  async findByReference(reference: string): Promise<SubscriptionRow | undefined> {
    // No reference holds a NUL, and PostgreSQL refuses to compare text containing one.
    if (reference.includes('\u0000')) return undefined;
    return this.db.selectFrom('subscriptions').select(['id', 'reference', 'name']).where('reference', '=', reference).executeTakeFirst();
  }

  async list(): Promise<SubscriptionRow[]> {
    return this.db.selectFrom('subscriptions').select(['id', 'reference', 'name']).orderBy('id').execute();
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('subscriptions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async create(row: { reference: string; name: string; apiKeyHash: string; createdAt: string }, serviceKeys: string[]): Promise<SubscriptionRow> {
    return this.db.transaction().execute(async (trx) => {
      const created = await trx
        .insertInto('subscriptions')
        .values({ reference: row.reference, name: row.name, api_key_hash: row.apiKeyHash, created_at: row.createdAt })
        .returning(['id', 'reference', 'name'])
        .executeTakeFirstOrThrow();
      if (serviceKeys.length) {
        await trx
          .insertInto('subscription_services')
          .values(serviceKeys.map((service_key) => ({ subscription_id: created.id, service_key })))
          .execute();
      }
      return created;
    });
  }

  async setKeyHash(subscriptionId: number, hash: string): Promise<void> {
    await this.db.updateTable('subscriptions').set({ api_key_hash: hash }).where('id', '=', subscriptionId).execute();
  }

  async enabledServiceKeys(subscriptionId: number): Promise<Set<string>> {
    const rows = await this.db.selectFrom('subscription_services').select('service_key').where('subscription_id', '=', subscriptionId).execute();
    return new Set(rows.map((r) => r.service_key));
  }

  async enableService(subscriptionId: number, serviceKey: string): Promise<void> {
    await changingSettings(this.db, subscriptionId, (trx) =>
      trx
        .insertInto('subscription_services')
        .values({ subscription_id: subscriptionId, service_key: serviceKey })
        .onConflict((oc) => oc.columns(['subscription_id', 'service_key']).doNothing())
        .execute(),
    );
  }

  async disableService(subscriptionId: number, serviceKey: string): Promise<void> {
    await changingSettings(this.db, subscriptionId, (trx) =>
      trx.deleteFrom('subscription_services').where('subscription_id', '=', subscriptionId).where('service_key', '=', serviceKey).execute(),
    );
  }
}
