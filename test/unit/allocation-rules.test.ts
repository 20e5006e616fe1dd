import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  combine,
  ConsignmentFacts,
  conditionVerdicts,
  exclusionBy,
  ruleMatches,
  type AllocationRule,
  type RuleConditions,
  type Verdict,
} from '../../src/domain/allocation-rules/index.js';
import { readAllocationRule, type AllocationRuleBody, type RuleReadingContext } from '../../src/use-cases/allocation-rule-input.js';
import { allocationPolicy, EMPTY_POLICY, type AllocationPolicy } from '../../src/domain/allocation-policy.js';
import type { ConsignmentData } from '../../src/domain/consignment.js';
import { ruleExcluded } from '../../src/domain/eligibility/rule-excluded.js';
import { tagsMatched } from '../../src/domain/eligibility/tags.js';
import { parsePostcodePrefix } from '../../src/domain/postcode.js';
import { catalogueIndex, consignmentData, context, pkg, service } from '../support/domain-fixtures.js';

const catalogue = catalogueIndex();
const SERVICES = ['SW-WORLD-AIR', 'Example-Carrier-Service', 'NP-HEAVY-FREIGHT'];
const world: RuleReadingContext = {
  enabledService: (r) => SERVICES.find((s) => s.toLowerCase() === r.toLowerCase()),
  knownCurrency: (c) => ['GBP', 'EUR', 'USD'].includes(c),
};

function noConditions(overrides: Partial<RuleConditions> = {}): RuleConditions {
  return {
    destinationCountries: [],
    destinationPostcodes: [],
    minWeightKg: null,
    maxWeightKg: null,
    minPackageLengthCm: null,
    maxPackageLengthCm: null,
    minValue: null,
    maxValue: null,
    currency: 'GBP',
    directions: [],
    tags: [],
    ...overrides,
  };
}

function rule(overrides: Partial<Omit<AllocationRule, 'conditions'>> & { conditions?: Partial<RuleConditions> } = {}): AllocationRule {
  const { conditions, ...rest } = overrides;
  return { reference: 'R1', name: 'Rule one', isEnabled: true, action: 'Exclude', serviceReferences: [], ...rest, conditions: noConditions(conditions) };
}

/** The rule as a client would send it back. */
function bodyOf(r: AllocationRule): AllocationRuleBody {
  const c = r.conditions;
  return {
    Reference: r.reference,
    Name: r.name,
    IsEnabled: r.isEnabled,
    Action: r.action,
    MpdCarrierServiceReferences: r.serviceReferences,
    Conditions: {
      DestinationCountries: c.destinationCountries,
      DestinationPostcodes: c.destinationPostcodes,
      MinWeightKg: c.minWeightKg,
      MaxWeightKg: c.maxWeightKg,
      MinPackageLengthCm: c.minPackageLengthCm,
      MaxPackageLengthCm: c.maxPackageLengthCm,
      MinValue: c.minValue,
      MaxValue: c.maxValue,
      Currency: c.currency,
      Directions: c.directions,
      Tags: c.tags,
    },
  };
}

const highlands = consignmentData({ destination: { postcode: 'IV1 1AA', town: 'Inverness' } });

