import assert from 'node:assert/strict';
import { EMPTY_POLICY } from '../../src/domain/allocation-policy.js';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Capabilities, CarrierService, ContentClass } from '../../src/domain/catalogue.js';
import type { ConsignmentData, PackageData } from '../../src/domain/consignment.js';
import { CHECKS, failedChecks, type EligibilityContext } from '../../src/domain/eligibility/index.js';
import { directionServed } from '../../src/domain/eligibility/direction.js';
import { originServed } from '../../src/domain/eligibility/origin.js';
import { destinationServed } from '../../src/domain/eligibility/destination.js';
import { postcodeAllowed } from '../../src/domain/eligibility/postcode.js';
import { packageWeightAllowed } from '../../src/domain/eligibility/package-weight.js';
import { packageMinimumWeightMet } from '../../src/domain/eligibility/package-min-weight.js';
import { consignmentWeightAllowed } from '../../src/domain/eligibility/consignment-weight.js';
import { packageCountAllowed } from '../../src/domain/eligibility/package-count.js';
import { packageLengthAllowed } from '../../src/domain/eligibility/package-length.js';
import { lengthPlusGirthAllowed } from '../../src/domain/eligibility/length-plus-girth.js';
import { valueAllowed } from '../../src/domain/eligibility/value.js';
import { contentAllowed } from '../../src/domain/eligibility/content.js';
import { tagsMatched } from '../../src/domain/eligibility/tags.js';
import { ruleExcluded } from '../../src/domain/eligibility/rule-excluded.js';
import { deliveryPromiseKept } from '../../src/domain/eligibility/delivery-promise.js';
import { catalogueIndex, consignmentData, context, item, pkg, plan, service, type ConsignmentOverrides } from '../support/domain-fixtures.js';

/** The context of one consignment against one service with the given capabilities. */
function ctx(caps: Partial<Capabilities>, data: ConsignmentOverrides = {}, extra: Partial<CarrierService> = {}): EligibilityContext {
  return context({ service: service({ ...extra, capabilities: caps }), consignment: consignmentData(data) });
}

function packages(n: number, overrides: Partial<PackageData> = {}): PackageData[] {
  return Array.from({ length: n }, () => pkg(overrides));
}

function dims(lengthCm: number, widthCm: number, heightCm: number) {
  return { lengthCm, widthCm, heightCm };
}

describe('the eligibility engine', () => {
  it('runs the checks of decisions.md §4.6 in the documented order (with PackageTooLight beside PackageTooHeavy, and the subscription\'s rules last but the dates)', () => {
    assert.deepEqual(CHECKS, [
      directionServed,
      originServed,
      destinationServed,
      postcodeAllowed,
      packageWeightAllowed,
      packageMinimumWeightMet,
      consignmentWeightAllowed,
      packageCountAllowed,
      packageLengthAllowed,
      lengthPlusGirthAllowed,
      valueAllowed,
      contentAllowed,
      tagsMatched,
      ruleExcluded,
      deliveryPromiseKept,
    ]);
  });

  it('passes a plain consignment against a service with no limits', () => {
    assert.deepEqual(failedChecks(context()), []);
  });

  it('reports every failed check, in CHECKS order, not just the first', () => {
    const everything = ctx(
      {
        directions: ['Inbound'],
        originCountries: ['FR'],
        destinationCountries: ['DE'],
        excludedPostcodes: ['SW'],
        maxPackageWeightKg: 1,
        maxConsignmentWeightKg: 3,
        maxPackages: 1,
        maxPackageLengthCm: 10,
        maxLengthPlusGirthCm: 50,
        maxValue: 10,
        allowedContent: ['Unrestricted'],
        tags: [],
      },
      {
        packages: packages(2, { items: [item({ contentClassification: ['Dangerous'] })] }),
        tags: ['Fragile'],
        requestedDeliveryDate: { date: '2026-11-01T00:00:00Z', isToBeExactlyOnTheDateSpecified: true, window: null },
      },
    );
    assert.deepEqual(
      failedChecks(everything).map((r) => r.Code),
      [
        'DirectionNotServed',
        'OriginNotServed',
        'DestinationNotServed',
        'PostcodeExcluded',
        'PackageTooHeavy',
        'ConsignmentTooHeavy',
        'TooManyPackages',
        'PackageTooLong',
        'LengthPlusGirthExceeded',
        'ValueTooHigh',
        'ContentNotAllowed',
        'TagsNotMatched',
        'DeliveryPromiseMissed',
      ],
    );
  });

  it('runs only the checks it is given', () => {
    const heavy = ctx({ maxPackageWeightKg: 1, maxPackages: 1 }, { packages: packages(2) });
    assert.deepEqual(failedChecks(heavy, [packageCountAllowed]).map((r) => r.Code), ['TooManyPackages']);
    assert.deepEqual(failedChecks(heavy, []), []);
  });
});

