import type { Kysely } from 'kysely';
import { storedRule, type AllocationRule } from '../domain/allocation-rules/index.js';
import type { Schema } from './database.js';
import { changingSettings } from './subscriptions.repository.js';

/** A subscription's allocation rules, each stored whole as JSON under its case-insensitive reference. */
export class AllocationRulesRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  /** Every rule of the subscription, ordered by reference (case-insensitively). */
  async list(subscriptionId: number, onlyEnabled = false): Promise<AllocationRule[]> {
    let query = this.db.selectFrom('allocation_rules').select('definition').where('subscription_id', '=', subscriptionId);
    if (onlyEnabled) query = query.where('is_enabled', '=', 1);
    const rows = await query.orderBy('reference_key').execute();
    return rows.map((r) => storedRule(JSON.parse(r.definition) as AllocationRule));
  }

  async find(subscriptionId: number, reference: string): Promise<AllocationRule | undefined> {
    const row = await this.db
      .selectFrom('allocation_rules')
      .select('definition')
      .where('subscription_id', '=', subscriptionId)
      .where('reference_key', '=', reference.toLowerCase())
      .executeTakeFirst();
    return row && storedRule(JSON.parse(row.definition) as AllocationRule);
  }

  async count(subscriptionId: number): Promise<number> {
    const row = await this.db
      .selectFrom('allocation_rules')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Stores a new rule; false (nothing stored) when the subscription already has one by that reference. */
  async create(subscriptionId: number, rule: AllocationRule): Promise<boolean> {
    return changingSettings(this.db, subscriptionId, (trx) => this.insert(trx, subscriptionId, rule), (created) => created);
  }

  private async insert(db: Kysely<Schema>, subscriptionId: number, rule: AllocationRule): Promise<boolean> {
    const row = await db
      .insertInto('allocation_rules')
      .values({
        subscription_id: subscriptionId,
        reference: rule.reference,
        reference_key: rule.reference.toLowerCase(),
        is_enabled: rule.isEnabled ? 1 : 0,
        definition: JSON.stringify(rule),
      })
      .onConflict((oc) => oc.columns(['subscription_id', 'reference_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Replaces the rule of the same reference; false when there is none. */
  async replace(subscriptionId: number, rule: AllocationRule): Promise<boolean> {
    return changingSettings(this.db, subscriptionId, async (trx) => {
      const result = await trx
        .updateTable('allocation_rules')
        .set({ is_enabled: rule.isEnabled ? 1 : 0, definition: JSON.stringify(rule) })
        .where('subscription_id', '=', subscriptionId)
        .where('reference_key', '=', rule.reference.toLowerCase())
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    }, (replaced) => replaced);
  }

  async delete(subscriptionId: number, reference: string): Promise<boolean> {
    return changingSettings(this.db, subscriptionId, async (trx) => {
      const result = await trx
        .deleteFrom('allocation_rules')
        .where('subscription_id', '=', subscriptionId)
        .where('reference_key', '=', reference.toLowerCase())
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    }, (deleted) => deleted);
  }
}