describe('reading an allocation rule body', () => {
  it('reads a full body, normalising codes, prefixes and service spellings, merging duplicates', () => {
    const { rule: r, problems } = readAllocationRule(
      {
        Reference: ' NO-AIR-HIGHLANDS ',
        Name: ' No air freight to the Highlands ',
        Action: 'exclude',
        MpdCarrierServiceReferences: ['sw-world-air', 'SW-WORLD-AIR'],
        Conditions: {
          DestinationCountries: ['gb', 'GB'],
          DestinationPostcodes: ['iv', 'pa20', 'hs1  2'],
          MinWeightKg: 0,
          MaxWeightKg: 30,
          MaxPackageLengthCm: 120,
          MaxValue: 500,
          Directions: ['Inbound'],
          Tags: ['Fragile', 'fragile'],
        },
      },
      world,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(r, {
      reference: 'NO-AIR-HIGHLANDS',
      name: 'No air freight to the Highlands',
      isEnabled: true,
      action: 'Exclude',
      serviceReferences: ['SW-WORLD-AIR'],
      conditions: noConditions({
        destinationCountries: ['GB'],
        destinationPostcodes: ['IV', 'PA20', 'HS1 2'],
        minWeightKg: 0,
        maxWeightKg: 30,
        maxPackageLengthCm: 120,
        maxValue: 500,
        directions: ['Inbound'],
        tags: ['Fragile'],
      }),
    });
  });

  it('defaults IsEnabled to true, Currency to GBP, and absent lists to every service and no condition', () => {
    const { rule: r, problems } = readAllocationRule({ Reference: 'ALL-OFF', Name: 'All off', Action: 'Restrict', IsEnabled: null }, world);
    assert.deepEqual(problems, []);
    assert.equal(r.isEnabled, true);
    assert.equal(r.action, 'Restrict');
    assert.deepEqual(r.serviceReferences, []);
    assert.deepEqual(r.conditions, noConditions());
  });

  it('lists every problem of a bad body, each with its target', () => {
    const { problems } = readAllocationRule(
      {
        Reference: 'has space',
        Name: '',
        Action: 'Forbid',
        MpdCarrierServiceReferences: ['SW-WORLD-AIR', 'NO-SUCH-SERVICE'],
        Conditions: {
          DestinationCountries: ['UK', 'XX', 'FR'],
          DestinationPostcodes: ['IV', 'IV-1', '12'],
          MinWeightKg: 40,
          MaxWeightKg: 30,
          MinPackageLengthCm: -1,
          MinValue: 10,
          MaxValue: 5,
          Currency: 'XYZ',
          Tags: [' '],
        },
      },
      world,
    );
    assert.deepEqual(
      problems.map((p) => [p.Code, p.Target]),
      [
        ['Invalid', 'Reference'],
        ['Required', 'Name'],
        ['Invalid', 'Action'],
        ['NotFound', 'MpdCarrierServiceReferences[1]'],
        ['Invalid', 'Conditions.DestinationCountries[0]'],
        ['Invalid', 'Conditions.DestinationCountries[1]'],
        ['Invalid', 'Conditions.DestinationPostcodes[1]'],
        ['Invalid', 'Conditions.DestinationPostcodes[2]'],
        ['Invalid', 'Conditions.DestinationPostcodes'],
        ['Invalid', 'Conditions.MinWeightKg'],
        ['Invalid', 'Conditions.MinPackageLengthCm'],
        ['Invalid', 'Conditions.MinValue'],
        ['Invalid', 'Conditions.Currency'],
        ['Invalid', 'Conditions.Tags[0]'],
      ],
    );
    const minMax = problems.find((p) => p.Target === 'Conditions.MinWeightKg')!;
    assert.equal(minMax.Message, 'Conditions.MinWeightKg (40) must not exceed Conditions.MaxWeightKg (30)');
    assert.match(problems.find((p) => p.Target === 'MpdCarrierServiceReferences[1]')!.Message, /NO-SUCH-SERVICE, which is not enabled for this subscription/);
  });

  it('requires Reference, Name and Action, and refuses control characters in the name', () => {
    const { problems } = readAllocationRule({ Name: 'a\u0000b' }, world);
    assert.deepEqual(problems.map((p) => [p.Code, p.Target]), [['Required', 'Reference'], ['Invalid', 'Name'], ['Required', 'Action']]);
  });

  it('takes the reference it is given over the body’s (a PUT’s path wins)', () => {
    const { rule: r, problems } = readAllocationRule({ Reference: 'OTHER', Name: 'n', Action: 'Exclude' }, world, 'Stored-Spelling');
    assert.deepEqual(problems, []);
    assert.equal(r.reference, 'Stored-Spelling');
  });

  it('reports min > max for any bounds, and accepts any min <= max (property)', () => {
    const bound = fc.double({ min: 0, max: 1000, noNaN: true });
    fc.assert(
      fc.property(bound, bound, fc.constantFrom(['MinWeightKg', 'MaxWeightKg'], ['MinPackageLengthCm', 'MaxPackageLengthCm'], ['MinValue', 'MaxValue']), (a, b, [lo, hi]) => {
        const { problems } = readAllocationRule({ Reference: 'R', Name: 'n', Action: 'Exclude', Conditions: { [lo]: a, [hi]: b } }, world);
        assert.equal(problems.length, a > b ? 1 : 0, JSON.stringify(problems));
        if (a > b) assert.equal(problems[0].Target, `Conditions.${lo}`);
      }),
    );
  });

  it('reads a stored rule sent back unchanged (property)', () => {
    fc.assert(
      fc.property(arbitraryRule(), (r) => {
        const again = readAllocationRule(bodyOf(r), world);
        assert.deepEqual(again.problems, []);
        assert.deepEqual(again.rule, r);
      }),
    );
  });
});

describe('UK postcode prefixes', () => {
  it('reads areas, districts and sectors, and nothing else', () => {
    assert.deepEqual(parsePostcodePrefix('iv'), { prefix: 'IV', area: 'IV', district: null, sector: null });
    assert.deepEqual(parsePostcodePrefix('PA20'), { prefix: 'PA20', area: 'PA', district: 'PA20', sector: null });
    assert.deepEqual(parsePostcodePrefix(' hs1   2 '), { prefix: 'HS1 2', area: 'HS', district: 'HS1', sector: 'HS1 2' });
    assert.deepEqual(parsePostcodePrefix('W1A 0'), { prefix: 'W1A 0', area: 'W', district: 'W1A', sector: 'W1A 0' });
    for (const bad of ['', '1', 'ABC', 'IV1 1AA', 'I V', 'IV 1', 'IV1 A', 'PA200']) assert.equal(parsePostcodePrefix(bad), null, bad);
  });
});

describe('judging a consignment against a rule', () => {
  it('says why an Exclude rule excludes, with the postcode and its prefix', () => {
    const r = rule({ reference: 'NO-AIR-HIGHLANDS', name: 'No air freight to the Highlands', conditions: { destinationPostcodes: ['IV', 'PA20'] } });
    assert.equal(
      exclusionBy(r, 'SW-WORLD-AIR', new ConsignmentFacts(highlands, catalogue)),
      'rule NO-AIR-HIGHLANDS (No air freight to the Highlands) excludes this service: the destination postcode IV1 1AA is in IV',
    );
    assert.equal(exclusionBy(r, 'SW-WORLD-AIR', new ConsignmentFacts(consignmentData(), catalogue)), null, 'SW1A 1AA is not in IV or PA20');
  });

  it('says what a Restrict rule asks for and what the consignment is instead', () => {
    const r = rule({ reference: 'HEAVY-ONLY', name: 'Heavy only', action: 'Restrict', conditions: { minWeightKg: 20, maxWeightKg: 1000 } });
    const light = consignmentData({ packages: [pkg({ weightKg: 3 })] });
    assert.equal(exclusionBy(r, 'NP-HEAVY-FREIGHT', new ConsignmentFacts(light, catalogue)), 'rule HEAVY-ONLY (Heavy only) restricts this service to consignments of 20 kg to 1000 kg; this one weighs 3 kg');
    assert.equal(exclusionBy(r, 'NP-HEAVY-FREIGHT', new ConsignmentFacts(consignmentData({ packages: [pkg({ weightKg: 20 })] }), catalogue)), null, 'ranges are inclusive');
  });

  it('names only the unmet conditions of a Restrict rule, all of them', () => {
    const r = rule({ action: 'Restrict', conditions: { destinationCountries: ['FR', 'DE'], maxWeightKg: 1, directions: ['Outbound'] } });
    assert.equal(exclusionBy(r, 'X', new ConsignmentFacts(consignmentData(), catalogue)), 'rule R1 (Rule one) restricts this service to destinations in FR, DE and consignments of at most 1 kg; this one goes to GB and weighs 2 kg');
  });

  it('gives every condition of a matching Exclude rule with its numbers', () => {
    const r = rule({
      conditions: {
        destinationCountries: ['GB'],
        minWeightKg: 1,
        maxPackageLengthCm: 120,
        minValue: 10,
        maxValue: 500,
        directions: ['Outbound'],
        tags: ['Fragile', 'Glass'],
      },
    });
    const c = consignmentData({ tags: ['glass'], packages: [pkg({ weightKg: 2.5, dimensions: { lengthCm: 20, widthCm: 45, heightCm: 10 }, value: { amount: 100, currency: 'EUR' } })] });
    assert.equal(
      exclusionBy(r, 'X', new ConsignmentFacts(c, catalogue)),
      'rule R1 (Rule one) excludes this service: the destination country is GB and the consignment weighs 2.5 kg, which is at least 1 kg and ' +
        'the longest side of its longest package is 45 cm, which is at most 120 cm and the consignment is worth 86.00 GBP, which is in the range 10.00 GBP to 500.00 GBP and ' +
        'the consignment is Outbound and the consignment is tagged glass',
    );
  });

  it('lets a rule without conditions cover every consignment: Exclude switches its services off, Restrict changes nothing', () => {
    fc.assert(
      fc.property(arbitraryConsignment(), (c) => {
        assert.equal(exclusionBy(rule(), 'ANY', new ConsignmentFacts(c, catalogue)), 'rule R1 (Rule one) excludes this service: the rule has no conditions, so it covers every consignment');
        assert.equal(exclusionBy(rule({ action: 'Restrict' }), 'ANY', new ConsignmentFacts(c, catalogue)), null);
      }),
    );
  });

  it('applies only to its own services (any spelling), and not at all while disabled', () => {
    const r = rule({ serviceReferences: ['SW-WORLD-AIR'] });
    assert.notEqual(exclusionBy(r, 'sw-world-air', new ConsignmentFacts(highlands, catalogue)), null);
    assert.equal(exclusionBy(r, 'Example-Carrier-Service', new ConsignmentFacts(highlands, catalogue)), null);
    assert.equal(exclusionBy({ ...r, isEnabled: false }, 'SW-WORLD-AIR', new ConsignmentFacts(highlands, catalogue)), null);
    const restrict = rule({ action: 'Restrict', conditions: { destinationCountries: ['FR'] } });
    assert.equal(exclusionBy({ ...restrict, isEnabled: false }, 'X', new ConsignmentFacts(highlands, catalogue)), null);
  });

  it('matches postcodes of GB destinations only, by whole area, district or sector', () => {
    const r = rule({ conditions: { destinationPostcodes: ['B', 'PA20', 'HS1 2'] } });
    const to = (postcode: string, countryCode = 'GB') => ruleMatches(r, consignmentData({ destination: { postcode, countryCode } }), catalogue);
    assert.equal(to('B1 1AA'), 'holds');
    assert.equal(to('BT1 1AA'), 'fails', 'B is not BT');
    assert.equal(to('PA20 9XX'), 'holds');
    assert.equal(to('PA2 0XX'), 'fails');
    assert.equal(to('HS1 2AB'), 'holds');
    assert.equal(to('HS1 3AB'), 'fails');
    assert.equal(to('B1 1AA', 'IE'), 'fails', 'an Irish postcode is not in a UK area');
  });

  it('excludes when it cannot tell whether an Exclude rule matches, and says so', () => {
    const r = rule({ conditions: { destinationPostcodes: ['IV'] } });
    const unreadable = consignmentData({ destination: { postcode: 'NOT A POSTCODE' } });
    assert.equal(ruleMatches(r, unreadable, catalogue), 'unknown');
    assert.equal(
      exclusionBy(r, 'X', new ConsignmentFacts(unreadable, catalogue)),
      'rule R1 (Rule one) excludes this service, as it cannot be shown not to apply: the destination postcode NOT A POSTCODE is not a valid UK postcode, so whether it is in IV cannot be told',
    );
    const restrict = rule({ action: 'Restrict', conditions: { maxValue: 100 } });
    const yen = consignmentData({ packages: [pkg({ value: { amount: 1000, currency: 'JPY' } })] });
    assert.match(exclusionBy(restrict, 'X', new ConsignmentFacts(yen, catalogue))!, /^rule R1 \(Rule one\) restricts this service to consignments worth at most 100.00 GBP; this one has a value that cannot be told \(package EP-\S+ is valued in JPY, which cannot be converted to GBP\)$/);
    assert.equal(exclusionBy(rule({ conditions: { destinationCountries: ['FR'], maxValue: 100 } }), 'X', new ConsignmentFacts(yen, catalogue)), null, 'a failed condition decides, whatever the unknown one');
  });

  it('sums package values in the rule’s currency, and ignores packages without one', () => {
    const c = consignmentData({ packages: [pkg({ value: { amount: 100, currency: 'EUR' } }), pkg({ value: null }), pkg({ value: { amount: 14, currency: 'GBP' } })] });
    assert.equal(ruleMatches(rule({ conditions: { minValue: 100, maxValue: 100 } }), c, catalogue), 'holds', '86 + 14 GBP');
    assert.equal(ruleMatches(rule({ conditions: { maxValue: 99.99 } }), c, catalogue), 'fails');
  });

  it('measures the longest side of the longest package', () => {
    const c = consignmentData({ packages: [pkg({ dimensions: { lengthCm: 10, widthCm: 10, heightCm: 10 } }), pkg({ dimensions: { lengthCm: 30, widthCm: 121, heightCm: 5 } })] });
    assert.equal(ruleMatches(rule({ conditions: { maxPackageLengthCm: 120 } }), c, catalogue), 'fails');
    assert.equal(ruleMatches(rule({ conditions: { minPackageLengthCm: 121 } }), c, catalogue), 'holds');
  });

  it('matches a consignment carrying any of the tags, in any case', () => {
    const r = rule({ conditions: { tags: ['Fragile', 'Glass'] } });
    assert.equal(ruleMatches(r, consignmentData({ tags: ['FRAGILE'] }), catalogue), 'holds');
    assert.equal(ruleMatches(r, consignmentData({ tags: ['Heavy'] }), catalogue), 'fails');
    assert.equal(exclusionBy({ ...r, action: 'Restrict' }, 'X', new ConsignmentFacts(consignmentData(), catalogue)), 'rule R1 (Rule one) restricts this service to consignments tagged Fragile or Glass; this one has no tags');
  });

  it('judges weight exactly as min <= total <= max (property)', () => {
    const bound = fc.option(fc.integer({ min: 0, max: 100 }), { nil: null });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }), bound, bound, (weights, min, max) => {
        fc.pre(min !== null || max !== null);
        const c = consignmentData({ packages: weights.map((weightKg) => pkg({ weightKg })) });
        const total = weights.reduce((a, b) => a + b, 0);
        const expected = (min === null || total >= min) && (max === null || total <= max);
        assert.equal(ruleMatches(rule({ conditions: { minWeightKg: min, maxWeightKg: max } }), c, catalogue), expected ? 'holds' : 'fails');
      }),
    );
  });

  it('makes Exclude and Restrict of the same conditions exact opposites whenever the conditions can be judged (property)', () => {
    fc.assert(
      fc.property(arbitraryConditions(), arbitraryConsignment(), (conditions, c) => {
        const exclude = exclusionBy(rule({ conditions }), 'X', new ConsignmentFacts(c, catalogue));
        const restrict = exclusionBy(rule({ conditions, action: 'Restrict' }), 'X', new ConsignmentFacts(c, catalogue));
        const verdict = ruleMatches(rule({ conditions }), c, catalogue);
        if (verdict === 'unknown') {
          assert.ok(exclude !== null && restrict !== null, 'what cannot be judged excludes either way');
        } else {
          assert.equal(exclude !== null, verdict === 'holds');
          assert.equal(restrict !== null, verdict === 'fails');
        }
        for (const message of [exclude, restrict]) if (message) assert.ok(message.startsWith('rule R1 (Rule one) '));
      }),
    );
  });

  it('never matches more consignments for having another condition (property)', () => {
    fc.assert(
      fc.property(arbitraryConditions(), arbitraryConditions(), arbitraryConsignment(), (a, b, c) => {
        // a with b's conditions added wherever a gives none.
        const aHasValue = a.minValue !== null || a.maxValue !== null;
        const both = noConditions({
          destinationCountries: a.destinationCountries.length ? a.destinationCountries : b.destinationCountries,
          destinationPostcodes: a.destinationPostcodes.length ? a.destinationPostcodes : b.destinationPostcodes,
          minWeightKg: a.minWeightKg ?? b.minWeightKg,
          maxWeightKg: a.maxWeightKg ?? b.maxWeightKg,
          minPackageLengthCm: a.minPackageLengthCm ?? b.minPackageLengthCm,
          maxPackageLengthCm: a.maxPackageLengthCm ?? b.maxPackageLengthCm,
          minValue: aHasValue ? a.minValue : b.minValue,
          maxValue: aHasValue ? a.maxValue : b.maxValue,
          currency: aHasValue ? a.currency : b.currency,
          directions: a.directions.length ? a.directions : b.directions,
          tags: a.tags.length ? a.tags : b.tags,
        });
        const rank: Record<Verdict, number> = { fails: 0, unknown: 1, holds: 2 };
        assert.ok(rank[ruleMatches(rule({ conditions: both }), c, catalogue)] <= rank[ruleMatches(rule({ conditions: a }), c, catalogue)]);
      }),
    );
  });

  it('combines verdicts as a three-valued AND', () => {
    assert.equal(combine([]), 'holds');
    assert.equal(combine(['holds', 'unknown']), 'unknown');
    assert.equal(combine(['unknown', 'fails']), 'fails');
    assert.equal(conditionVerdicts(noConditions(), new ConsignmentFacts(consignmentData(), catalogue)).length, 0);
  });
});

