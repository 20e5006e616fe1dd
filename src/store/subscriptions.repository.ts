import type { Kysely } from 'kysely';
import type { Schema } from './database.js';

export interface SubscriptionRow {
  id: number;
  reference: string;
  name: string;
}

export class SubscriptionsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async findByKeyHash(hash: string): Promise<SubscriptionRow | undefined> {
    return this.db.selectFrom('subscriptions').select(['id', 'reference', 'name']).where('api_key_hash', '=', hash).executeTakeFirst();
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
    await this.db
      .insertInto('subscription_services')
      .values({ subscription_id: subscriptionId, service_key: serviceKey })
      .onConflict((oc) => oc.columns(['subscription_id', 'service_key']).doNothing())
      .execute();
  }

  async disableService(subscriptionId: number, serviceKey: string): Promise<void> {
    await this.db.deleteFrom('subscription_services').where('subscription_id', '=', subscriptionId).where('service_key', '=', serviceKey).execute();
  }
}
