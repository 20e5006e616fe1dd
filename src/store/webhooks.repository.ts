/**
 * Webhook endpoints, their deliveries and the attempts of each (migration 0016). A delivery is
 * written by the event sequencer, in the transaction that places its event (fanOut), so an event
 * placed is an event to deliver to every endpoint that took its type then. Deliveries are taken by
 * a conditional UPDATE of due rows whose lease is free or expired (FOR UPDATE SKIP LOCKED on
 * PostgreSQL), so that each attempt is made by one process, and every change to a row is
 * conditional on still holding its lease.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { readStoredSelection, storedSelection, type EventSelection } from '../domain/webhooks.js';
import type { Selectable } from 'kysely';
import type { DatabaseKind, Schema, WebhookEndpointsTable } from './database.js';

export interface WebhookEndpoint {
  id: number;
  subscriptionId: number;
  reference: string;
  url: string;
  eventTypes: EventSelection;
  description: string | null;
  secret: string;
  isEnabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EndpointDraft {
  url: string;
  eventTypes: EventSelection;
  description: string | null;
  isEnabled: boolean;
}

/** A delivery taken to be attempted: the endpoint and the event with it. */
export interface DueDelivery {
  id: number;
  subscriptionId: number;
  attempts: number;
  eventId: number;
  eventType: string;
  eventData: string;
  occurredAt: string;
  endpoint: { id: number; url: string; secret: string; failingSince: string | null };
}

export interface Lease {
  owner: string;
  until: string;
}

export interface AttemptRecord {
  at: string;
  status: number | null;
  durationMs: number;
  excerpt: string | null;
  error: string | null;
}

export interface RecordedAttempt {
  deliveryId: number;
  subscriptionId: number;
  attempt: AttemptRecord;
  outcome: { delivered: true } | { delivered: false; nextAttemptAt: string | null };
}

export interface DeliveryLogEntry {
  id: number;
  eventId: number;
  eventType: string;
  state: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  log: AttemptRecord[];
}

/**
 * In the sequencer's transaction (events.repository.ts): a delivery of each of these events to each
 * enabled endpoint of its subscription that takes its type.
 */
