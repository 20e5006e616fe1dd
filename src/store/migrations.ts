/** Schema migrations, run at start-up on both databases; the migrator makes a second run a no-op. */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DatabaseKind } from './database.js';

function migrations(kind: DatabaseKind): Record<string, Migration> {
  // SQLite wants INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL a serial column.
  const id = (b: any) =>
    kind === 'sqlite' ? b.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()) : b.addColumn('id', 'serial', (c: any) => c.primaryKey());
  return {
    '0001_core': {
      async up(db: Kysely<any>) {
        await id(db.schema.createTable('subscriptions'))
          .addColumn('reference', 'varchar(64)', (c: any) => c.notNull().unique())
          .addColumn('name', 'varchar(200)', (c: any) => c.notNull())
          .addColumn('api_key_hash', 'varchar(64)', (c: any) => c.notNull().unique())
          .addColumn('created_at', 'varchar(40)', (c: any) => c.notNull())
          .execute();
        await db.schema
          .createTable('subscription_services')
          .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id'))
          .addColumn('service_key', 'varchar(200)', (c) => c.notNull())
          .addPrimaryKeyConstraint('subscription_services_pk', ['subscription_id', 'service_key'])
          .execute();
        await id(db.schema.createTable('shipping_locations'))
          .addColumn('subscription_id', 'integer', (c: any) => c.notNull().references('subscriptions.id'))
          .addColumn('reference', 'varchar(200)', (c: any) => c.notNull())
          .addColumn('reference_key', 'varchar(200)', (c: any) => c.notNull())
          .addColumn('name', 'varchar(200)', (c: any) => c.notNull())
          .addColumn('location_type', 'varchar(40)', (c: any) => c.notNull())
          .addColumn('time_zone', 'varchar(64)', (c: any) => c.notNull())
          .addColumn('address', 'text', (c: any) => c.notNull())
          .addUniqueConstraint('shipping_locations_ref_uq', ['subscription_id', 'reference_key'])
          .execute();
        await id(db.schema.createTable('consignments'))
          .addColumn('subscription_id', 'integer', (c: any) => c.notNull().references('subscriptions.id'))
          .addColumn('reference', 'varchar(20)', (c: any) => c.notNull().unique())
          .addColumn('state', 'varchar(40)', (c: any) => c.notNull())
          .addColumn('created_at', 'varchar(40)', (c: any) => c.notNull())
          .addColumn('updated_at', 'varchar(40)', (c: any) => c.notNull())
          .addColumn('data', 'text', (c: any) => c.notNull())
          .addColumn('allocation', 'text')
          .addColumn('failed_allocation', 'text')
          .execute();
        await db.schema.createIndex('consignments_subscription_state').on('consignments').columns(['subscription_id', 'state']).execute();
        await id(db.schema.createTable('consignment_events'))
          .addColumn('consignment_id', 'integer', (c: any) => c.notNull().references('consignments.id'))
          .addColumn('at', 'varchar(40)', (c: any) => c.notNull())
          .addColumn('action', 'varchar(40)', (c: any) => c.notNull())
          .addColumn('from_state', 'varchar(40)')
          .addColumn('to_state', 'varchar(40)', (c: any) => c.notNull())
          .addColumn('message', 'text', (c: any) => c.notNull())
          .execute();
        await db.schema.createIndex('consignment_events_consignment').on('consignment_events').column('consignment_id').execute();
        await db.schema
          .createTable('sequences')
          .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
          .addColumn('next_value', 'bigint', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<any>) {
        for (const t of ['consignment_events', 'consignments', 'shipping_locations', 'subscription_services', 'subscriptions', 'sequences']) {
          await sql`drop table if exists ${sql.table(t)}`.execute(db);
        }
      },
    },
  };
}

export async function migrate(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(kind) };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
}