describe('the RuleExcluded check', () => {
  const policy = (rules: AllocationRule[]): AllocationPolicy => allocationPolicy(rules, new Map());

  it('passes with no rules, and with rules that do not apply', () => {
    assert.equal(ruleExcluded(context()), null);
    assert.equal(ruleExcluded(context({ policy: policy([rule({ serviceReferences: ['OTHER'] }), rule({ conditions: { destinationCountries: ['FR'] } })]) })), null);
  });

  it('reports one reason naming every rule that excludes the service, in the policy’s order', () => {
    const reason = ruleExcluded(
      context({
        service: service({ reference: 'SW-WORLD-AIR' }),
        consignment: highlands,
        policy: policy([
          rule({ reference: 'A', name: 'Highlands', conditions: { destinationPostcodes: ['IV'] } }),
          rule({ reference: 'B', name: 'Other service', serviceReferences: ['NP-HEAVY-FREIGHT'] }),
          rule({ reference: 'C', name: 'Heavy only', action: 'Restrict', conditions: { minWeightKg: 20 } }),
        ]),
      }),
    );
    assert.deepEqual(reason, {
      Code: 'RuleExcluded',
      Message:
        'rule A (Highlands) excludes this service: the destination postcode IV1 1AA is in IV; rule C (Heavy only) restricts this service to consignments of at least 20 kg; this one weighs 2 kg',
    });
  });
});