describe('DirectionNotServed', () => {
  it('passes a direction the service carries and names both when it does not', () => {
    assert.equal(directionServed(ctx({ directions: ['Outbound'] })), null);
    assert.equal(directionServed(ctx({ directions: ['Outbound', 'Inbound'] }, { direction: 'Inbound' })), null);
    assert.deepEqual(directionServed(ctx({ directions: ['Outbound'] }, { direction: 'Inbound' })), {
      Code: 'DirectionNotServed',
      Message: 'the consignment is Inbound; the service carries Outbound only',
    });
  });
});

describe('OriginNotServed', () => {
  it('passes a listed origin country, and any country when the list is null', () => {
    assert.equal(originServed(ctx({ originCountries: ['GB', 'IE'] })), null);
    assert.equal(originServed(ctx({ originCountries: null }, { origin: { countryCode: 'JP' } })), null);
  });

  it('fails an unlisted origin country, naming it and the list', () => {
    const r = originServed(ctx({ originCountries: ['GB'] }, { origin: { countryCode: 'FR' } }));
    assert.equal(r?.Code, 'OriginNotServed');
    assert.match(r!.Message, /origin country FR .*GB/);
  });
});

describe('DestinationNotServed', () => {
  it('passes a listed destination, and anywhere not excluded when the list is null', () => {
    assert.equal(destinationServed(ctx({ destinationCountries: ['GB'] })), null);
    assert.equal(destinationServed(ctx({ destinationCountries: null, excludedDestinationCountries: ['AQ'] }, { destination: { countryCode: 'US' } })), null);
  });

  it('fails an unlisted destination', () => {
    const r = destinationServed(ctx({ destinationCountries: ['GB'] }, { destination: { countryCode: 'FR' } }));
    assert.equal(r?.Code, 'DestinationNotServed');
    assert.match(r!.Message, /destination country FR .*delivers to GB/);
  });

  it('fails an excluded destination even when it is also listed', () => {
    for (const listed of [null, ['AQ', 'GB']]) {
      const r = destinationServed(ctx({ destinationCountries: listed, excludedDestinationCountries: ['AQ', 'KP'] }, { destination: { countryCode: 'AQ' } }));
      assert.equal(r?.Code, 'DestinationNotServed');
      assert.match(r!.Message, /AQ .*excludes AQ, KP/);
    }
  });
});

