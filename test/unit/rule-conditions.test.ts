/**
 * The rule conditions' list (src/domain/allocation-rules/conditions/index.ts): the wire schema, the
 * lenient reading and the presented rule follow from it, the wire and the stored form stay as they
 * were before the list existed, and the rules are judged once per consignment however many
 * services are checked for it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { DateTime } from 'luxon';
import { AllocationMoment, chooseCheapest, SchedulePlanner } from '../../src/domain/allocation.js';
import { allocationPolicy } from '../../src/domain/allocation-policy.js';
import {
  CONDITIONS,
  ConsignmentFacts,
  exclusionBy,
  noConditions,
  ruleMatches,
  storedRule,
  type AllocationRule,
  type ConditionShape,
  type RuleConditions,
} from '../../src/domain/allocation-rules/index.js';
import { quoteServices } from '../../src/domain/quote.js';
import { conditionsSchema, wireName } from '../../src/contract/rules.js';
import { Num, Opt, Str } from '../../src/contract/fields.js';
import { lenientConditions } from '../../src/http/lenient-rule-body.js';
import { presentConditions, presentRule } from '../../src/http/presenters/allocation-rule.js';
import { readAllocationRule, type RuleReadingContext } from '../../src/use-cases/allocation-rule-input.js';
import { catalogueIndex, consignmentData, pkg, rateCard, service } from '../support/domain-fixtures.js';

const world: RuleReadingContext = {
  enabledService: (r) => ['SW-WORLD-AIR'].find((s) => s.toLowerCase() === r.toLowerCase()),
  knownCurrency: (c) => ['GBP', 'EUR', 'USD'].includes(c),
};

const fieldsOf = (conditions: readonly ConditionShape[]) => conditions.flatMap((c) => Object.keys(c.fields));

/** The wire fields of Conditions before they were made from the list, in their order. */
const WIRE_FIELDS = [
  'DestinationCountries',
  'DestinationPostcodes',
  'MinWeightKg',
  'MaxWeightKg',
  'MinPackageLengthCm',
  'MaxPackageLengthCm',
  'MinValue',
  'MaxValue',
  'Currency',
  'Directions',
  'Tags',
];

/** A condition only this test knows, to show that the list is all the wire and the presenter follow. */
const parcelCount: ConditionShape = { fields: { minParcels: { kind: 'number' }, parcelLabels: { kind: 'list', oneOf: ['Small', 'Large'] } } };

