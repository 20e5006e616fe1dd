/**
 * SQLite's WAL checkpoints run on a thread of their own: pages committed by the server's
 * connection reach the database file without that connection checkpointing (it would only at
 * 20,000 pages), and closing the database leaves no WAL behind.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/database.js';

describe('WAL checkpoints on their own thread (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-wal-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('copies committed pages into the database file while the connection goes on, and leaves no WAL on close', async () => {
    const file = join(dir, 'wal.db');
    const database = await openDatabase(`sqlite:${file}`);
    const { db } = database;
    await sql`create table blobs (id integer primary key, data blob not null)`.execute(db);
    const before = statSync(file).size;
    // About 500 pages: under SQLite's own threshold (1,000), so the connection alone would not checkpoint them.
    for (let i = 0; i < 50; i++) await sql`insert into blobs (data) values (randomblob(40000))`.execute(db);
    let copied = statSync(file).size;
    for (let waited = 0; copied < before + 1_500_000 && waited < 10_000; waited += 50) {
      await sleep(50);
      copied = statSync(file).size;
    }
    assert.ok(copied >= before + 1_500_000, `the database file grew from ${before} to ${copied} bytes`);
    await database.close();
    assert.equal(existsSync(`${file}-wal`), false, 'no WAL is left once closed');
    const reopened = await openDatabase(`sqlite:${file}`);
    assert.equal(Number((await sql<{ n: number }>`select count(*) as n from blobs`.execute(reopened.db)).rows[0].n), 50);
    await reopened.close();
  });
});