describe('PostcodeExcluded', () => {
  const to = (postcode: string | null, countryCode = 'GB') => ({ destination: { postcode, countryCode } });

  it('excludes by area, district and sector, whole parts only', () => {
    assert.equal(postcodeAllowed(ctx({ excludedPostcodes: ['BT'] }, to('BT1 1AA')))?.Code, 'PostcodeExcluded');
    assert.equal(postcodeAllowed(ctx({ excludedPostcodes: ['B'] }, to('BT1 1AA'))), null, '"B" must not exclude Belfast');
    assert.equal(postcodeAllowed(ctx({ excludedPostcodes: ['B'] }, to('B1 1AA')))?.Code, 'PostcodeExcluded');
    assert.equal(postcodeAllowed(ctx({ excludedPostcodes: ['PA20'] }, to('PA20 0AB')))?.Code, 'PostcodeExcluded');
    assert.equal(postcodeAllowed(ctx({ excludedPostcodes: ['PA20'] }, to('PA2 0AB'))), null);
    assert.equal(postcodeAllowed(ctx({ excludedPostcodes: ['IV51 9'] }, to('iv51 9xy')))?.Code, 'PostcodeExcluded');
    assert.equal(postcodeAllowed(ctx({ excludedPostcodes: ['IV51 9'] }, to('IV51 8XY'))), null);
  });

  it('names the postcode and the prefix that excluded it', () => {
    const r = postcodeAllowed(ctx({ excludedPostcodes: ['GY', 'iv51 9'] }, to('iv519xy')));
    assert.deepEqual(r, { Code: 'PostcodeExcluded', Message: 'destination postcode IV51 9XY is in IV51 9, which the service excludes' });
  });

  it('applies to GB destinations with a postcode only', () => {
    assert.equal(postcodeAllowed(ctx({ excludedPostcodes: ['BT'] }, to('BT1 1AA', 'IE'))), null);
    assert.equal(postcodeAllowed(ctx({ excludedPostcodes: ['BT'] }, to(null))), null);
  });

  it('does not let an unreadable GB postcode slip past exclusions, but ignores it where there are none', () => {
    const r = postcodeAllowed(ctx({ excludedPostcodes: ['BT'] }, to('not a postcode')));
    assert.equal(r?.Code, 'PostcodeExcluded');
    assert.match(r!.Message, /not a postcode is not a valid UK postcode/);
    assert.equal(postcodeAllowed(ctx({ excludedPostcodes: [] }, to('not a postcode'))), null);
  });
});

describe('PackageTooHeavy', () => {
  it('passes at exactly the limit and fails just above it, with both numbers', () => {
    assert.equal(packageWeightAllowed(ctx({ maxPackageWeightKg: 30 }, { packages: [pkg({ weightKg: 30 })] })), null);
    const p = pkg({ weightKg: 30.001 });
    const r = packageWeightAllowed(ctx({ maxPackageWeightKg: 30 }, { packages: [pkg({ weightKg: 1 }), p] }));
    assert.equal(r?.Code, 'PackageTooHeavy');
    assert.match(r!.Message, new RegExp(`^package ${p.reference} weighs 30\\.001 kg; the limit is .*\\b30 kg$`));
  });

  it('reports a package a fraction of a gram over the limit with its real weight, not as the limit itself', () => {
    const r = packageWeightAllowed(ctx({ maxPackageWeightKg: 30 }, { packages: [pkg({ weightKg: 30.0004 })] }));
    assert.match(r!.Message, /weighs 30\.0004 kg; the limit is .*\b30 kg$/);
  });

  it('lists every package over the limit', () => {
    const [a, b] = [pkg({ weightKg: 32 }), pkg({ weightKg: 45.5 })];
    const r = packageWeightAllowed(ctx({ maxPackageWeightKg: 30 }, { packages: [a, pkg({ weightKg: 5 }), b] }));
    assert.match(r!.Message, new RegExp(`package ${a.reference} weighs 32 kg, package ${b.reference} weighs 45.5 kg; the limit is`));
  });

  it('has no upper limit when the maximum is null', () => {
    assert.equal(packageWeightAllowed(ctx({ maxPackageWeightKg: null }, { packages: [pkg({ weightKg: 1e6 })] })), null);
  });
});

describe('PackageTooLight', () => {
  it('enforces the minimum weight inclusively, naming each light package', () => {
    assert.equal(packageMinimumWeightMet(ctx({ minPackageWeightKg: 10, maxPackageWeightKg: 1000 }, { packages: [pkg({ weightKg: 10 })] })), null);
    const p = pkg({ weightKg: 9.999 });
    const r = packageMinimumWeightMet(ctx({ minPackageWeightKg: 10, maxPackageWeightKg: 1000 }, { packages: [p] }));
    assert.equal(r?.Code, 'PackageTooLight');
    assert.equal(r!.Message, `package ${p.reference} weighs 9.999 kg; the minimum is 10 kg`);
  });

  it('passes any weight when the minimum is 0', () => {
    assert.equal(packageMinimumWeightMet(ctx({ minPackageWeightKg: 0 }, { packages: [pkg({ weightKg: 0.001 })] })), null);
  });
});

