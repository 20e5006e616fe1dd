import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_SEQUENCE, canonicalReference, formatReference, parseReference } from '../../src/domain/references.js';

const FORMAT = /^E[CP]-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/;
const sequence = fc.integer({ min: 0, max: MAX_SEQUENCE });
const prefix = fc.constantFrom('EC' as const, 'EP' as const);

describe('consignment and package references', () => {
  it('formats a sequence as PREFIX-xxx-xxx-xxx in base 36 with digits then capital letters', () => {
    assert.equal(formatReference('EC', 0), 'EC-000-000-000');
    assert.equal(formatReference('EC', 35), 'EC-000-000-00Z');
    assert.equal(formatReference('EC', 36), 'EC-000-000-010');
    assert.equal(formatReference('EP', 36 ** 3), 'EP-000-001-000');
    assert.equal(formatReference('EC', MAX_SEQUENCE), 'EC-ZZZ-ZZZ-ZZZ');
    assert.equal(MAX_SEQUENCE, 36 ** 9 - 1);
  });

  it('gives the seed consignments their documented references', () => {
    for (const ref of ['EC-000-05A-Z6S', 'EC-000-083-45D', 'EC-000-A04-0DV']) {
      const parsed = parseReference(ref);
      assert.ok(parsed, ref);
      assert.equal(parsed.prefix, 'EC');
      assert.equal(formatReference('EC', parsed.sequence), ref);
    }
    assert.ok(parseReference('EC-000-05A-Z6S')!.sequence < parseReference('EC-000-083-45D')!.sequence);
    assert.ok(parseReference('EC-000-083-45D')!.sequence < parseReference('EC-000-A04-0DV')!.sequence);
  });

  it('refuses sequences outside 0 … 36^9 − 1 and non-integers', () => {
    for (const bad of [-1, MAX_SEQUENCE + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => formatReference('EC', bad), RangeError, String(bad));
    }
  });

  it('parses references in any case and refuses anything else', () => {
    assert.deepEqual(parseReference('ec-000-05a-z6s'), parseReference('EC-000-05A-Z6S'));
    for (const bad of ['', 'EC-000-05A-Z6', 'EC-000-05A-Z6SS', 'EC00005AZ6S', 'EC-000_05A-Z6S', 'EC-000-05A-Z6!', 'E-000-05A-Z6S', 'EC-000-05A-Z6S-', ' EC-000-05A-Z6S']) {
      assert.equal(parseReference(bad), null, JSON.stringify(bad));
    }
  });

  it('canonicalises a reference by trimming and upper-casing it', () => {
    assert.equal(canonicalReference('  ec-000-05a-z6s \n'), 'EC-000-05A-Z6S');
    assert.equal(canonicalReference('EC-000-05A-Z6S'), 'EC-000-05A-Z6S');
  });

  it('property: every sequence in range formats to the documented shape and parses back to itself', () => {
    fc.assert(
      fc.property(prefix, sequence, (p, n) => {
        const ref = formatReference(p, n);
        assert.match(ref, FORMAT);
        assert.deepEqual(parseReference(ref), { prefix: p, sequence: n });
        assert.deepEqual(parseReference(ref.toLowerCase()), { prefix: p, sequence: n });
        assert.equal(canonicalReference(` ${ref.toLowerCase()} `), ref);
      }),
      { numRuns: 200 },
    );
  });

  it('property: formatting keeps the order of sequences (references sort like their numbers)', () => {
    fc.assert(
      fc.property(sequence, sequence, (a, b) => {
        const ra = formatReference('EC', a);
        const rb = formatReference('EC', b);
        assert.equal(Math.sign(ra < rb ? -1 : ra > rb ? 1 : 0), Math.sign(a - b));
      }),
      { numRuns: 200 },
    );
  });

  it('property: every well-formed reference string parses and formats back to its upper-case spelling', () => {
    const ch = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    const group = fc.string({ unit: ch, minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(prefix, group, group, group, (p, a, b, c) => {
        const ref = `${p}-${a}-${b}-${c}`;
        const parsed = parseReference(ref);
        assert.ok(parsed, ref);
        assert.ok(parsed.sequence >= 0 && parsed.sequence <= MAX_SEQUENCE);
        assert.equal(formatReference(p, parsed.sequence), ref.toUpperCase());
      }),
      { numRuns: 200 },
    );
  });
});
