import { sql, type Kysely, type Selectable } from 'kysely';
import { referenceKey } from '../domain/named-reference.js';
import { byName, type ShippingLocation, type ShippingLocationData, type ShippingLocationType } from '../domain/shipping-location.js';
import type { ConsignmentState } from '../domain/states.js';
import type { Schema, ShippingLocationsTable } from './database.js';
import { containsPattern, lockSubscription } from './subscription-lock.js';

export type { ShippingLocation } from '../domain/shipping-location.js';

function toLocation(row: Selectable<ShippingLocationsTable>): ShippingLocation {
  return {
    id: row.id,
    reference: row.reference,
    name: row.name,
    locationType: row.location_type as ShippingLocationType,
    defaultLocationForReturns: Number(row.default_for_returns) === 1,
    notes: row.notes,
    timeZone: row.time_zone,
    address: JSON.parse(row.address),
  };
}

function toRow(location: ShippingLocationData) {
  return {
    reference: location.reference,
    reference_key: referenceKey(location.reference),
    name: location.name,
    location_type: location.locationType,
    time_zone: location.timeZone,
    address: JSON.stringify(location.address),
    default_for_returns: location.defaultLocationForReturns ? 1 : 0,
    notes: location.notes,
  };
}

export class ShippingLocationsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async find(subscriptionId: number, reference: string): Promise<ShippingLocation | undefined> {
    // No reference holds a NUL, and PostgreSQL refuses to compare text containing one.
    if (reference.includes('\u0000')) return undefined;
    const row = await this.db
      .selectFrom('shipping_locations')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .where('reference_key', '=', referenceKey(reference))
      .executeTakeFirst();
    return row && toLocation(row);
  }

  /** The subscription's locations by name. */
  async list(subscriptionId: number): Promise<ShippingLocation[]> {
    const rows = await this.db.selectFrom('shipping_locations').selectAll().where('subscription_id', '=', subscriptionId).execute();
    return rows.map(toLocation).sort(byName);
  }

  /** Stores a new location, or answers 'duplicate' when the subscription already has one of that reference. */
  async create(subscriptionId: number, location: ShippingLocationData): Promise<ShippingLocation | 'duplicate'> {
    return this.db.transaction().execute(async (trx) => {
      await lockSubscription(trx, subscriptionId);
      const existing = await trx
        .selectFrom('shipping_locations')
        .select('id')
        .where('subscription_id', '=', subscriptionId)
        .where('reference_key', '=', referenceKey(location.reference))
        .executeTakeFirst();
      if (existing) return 'duplicate';
      if (location.defaultLocationForReturns) await this.clearReturnsDefault(trx, subscriptionId, null);
      const row = await trx
        .insertInto('shipping_locations')
        .values({ subscription_id: subscriptionId, ...toRow(location) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toLocation(row);
    });
  }

  /** Replaces every field of a location (its reference key stays); undefined when it no longer exists. */
  async replace(subscriptionId: number, id: number, location: ShippingLocationData): Promise<ShippingLocation | undefined> {
    return this.db.transaction().execute(async (trx) => {
      await lockSubscription(trx, subscriptionId);
      const exists = await trx.selectFrom('shipping_locations').select('id').where('id', '=', id).where('subscription_id', '=', subscriptionId).executeTakeFirst();
      if (!exists) return undefined;
      if (location.defaultLocationForReturns) await this.clearReturnsDefault(trx, subscriptionId, id);
      const row = await trx
        .updateTable('shipping_locations')
        .set(toRow(location))
        .where('id', '=', id)
        .where('subscription_id', '=', subscriptionId)
        .returningAll()
        .executeTakeFirst();
      return row && toLocation(row);
    });
  }

  /**
   * Deletes a location unless consignments in `blockingStates` still name it in an address; then
   * it answers (up to `limit` of) their references and deletes nothing.
   */
  async remove(
    subscriptionId: number,
    location: ShippingLocation,
    blockingStates: readonly ConsignmentState[],
    limit: number,
  ): Promise<{ deleted: boolean; blockers: { reference: string; state: ConsignmentState }[] }> {
    return this.db.transaction().execute(async (trx) => {
      await lockSubscription(trx, subscriptionId);
      // Addresses are stored in the consignment's JSON document, with the location's stored spelling.
      const pattern = containsPattern(`"shippingLocationReference":${JSON.stringify(location.reference)}`);
      const blockers = await trx
        .selectFrom('consignments')
        .innerJoin('consignment_documents', 'consignment_documents.consignment_id', 'consignments.id')
        .select(['consignments.reference', 'consignments.state'])
        .where('consignments.subscription_id', '=', subscriptionId)
        .where('consignments.state', 'in', [...blockingStates])
        .where(sql<boolean>`consignment_documents.data like ${pattern} escape '\\'`)
        .orderBy('consignments.id')
        .limit(limit)
        .execute();
      if (blockers.length) return { deleted: false, blockers: blockers.map((b) => ({ reference: b.reference, state: b.state as ConsignmentState })) };
      const result = await trx.deleteFrom('shipping_locations').where('id', '=', location.id).where('subscription_id', '=', subscriptionId).executeTakeFirst();
      return { deleted: Number(result.numDeletedRows) === 1, blockers: [] };
    });
  }

  private async clearReturnsDefault(trx: Kysely<Schema>, subscriptionId: number, exceptId: number | null): Promise<void> {
    let query = trx.updateTable('shipping_locations').set({ default_for_returns: 0 }).where('subscription_id', '=', subscriptionId).where('default_for_returns', '=', 1);
    if (exceptId !== null) query = query.where('id', '<>', exceptId);
    await query.execute();
  }
}
