/**
 * Manifests and their members (migration 0008), and the consignment changes that go with them.
 * A manifest is written only after its carrier has answered, in one transaction with the
 * conditional updates (state and version) of the consignments it holds: a consignment that
 * changed meanwhile is not updated and not put on the manifest, and a process that stops before
 * the commit leaves everything as it was. So a consignment is on a manifest exactly when it was
 * manifested; the partial unique index on live memberships backs that up.
 */
import { sql, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { Consignment } from '../domain/consignment.js';
import type { Manifest, ManifestLine, ManifestMember } from '../domain/manifest.js';
import type { ConsignmentState } from '../domain/states.js';
import type { DatabaseKind, ManifestsTable, Schema } from './database.js';
import { trackManifestedLegs } from './tracking.repository.js';

/** Rows per statement, well inside both databases' bound-parameter limits. */
const CHUNK = 400;

/** A consignment's change decided on the version read: to Manifested, or to ManifestFailed with why. */
export interface ManifestedChange {
  consignmentId: number;
  version: number;
  to: Extract<ConsignmentState, 'Manifested' | 'ManifestFailed'>;
  /** The audit trail's message. */
  message: string;
  /** Set for ManifestFailed: the wire's FailedManifestMessage. */
  failure: string | null;
}

/** A manifest about to be written: what it will be, and its members. */
export interface ManifestDraft
  extends Pick<Manifest, 'reference' | 'carrierReference' | 'carrierName' | 'shippingLocationReference' | 'shippingLocationName' | 'collectionDay' | 'timeZone' | 'carrierManifestReference'> {
  /** In the order they are printed. */
  members: { consignmentId: number; line: ManifestLine }[];
}

export interface ManifestWrite {
  subscriptionId: number;
  /** The states each change applies from. */
  fromStates: readonly ConsignmentState[];
  at: string;
  changes: ManifestedChange[];
  manifests: ManifestDraft[];
}

/** What manifests-from-query matches; null criteria match everything. */
export interface ManifestQuery {
  states: readonly ConsignmentState[];
  /** Shipping location references of the origin, as searchKey makes them (the search column's form). */
  originKeys: readonly string[] | null;
  /** Lower-cased service references. */
  serviceKeys: readonly string[] | null;
  /** Whether its labels have been printed (the labels' `labels_first_printed_at` column, migration 0007). */
  labelsPrinted: boolean | null;
}

function toManifest(row: Selectable<ManifestsTable>, bookingsCount: number): Manifest {
  return {
    id: row.id,
    reference: row.reference,
    carrierReference: row.carrier_reference,
    carrierName: row.carrier_name,
    shippingLocationReference: row.shipping_location_reference,
    shippingLocationName: row.shipping_location_name,
    collectionDay: row.collection_day,
    timeZone: row.time_zone,
    createdAt: row.created_at,
    carrierManifestReference: row.carrier_manifest_reference,
    bookingsCount,
  };
}

/** `(id, version) in (values …)`: each row changes only at the version it was decided on. */
function atVersions(changes: readonly ManifestedChange[]) {
  return sql<SqlBool>`(id, version) in (values ${sql.join(changes.map((c) => sql`(cast(${c.consignmentId} as integer), cast(${c.version} as integer))`))})`;
}

/**
 * Takes a consignment off every manifest it is on, as of `at`: called in the transaction of the
 * change that releases its bookings (a deallocation, a cancellation), so that it is never both.
 */
export async function withdrawFromManifests(db: Kysely<Schema>, consignment: Pick<Consignment, 'id' | 'subscriptionId'>, at: string): Promise<void> {
  await db
    .updateTable('manifest_members')
    .set({ withdrawn_at: at })
    .where('subscription_id', '=', consignment.subscriptionId)
    .where('consignment_id', '=', consignment.id)
    .where('withdrawn_at', 'is', null)
    .execute();
}

export class ManifestsRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly kind: DatabaseKind,
  ) {}

  /** Which legs of each of the subscription's consignments are on a manifest now, by consignment id. */
  async liveLegs(subscriptionId: number, consignmentIds: readonly number[]): Promise<Map<number, Set<number>>> {
    const live = new Map<number, Set<number>>();
    for (let i = 0; i < consignmentIds.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('manifest_members')
        .select(['consignment_id', 'leg'])
        .where('subscription_id', '=', subscriptionId)
        .where('consignment_id', 'in', consignmentIds.slice(i, i + CHUNK))
        .where('withdrawn_at', 'is', null)
        .execute();
      for (const r of rows) {
        let legs = live.get(r.consignment_id);
        if (!legs) live.set(r.consignment_id, (legs = new Set()));
        legs.add(r.leg);
      }
    }
    return live;
  }

  /**
   * Writes what a round of manifesting decided, in one transaction: each consignment's conditional
   * update (changes of the same kind in one statement, each row at its own version), then each
   * manifest with those of its members whose consignment was updated; a manifest left with none is
   * not written. Answers the ids of the consignments changed; the others changed meanwhile.
   */
  async record(write: ManifestWrite): Promise<Set<number>> {
    return this.db.transaction().execute(async (trx) => {
      // PostgreSQL: the rows are locked first, all of them in one order, so that two rounds
      // over the same consignments (their updates grouped differently) wait for each other
      // instead of deadlocking. SQLite has one writer at a time anyway.
      if (this.kind === 'postgres') {
        const ids = [...new Set(write.changes.map((c) => c.consignmentId))].sort((a, b) => a - b);
        for (let i = 0; i < ids.length; i += CHUNK) {
          await trx.selectFrom('consignments').select('id').where('id', 'in', ids.slice(i, i + CHUNK)).orderBy('id').forUpdate().execute();
        }
      }
      const changed = new Set<number>();
      const alike = new Map<string, ManifestedChange[]>();
      for (const c of write.changes) {
        const key = `${c.to}\u0000${c.message}\u0000${c.failure ?? ''}`;
        const list = alike.get(key);
        if (list) list.push(c);
        else alike.set(key, [c]);
      }
      for (const group of alike.values()) {
        const { to, message, failure } = group[0];
        for (let i = 0; i < group.length; i += CHUNK) {
          const rows = await trx
            .updateTable('consignments')
            .set({
              state: to,
              updated_at: write.at,
              version: (eb) => eb('version', '+', 1),
              last_action: to,
              last_message: message,
              ...(failure !== null ? { failed_manifest_message: failure, failed_manifest_at: write.at } : {}),
            })
            .where('subscription_id', '=', write.subscriptionId)
            .where('state', 'in', write.fromStates)
            .where(atVersions(group.slice(i, i + CHUNK)))
            .returning('id')
            .execute();
          for (const r of rows) changed.add(r.id);
        }
      }
      for (const manifest of write.manifests) {
        const members = manifest.members.filter((m) => changed.has(m.consignmentId));
        if (!members.length) continue;
        const { id } = await trx
          .insertInto('manifests')
          .values({
            subscription_id: write.subscriptionId,
            reference: manifest.reference,
            carrier_reference: manifest.carrierReference,
            carrier_name: manifest.carrierName,
            shipping_location_reference: manifest.shippingLocationReference,
            shipping_location_key: manifest.shippingLocationReference?.toLowerCase() ?? null,
            shipping_location_name: manifest.shippingLocationName,
            collection_day: manifest.collectionDay,
            time_zone: manifest.timeZone,
            created_at: write.at,
            carrier_manifest_reference: manifest.carrierManifestReference,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const rows = members.map((m, position) => ({
          manifest_id: id,
          position,
          subscription_id: write.subscriptionId,
          consignment_id: m.consignmentId,
          leg: m.line.leg,
          line: JSON.stringify(m.line),
          withdrawn_at: null,
        }));
        for (let i = 0; i < rows.length; i += CHUNK / 2) await trx.insertInto('manifest_members').values(rows.slice(i, i + CHUNK / 2)).execute();
        // Handed to its carrier, each leg is tracked from now on (decisions.md §12).
        await trackManifestedLegs(
          trx,
          members.map((m) => ({ subscriptionId: write.subscriptionId, consignmentId: m.consignmentId, leg: m.line.leg, carrierReference: manifest.carrierReference, packages: m.line.packages })),
          write.at,
        );
      }
      return changed;
    });
  }

  /** Manifested → Dispatched as one conditional UPDATE (its own transaction), at the version read; false when it changed meanwhile. */
  async dispatch(consignment: Consignment, fromStates: readonly ConsignmentState[], at: string, message: string): Promise<boolean> {
    const result = await this.db
      .updateTable('consignments')
      .set({ state: 'Dispatched', updated_at: at, version: (eb) => eb('version', '+', 1), last_action: 'Dispatched', last_message: message, dispatched_at: at })
      .where('id', '=', consignment.id)
      .where('version', '=', consignment.version)
      .where('state', 'in', fromStates)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The subscription's manifests, newest first, optionally of one shipping location (lower-cased reference). */
  async list(subscriptionId: number, locationKey: string | null): Promise<Manifest[]> {
    const rows = await this.withCounts()
      .where('manifests.subscription_id', '=', subscriptionId)
      .$if(locationKey !== null, (qb) => qb.where('manifests.shipping_location_key', '=', locationKey))
      .orderBy('manifests.created_at', 'desc')
      .orderBy('manifests.id', 'desc')
      .execute();
    return rows.map((r) => toManifest(r, Number(r.bookings_count)));
  }

  async find(subscriptionId: number, reference: string): Promise<Manifest | undefined> {
    const row = await this.withCounts().where('manifests.subscription_id', '=', subscriptionId).where('manifests.reference', '=', reference).executeTakeFirst();
    return row && toManifest(row, Number(row.bookings_count));
  }

  /** Every member ever put on the manifest, in print order, withdrawn ones included. */
  async members(manifest: Pick<Manifest, 'id'>, subscriptionId: number): Promise<ManifestMember[]> {
    const rows = await this.db
      .selectFrom('manifest_members')
      .select(['line', 'withdrawn_at'])
      .where('subscription_id', '=', subscriptionId)
      .where('manifest_id', '=', manifest.id)
      .orderBy('position')
      .execute();
    return rows.map((r) => ({ line: JSON.parse(r.line) as ManifestLine, withdrawnAt: r.withdrawn_at }));
  }

  /** References of the subscription's consignments matching a manifest-from-query, oldest first. */
  async referencesMatching(subscriptionId: number, query: ManifestQuery): Promise<string[]> {
    if (!query.states.length || query.originKeys?.length === 0 || query.serviceKeys?.length === 0) return [];
    const rows = await this.db
      .selectFrom('consignments')
      .select('consignments.reference')
      .where('consignments.subscription_id', '=', subscriptionId)
      .where('consignments.state', 'in', query.states)
      .$if(query.serviceKeys !== null, (qb) => qb.where('consignments.service_key', 'in', query.serviceKeys!))
      .$if(query.originKeys !== null, (qb) =>
        qb.where('consignments.id', 'in', (eb) =>
          eb.selectFrom('consignment_search').select('consignment_search.consignment_id').where('consignment_search.origin_location_key', 'in', query.originKeys!),
        ),
      )
      // The column the labels add (migration 0007); named here without a type, as that migration is theirs.
      .$if(query.labelsPrinted !== null, (qb) =>
        qb.where(query.labelsPrinted ? sql<SqlBool>`${sql.ref('consignments.labels_first_printed_at')} is not null` : sql<SqlBool>`${sql.ref('consignments.labels_first_printed_at')} is null`),
      )
      .orderBy('consignments.created_at')
      .orderBy('consignments.reference')
      .execute();
    return rows.map((r) => r.reference);
  }

  /** Manifests with how many consignments are on them now. */
  private withCounts() {
    return this.db
      .selectFrom('manifests')
      .selectAll('manifests')
      .select((eb) =>
        eb
          .selectFrom('manifest_members')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('manifest_members.manifest_id', '=', 'manifests.id')
          .whereRef('manifest_members.subscription_id', '=', 'manifests.subscription_id')
          .where('manifest_members.withdrawn_at', 'is', null)
          .as('bookings_count'),
      );
  }
}
