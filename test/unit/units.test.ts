import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  LENGTH_UNITS,
  WEIGHT_UNITS,
  formatNumber,
  isLengthUnit,
  isWeightUnit,
  lengthPlusGirth,
  longestSide,
  round,
  sortedSides,
  toCm,
  toKg,
} from '../../src/domain/units.js';

const KG_PER: Record<string, number> = { kg: 1, g: 0.001, lb: 0.45359237, oz: 0.028349523125 };
const CM_PER: Record<string, number> = { cm: 1, mm: 0.1, m: 100, in: 2.54 };

/** Every mix of upper and lower case of a unit name ("lb", "Lb", "lB", "LB"). */
function casings(unit: string): string[] {
  let out = [''];
  for (const ch of unit) out = out.flatMap((s) => [s + ch.toLowerCase(), s + ch.toUpperCase()]);
  return [...new Set(out)];
}

const weightUnit = fc.constantFrom(...Object.keys(KG_PER));
const lengthUnit = fc.constantFrom(...Object.keys(CM_PER));
const amount = fc.double({ min: 0, max: 100_000, noNaN: true, noDefaultInfinity: true });
const side = fc.double({ min: 0.1, max: 500, noNaN: true, noDefaultInfinity: true });

describe('weight conversion to kilograms', () => {
  it('converts kg, g, lb and oz with the exact international factors', () => {
    assert.equal(toKg(2.5, 'kg'), 2.5);
    assert.equal(toKg(1500, 'g'), 1.5);
    assert.equal(toKg(1, 'lb'), 0.453592);
    assert.equal(toKg(10, 'lb'), 4.535924);
    assert.equal(toKg(16, 'oz'), 0.453592);
    assert.equal(toKg(1, 'oz'), 0.02835);
    assert.equal(toKg(3, 'lbs'), toKg(3, 'lb'));
  });

  it('reads unit names in any case', () => {
    for (const [unit] of Object.entries(KG_PER)) {
      for (const spelling of casings(unit)) {
        assert.ok(isWeightUnit(spelling), spelling);
        assert.equal(toKg(7, spelling), toKg(7, unit), spelling);
      }
    }
    assert.deepEqual([...WEIGHT_UNITS].sort(), ['g', 'kg', 'lb', 'lbs', 'oz']);
  });

  it('refuses units that are not weights', () => {
    for (const unit of ['cm', 'stone', 'kgs', '', 'k g']) {
      assert.equal(isWeightUnit(unit), false, unit);
      assert.throws(() => toKg(1, unit), RangeError, unit);
    }
  });

  it('rounds to a millionth of a kilogram so that sums stay stable', () => {
    assert.equal(toKg(0.1 + 0.2, 'kg'), 0.3);
    assert.equal(toKg(1234567, 'g'), 1234.567);
    assert.equal(toKg(1, 'g'), 0.001);
    assert.equal(toKg(0.4, 'g'), 0.0004);
  });

  it('property: conversion is monotonic in the amount', () => {
    fc.assert(
      fc.property(weightUnit, amount, amount, (unit, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        assert.ok(toKg(lo, unit) <= toKg(hi, unit));
      }),
      { numRuns: 200 },
    );
  });

  it('property: converting back gives the original amount within the rounding', () => {
    fc.assert(
      fc.property(weightUnit, amount, (unit, value) => {
        const kg = toKg(value, unit);
        assert.ok(Math.abs(kg - value * KG_PER[unit]) <= 0.5e-6 + 1e-12, `${value} ${unit} -> ${kg} kg`);
        // back to the original unit: off by no more than the rounding, scaled by the factor
        assert.ok(Math.abs(kg / KG_PER[unit] - value) <= (0.5e-6 + 1e-12) / KG_PER[unit] + 1e-9 * value, `${value} ${unit}`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('length conversion to centimetres', () => {
  it('converts cm, mm, m and in', () => {
    assert.equal(toCm(30, 'cm'), 30);
    assert.equal(toCm(305, 'mm'), 30.5);
    assert.equal(toCm(1.2, 'm'), 120);
    assert.equal(toCm(10, 'in'), 25.4);
    assert.equal(toCm(1, 'in'), 2.54);
  });

  it('reads unit names in any case', () => {
    for (const unit of Object.keys(CM_PER)) {
      for (const spelling of casings(unit)) {
        assert.ok(isLengthUnit(spelling), spelling);
        assert.equal(toCm(7, spelling), toCm(7, unit), spelling);
      }
    }
    assert.deepEqual([...LENGTH_UNITS].sort(), ['cm', 'in', 'm', 'mm']);
  });

  it('refuses units that are not lengths', () => {
    for (const unit of ['kg', 'ft', 'inch', '', 'km']) {
      assert.equal(isLengthUnit(unit), false, unit);
      assert.throws(() => toCm(1, unit), RangeError, unit);
    }
  });

  it('property: conversion is monotonic in the amount', () => {
    fc.assert(
      fc.property(lengthUnit, amount, amount, (unit, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        assert.ok(toCm(lo, unit) <= toCm(hi, unit));
      }),
      { numRuns: 200 },
    );
  });

  it('property: converting back gives the original amount within the rounding', () => {
    fc.assert(
      fc.property(lengthUnit, amount, (unit, value) => {
        const cm = toCm(value, unit);
        assert.ok(Math.abs(cm - value * CM_PER[unit]) <= 0.5e-6 + 1e-9, `${value} ${unit} -> ${cm} cm`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('package measurements', () => {
  it('takes the longest side whichever field holds it', () => {
    assert.equal(longestSide({ lengthCm: 30, widthCm: 20, heightCm: 10 }), 30);
    assert.equal(longestSide({ lengthCm: 10, widthCm: 120, heightCm: 20 }), 120);
    assert.equal(longestSide({ lengthCm: 5, widthCm: 6, heightCm: 70.5 }), 70.5);
    assert.deepEqual(sortedSides({ lengthCm: 10, widthCm: 30, heightCm: 20 }), [30, 20, 10]);
  });

  it('computes length plus girth as the longest side plus twice each of the other two', () => {
    assert.equal(lengthPlusGirth({ lengthCm: 30, widthCm: 20, heightCm: 10 }), 30 + 2 * 20 + 2 * 10);
    // the longest side is counted once even when it is not in the length field
    assert.equal(lengthPlusGirth({ lengthCm: 10, widthCm: 100, heightCm: 20 }), 100 + 2 * 10 + 2 * 20);
    assert.equal(lengthPlusGirth({ lengthCm: 50, widthCm: 50, heightCm: 50 }), 250);
    assert.equal(lengthPlusGirth({ lengthCm: 0.1, widthCm: 0.2, heightCm: 0.3 }), 0.9);
  });

  it('property: measurements do not depend on which field holds which side', () => {
    fc.assert(
      fc.property(side, side, side, (a, b, c) => {
        const perms: [number, number, number][] = [
          [a, b, c],
          [a, c, b],
          [b, a, c],
          [b, c, a],
          [c, a, b],
          [c, b, a],
        ];
        const [first, ...others] = perms.map(([l, w, h]) => ({ lengthCm: l, widthCm: w, heightCm: h }));
        for (const d of others) {
          assert.equal(longestSide(d), longestSide(first));
          assert.equal(lengthPlusGirth(d), lengthPlusGirth(first));
        }
        assert.equal(longestSide(first), Math.max(a, b, c));
        const expected = Math.max(a, b, c) + 2 * (a + b + c - Math.max(a, b, c));
        assert.ok(Math.abs(lengthPlusGirth(first) - expected) <= 1e-6);
        assert.ok(lengthPlusGirth(first) >= longestSide(first));
      }),
      { numRuns: 200 },
    );
  });
});

describe('numbers in messages', () => {
  it('prints numbers without float noise', () => {
    assert.equal(formatNumber(32), '32');
    assert.equal(formatNumber(0.5), '0.5');
    assert.equal(formatNumber(1.25), '1.25');
    assert.equal(formatNumber(0.1 + 0.2), '0.3');
    assert.equal(formatNumber(30.001), '30.001');
    assert.equal(formatNumber(toKg(10, 'lb')), '4.535924');
  });

  it('prints to the millionth that values are normalised to, so a value just over a limit never prints as the limit', () => {
    assert.equal(formatNumber(30.0004), '30.0004');
    assert.equal(formatNumber(toKg(30000.4, 'g')), '30.0004');
    assert.notEqual(formatNumber(100.0001), formatNumber(100));
  });

  it('rounds to the given number of decimal places', () => {
    assert.equal(round(1.2346, 3), 1.235);
    assert.equal(round(2.5, 0), 3);
    assert.equal(round(10, 2), 10);
  });
});