describe('ConsignmentTooHeavy', () => {
  it('passes at exactly the limit, even when the package weights do not add up exactly in floating point', () => {
    assert.equal(consignmentWeightAllowed(ctx({ maxConsignmentWeightKg: 300 }, { packages: packages(10, { weightKg: 30 }) })), null);
    // 0.1 + 0.2 + 0.3 is 0.6000000000000001 in floating point
    assert.equal(consignmentWeightAllowed(ctx({ maxConsignmentWeightKg: 0.6 }, { packages: [0.1, 0.2, 0.3].map((weightKg) => pkg({ weightKg })) })), null);
  });

  it('fails just above the limit with the total and the limit', () => {
    const r = consignmentWeightAllowed(ctx({ maxConsignmentWeightKg: 300 }, { packages: [...packages(9, { weightKg: 30 }), pkg({ weightKg: 30.001 })] }));
    assert.deepEqual(r, { Code: 'ConsignmentTooHeavy', Message: 'the consignment weighs 300.001 kg; the limit is 300 kg' });
  });

  it('has no limit when the maximum is null', () => {
    assert.equal(consignmentWeightAllowed(ctx({ maxConsignmentWeightKg: null }, { packages: packages(50, { weightKg: 999 }) })), null);
  });
});

describe('TooManyPackages', () => {
  it('passes at exactly the limit and fails one above it', () => {
    assert.equal(packageCountAllowed(ctx({ maxPackages: 10 }, { packages: packages(10) })), null);
    assert.deepEqual(packageCountAllowed(ctx({ maxPackages: 10 }, { packages: packages(11) })), {
      Code: 'TooManyPackages',
      Message: 'the consignment has 11 packages; the limit is 10',
    });
  });

  it('has no limit when the maximum is null', () => {
    assert.equal(packageCountAllowed(ctx({ maxPackages: null }, { packages: packages(100) })), null);
  });
});

describe('PackageTooLong', () => {
  it('measures the longest side, whichever field holds it, inclusively', () => {
    assert.equal(packageLengthAllowed(ctx({ maxPackageLengthCm: 100 }, { packages: [pkg({ dimensions: dims(20, 100, 10) })] })), null);
    const p = pkg({ dimensions: dims(20, 100.1, 10) });
    assert.deepEqual(packageLengthAllowed(ctx({ maxPackageLengthCm: 100 }, { packages: [p] })), {
      Code: 'PackageTooLong',
      Message: `package ${p.reference} is 100.1 cm long; the limit is 100 cm`,
    });
  });

  it('has no limit when the maximum is null', () => {
    assert.equal(packageLengthAllowed(ctx({ maxPackageLengthCm: null }, { packages: [pkg({ dimensions: dims(5000, 1, 1) })] })), null);
  });
});

describe('LengthPlusGirthExceeded', () => {
  it('is the longest side plus twice the other two, inclusive of the limit', () => {
    // 100 + 2 × 50 + 2 × 50 = 300, with the longest side in the height field
    assert.equal(lengthPlusGirthAllowed(ctx({ maxLengthPlusGirthCm: 300 }, { packages: [pkg({ dimensions: dims(50, 50, 100) })] })), null);
    const p = pkg({ dimensions: dims(50, 50, 100.1) });
    assert.deepEqual(lengthPlusGirthAllowed(ctx({ maxLengthPlusGirthCm: 300 }, { packages: [p] })), {
      Code: 'LengthPlusGirthExceeded',
      Message: `package ${p.reference} measures 300.1 cm length plus girth; the limit is 300 cm`,
    });
  });

  it('has no limit when the maximum is null', () => {
    assert.equal(lengthPlusGirthAllowed(ctx({ maxLengthPlusGirthCm: null }, { packages: [pkg({ dimensions: dims(500, 500, 500) })] })), null);
  });
});

