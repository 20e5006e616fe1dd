import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { isCountryCode } from '../../src/domain/countries.js';
import { MAX_NAMED_REFERENCE } from '../../src/domain/limits.js';
import { namedReferenceProblem, referenceKey } from '../../src/domain/named-reference.js';
import { byReference, type PackageSizeData } from '../../src/domain/package-size.js';
import { byName, type ShippingLocationData } from '../../src/domain/shipping-location.js';
import { TIME_ZONE_COUNTRIES, canonicalTimeZone, defaultTimeZone, distinctClocks, sameClock, zonesOfCountry } from '../../src/domain/time-zones.js';

/** The same text with each letter's case flipped at random. */
const recased = (text: string) => fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((flips) => [...text].map((ch, i) => (flips[i] ? ch.toUpperCase() : ch.toLowerCase())).join(''));

describe('time zones of shipping locations', () => {
  it('knows, for every country in its table, only real ISO countries and zones the platform can compute with', () => {
    assert.ok(TIME_ZONE_COUNTRIES.length > 240, `${TIME_ZONE_COUNTRIES.length} countries`);
    for (const country of TIME_ZONE_COUNTRIES) {
      assert.ok(isCountryCode(country), country);
      const zones = zonesOfCountry(country);
      assert.ok(zones.length > 0, country);
      for (const zone of zones) assert.ok(IANAZone.isValidZone(zone), `${country} ${zone}`);
    }
  });

  it('defaults a country to its zone where all its zones keep one clock, and to none where they differ', () => {
    assert.equal(defaultTimeZone('GB'), 'Europe/London');
    assert.equal(defaultTimeZone('IE'), 'Europe/Dublin');
    assert.equal(defaultTimeZone('FR'), 'Europe/Paris');
    assert.equal(defaultTimeZone('DE'), 'Europe/Berlin', 'Busingen keeps Berlin’s clock');
    for (const country of ['US', 'ES', 'PT', 'AU', 'CA', 'RU', 'BR']) assert.equal(defaultTimeZone(country), null, country);
    assert.equal(defaultTimeZone('ZZ'), null);
  });

  it('compares clocks by their offsets throughout, including daylight saving', () => {
    assert.equal(sameClock('Europe/Berlin', 'Europe/Busingen'), true);
    assert.equal(sameClock('Europe/London', 'Europe/Lisbon'), true);
    assert.equal(sameClock('Europe/London', 'Atlantic/Reykjavik'), false, 'the same in winter, not in summer');
    assert.equal(sameClock('America/New_York', 'America/Chicago'), false);
  });

  it('names one zone per clock a country keeps', () => {
    assert.deepEqual(distinctClocks('ES'), ['Europe/Madrid', 'Atlantic/Canary']);
    assert.deepEqual(distinctClocks('DE'), ['Europe/Berlin']);
    assert.deepEqual(distinctClocks('ZZ'), []);
  });

  it('never defaults to a zone whose clock differs from any other zone of the country (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TIME_ZONE_COUNTRIES), (country) => {
        const zone = defaultTimeZone(country);
        const zones = zonesOfCountry(country);
        if (zones.length === 1) return zone === zones[0];
        return zone === null ? zones.some((z) => !sameClock(zones[0], z)) : zone === zones[0] && zones.every((z) => sameClock(zone, z));
      }),
      { numRuns: 60 },
    );
  });

  it('gives a known zone, written in any case, its usual spelling (property)', () => {
    const zones = TIME_ZONE_COUNTRIES.flatMap(zonesOfCountry);
    fc.assert(
      fc.property(
        fc.constantFrom(...zones).chain((zone) => recased(zone).map((given) => ({ zone, given }))),
        ({ zone, given }) => canonicalTimeZone(` ${given} `) === zone,
      ),
    );
  });

  it('accepts UTC and old region names (as the platform spells them), and refuses offsets, abbreviations and unknown names', () => {
    assert.equal(canonicalTimeZone('utc'), 'UTC');
    assert.equal(canonicalTimeZone('Etc/UTC'), 'Etc/UTC');
    assert.equal(canonicalTimeZone('US/Eastern'), 'America/New_York');
    for (const bad of ['', ' ', '+01:00', 'GMT+1', 'EST', 'GMT', 'CET', 'Etc/GMT+5', 'Mars/Olympus_Mons', 'Europe/London/Extra', 'Europe/', '../Europe/London', 'Europe London']) {
      assert.equal(canonicalTimeZone(bad), null, JSON.stringify(bad));
    }
  });
});

describe('named references (shipping locations, package sizes)', () => {
  const allowed = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-');
  const first = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_');

  it('accepts 1 to 100 letters, digits, ".", "_" and "-" not starting with "." or "-" (property)', () => {
    fc.assert(
      fc.property(first, fc.array(allowed, { maxLength: MAX_NAMED_REFERENCE - 1 }), (head, tail) => namedReferenceProblem(head + tail.join('')) === null),
    );
  });

  it('refuses any other character, a leading "." or "-", and more than 100 characters (property)', () => {
    const bad = fc.string({ minLength: 1, maxLength: 1 }).filter((ch) => !/[A-Za-z0-9._-]/.test(ch));
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), bad, fc.string({ maxLength: 20 }), (before, ch, after) => namedReferenceProblem(`A${before}${ch}${after}`) !== null),
    );
    assert.notEqual(namedReferenceProblem('.hidden'), null);
    assert.notEqual(namedReferenceProblem('-dash'), null);
    assert.notEqual(namedReferenceProblem(''), null);
    assert.equal(namedReferenceProblem('R'.repeat(100)), null);
    assert.notEqual(namedReferenceProblem('R'.repeat(101)), null);
  });

  it('refuses the reserved path words in any case', () => {
    for (const word of ['assigned', 'ASSIGNED', 'Assigned']) assert.match(namedReferenceProblem(word, ['assigned']) ?? '', /names an endpoint/);
    assert.equal(namedReferenceProblem('assigned-1', ['assigned']), null);
  });

  it('compares references by a trimmed, lower-cased key', () => {
    assert.equal(referenceKey(' WH-Man-01 '), 'wh-man-01');
  });
});

describe('list order', () => {
  const location = (name: string, reference: string) => ({ name, reference }) as ShippingLocationData;
  const size = (reference: string) => ({ reference }) as PackageSizeData;

  it('orders locations by name case-insensitively, then by reference', () => {
    const sorted = [location('zeta', 'Z'), location('Beta', 'B2'), location('alpha', 'A'), location('beta', 'B1')].sort(byName);
    assert.deepEqual(sorted.map((l) => l.reference), ['A', 'B1', 'B2', 'Z']);
  });

  it('orders package sizes by reference case-insensitively', () => {
    assert.deepEqual(['small-box', 'LARGE-BOX', 'Medium'].map(size).sort(byReference).map((s) => s.reference), ['LARGE-BOX', 'Medium', 'small-box']);
  });
});
