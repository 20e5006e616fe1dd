import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseUkPostcode, postcodeMatchesPrefix, type UkPostcode } from '../../src/domain/postcode.js';

function parsed(input: string): UkPostcode {
  const p = parseUkPostcode(input);
  assert.ok(p, `${input} should parse`);
  return p;
}

describe('UK postcode parsing', () => {
  it('splits every UK postcode shape into area, district and sector', () => {
    const cases: [string, string, string, string, string][] = [
      // input, area, district, sector, normalised
      ['M1 1AE', 'M', 'M1', 'M1 1', 'M1 1AE'],
      ['B33 8TH', 'B', 'B33', 'B33 8', 'B33 8TH'],
      ['CR2 6XH', 'CR', 'CR2', 'CR2 6', 'CR2 6XH'],
      ['DN55 1PT', 'DN', 'DN55', 'DN55 1', 'DN55 1PT'],
      ['W1A 0AX', 'W', 'W1A', 'W1A 0', 'W1A 0AX'],
      ['EC1A 1BB', 'EC', 'EC1A', 'EC1A 1', 'EC1A 1BB'],
      ['BT1 1AA', 'BT', 'BT1', 'BT1 1', 'BT1 1AA'],
      ['IV51 9XY', 'IV', 'IV51', 'IV51 9', 'IV51 9XY'],
    ];
    for (const [input, area, district, sector, normalised] of cases) {
      assert.deepEqual(parseUkPostcode(input), { area, district, sector, normalised }, input);
    }
  });

  it('accepts lower case, missing and extra spaces', () => {
    for (const spelling of ['sw1a 1aa', 'SW1A1AA', '  SW1A   1AA ', 'Sw1a 1Aa']) {
      assert.equal(parsed(spelling).normalised, 'SW1A 1AA', spelling);
    }
    assert.equal(parsed('b338th').normalised, 'B33 8TH');
    assert.equal(parsed('M11AE').normalised, 'M1 1AE');
  });

  it('accepts an outward code alone, with no sector', () => {
    assert.deepEqual(parseUkPostcode('PA20'), { area: 'PA', district: 'PA20', sector: null, normalised: 'PA20' });
  });

  it('refuses things that are not UK postcodes', () => {
    for (const bad of ['', '12345', '75008', 'SW1A 1A', 'SW1A 1AAA', 'ABC1 1AA', '1AA 1AA', 'SW1A-1AA']) {
      assert.equal(parseUkPostcode(bad), null, JSON.stringify(bad));
    }
  });
});

describe('postcode exclusion prefixes', () => {
  it('matches an area prefix against the whole area only: "B" does not exclude "BT1 1AA"', () => {
    assert.equal(postcodeMatchesPrefix(parsed('BT1 1AA'), 'B'), false);
    assert.equal(postcodeMatchesPrefix(parsed('B1 1AA'), 'B'), true);
    assert.equal(postcodeMatchesPrefix(parsed('BT1 1AA'), 'BT'), true);
    assert.equal(postcodeMatchesPrefix(parsed('BT78 5QZ'), 'BT'), true);
  });

  it('matches a district prefix against the whole district only', () => {
    assert.equal(postcodeMatchesPrefix(parsed('PA20 0AB'), 'PA20'), true);
    assert.equal(postcodeMatchesPrefix(parsed('PA2 0AB'), 'PA20'), false);
    assert.equal(postcodeMatchesPrefix(parsed('PA20 0AB'), 'PA2'), false);
    assert.equal(postcodeMatchesPrefix(parsed('B11 1AA'), 'B1'), false);
  });

  it('matches a sector prefix such as "IV51 9" against the sector', () => {
    assert.equal(postcodeMatchesPrefix(parsed('IV51 9XY'), 'IV51 9'), true);
    assert.equal(postcodeMatchesPrefix(parsed('IV519XY'), 'iv51  9'), true);
    assert.equal(postcodeMatchesPrefix(parsed('IV51 8XY'), 'IV51 9'), false);
    assert.equal(postcodeMatchesPrefix(parsed('IV5 9XY'), 'IV51 9'), false);
    // an outward code alone has no sector, so only area and district prefixes can match it
    assert.equal(postcodeMatchesPrefix(parsed('IV51'), 'IV51 9'), false);
    assert.equal(postcodeMatchesPrefix(parsed('IV51'), 'IV51'), true);
  });

  it('ignores the case and spacing of the prefix', () => {
    assert.equal(postcodeMatchesPrefix(parsed('ZE1 0AA'), 'ze'), true);
    assert.equal(postcodeMatchesPrefix(parsed('ZE1 0AA'), ' ZE1 '), true);
  });

  it('property: a postcode is excluded by its own area, district and sector and by no shorter string', () => {
    const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPRSTUWYZ');
    const inwardLetter = fc.constantFrom(...'ABDEFGHJLNPQRSTUWXYZ');
    const digit = fc.integer({ min: 0, max: 9 });
    const postcode = fc
      .tuple(fc.string({ unit: letter, minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 99 }), digit, inwardLetter, inwardLetter)
      .map(([area, district, sector, a, b]) => ({ area, district: `${area}${district}`, text: `${area}${district} ${sector}${a}${b}` }));
    fc.assert(
      fc.property(postcode, ({ area, district, text }) => {
        const p = parsed(text);
        assert.equal(p.area, area);
        assert.equal(p.district, district);
        assert.equal(p.normalised, text);
        assert.ok(postcodeMatchesPrefix(p, p.area));
        assert.ok(postcodeMatchesPrefix(p, p.district));
        assert.ok(postcodeMatchesPrefix(p, p.sector!));
        // a strict prefix of the area (for two-letter areas) is not the area
        if (area.length === 2) assert.equal(postcodeMatchesPrefix(p, area[0]), false);
        // nor is the district with its last digit cut off, when that leaves another district
        if (district.length - area.length === 2) assert.equal(postcodeMatchesPrefix(p, district.slice(0, -1)), false);
      }),
      { numRuns: 200 },
    );
  });
});