describe('ValueTooHigh', () => {
  const valued = (...amounts: [number, string][]) => ({ packages: amounts.map(([amount, currency]) => pkg({ value: { amount, currency } })) });

  it('sums the package values and passes at exactly the limit', () => {
    assert.equal(valueAllowed(ctx({ maxValue: 2500 }, valued([1000, 'GBP'], [1500, 'GBP']))), null);
    assert.equal(valueAllowed(ctx({ maxValue: 0.6 }, valued([0.1, 'GBP'], [0.2, 'GBP'], [0.3, 'GBP']))), null);
  });

  it('fails just above the limit with the total and the limit in the service currency', () => {
    assert.deepEqual(valueAllowed(ctx({ maxValue: 2500 }, valued([1000, 'GBP'], [1500.01, 'GBP']))), {
      Code: 'ValueTooHigh',
      Message: 'the consignment is valued at 2500.01 GBP; the limit is 2500.00 GBP',
    });
  });

  it('converts package values into the service currency first', () => {
    // 1 EUR = 0.86 GBP, so 86 GBP = 100 EUR
    assert.equal(valueAllowed(ctx({ maxValue: 100 }, valued([86, 'GBP']), { currency: 'EUR' })), null);
    const r = valueAllowed(ctx({ maxValue: 100 }, valued([86.01, 'GBP']), { currency: 'EUR' }));
    assert.equal(r?.Code, 'ValueTooHigh');
    assert.match(r!.Message, /valued at 100\.01 EUR; the limit is 100\.00 EUR/);
    assert.equal(valueAllowed(ctx({ maxValue: 86 }, valued([100, 'EUR']))), null);
  });

  it('refuses a value in a currency it cannot convert, naming it', () => {
    const r = valueAllowed(ctx({ maxValue: 100 }, valued([1, 'JPY'])));
    assert.equal(r?.Code, 'ValueTooHigh');
    assert.match(r!.Message, /valued in JPY, which cannot be converted to GBP/);
  });

  it('counts packages without a value as nothing, and has no limit when the maximum is null', () => {
    assert.equal(valueAllowed(ctx({ maxValue: 10 }, { packages: [pkg({ value: null }), pkg({ value: { amount: 10, currency: 'GBP' } })] })), null);
    assert.equal(valueAllowed(ctx({ maxValue: null }, valued([1e9, 'GBP'], [1, 'JPY']))), null);
  });
});

describe('ContentNotAllowed', () => {
  const carrying = (...classes: ContentClass[][]) => ({ packages: [pkg({ items: classes.map((contentClassification) => item({ contentClassification })) })] });

  it('passes items whose every classification the service accepts, and unclassified items', () => {
    assert.equal(contentAllowed(ctx({}, carrying(['Unrestricted'], ['NotSpecified'], []))), null);
    assert.equal(contentAllowed(ctx({ allowedContent: ['Unrestricted', 'Dangerous'] }, carrying(['Dangerous']))), null);
  });

  it('fails refused classifications, naming each once and what the service accepts', () => {
    assert.deepEqual(contentAllowed(ctx({ allowedContent: ['NotSpecified', 'Unrestricted'] }, carrying(['Dangerous', 'Liquid'], ['Dangerous']))), {
      Code: 'ContentNotAllowed',
      Message: 'the consignment contains Dangerous, Liquid goods; the service accepts NotSpecified, Unrestricted only',
    });
  });
});

describe('TagsNotMatched', () => {
  it('passes an untagged consignment whatever the service’s tags', () => {
    assert.equal(tagsMatched(ctx({ tags: [] }, { tags: [] })), null);
    assert.equal(tagsMatched(ctx({ tags: ['Priority'] }, { tags: [] })), null);
  });

  it('passes when every consignment tag is among the service’s tags, ignoring case', () => {
    assert.equal(tagsMatched(ctx({ tags: ['Priority', 'Fragile'] }, { tags: ['fragile'] })), null);
    assert.equal(tagsMatched(ctx({ tags: ['Priority', 'Fragile'] }, { tags: ['PRIORITY', 'fragile'] })), null);
  });

  it('fails when any consignment tag is missing, naming the missing tags and the service’s tags', () => {
    assert.deepEqual(tagsMatched(ctx({ tags: ['Priority', 'Fragile'] }, { tags: ['fragile', 'Heavy', 'Cold'] })), {
      Code: 'TagsNotMatched',
      Message: "the service lacks the consignment's tags Heavy, Cold; its tags are Priority, Fragile",
    });
    assert.match(tagsMatched(ctx({ tags: [] }, { tags: ['Priority'] }))!.Message, /its tags are none$/);
  });
});