describe('the rule conditions’ list', () => {
  it('makes the wire schema of Conditions exactly as it was written out by hand', () => {
    const byHand = Type.Object({
      DestinationCountries: Opt(Type.Array(Type.String())),
      DestinationPostcodes: Opt(Type.Array(Type.String())),
      MinWeightKg: Num,
      MaxWeightKg: Num,
      MinPackageLengthCm: Num,
      MaxPackageLengthCm: Num,
      MinValue: Num,
      MaxValue: Num,
      Currency: Str,
      Directions: Opt(Type.Array(Type.Union([Type.Literal('Outbound'), Type.Literal('Inbound')]))),
      Tags: Opt(Type.Array(Type.String())),
    });
    assert.deepEqual(conditionsSchema(), byHand);
    assert.equal(JSON.stringify(conditionsSchema()), JSON.stringify(byHand), 'the same fields in the same order (the OpenAPI document shows them so)');
  });

  it('gives every setting of every condition a place in the schema, the lenient reading, the presented rule and the stored rule', () => {
    const wire = fieldsOf(CONDITIONS).map(wireName);
    assert.deepEqual(wire, WIRE_FIELDS);
    assert.deepEqual(Object.keys(conditionsSchema().properties as object), wire);
    assert.deepEqual(Object.keys(lenientConditions({})), wire);
    assert.deepEqual(Object.keys(presentConditions(noConditions())), wire);
    assert.deepEqual(Object.keys(noConditions()), fieldsOf(CONDITIONS), 'a rule holds every setting, in the list’s order');
  });

  it('puts a condition added to the list into the schema, the lenient reading and the presented rule, by its fields’ kinds', () => {
    const list = [...CONDITIONS, parcelCount];
    const schema = conditionsSchema(list);
    assert.deepEqual(Object.keys(schema.properties as object), [...WIRE_FIELDS, 'MinParcels', 'ParcelLabels']);
    assert.deepEqual((schema.properties as Record<string, unknown>).MinParcels, Num);
    assert.deepEqual((schema.properties as Record<string, unknown>).ParcelLabels, Opt(Type.Array(Type.Union([Type.Literal('Small'), Type.Literal('Large')]))));
    const lenient = lenientConditions({ MinParcels: 'three', ParcelLabels: ['Small', 7], MinWeightKg: 2 }, list) as Record<string, unknown>;
    assert.equal(lenient.MinParcels, undefined, 'a field of the wrong kind reads as absent');
    assert.deepEqual(lenient.ParcelLabels, ['Small', '']);
    assert.equal(lenient.MinWeightKg, 2);
    const shown = presentConditions({ ...noConditions(), minParcels: 3, parcelLabels: ['Large'] } as RuleConditions, list) as Record<string, unknown>;
    assert.equal(shown.MinParcels, 3);
    assert.deepEqual(shown.ParcelLabels, ['Large']);
    assert.deepEqual(Object.keys(shown), [...WIRE_FIELDS, 'MinParcels', 'ParcelLabels']);
  });

  it('presents a rule with the fields in the order the API has always shown them', () => {
    const { rule } = readAllocationRule({ Reference: 'R', Name: 'n', Action: 'Exclude', Conditions: { MaxWeightKg: 3, Tags: ['Glass'] } }, world);
    const shown = presentRule(rule) as Record<string, unknown>;
    assert.deepEqual(Object.keys(shown), ['Reference', 'Name', 'IsEnabled', 'Action', 'MpdCarrierServiceReferences', 'Conditions']);
    assert.equal(
      JSON.stringify(shown.Conditions),
      '{"DestinationCountries":[],"DestinationPostcodes":[],"MinWeightKg":null,"MaxWeightKg":3,"MinPackageLengthCm":null,"MaxPackageLengthCm":null,' +
        '"MinValue":null,"MaxValue":null,"Currency":"GBP","Directions":[],"Tags":["Glass"]}',
    );
  });

  it('says each fault of each condition in the words it always had', () => {
    const { problems } = readAllocationRule(
      {
        Reference: 'R',
        Name: 'n',
        Action: 'Exclude',
        Conditions: {
          DestinationCountries: ['FR', 'UK'],
          DestinationPostcodes: ['IV-1', 'PA20'],
          MinWeightKg: 1_000_001,
          MinPackageLengthCm: 50,
          MaxPackageLengthCm: 40,
          MaxValue: -1,
          Currency: 'Pounds',
          Directions: ['Inbound', 'Outbound', 'Inbound'],
          Tags: ['x'.repeat(101)],
        },
      },
      world,
    );
    assert.deepEqual(problems, [
      { Code: 'Invalid', Target: 'Conditions.DestinationCountries[1]', Message: 'Conditions.DestinationCountries[1] must be an ISO 3166 two-letter country code (got UK)' },
      {
        Code: 'Invalid',
        Target: 'Conditions.DestinationPostcodes[0]',
        Message: 'Conditions.DestinationPostcodes[0] must be a UK postcode area, district or sector such as IV, PA20 or HS1 2 (got IV-1)',
      },
      {
        Code: 'Invalid',
        Target: 'Conditions.DestinationPostcodes',
        Message: 'Conditions.DestinationPostcodes match GB destinations only, but Conditions.DestinationCountries leaves out GB, so the rule could never match',
      },
      { Code: 'Invalid', Target: 'Conditions.MinWeightKg', Message: 'Conditions.MinWeightKg must be a number from 0 to 1000000' },
      { Code: 'Invalid', Target: 'Conditions.MinPackageLengthCm', Message: 'Conditions.MinPackageLengthCm (50) must not exceed Conditions.MaxPackageLengthCm (40)' },
      { Code: 'Invalid', Target: 'Conditions.MaxValue', Message: 'Conditions.MaxValue must be a number from 0 to 1000000000000' },
      { Code: 'Invalid', Target: 'Conditions.Currency', Message: 'Conditions.Currency must be a currency the catalogue can convert (got Pounds)' },
      { Code: 'TooMany', Target: 'Conditions.Directions', Message: 'Conditions.Directions must have at most 2 entries' },
      { Code: 'Invalid', Target: 'Conditions.Tags[0]', Message: 'Conditions.Tags[0] must be 1 to 100 characters' },
    ]);
  });
});

