/** Reading a consignment's tags: trimmed, bounded, and each kept once whatever its case. */
import { MAX_TAGS, MAX_TAG_LENGTH } from '../../domain/limits.js';
import type { Problems } from './problems.js';

/** The tags in the order given, without repeats (the first spelling wins); too many is one problem and no tags. */
export function readTags(tags: string[] | null | undefined, p: Problems): string[] {
  const list = tags ?? [];
  if (list.length > MAX_TAGS) {
    p.add('Tags', `must have at most ${MAX_TAGS} tags`);
    return [];
  }
  const seen = new Set<string>();
  const out: string[] = [];
  list.forEach((t, i) => {
    const tag = t.trim();
    if (!tag || tag.length > MAX_TAG_LENGTH) p.add(`Tags[${i}]`, `must be 1 to ${MAX_TAG_LENGTH} characters`);
    else if (!seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      out.push(tag);
    }
  });
  return out;
}
