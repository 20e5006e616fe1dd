import type { Kysely, Selectable } from 'kysely';
import type { ServiceGroup } from '../domain/service-group.js';
import type { Schema, ServiceGroupsTable } from './database.js';

function toGroup(row: Pick<Selectable<ServiceGroupsTable>, 'reference' | 'name' | 'is_enabled' | 'services'>): ServiceGroup {
  return { reference: row.reference, name: row.name, isEnabled: Number(row.is_enabled) === 1, serviceReferences: JSON.parse(row.services) as string[] };
}

const COLUMNS = ['reference', 'name', 'is_enabled', 'services'] as const;

/** A subscription's service groups, found by case-insensitive reference. */
export class ServiceGroupsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async find(subscriptionId: number, reference: string): Promise<ServiceGroup | undefined> {
    const row = await this.db
      .selectFrom('service_groups')
      .select(COLUMNS)
      .where('subscription_id', '=', subscriptionId)
      .where('reference_key', '=', reference.toLowerCase())
      .executeTakeFirst();
    return row && toGroup(row);
  }

  /** Every group of the subscription, ordered by reference (case-insensitively). */
  async list(subscriptionId: number): Promise<ServiceGroup[]> {
    const rows = await this.db.selectFrom('service_groups').select(COLUMNS).where('subscription_id', '=', subscriptionId).orderBy('reference_key').execute();
    return rows.map(toGroup);
  }

  async count(subscriptionId: number): Promise<number> {
    const row = await this.db
      .selectFrom('service_groups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Stores a new group; false (nothing stored) when the subscription already has one by that reference. */
  async create(subscriptionId: number, group: ServiceGroup): Promise<boolean> {
    const row = await this.db
      .insertInto('service_groups')
      .values({
        subscription_id: subscriptionId,
        reference: group.reference,
        reference_key: group.reference.toLowerCase(),
        name: group.name,
        is_enabled: group.isEnabled ? 1 : 0,
        services: JSON.stringify(group.serviceReferences),
      })
      .onConflict((oc) => oc.columns(['subscription_id', 'reference_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Replaces the name, switch and services of the group of the same reference; false when there is none. */
  async replace(subscriptionId: number, group: ServiceGroup): Promise<boolean> {
    const result = await this.db
      .updateTable('service_groups')
      .set({ name: group.name, is_enabled: group.isEnabled ? 1 : 0, services: JSON.stringify(group.serviceReferences) })
      .where('subscription_id', '=', subscriptionId)
      .where('reference_key', '=', group.reference.toLowerCase())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Switches a group on or off and returns it as it now is; undefined when there is none. */
  async setEnabled(subscriptionId: number, reference: string, enabled: boolean): Promise<ServiceGroup | undefined> {
    const row = await this.db
      .updateTable('service_groups')
      .set({ is_enabled: enabled ? 1 : 0 })
      .where('subscription_id', '=', subscriptionId)
      .where('reference_key', '=', reference.toLowerCase())
      .returning(COLUMNS)
      .executeTakeFirst();
    return row && toGroup(row);
  }

  async delete(subscriptionId: number, reference: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('service_groups')
      .where('subscription_id', '=', subscriptionId)
      .where('reference_key', '=', reference.toLowerCase())
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