describe('rules stored before the conditions’ list', () => {
  // allocation_rules.definition as the code before the list wrote it (JSON.stringify of the rule read from a body).
  const STORED_FULL =
    '{"reference":"No-Air-Highlands","name":"No air freight to the Highlands","isEnabled":true,"action":"Exclude","serviceReferences":["SW-WORLD-AIR"],' +
    '"conditions":{"destinationCountries":["GB"],"destinationPostcodes":["IV","PA20","HS1 2"],"minWeightKg":0,"maxWeightKg":30.5,"minPackageLengthCm":null,' +
    '"maxPackageLengthCm":120,"minValue":10,"maxValue":500,"currency":"EUR","directions":["Outbound"],"tags":["Fragile"]}}';
  const STORED_EMPTY =
    '{"reference":"ALL-OFF","name":"All off","isEnabled":false,"action":"Restrict","serviceReferences":[],"conditions":{"destinationCountries":[],' +
    '"destinationPostcodes":[],"minWeightKg":null,"maxWeightKg":null,"minPackageLengthCm":null,"maxPackageLengthCm":null,"minValue":null,"maxValue":null,' +
    '"currency":"GBP","directions":[],"tags":[]}}';
  const BODIES = [
    {
      Reference: 'No-Air-Highlands',
      Name: 'No air freight to the Highlands',
      Action: 'exclude',
      MpdCarrierServiceReferences: ['sw-world-air'],
      Conditions: {
        DestinationCountries: ['gb'],
        DestinationPostcodes: ['iv', 'pa20', 'hs1  2'],
        MinWeightKg: 0,
        MaxWeightKg: 30.5,
        MaxPackageLengthCm: 120,
        MinValue: 10,
        MaxValue: 500,
        Currency: 'eur',
        Directions: ['Outbound'],
        Tags: ['Fragile'],
      },
    },
    { Reference: 'ALL-OFF', Name: 'All off', Action: 'Restrict', IsEnabled: false },
  ];
  const load = (definition: string) => storedRule(JSON.parse(definition) as AllocationRule);

  it('load unchanged, and the same bodies store the same JSON byte for byte', () => {
    [STORED_FULL, STORED_EMPTY].forEach((stored, i) => {
      const { rule, problems } = readAllocationRule(BODIES[i], world);
      assert.deepEqual(problems, []);
      assert.deepEqual(load(stored), rule);
      assert.equal(JSON.stringify(rule), stored);
      assert.equal(JSON.stringify(load(stored)), stored, 'a stored rule written back is unchanged');
    });
  });

  it('are judged and presented as before', () => {
    const highlands = consignmentData({ tags: ['fragile'], destination: { postcode: 'IV1 1AA', town: 'Inverness' }, packages: [pkg({ weightKg: 2, value: { amount: 86, currency: 'GBP' } })] });
    const rule = load(STORED_FULL);
    assert.equal(ruleMatches(rule, highlands, catalogueIndex()), 'holds');
    assert.equal(
      exclusionBy(rule, 'sw-world-air', new ConsignmentFacts(highlands, catalogueIndex())),
      'rule No-Air-Highlands (No air freight to the Highlands) excludes this service: the destination country is GB and the destination postcode IV1 1AA is in IV and ' +
        'the consignment weighs 2 kg, which is in the range 0 kg to 30.5 kg and the longest side of its longest package is 30 cm, which is at most 120 cm and ' +
        'the consignment is worth 100.00 EUR, which is in the range 10.00 EUR to 500.00 EUR and the consignment is Outbound and the consignment is tagged fragile',
    );
    assert.equal(exclusionBy(rule, 'Example-Carrier-Service', new ConsignmentFacts(highlands, catalogueIndex())), null, 'only its own service');
    const shown = presentRule(rule) as { Conditions: Record<string, unknown> };
    assert.deepEqual(shown.Conditions.DestinationPostcodes, ['IV', 'PA20', 'HS1 2']);
    assert.equal(shown.Conditions.Currency, 'EUR');
  });

  it('read a condition the rule was stored without as not given', () => {
    const stored = JSON.parse(STORED_FULL) as { conditions: Record<string, unknown> };
    delete stored.conditions.tags;
    delete stored.conditions.minWeightKg;
    const rule = load(JSON.stringify(stored));
    assert.deepEqual(rule.conditions.tags, []);
    assert.equal(rule.conditions.minWeightKg, null);
    assert.deepEqual(Object.keys(rule.conditions), Object.keys(noConditions()));
    const untagged = consignmentData({ destination: { postcode: 'IV1 1AA' }, packages: [pkg({ weightKg: 2, value: { amount: 86, currency: 'GBP' } })] });
    assert.equal(ruleMatches(rule, untagged, catalogueIndex()), 'holds', 'without its tags condition, the rule matches untagged consignments');
  });
});

