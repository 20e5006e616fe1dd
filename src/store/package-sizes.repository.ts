import type { Kysely, Selectable } from 'kysely';
import { referenceKey } from '../domain/named-reference.js';
import { byReference, type PackageSize, type PackageSizeData } from '../domain/package-size.js';
import type { PackageSizesTable, Schema } from './database.js';
import { lockSubscription } from './subscription-lock.js';

/** Keeps IN lists well inside both databases' bound-parameter limits. */
const CHUNK = 500;

function toSize(row: Selectable<PackageSizesTable>): PackageSize {
  return {
    id: row.id,
    reference: row.reference,
    description: row.description,
    dimensions: { lengthCm: Number(row.length_cm), widthCm: Number(row.width_cm), heightCm: Number(row.height_cm) },
    weightKg: Number(row.weight_kg),
    isDefault: Number(row.is_default) === 1,
  };
}

function toRow(size: PackageSizeData) {
  return {
    reference: size.reference,
    reference_key: referenceKey(size.reference),
    description: size.description,
    length_cm: size.dimensions.lengthCm,
    width_cm: size.dimensions.widthCm,
    height_cm: size.dimensions.heightCm,
    weight_kg: size.weightKg,
    is_default: size.isDefault ? 1 : 0,
  };
}

export class PackageSizesRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async find(subscriptionId: number, reference: string): Promise<PackageSize | undefined> {
    if (reference.includes('\u0000')) return undefined;
    const row = await this.db
      .selectFrom('package_sizes')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .where('reference_key', '=', referenceKey(reference))
      .executeTakeFirst();
    return row && toSize(row);
  }

  /** The subscription's sizes among `references`, keyed by lower-cased reference: one query for a whole request. */
  async findMany(subscriptionId: number, references: Iterable<string>): Promise<Map<string, PackageSize>> {
    const keys = [...new Set([...references].map(referenceKey))].filter((k) => k && !k.includes('\u0000'));
    const found = new Map<string, PackageSize>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('package_sizes')
        .selectAll()
        .where('subscription_id', '=', subscriptionId)
        .where('reference_key', 'in', keys.slice(i, i + CHUNK))
        .execute();
      for (const row of rows) found.set(row.reference_key, toSize(row));
    }
    return found;
  }

  async findDefault(subscriptionId: number): Promise<PackageSize | undefined> {
    const row = await this.db.selectFrom('package_sizes').selectAll().where('subscription_id', '=', subscriptionId).where('is_default', '=', 1).executeTakeFirst();
    return row && toSize(row);
  }

  /** The subscription's sizes by reference. */
  async list(subscriptionId: number): Promise<PackageSize[]> {
    const rows = await this.db.selectFrom('package_sizes').selectAll().where('subscription_id', '=', subscriptionId).execute();
    return rows.map(toSize).sort(byReference);
  }

  /** Stores a new size (taking over the default if it is one), or answers 'duplicate' when the reference is taken. */
  async create(subscriptionId: number, size: PackageSizeData): Promise<PackageSize | 'duplicate'> {
    return this.db.transaction().execute(async (trx) => {
      await lockSubscription(trx, subscriptionId);
      const existing = await trx
        .selectFrom('package_sizes')
        .select('id')
        .where('subscription_id', '=', subscriptionId)
        .where('reference_key', '=', referenceKey(size.reference))
        .executeTakeFirst();
      if (existing) return 'duplicate';
      if (size.isDefault) await this.clearDefault(trx, subscriptionId, null);
      const row = await trx
        .insertInto('package_sizes')
        .values({ subscription_id: subscriptionId, ...toRow(size) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSize(row);
    });
  }

  /** Replaces every field of a size (its reference key stays); undefined when it no longer exists. */
  async replace(subscriptionId: number, id: number, size: PackageSizeData): Promise<PackageSize | undefined> {
    return this.db.transaction().execute(async (trx) => {
      await lockSubscription(trx, subscriptionId);
      if (!(await this.exists(trx, subscriptionId, id))) return undefined;
      if (size.isDefault) await this.clearDefault(trx, subscriptionId, id);
      const row = await trx
        .updateTable('package_sizes')
        .set(toRow(size))
        .where('id', '=', id)
        .where('subscription_id', '=', subscriptionId)
        .returningAll()
        .executeTakeFirst();
      return row && toSize(row);
    });
  }

  /** Makes one size the default and no other, in one transaction; undefined when it no longer exists. */
  async makeDefault(subscriptionId: number, id: number): Promise<PackageSize | undefined> {
    return this.db.transaction().execute(async (trx) => {
      await lockSubscription(trx, subscriptionId);
      if (!(await this.exists(trx, subscriptionId, id))) return undefined;
      await this.clearDefault(trx, subscriptionId, id);
      const row = await trx
        .updateTable('package_sizes')
        .set({ is_default: 1 })
        .where('id', '=', id)
        .where('subscription_id', '=', subscriptionId)
        .returningAll()
        .executeTakeFirst();
      return row && toSize(row);
    });
  }

  async remove(subscriptionId: number, id: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await lockSubscription(trx, subscriptionId);
      const result = await trx.deleteFrom('package_sizes').where('id', '=', id).where('subscription_id', '=', subscriptionId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    });
  }

  /** Whether the size still exists; asked under the subscription's lock, the answer holds until commit. */
  private async exists(trx: Kysely<Schema>, subscriptionId: number, id: number): Promise<boolean> {
    return !!(await trx.selectFrom('package_sizes').select('id').where('id', '=', id).where('subscription_id', '=', subscriptionId).executeTakeFirst());
  }

  private async clearDefault(trx: Kysely<Schema>, subscriptionId: number, exceptId: number | null): Promise<void> {
    let query = trx.updateTable('package_sizes').set({ is_default: 0 }).where('subscription_id', '=', subscriptionId).where('is_default', '=', 1);
    if (exceptId !== null) query = query.where('id', '<>', exceptId);
    await query.execute();
  }
}
