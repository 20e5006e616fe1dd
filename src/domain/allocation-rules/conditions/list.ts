/** Reading a setting that is a list (countries, postcode prefixes, directions, tags): bounded in length, each entry checked, duplicates merged. */
import type { ConditionReading } from './condition.js';

/**
 * The entries of a list setting that read, first occurrence first, merged case-insensitively by
 * `key`. `read` reports its own problem and returns null for an entry it refuses.
 */
export function readList<T>(
  values: readonly string[] | null | undefined,
  field: string,
  max: number,
  reading: ConditionReading,
  read: (value: string, target: string) => T | null,
  key: (value: T) => string = String,
): T[] {
  const target = reading.target(field);
  const list = values ?? [];
  if (list.length > max) {
    reading.problems.push({ Code: 'TooMany', Target: target, Message: `${target} must have at most ${max} entries` });
    return [];
  }
  const out: T[] = [];
  const seen = new Set<string>();
  list.forEach((value, i) => {
    const item = read(value, `${target}[${i}]`);
    if (item === null) return;
    const k = key(item).toLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      out.push(item);
    }
  });
  return out;
}