describe('TagsNotMatched with the subscription’s own service tags', () => {
  const tagged = consignmentData({ tags: ['Fragile'] });
  const svc = service({ reference: 'S', capabilities: { tags: ['Priority'] } });

  it('uses the catalogue’s tags when the subscription has set none', () => {
    assert.equal(tagsMatched(context({ service: svc, consignment: tagged, policy: EMPTY_POLICY }))?.Message, "the service lacks the consignment's tags Fragile; its tags are Priority");
  });

  it('uses the subscription’s tags instead when set, an empty list meaning none', () => {
    const own = (tags: string[]): AllocationPolicy => ({ rules: [], serviceTags: new Map([['s', tags]]) });
    assert.equal(tagsMatched(context({ service: svc, consignment: tagged, policy: own(['fragile']) })), null);
    assert.equal(tagsMatched(context({ service: svc, consignment: tagged, policy: own([]) }))?.Message, "the service lacks the consignment's tags Fragile; its tags are none");
    assert.equal(tagsMatched(context({ service: svc, consignment: consignmentData(), policy: own([]) })), null, 'an untagged consignment needs no tags');
  });
});

// ---------------------------------------------------------------------------------------------
// Generators

const POSTCODES = ['IV1 1AA', 'PA20 9XX', 'HS1 2AB', 'SW1A 1AA', 'B1 1AA', 'BT1 1AA', 'M1 1AE', 'garbage'];
const PREFIXES = ['IV', 'PA20', 'HS1 2', 'SW', 'B', 'BT1'];