describe('DeliveryPromiseMissed', () => {
  const promise = (date: string, exact: boolean, window: { start: string; end: string } | null = null) => ({
    requestedDeliveryDate: { date, isToBeExactlyOnTheDateSpecified: exact, window },
  });
  // the default plan delivers on Thursday 19 November 2026, 09:00–18:00
  const withPlan = (data: ConsignmentOverrides, p = plan('2026-11-19')) => context({ consignment: consignmentData(data), plan: p });

  it('passes when nothing was requested', () => {
    assert.equal(deliveryPromiseKept(withPlan({})), null);
  });

  it('fails when no collection day could be planned', () => {
    const r = deliveryPromiseKept(context({ plan: null }));
    assert.deepEqual(r, { Code: 'DeliveryPromiseMissed', Message: 'the service has no collection day within 60 days of the shipping date' });
  });

  it('an exact date must be the delivery day', () => {
    assert.equal(deliveryPromiseKept(withPlan(promise('2026-11-19T00:00:00+00:00', true))), null);
    assert.deepEqual(deliveryPromiseKept(withPlan(promise('2026-11-20T00:00:00+00:00', true))), {
      Code: 'DeliveryPromiseMissed',
      Message: 'delivery would be on 2026-11-19; the consignment must be delivered exactly on 2026-11-20',
    });
  });

  it('a by-date must not be before the delivery day', () => {
    assert.equal(deliveryPromiseKept(withPlan(promise('2026-11-20T00:00:00+00:00', false))), null);
    assert.equal(deliveryPromiseKept(withPlan(promise('2026-11-19T00:00:00+00:00', false))), null);
    assert.deepEqual(deliveryPromiseKept(withPlan(promise('2026-11-18T00:00:00+00:00', false))), {
      Code: 'DeliveryPromiseMissed',
      Message: 'delivery would be on 2026-11-19; the consignment must be delivered by 2026-11-18',
    });
  });

  it('a window must contain the service’s whole delivery window', () => {
    assert.equal(deliveryPromiseKept(withPlan(promise('2026-11-19T00:00:00Z', true, { start: '07:00:00', end: '19:00:00' }))), null);
    assert.deepEqual(deliveryPromiseKept(withPlan(promise('2026-11-19T00:00:00Z', true, { start: '12:00:00', end: '14:00:00' }))), {
      Code: 'DeliveryPromiseMissed',
      Message: 'delivery window is 09:00-18:00; the consignment requires 12:00-14:00',
    });
    assert.equal(deliveryPromiseKept(withPlan(promise('2026-11-19T00:00:00Z', true, { start: '07:00', end: '12:00' }), plan('2026-11-19', { start: '07:00', end: '10:30' }))), null);
  });
});

