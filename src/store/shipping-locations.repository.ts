import type { Kysely } from 'kysely';
import type { AddressData } from '../domain/consignment.js';
import type { Schema } from './database.js';

export interface ShippingLocation {
  id: number;
  reference: string;
  name: string;
  locationType: string;
  timeZone: string;
  address: Omit<AddressData, 'addressType' | 'shippingLocationReference' | 'shopLocationReference'>;
}

export class ShippingLocationsRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async find(subscriptionId: number, reference: string): Promise<ShippingLocation | undefined> {
    const row = await this.db
      .selectFrom('shipping_locations')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .where('reference_key', '=', reference.trim().toLowerCase())
      .executeTakeFirst();
    if (!row) return undefined;
    return { id: row.id, reference: row.reference, name: row.name, locationType: row.location_type, timeZone: row.time_zone, address: JSON.parse(row.address) };
  }

  async create(subscriptionId: number, location: Omit<ShippingLocation, 'id'>): Promise<void> {
    await this.db
      .insertInto('shipping_locations')
      .values({
        subscription_id: subscriptionId,
        reference: location.reference,
        reference_key: location.reference.toLowerCase(),
        name: location.name,
        location_type: location.locationType,
        time_zone: location.timeZone,
        address: JSON.stringify(location.address),
      })
      .execute();
  }
}
