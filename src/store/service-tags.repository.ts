import type { Kysely } from 'kysely';
import type { Schema } from './database.js';
import { changingSettings } from './subscriptions.repository.js';

/** A subscription's own allocation-filtering tags per service, where it overrides the catalogue's. */
export class ServiceTagsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  /** Every override of the subscription, keyed by lower-case service reference. */
  async all(subscriptionId: number): Promise<Map<string, string[]>> {
    const rows = await this.db.selectFrom('service_tags').select(['service_key', 'tags']).where('subscription_id', '=', subscriptionId).execute();
    return new Map(rows.map((r) => [r.service_key, JSON.parse(r.tags) as string[]]));
  }

  /** The subscription's tags for one service (lower-case key), or undefined when it uses the catalogue's. */
  async find(subscriptionId: number, serviceKey: string): Promise<string[] | undefined> {
    const row = await this.db
      .selectFrom('service_tags')
      .select('tags')
      .where('subscription_id', '=', subscriptionId)
      .where('service_key', '=', serviceKey)
      .executeTakeFirst();
    return row && (JSON.parse(row.tags) as string[]);
  }

  async set(subscriptionId: number, serviceKey: string, tags: string[]): Promise<void> {
    const json = JSON.stringify(tags);
    await changingSettings(this.db, subscriptionId, (trx) =>
      trx
        .insertInto('service_tags')
        .values({ subscription_id: subscriptionId, service_key: serviceKey, tags: json })
        .onConflict((oc) => oc.columns(['subscription_id', 'service_key']).doUpdateSet({ tags: json }))
        .execute(),
    );
  }

  async clear(subscriptionId: number, serviceKey: string): Promise<void> {
    await changingSettings(this.db, subscriptionId, (trx) =>
      trx.deleteFrom('service_tags').where('subscription_id', '=', subscriptionId).where('service_key', '=', serviceKey).execute(),
    );
  }
}