describe('eligibility properties', () => {
  const COUNTRIES = ['GB', 'IE', 'FR', 'DE', 'US', 'AQ'];
  /** Destination postcodes with the prefixes that match them (area, district, sector). */
  const POSTCODES: { postcode: string; matches: string[] }[] = [
    { postcode: 'SW1A 1AA', matches: ['SW', 'SW1A', 'SW1A 1'] },
    { postcode: 'BT1 1AA', matches: ['BT', 'BT1', 'BT1 1'] },
    { postcode: 'B11 1AA', matches: ['B', 'B11', 'B11 1'] },
    { postcode: 'IV51 9XY', matches: ['IV', 'IV51', 'IV51 9'] },
    { postcode: 'M1 1AE', matches: ['M', 'M1', 'M1 1'] },
  ];
  const PREFIXES = [...new Set([...POSTCODES.flatMap((p) => p.matches), 'S', 'SW1', 'B1', 'BT11', 'IV5', 'IV51 8', 'M11', 'MA'])];
  const CONTENT: ContentClass[] = ['NotSpecified', 'Unrestricted', 'Dangerous', 'Restricted', 'Liquid'];
  const TAGS = ['Priority', 'Fragile', 'Cold', 'Heavy'];
  const CURRENCIES = ['GBP', 'EUR', 'USD'];

  const subsetOf = <T>(xs: T[]) => fc.subarray(xs);
  const randomCase = (s: string) => fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((up) => [...s].map((c, i) => (up[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
  /** Amounts as the units module produces them: whole millionths (kg) or hundredths (cm, money). */
  const kg = fc.integer({ min: 1, max: 50_000_000 }).map((mg) => mg / 1e6);
  const cm = fc.integer({ min: 1, max: 20_000 }).map((n) => n / 100);
  const money = fc.option(fc.tuple(fc.integer({ min: 0, max: 500_000 }).map((p) => p / 100), fc.constantFrom(...CURRENCIES)), { nil: null });

  const consignment = fc
    .record({
      direction: fc.constantFrom('Outbound' as const, 'Inbound' as const),
      origin: fc.constantFrom(...COUNTRIES),
      destination: fc.constantFrom(...COUNTRIES),
      postcode: fc.constantFrom(...POSTCODES),
      tags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 3 }).chain((tags) => fc.tuple(...tags.map(randomCase))),
      packages: fc.array(
        fc.record({ weightKg: kg, sides: fc.tuple(cm, cm, cm), value: money, content: fc.array(fc.subarray(CONTENT), { maxLength: 3 }) }),
        { minLength: 1, maxLength: 12 },
      ),
    })
    .map(
      (c): ConsignmentData =>
        consignmentData({
          direction: c.direction,
          origin: { countryCode: c.origin },
          destination: { countryCode: c.destination, postcode: c.postcode.postcode },
          tags: c.tags,
          packages: c.packages.map((p) =>
            pkg({
              weightKg: p.weightKg,
              dimensions: dims(...p.sides),
              value: p.value && { amount: p.value[0], currency: p.value[1] },
              items: p.content.map((contentClassification) => item({ contentClassification })),
            }),
          ),
        }),
    );

  /** A limit at or above a measurement: exactly it (the inclusive edge), a little or a lot more, or none. */
  const atLeast = (exact: number, step: number) =>
    fc.oneof(fc.constant(exact), fc.integer({ min: 1, max: 1000 }).map((n) => Math.round((exact + n * step) * 1e6) / 1e6), fc.constant(null));

  const measurements = (data: ConsignmentData, currency: string) => {
    const index = catalogueIndex();
    const weightsMg = data.packages.map((p) => Math.round(p.weightKg * 1e6));
    const sides = data.packages.map((p) => [p.dimensions.lengthCm, p.dimensions.widthCm, p.dimensions.heightCm].map((x) => Math.round(x * 100)).sort((a, b) => b - a));
    const cents = data.packages.reduce((sum, p) => sum + (p.value ? Math.round(index.convert(p.value.amount, p.value.currency, currency)! * 100) : 0), 0);
    return {
      minWeightKg: Math.min(...weightsMg) / 1e6,
      maxWeightKg: Math.max(...weightsMg) / 1e6,
      totalKg: weightsMg.reduce((a, b) => a + b, 0) / 1e6,
      count: data.packages.length,
      longestCm: Math.max(...sides.map((s) => s[0])) / 100,
      lengthPlusGirthCm: Math.max(...sides.map(([l, w, h]) => l + 2 * w + 2 * h)) / 100,
      value: cents / 100,
      content: [...new Set(data.packages.flatMap((p) => p.items.flatMap((i) => i.contentClassification)))],
    };
  };

  /** A service whose every limit the consignment meets, some of them exactly. */
  const fittingService = (data: ConsignmentData) =>
    fc.constantFrom(...CURRENCIES).chain((currency) => {
      const m = measurements(data, currency);
      const destination = data.addresses[1];
      const postcode = POSTCODES.find((p) => p.postcode === destination.postcode)!;
      const others = COUNTRIES.filter((c) => c !== destination.countryCode);
      return fc
        .record({
          directions: fc.subarray(['Outbound', 'Inbound'] as const).map((d) => [...new Set([data.direction, ...d])]),
          originCountries: fc.option(subsetOf(COUNTRIES).map((cs) => [...new Set([data.addresses[0].countryCode, ...cs])]), { nil: null }),
          destinationCountries: fc.option(subsetOf(COUNTRIES).map((cs) => [...new Set([destination.countryCode, ...cs])]), { nil: null }),
          excludedDestinationCountries: subsetOf(others),
          excludedPostcodes: subsetOf(PREFIXES.filter((p) => !postcode.matches.includes(p))).chain((ps) => fc.tuple(...ps.map(randomCase))),
          minPackageWeightKg: fc.oneof(fc.constant(m.minWeightKg), fc.constant(0), fc.double({ min: 0, max: m.minWeightKg, noNaN: true })),
          maxPackageWeightKg: atLeast(m.maxWeightKg, 0.001),
          maxConsignmentWeightKg: atLeast(m.totalKg, 0.001),
          maxPackages: fc.oneof(fc.constant(m.count), fc.integer({ min: m.count, max: 100 }), fc.constant(null)),
          maxPackageLengthCm: atLeast(m.longestCm, 0.1),
          maxLengthPlusGirthCm: atLeast(m.lengthPlusGirthCm, 0.1),
          maxValue: atLeast(m.value, 0.01),
          allowedContent: subsetOf(CONTENT).map((cs) => [...new Set([...m.content, ...cs])]),
          tags: subsetOf(TAGS).chain((extra) => fc.tuple(...extra.map(randomCase))).map((extra) => [...data.tags.map((t) => t.toUpperCase()), ...extra]),
        })
        .map((caps) => service({ currency, capabilities: caps as Partial<Capabilities> }));
    });

  const scenario = consignment.chain((data) => fittingService(data).map((svc) => ({ data, svc })));

  it('property: a consignment within all limits of a service passes every check except possibly the dates', () => {
    fc.assert(
      fc.property(scenario, fc.constantFrom(null, plan()), ({ data, svc }, p) => {
        const reasons = failedChecks({ consignment: data, service: svc, catalogue: catalogueIndex({ services: [svc] }), plan: p, policy: EMPTY_POLICY, excludingRules: [] });
        assert.deepEqual(reasons.filter((r) => r.Code !== 'DeliveryPromiseMissed'), []);
        if (p !== null) assert.deepEqual(reasons, []);
      }),
      { numRuns: 200 },
    );
  });

  it('property: lowering any one numeric limit below the consignment fails that check alone', () => {
    const LIMITS = [
      ['maxPackageWeightKg', 'PackageTooHeavy', (m: ReturnType<typeof measurements>) => m.maxWeightKg - 0.001],
      ['maxConsignmentWeightKg', 'ConsignmentTooHeavy', (m: ReturnType<typeof measurements>) => m.totalKg - 0.001],
      ['maxPackages', 'TooManyPackages', (m: ReturnType<typeof measurements>) => m.count - 1],
      ['maxPackageLengthCm', 'PackageTooLong', (m: ReturnType<typeof measurements>) => m.longestCm - 0.01],
      ['maxLengthPlusGirthCm', 'LengthPlusGirthExceeded', (m: ReturnType<typeof measurements>) => m.lengthPlusGirthCm - 0.01],
      ['maxValue', 'ValueTooHigh', (m: ReturnType<typeof measurements>) => m.value - 0.01],
    ] as const;
    fc.assert(
      fc.property(scenario, fc.constantFrom(...LIMITS), ({ data, svc }, [field, code, below]) => {
        const limit = Math.round(below(measurements(data, svc.currency)) * 1e6) / 1e6;
        fc.pre(limit > 0);
        const lowered: CarrierService = { ...svc, capabilities: { ...svc.capabilities, minPackageWeightKg: 0, [field]: limit } };
        const reasons = failedChecks({ consignment: data, service: lowered, catalogue: catalogueIndex({ services: [lowered] }), plan: plan(), policy: EMPTY_POLICY, excludingRules: [] });
        assert.deepEqual(reasons.map((r) => r.Code), [code]);
        assert.ok(reasons[0].Message.includes(field === 'maxValue' ? limit.toFixed(2) : String(limit)), `${reasons[0].Message} names ${limit}`);
      }),
      { numRuns: 200 },
    );
  });
});