describe('judging the rules once per consignment', () => {
  /** A rule whose conditions count how often they are read: each judgement of the rule reads them. */
  function countedRule(): { rule: AllocationRule; reads: () => number } {
    let reads = 0;
    const conditions = new Proxy(
      { ...noConditions(), destinationCountries: ['GB'] },
      {
        get(target, key, receiver) {
          reads++;
          return Reflect.get(target, key, receiver);
        },
      },
    );
    return { rule: { reference: 'NO-GB', name: 'Nothing to GB', isEnabled: true, action: 'Exclude', serviceReferences: [], conditions }, reads: () => reads };
  }

  const servicesOf = (n: number) => Array.from({ length: n }, (_, i) => service({ reference: `S${i}`, rateCard: rateCard() }));
  const now = DateTime.fromISO('2026-11-18T09:00:00Z');

  /** Condition reads for one consignment checked against `n` services by `run`. */
  function readsFor(n: number, run: (services: ReturnType<typeof servicesOf>, catalogue: ReturnType<typeof catalogueIndex>, moment: AllocationMoment) => void): number {
    const services = servicesOf(n);
    const catalogue = catalogueIndex({ services });
    const { rule, reads } = countedRule();
    const moment = new AllocationMoment(new SchedulePlanner(catalogue), now, allocationPolicy([rule], new Map()));
    const before = reads();
    run(services, catalogue, moment);
    return reads() - before;
  }

  it('when choosing the cheapest service, however many services are tried and then explained', () => {
    const choose = (services: ReturnType<typeof servicesOf>, catalogue: ReturnType<typeof catalogueIndex>, moment: AllocationMoment) => {
      const choice = chooseCheapest(consignmentData(), services, catalogue, moment);
      assert.equal(choice.kind, 'none');
      if (choice.kind === 'none') {
        assert.equal(choice.rejections.length, services.length);
        for (const r of choice.rejections) assert.ok(r.reasons.some((x) => x.Code === 'RuleExcluded'), r.service.reference);
      }
    };
    const once = readsFor(1, choose);
    assert.ok(once > 0, 'the rule was judged');
    assert.equal(readsFor(25, choose), once, 'judged once for 25 services, not once per service');
  });

  it('when quoting every service', () => {
    const quote = (services: ReturnType<typeof servicesOf>, catalogue: ReturnType<typeof catalogueIndex>, moment: AllocationMoment) => {
      const { quotes, unqualified } = quoteServices(consignmentData(), services, catalogue, moment, (i) => `q${i}`);
      assert.equal(quotes.length, 0);
      assert.equal(unqualified.length, services.length);
      for (const u of unqualified) assert.ok(u.reasons.some((x) => x.Code === 'RuleExcluded'), u.serviceReference);
    };
    const once = readsFor(1, quote);
    assert.ok(once > 0);
    assert.equal(readsFor(25, quote), once);
  });
});