export async function fanOut(trx: Transaction<Schema>, eventIds: readonly number[], at: string): Promise<void> {
  if (eventIds.length === 0) return;
  await trx
    .insertInto('webhook_deliveries')
    .columns(['subscription_id', 'endpoint_id', 'event_id', 'state', 'attempts', 'next_attempt_at', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('events as e')
        .innerJoin('webhook_endpoints as w', 'w.subscription_id', 'e.subscription_id')
        .select((s) => ['e.subscription_id', 'w.id', 'e.id', s.val('pending').as('state'), s.val(0).as('attempts'), s.val(at).as('next_attempt_at'), s.val(at).as('created_at')])
        .where('e.id', 'in', [...eventIds])
        .where('w.is_enabled', '=', 1)
        .where((w) => w.or([w('w.event_types', '=', '*'), w('w.event_types', 'like', sql<string>`'%,' || e.type || ',%'`)])),
    )
    .execute();
}

function toEndpoint(row: Selectable<WebhookEndpointsTable>): WebhookEndpoint {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    reference: row.reference,
    url: row.url,
    eventTypes: readStoredSelection(row.event_types),
    description: row.description,
    secret: row.secret,
    isEnabled: row.is_enabled === 1,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class WebhooksRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly kind: DatabaseKind,
  ) {}

  async create(subscriptionId: number, reference: string, secret: string, draft: EndpointDraft, at: string): Promise<WebhookEndpoint> {
    const row = await this.db
      .insertInto('webhook_endpoints')
      .values({
        subscription_id: subscriptionId,
        reference,
        url: draft.url,
        event_types: storedSelection(draft.eventTypes),
        description: draft.description,
        secret,
        is_enabled: draft.isEnabled ? 1 : 0,
        disabled_reason: null,
        failing_since: null,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEndpoint(row);
  }

  async count(subscriptionId: number): Promise<number> {
    const row = await this.db.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll().as('n')).where('subscription_id', '=', subscriptionId).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async list(subscriptionId: number): Promise<WebhookEndpoint[]> {
    const rows = await this.db.selectFrom('webhook_endpoints').selectAll().where('subscription_id', '=', subscriptionId).orderBy('id').execute();
    return rows.map(toEndpoint);
  }

  async find(subscriptionId: number, reference: string): Promise<WebhookEndpoint | undefined> {
    const row = await this.db.selectFrom('webhook_endpoints').selectAll().where('subscription_id', '=', subscriptionId).where('reference', '=', reference).executeTakeFirst();
    return row && toEndpoint(row);
  }

  /** Replaces what the owner sets; enabling it again, or another URL, forgets how long it had been failing. */
  async update(endpoint: WebhookEndpoint, draft: EndpointDraft, at: string): Promise<WebhookEndpoint | undefined> {
    const enabling = (draft.isEnabled && !endpoint.isEnabled) || draft.url !== endpoint.url;
    const row = await this.db
      .updateTable('webhook_endpoints')
      .set({
        url: draft.url,
        event_types: storedSelection(draft.eventTypes),
        description: draft.description,
        is_enabled: draft.isEnabled ? 1 : 0,
        ...(draft.isEnabled ? { disabled_reason: null } : {}),
        ...(enabling ? { failing_since: null } : {}),
        updated_at: at,
      })
      .where('subscription_id', '=', endpoint.subscriptionId)
      .where('id', '=', endpoint.id)
      .returningAll()
      .executeTakeFirst();
    return row && toEndpoint(row);
  }

  /** Deletes an endpoint with its deliveries and their attempts. */
  async delete(endpoint: WebhookEndpoint): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const deliveries = trx.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpoint.id);
      await trx.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
      await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', endpoint.id).execute();
      const result = await trx.deleteFrom('webhook_endpoints').where('subscription_id', '=', endpoint.subscriptionId).where('id', '=', endpoint.id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    });
  }

  /** Takes up to `limit` due deliveries whose lease is free or expired, oldest due first, with their endpoints and events. */
  async claim(lease: Lease, now: string, limit: number): Promise<DueDelivery[]> {
    const taken = await this.db
      .updateTable('webhook_deliveries')
      .set({ lease_owner: lease.owner, lease_until: lease.until })
      .where('id', 'in', (eb) => {
        const due = eb
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('state', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<', now)]))
          // A disabled endpoint's deliveries wait until it is enabled again.
          .where('endpoint_id', 'in', (s) => s.selectFrom('webhook_endpoints').select('webhook_endpoints.id').where('is_enabled', '=', 1))
          .orderBy('next_attempt_at')
          .orderBy('id')
          .limit(limit);
        return this.kind === 'postgres' ? due.forUpdate().skipLocked() : due;
      })
      .returning(['id'])
      .execute();
    if (taken.length === 0) return [];
    const rows = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('events as e', 'e.id', 'd.event_id')
      .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
      .select(['d.id', 'd.subscription_id', 'd.attempts', 'd.event_id', 'e.type', 'e.data', 'e.occurred_at', 'w.id as endpoint_id', 'w.url', 'w.secret', 'w.failing_since'])
      .where('d.id', 'in', taken.map((t) => t.id))
      .where('d.lease_owner', '=', lease.owner)
      .orderBy('d.id')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      subscriptionId: r.subscription_id,
      attempts: r.attempts,
      eventId: Number(r.event_id),
      eventType: r.type,
      eventData: r.data,
      occurredAt: r.occurred_at,
      endpoint: { id: r.endpoint_id, url: r.url, secret: r.secret, failingSince: r.failing_since },
    }));
  }

  /**
   * Records a round's attempts and what follows each: delivered, tried again at `nextAttemptAt`, or
   * failed (null), in one transaction. Answers the ids recorded: not those whose lease was lost
   * meanwhile (another process holds them now), of which nothing is recorded.
   */
  async recordAttempts(owner: string, attempts: RecordedAttempt[]): Promise<Set<number>> {
    if (attempts.length === 0) return new Set();
    return this.db.transaction().execute(async (trx) => {
      // One UPDATE per kind of outcome (most of a round's are alike: delivered, answered 200).
      const groups = new Map<string, RecordedAttempt[]>();
      for (const a of attempts) {
        const key = JSON.stringify([a.outcome, a.attempt.status, a.attempt.error, a.attempt.at]);
        groups.set(key, [...(groups.get(key) ?? []), a]);
      }
      const recorded = new Set<number>();
      for (const group of groups.values()) {
        const { outcome, attempt } = group[0];
        const rows = await trx
          .updateTable('webhook_deliveries')
          .set((eb) => ({
            attempts: eb('attempts', '+', 1),
            last_status: attempt.status,
            last_error: attempt.error,
            lease_owner: null,
            lease_until: null,
            ...(outcome.delivered ? { state: 'delivered', delivered_at: attempt.at } : outcome.nextAttemptAt ? { next_attempt_at: outcome.nextAttemptAt } : { state: 'failed' }),
          }))
          .where('id', 'in', group.map((a) => a.deliveryId))
          .where('lease_owner', '=', owner)
          .where('state', '=', 'pending')
          .returning('id')
          .execute();
        for (const r of rows) recorded.add(Number(r.id));
      }
      const logged = attempts.filter((a) => recorded.has(a.deliveryId));
      for (let i = 0; i < logged.length; i += 500) {
        await trx
          .insertInto('webhook_attempts')
          .values(logged.slice(i, i + 500).map(({ deliveryId, subscriptionId, attempt: a }) => ({ subscription_id: subscriptionId, delivery_id: deliveryId, attempted_at: a.at, status: a.status, duration_ms: a.durationMs, response_excerpt: a.excerpt, error: a.error })))
          .execute();
      }
      return recorded;
    });
  }

  /** Gives back leases this process holds without an attempt to record (it is stopping), so that another process takes them at once. */
  async release(owner: string, deliveryIds: readonly number[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.db.updateTable('webhook_deliveries').set({ lease_owner: null, lease_until: null }).where('id', 'in', [...deliveryIds]).where('lease_owner', '=', owner).execute();
  }

  /** An endpoint's deliveries succeed again. */
  async endpointSucceeded(endpointId: number): Promise<void> {
    // Whatever this process saw when it took the delivery: another may have marked it failing since.
    await this.db.updateTable('webhook_endpoints').set({ failing_since: null }).where('id', '=', endpointId).where('failing_since', 'is not', null).execute();
  }

  /** An endpoint's delivery failed at `at`: it has been failing since then, unless since earlier. Answers since when. */
  async endpointFailed(endpointId: number, at: string): Promise<string> {
    await this.db.updateTable('webhook_endpoints').set({ failing_since: at }).where('id', '=', endpointId).where('failing_since', 'is', null).execute();
    const row = await this.db.selectFrom('webhook_endpoints').select('failing_since').where('id', '=', endpointId).executeTakeFirst();
    return row?.failing_since ?? at;
  }

  async disable(endpointId: number, reason: string, at: string): Promise<void> {
    await this.db.updateTable('webhook_endpoints').set({ is_enabled: 0, disabled_reason: reason, updated_at: at }).where('id', '=', endpointId).execute();
  }

  /** An endpoint's deliveries, newest first, before a delivery id (0: from the newest), with their attempts. */
  async log(endpoint: WebhookEndpoint, before: number, limit: number): Promise<DeliveryLogEntry[]> {
    let q = this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('events as e', 'e.id', 'd.event_id')
      .select(['d.id', 'd.event_id', 'e.type', 'd.state', 'd.attempts', 'd.next_attempt_at', 'd.last_status', 'd.last_error', 'd.created_at', 'd.delivered_at'])
      .where('d.subscription_id', '=', endpoint.subscriptionId)
      .where('d.endpoint_id', '=', endpoint.id);
    if (before > 0) q = q.where('d.id', '<', before);
    const rows = await q.orderBy('d.id', 'desc').limit(limit).execute();
    if (rows.length === 0) return [];
    const attempts = await this.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('subscription_id', '=', endpoint.subscriptionId)
      .where('delivery_id', 'in', rows.map((r) => r.id))
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      eventId: Number(r.event_id),
      eventType: r.type,
      state: r.state,
      attempts: r.attempts,
      nextAttemptAt: r.state === 'pending' ? r.next_attempt_at : null,
      lastStatus: r.last_status,
      lastError: r.last_error,
      createdAt: r.created_at,
      deliveredAt: r.delivered_at,
      log: attempts
        .filter((a) => Number(a.delivery_id) === Number(r.id))
        .map((a) => ({ at: a.attempted_at, status: a.status, durationMs: a.duration_ms, excerpt: a.response_excerpt, error: a.error })),
    }));
  }

  /** Sends a delivery of the endpoint again from the start of the schedule, whatever became of it; false when the endpoint has no such delivery. */
  async replay(endpoint: WebhookEndpoint, deliveryId: number, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ state: 'pending', attempts: 0, next_attempt_at: at, lease_owner: null, lease_until: null, delivered_at: null })
      .where('subscription_id', '=', endpoint.subscriptionId)
      .where('id', '=', deliveryId)
      .where('endpoint_id', '=', endpoint.id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Forgets deliveries (and their attempts) made before `beforeIso`, with the events they carry: a
   * delivery still pending then is one waiting on an endpoint disabled all that time.
   */
  async purgeBefore(beforeIso: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const old = trx.selectFrom('webhook_deliveries').select('id').where('created_at', '<', beforeIso);
      await trx.deleteFrom('webhook_attempts').where('delivery_id', 'in', old).execute();
      const result = await trx.deleteFrom('webhook_deliveries').where('created_at', '<', beforeIso).executeTakeFirst();
      return Number(result.numDeletedRows ?? 0);
    });
  }
}
