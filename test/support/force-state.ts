/** Test helpers that reach below HTTP: states no endpoint reaches yet, and settable clocks. */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { Clock } from '../../src/domain/clock.js';
import type { TestServer } from './test-server.js';

/**
 * Puts a consignment into a state no endpoint reaches yet (ManifestFailed, ReadyToShip, InTransit,
 * …), directly in the database. The audit trigger records state changes from last_action /
 * last_message and numbers them by version, so those are set (and the version bumped) as a real
 * change would.
 */
export async function forceState(server: TestServer, reference: string, state: string): Promise<void> {
  const result = await server.app.ctx.database.db
    .updateTable('consignments')
    .set({ state, last_action: state, last_message: 'test', version: (eb) => eb('version', '+', 1) })
    .where('reference', '=', reference)
    .executeTakeFirst();
  assert.equal(Number(result.numUpdatedRows), 1, `forcing ${reference} to ${state}`);
}

/** A clock the test moves by hand. */
export class SettableClock implements Clock {
  private at: DateTime;

  constructor(iso: string) {
    this.at = DateTime.fromISO(iso, { setZone: true });
  }

  set(iso: string): void {
    this.at = DateTime.fromISO(iso, { setZone: true });
  }

  now(): DateTime {
    return this.at;
  }
}

/** The row id of a subscription, by its reference. */
export async function subscriptionId(server: TestServer, reference: string): Promise<number> {
  const row = await server.app.ctx.database.db.selectFrom('subscriptions').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
  return Number(row.id);
}
