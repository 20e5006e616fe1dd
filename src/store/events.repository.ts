import { sql, type Kysely } from 'kysely';
import type { EventType } from '../domain/events.js';
import type { DatabaseKind, Schema } from './database.js';
import { fanOut } from './webhooks.repository.js';

/** An event as stored, with its place in commit order. */
export interface StoredEvent {
  id: number;
  position: number;
  type: EventType;
  subject: string;
  data: string;
  occurredAt: string;
}

export interface EventQuery {
  subscriptionId: number;
  /** Only events after this position. */
  after: number;
  /** Only these types; all when absent. */
  types?: readonly EventType[];
  /** Only events that occurred at or after `from` and before `to` (UTC timestamps). */
  from?: string;
  to?: string;
  limit: number;
}

/** An arbitrary constant naming the sequencer's lock on PostgreSQL, with the schema's name (several Switchyards may share one database). */
const SEQUENCER_LOCK = 0x5357_4556; // "SWEV"
/** The row of `sequences` holding the last position given: never purged, so a cursor never sees a position twice. */
const POSITIONS = 'event_positions';

/**
 * The events the triggers of migration 0015 write, and their order.
 *
 * An event's id is given when its transaction writes it, so ids are not commit order on PostgreSQL:
 * a transaction with a lower id may commit after one with a higher. So a reader after an id could
 * miss one. The sequencer gives each committed event a `position` instead, in rounds taken one at a
 * time (an advisory lock on PostgreSQL; SQLite has one writer), each above every position before:
 * an event committed late gets a later position, and a reader that has read up to a position has
 * seen every event that will ever have a lower one.
 */
export class EventsRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly kind: DatabaseKind,
  ) {}

  /**
   * Gives positions to up to `limit` committed events without one, in id order, and writes their
   * webhook deliveries in the same transaction; returns how many (0 when another process holds the round).
   */
  async sequence(at: string, { limit = 5_000, wait = false }: { limit?: number; wait?: boolean } = {}): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      if (this.kind === 'postgres') {
        // A background round gives way to a round in progress; a reader's waits for it, to read its own changes.
        if (wait) await sql`select pg_advisory_xact_lock(${SEQUENCER_LOCK}, hashtext(current_schema()))`.execute(trx);
        else {
          const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${SEQUENCER_LOCK}, hashtext(current_schema())) as locked`.execute(trx);
          if (!rows[0].locked) return 0;
        }
      }
      const waiting = await trx.selectFrom('events').select('id').where('position', 'is', null).orderBy('id').limit(limit).execute();
      if (waiting.length === 0) return 0;
      await trx.insertInto('sequences').values({ name: POSITIONS, next_value: 1 }).onConflict((oc) => oc.column('name').doNothing()).execute();
      const counter = await trx.selectFrom('sequences').select('next_value').where('name', '=', POSITIONS).executeTakeFirstOrThrow();
      const base = Number(counter.next_value) - 1;
      const ids = waiting.map((w) => Number(w.id));
      await trx.updateTable('sequences').set({ next_value: base + ids.length + 1 }).where('name', '=', POSITIONS).execute();
      // One statement: each id's position by its rank (ids are integers from the database, so inlining them is safe).
      const cases = ids.map((id, i) => `when ${id} then ${base + i + 1}`).join(' ');
      await sql`update events set position = case id ${sql.raw(cases)} end where id in (${sql.join(ids)})`.execute(trx);
      await fanOut(trx, ids, at);
      return ids.length;
    });
  }

  /** A subscription's sequenced events after a position, in commit order. */
  async list(query: EventQuery): Promise<StoredEvent[]> {
    let q = this.db
      .selectFrom('events')
      .select(['id', 'position', 'type', 'subject', 'data', 'occurred_at'])
      .where('subscription_id', '=', query.subscriptionId)
      .where('position', '>', query.after);
    if (query.types) q = q.where('type', 'in', [...query.types]);
    if (query.from) q = q.where('occurred_at', '>=', query.from);
    if (query.to) q = q.where('occurred_at', '<', query.to);
    const rows = await q.orderBy('position').limit(query.limit).execute();
    return rows.map((r) => ({ id: Number(r.id), position: Number(r.position), type: r.type as EventType, subject: r.subject, data: r.data, occurredAt: r.occurred_at }));
  }

  /** Forgets the events that occurred before `beforeIso`; returns how many. */
  async purgeBefore(beforeIso: string): Promise<number> {
    const result = await this.db.deleteFrom('events').where('occurred_at', '<', beforeIso).where('position', 'is not', null).executeTakeFirst();
    // (Their webhook deliveries go first: WebhooksRepository.purgeBefore, in purgeOldEvents.)
    return Number(result.numDeletedRows ?? 0);
  }
}
