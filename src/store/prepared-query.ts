/**
 * A hot query built and compiled once by Kysely, for this database's dialect, then run with new
 * values. Building and compiling an UPDATE through the query builder costs several times what
 * SQLite takes to run it, and the hot path's statements have a fixed shape. Values are placed by
 * name: the query is built with a unique marker for each, and the compiled parameters are matched
 * back to the names; any other parameter (a constant of the shape) is kept as compiled.
 */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';

type Slot<K extends string> = { name: K } | { constant: unknown };

/**
 * Runs on the Kysely instance it was built with (the root one), or with `executeOn` on a
 * transaction of it (on SQLite the root instance would wait for the transaction's connection).
 */
export class PreparedQuery<K extends string> {
  private readonly sql: string;
  private readonly slots: Slot<K>[];

  constructor(
    private readonly db: Kysely<any>,
    names: readonly K[],
    build: (values: Record<K, any>) => Compilable,
  ) {
    const markers = Object.fromEntries(names.map((n) => [n, `\u0000prepared:${n}\u0000`])) as Record<K, string>;
    const compiled = build(markers).compile();
    this.sql = compiled.sql;
    this.slots = compiled.parameters.map((p) => {
      const name = names.find((n) => markers[n] === p);
      return name === undefined ? { constant: p } : { name };
    });
    const placed = new Set(this.slots.flatMap((s) => ('name' in s ? [s.name] : [])));
    const unused = names.filter((n) => !placed.has(n));
    if (unused.length) throw new Error(`prepared query does not use ${unused.join(', ')}`);
  }

  execute(values: Record<K, unknown>): Promise<QueryResult<unknown>> {
    return this.executeOn(this.db, values);
  }

  executeOn(db: Kysely<any>, values: Record<K, unknown>): Promise<QueryResult<unknown>> {
    return db.executeQuery(CompiledQuery.raw(this.sql, this.slots.map((s) => ('name' in s ? values[s.name] : s.constant))));
  }
}
