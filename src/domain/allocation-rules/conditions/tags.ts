/** The consignment carries any of the rule's tags (case-insensitive). */
import { MAX_TAGS, MAX_TAG_LENGTH } from '../../limits.js';
import type { RuleCondition } from './condition.js';
import { readList } from './list.js';

export interface TagsSettings {
  /** As first given, duplicates merged case-insensitively; empty: the condition is not given. */
  tags: string[];
}

export const tags: RuleCondition<TagsSettings> = {
  fields: { tags: { kind: 'list' } },

  read(input, reading) {
    const read = readList(input.tags, 'tags', MAX_TAGS, reading, (value, target) => {
      const tag = value.trim();
      if (tag && tag.length <= MAX_TAG_LENGTH) return tag;
      reading.problems.push({ Code: 'Invalid', Target: target, Message: `${target} must be 1 to ${MAX_TAG_LENGTH} characters` });
      return null;
    });
    return { tags: read };
  },

  judge({ tags: wanted }, { consignment }) {
    if (wanted.length === 0) return null;
    const keys = wanted.map((t) => t.toLowerCase());
    const matching = consignment.tags.filter((t) => keys.includes(t.toLowerCase()));
    return {
      verdict: matching.length > 0 ? 'holds' : 'fails',
      words: () => ({
        fact: `the consignment is tagged ${matching.join(', ')}`,
        requirement: `consignments tagged ${wanted.join(' or ')}`,
        actual: consignment.tags.length ? `is tagged ${consignment.tags.join(', ')}` : 'has no tags',
      }),
    };
  },
};