function arbitraryConsignment(): fc.Arbitrary<ConsignmentData> {
  return fc
    .record({
      packages: fc.array(
        fc.record({
          weightKg: fc.integer({ min: 1, max: 50 }),
          sides: fc.tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200 })),
          value: fc.option(fc.record({ amount: fc.integer({ min: 0, max: 1000 }), currency: fc.constantFrom('GBP', 'EUR', 'USD', 'JPY') }), { nil: null }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      country: fc.constantFrom('GB', 'GB', 'FR', 'IE'),
      postcode: fc.constantFrom(...POSTCODES),
      direction: fc.constantFrom('Outbound' as const, 'Inbound' as const),
      tags: fc.subarray(['Fragile', 'glass', 'Heavy']),
    })
    .map((c) =>
      consignmentData({
        direction: c.direction,
        tags: c.tags,
        destination: { countryCode: c.country, postcode: c.postcode },
        packages: c.packages.map((p) => pkg({ weightKg: p.weightKg, dimensions: { lengthCm: p.sides[0], widthCm: p.sides[1], heightCm: p.sides[2] }, value: p.value })),
      }),
    );
}

function arbitraryConditions(): fc.Arbitrary<RuleConditions> {
  const bound = fc.option(fc.integer({ min: 0, max: 120 }), { nil: null, freq: 2 });
  return fc
    .record({
      destinationCountries: fc.subarray(['GB', 'FR', 'DE']),
      destinationPostcodes: fc.subarray(PREFIXES, { maxLength: 2 }),
      weights: fc.tuple(bound, bound),
      lengths: fc.tuple(bound, bound),
      values: fc.tuple(bound, bound),
      currency: fc.constantFrom('GBP', 'EUR'),
      directions: fc.subarray(['Outbound', 'Inbound'] as const),
      tags: fc.subarray(['Fragile', 'Glass']),
    })
    .map((c) => {
      const sorted = ([a, b]: [number | null, number | null]): [number | null, number | null] => (a !== null && b !== null && a > b ? [b, a] : [a, b]);
      const [minWeightKg, maxWeightKg] = sorted(c.weights);
      const [minPackageLengthCm, maxPackageLengthCm] = sorted(c.lengths);
      const [minValue, maxValue] = sorted(c.values);
      // Postcodes only ever match GB, and a rule leaving GB out while naming postcodes is refused.
      const countries = c.destinationPostcodes.length && c.destinationCountries.length && !c.destinationCountries.includes('GB') ? [...c.destinationCountries, 'GB'] : c.destinationCountries;
      return noConditions({
        destinationCountries: countries,
        destinationPostcodes: c.destinationPostcodes,
        minWeightKg,
        maxWeightKg,
        minPackageLengthCm,
        maxPackageLengthCm,
        minValue,
        maxValue,
        currency: c.currency,
        directions: [...c.directions],
        tags: c.tags,
      });
    });
}

function arbitraryRule(): fc.Arbitrary<AllocationRule> {
  return fc
    .record({
      reference: fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/),
      name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,30}[A-Za-z0-9]$/),
      isEnabled: fc.boolean(),
      action: fc.constantFrom('Exclude' as const, 'Restrict' as const),
      serviceReferences: fc.subarray(SERVICES),
      conditions: arbitraryConditions(),
    })
    // fast-check builds records without a prototype; the rules read from a body are plain objects.
    .map((r) => ({ ...r, conditions: { ...r.conditions } }));
}
