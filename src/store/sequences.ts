/**
 * Named number sequences, unique per deployment. Numbers are reserved from the database in blocks
 * (one short write per block), then handed out from memory; a crash only skips the rest of a block.
 */
import type { Kysely } from 'kysely';
import type { Schema } from './database.js';

export class Sequences {
  private readonly blocks = new Map<string, { next: number; end: number }>();
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly blockSize = 500,
  ) {}

  /** Makes sure the sequence will never hand out a value below `value`. */
  async ensureAtLeast(name: string, value: number): Promise<void> {
    await this.db.insertInto('sequences').values({ name, next_value: value }).onConflict((oc) => oc.column('name').doNothing()).execute();
    await this.db.updateTable('sequences').set({ next_value: value }).where('name', '=', name).where('next_value', '<', value).execute();
    this.blocks.delete(name);
  }

  async next(name: string, count: number): Promise<number[]> {
    const out: number[] = [];
    while (out.length < count) {
      const block = this.blocks.get(name);
      if (block && block.next < block.end) {
        out.push(block.next++);
        continue;
      }
      await this.refill(name, Math.max(this.blockSize, count - out.length));
    }
    return out;
  }

  private refill(name: string, size: number): Promise<void> {
    let p = this.pending.get(name);
    if (!p) {
      p = this.reserve(name, size).finally(() => this.pending.delete(name));
      this.pending.set(name, p);
    }
    return p;
  }

  private async reserve(name: string, size: number): Promise<void> {
    await this.db.insertInto('sequences').values({ name, next_value: 1 }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const row = await this.db
      .updateTable('sequences')
      .set((eb) => ({ next_value: eb('next_value', '+', size) }))
      .where('name', '=', name)
      .returning('next_value')
      .executeTakeFirstOrThrow();
    const end = Number(row.next_value);
    this.blocks.set(name, { next: end - size, end });
  }
}
