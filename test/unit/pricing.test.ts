import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RateCard, RateZone } from '../../src/domain/catalogue.js';
import { totalWeightKg, type ConsignmentData, type PackageData } from '../../src/domain/consignment.js';
import { chargeableWeightKg, compileServiceRates, priceConsignment, type Amounts, type Price, type PriceResult } from '../../src/domain/pricing.js';
import { consignmentData, pkg, rateCard, rateZone, service, type ConsignmentOverrides } from '../support/domain-fixtures.js';

function price(card: RateCard | null, data: ConsignmentOverrides = {}, currency = 'GBP'): PriceResult {
  return priceConsignment(consignmentData(data), compileServiceRates(service({ rateCard: card, currency })));
}

function priced(card: RateCard, data: ConsignmentOverrides = {}): Price {
  const result = price(card, data);
  assert.equal(result.kind, 'priced', result.kind === 'unpriced' ? `${result.reason.Code}: ${result.reason.Message}` : '');
  return (result as { price: Price }).price;
}

function reasonOf(card: RateCard | null, data: ConsignmentOverrides = {}) {
  const result = price(card, data);
  assert.equal(result.kind, 'unpriced', 'the consignment was priced');
  return (result as { reason: { Code: string; Message: string } }).reason;
}

function parcel(weightKg: number, lengthCm = 10, widthCm = 10, heightCm = 10): PackageData {
  return pkg({ weightKg, dimensions: { lengthCm, widthCm, heightCm } });
}

const minor = (amount: number) => Math.round(amount * 100);

describe('pricing a consignment with a rate card', () => {
  it('cannot price with a service that has no rate card', () => {
    assert.deepEqual(reasonOf(null), { Code: 'NoRates', Message: 'the service has no rate card' });
  });

  it('prices the documented example: band, per-package and per-consignment charges, fuel surcharge and VAT, line by line', () => {
    // 1 kg, 20 × 20 × 20 cm at 5000 cm³/kg: 1.6 kg chargeable, band ≤ 2 kg at 3.95.
    const card = rateCard({ volumetricDivisor: 5000, fuelSurchargePercent: 8.5, perPackageCharge: 0.35, perConsignmentCharge: 1 });
    const p = priced(card, { packages: [parcel(1, 20, 20, 20)] });
    // base 3.95 + 0.35 + 1.00 = 5.30; fuel 8.5 % = 0.4505 → 0.45; total 5.75; VAT 1.06 / 1.15.
    assert.deepEqual(p.base, { net: 5.3, vatAmount: 1.06, gross: 6.36 });
    assert.deepEqual(p.surcharges, [{ reference: 'FUEL', label: 'Fuel surcharge 8.5%', description: '8.5% of the price before surcharges', amount: 0.45 }]);
    assert.deepEqual(p.total, { net: 5.75, vatAmount: 1.15, gross: 6.9 });
    assert.deepEqual(p.vat, { reference: 'GB-0.2000', countryIsoCode: 'GB', type: 'Standard', rate: 0.2 });
    assert.equal(p.currency, 'GBP');
    assert.equal(p.chargeableWeightKg, 1.6);
    assert.equal(p.zone, 'UK mainland');
  });

  it('gives the price in the service currency and no surcharges when there is no fuel surcharge', () => {
    const result = price(rateCard(), {}, 'EUR');
    assert.equal(result.kind, 'priced');
    const p = (result as { price: Price }).price;
    assert.equal(p.currency, 'EUR');
    assert.deepEqual(p.surcharges, []);
    assert.deepEqual(p.base, p.total);
  });

  describe('chargeable weight', () => {
    it('is the actual weight without a volumetric divisor, however bulky the package', () => {
      assert.equal(chargeableWeightKg(parcel(1, 100, 100, 100), null), 1);
    });

    it('is the volumetric weight (L × W × H / divisor) when that is more, else the actual weight', () => {
      assert.equal(chargeableWeightKg(parcel(1, 20, 20, 20), 5000), 1.6);
      assert.equal(chargeableWeightKg(parcel(2, 20, 20, 20), 5000), 2);
      assert.equal(chargeableWeightKg(parcel(1, 20, 20, 20), 6000), 1.333333, 'rounded to the millionth of a kilogram');
    });

    it('picks the band on the chargeable weight, not the actual one', () => {
      const card = rateCard({ volumetricDivisor: 5000 });
      assert.equal(priced(card, { packages: [parcel(1, 20, 20, 20)] }).total.net, 3.95);
      assert.equal(priced(card, { packages: [parcel(1, 30, 30, 20)] }).total.net, 5.6, '18,000 cm³ is 3.6 kg');
    });

    it('sums the packages for the consignment, each on its own chargeable weight', () => {
      const p = priced(rateCard({ volumetricDivisor: 5000 }), { packages: [parcel(1, 20, 20, 20), parcel(3, 10, 10, 10)] });
      assert.equal(p.chargeableWeightKg, 4.6);
    });
  });

  describe('weight bands', () => {
    it('takes the first band whose limit is at or above the weight (limits inclusive)', () => {
      const card = rateCard();
      assert.equal(priced(card, { packages: [parcel(2)] }).total.net, 3.95);
      assert.equal(priced(card, { packages: [parcel(2.000001)] }).total.net, 5.6);
      assert.equal(priced(card, { packages: [parcel(30)] }).total.net, 8.9);
    });

    it('prices each package on its own band under the Package basis, with the per-package charge each', () => {
      const card = rateCard({ perPackageCharge: 0.5, perConsignmentCharge: 2 });
      // 3.95 + 5.60 + 8.90, plus 3 × 0.50, plus 2.00 once.
      assert.equal(priced(card, { packages: [parcel(1), parcel(5), parcel(25)] }).total.net, 21.95);
    });

    it('prices the total chargeable weight once under the Consignment basis', () => {
      const card = rateCard({ basis: 'Consignment', perPackageCharge: 0.5, perConsignmentCharge: 2 });
      // 1 + 5 + 3 = 9 kg: one band ≤ 10 kg at 5.60, plus 3 × 0.50, plus 2.00.
      const p = priced(card, { packages: [parcel(1), parcel(5), parcel(3)] });
      assert.equal(p.total.net, 9.1);
      assert.equal(p.chargeableWeightKg, 9);
    });

    it('charges each started kilogram over the last band when the zone has ExtraPerKg', () => {
      const card = rateCard({ zones: [rateZone({ extraPerKg: 1.2 })] });
      const net = (kg: number) => priced(card, { packages: [parcel(kg)] }).total.net;
      assert.equal(net(30), 8.9);
      assert.equal(net(30.1), 10.1);
      assert.equal(net(31), 10.1);
      assert.equal(net(32), 11.3);
      assert.equal(net(32.000001), 12.5);
    });

    it('counts started kilograms without float noise (32.3 kg over a 30.3 kg band is 2 kg, not 3)', () => {
      const card = rateCard({ zones: [rateZone({ bands: [{ upToKg: 30.3, price: 10 }], extraPerKg: 1 })] });
      assert.equal(priced(card, { packages: [parcel(32.3)] }).total.net, 12);
    });

    it('cannot price beyond the last band without ExtraPerKg, naming the weight, the zone and its limit', () => {
      const card = rateCard({ basis: 'Consignment' });
      assert.deepEqual(reasonOf(card, { packages: [parcel(25), parcel(25), parcel(25)] }), {
        Code: 'NoRateForWeight',
        Message: 'chargeable weight 75 kg is beyond the heaviest band of zone UK mainland (30 kg)',
      });
    });

    it('names every package too heavy for the bands under the Package basis', () => {
      const a = parcel(31);
      const b = parcel(1, 50, 50, 100);
      const card = rateCard({ volumetricDivisor: 5000 });
      assert.deepEqual(reasonOf(card, { packages: [parcel(1), a] }), {
        Code: 'NoRateForWeight',
        Message: `chargeable weight 31 kg (package ${a.reference}) is beyond the heaviest band of zone UK mainland (30 kg)`,
      });
      assert.deepEqual(reasonOf(card, { packages: [a, parcel(1), b] }), {
        Code: 'NoRateForWeight',
        Message: `chargeable weights 31 kg (package ${a.reference}), 50 kg (package ${b.reference}) are beyond the heaviest band of zone UK mainland (30 kg)`,
      });
    });
  });

  describe('zones', () => {
    const highlands = rateZone({ name: 'Highlands and Islands', countries: [], postcodes: ['IV', 'HS', 'PA20', 'KW15 1'], bands: [{ upToKg: 30, price: 19 }] });
    const mainland = rateZone({ name: 'UK mainland', countries: ['GB'], bands: [{ upToKg: 30, price: 8.9 }] });
    const eu = rateZone({ name: 'EU', countries: ['FR', 'DE'], bands: [{ upToKg: 30, price: 20 }] });
    const card = rateCard({ zones: [highlands, mainland, eu] });
    const zoneFor = (country: string, postcode: string | null, c: RateCard = card) => {
      const result = price(c, { destination: { countryCode: country, postcode } });
      return result.kind === 'priced' ? result.price.zone : result.reason.Code;
    };

    it('matches UK postcodes by area, district or sector prefix, whole parts only', () => {
      assert.equal(zoneFor('GB', 'IV51 9XX'), 'Highlands and Islands', 'area IV');
      assert.equal(zoneFor('GB', 'pa20 0aa'), 'Highlands and Islands', 'district PA20, any case');
      assert.equal(zoneFor('GB', 'PA2 0AA'), 'UK mainland', 'PA2 is not PA20');
      assert.equal(zoneFor('GB', 'KW15 1AB'), 'Highlands and Islands', 'sector KW15 1');
      assert.equal(zoneFor('GB', 'KW15 2AB'), 'UK mainland', 'another sector of KW15');
      assert.equal(zoneFor('GB', 'LS6 3JZ'), 'UK mainland');
      assert.equal(zoneFor('GB', 'H1 1AA'), 'UK mainland', 'H is not HS');
    });

    it('matches postcodes only for GB destinations', () => {
      assert.equal(zoneFor('FR', 'IV51 9XX'), 'EU');
    });

    it('lets the first matching zone win, whatever the later ones say', () => {
      const reordered = rateCard({ zones: [mainland, highlands, eu] });
      assert.equal(zoneFor('GB', 'IV51 9XX', reordered), 'UK mainland');
      const twice = rateCard({ zones: [eu, { ...mainland, name: 'Everywhere', countries: ['GB', 'FR'] }] });
      assert.equal(zoneFor('FR', '75001', twice), 'EU');
    });

    it('with both countries and postcodes, prices the other countries outright and GB only under the postcodes', () => {
      const island = rateZone({ name: 'Ireland and Northern Ireland', countries: ['IE', 'GB'], postcodes: ['BT'], bands: [{ upToKg: 30, price: 12 }] });
      const c = rateCard({ zones: [island, mainland] });
      assert.equal(zoneFor('IE', 'D02 X285', c), 'Ireland and Northern Ireland');
      assert.equal(zoneFor('GB', 'BT1 1AA', c), 'Ireland and Northern Ireland');
      assert.equal(zoneFor('GB', 'LS6 3JZ', c), 'UK mainland');
    });

    it('prices any country in a zone without a country list (countries null), GB only through its postcodes if it has some', () => {
      const world = rateZone({ name: 'Rest of the world', countries: null, bands: [{ upToKg: 30, price: 40 }] });
      const c = rateCard({ zones: [eu, world] });
      assert.equal(zoneFor('US', '10001', c), 'Rest of the world');
      assert.equal(zoneFor('DE', '10115', c), 'EU');
      assert.equal(zoneFor('GB', 'LS6 3JZ', c), 'Rest of the world');
      const worldButScotland = rateCard({ zones: [{ ...world, postcodes: ['IV'] }] });
      assert.equal(zoneFor('JP', '100-0001', worldButScotland), 'Rest of the world');
      assert.equal(zoneFor('GB', 'IV1 1AA', worldButScotland), 'Rest of the world');
      assert.equal(zoneFor('GB', 'LS6 3JZ', worldButScotland), 'NoRateForDestination');
    });

    it('says which destination has no zone', () => {
      assert.deepEqual(reasonOf(card, { destination: { countryCode: 'US', postcode: '10001' } }), {
        Code: 'NoRateForDestination',
        Message: 'the rate card has no zone for destination US',
      });
      assert.deepEqual(reasonOf(rateCard({ zones: [highlands] }), { destination: { countryCode: 'GB', postcode: 'LS6 3JZ' } }), {
        Code: 'NoRateForDestination',
        Message: 'the rate card has no zone for destination GB (postcode LS6 3JZ)',
      });
    });

    it('does not price an unreadable GB postcode at the mainland rate when a postcode zone comes first', () => {
      assert.deepEqual(reasonOf(card, { destination: { countryCode: 'GB', postcode: 'NOT A POSTCODE' } }), {
        Code: 'NoRateForDestination',
        Message: "destination postcode NOT A POSTCODE is not a valid UK postcode, so the rate card's postcode zones cannot be applied",
      });
      assert.equal(zoneFor('GB', 'NOT A POSTCODE', rateCard({ zones: [mainland, highlands] })), 'UK mainland', 'the mainland zone comes first: the postcode does not matter');
    });

    it('prices the same destination against many cards correctly (the parsed postcode is reused, not confused)', () => {
      assert.equal(zoneFor('GB', 'IV51 9XX'), 'Highlands and Islands');
      assert.equal(zoneFor('GB', 'IV51 9XX', rateCard({ zones: [mainland] })), 'UK mainland');
      assert.equal(zoneFor('GB', 'LS6 3JZ'), 'UK mainland');
      assert.equal(zoneFor('GB', 'IV51 9XX'), 'Highlands and Islands');
    });
  });

  describe('VAT', () => {
    it('uses the zone VAT over the card VAT: a zero-rated export', () => {
      const exportZone = rateZone({ name: 'EU', countries: ['FR'], vat: { countryIsoCode: 'GB', type: 'Zero', rate: 0 } });
      const p = priced(rateCard({ zones: [rateZone(), exportZone] }), { destination: { countryCode: 'FR', postcode: '75001' } });
      assert.deepEqual(p.vat, { reference: 'GB-0.0000', countryIsoCode: 'GB', type: 'Zero', rate: 0 });
      assert.deepEqual(p.total, { net: 3.95, vatAmount: 0, gross: 3.95 });
    });

    it('names the rate to four decimals in the reference', () => {
      const p = priced(rateCard({ vat: { countryIsoCode: 'DE', type: 'Reduced', rate: 0.07 } }));
      assert.equal(p.vat.reference, 'DE-0.0700');
    });

    it('rounds VAT and the fuel surcharge half-up to the penny (not to even, and without float error)', () => {
      // 60p at 17.5 % is 10.5p: half-up gives 11p where banker's rounding would give 10p.
      const vat = priced(rateCard({ vat: { countryIsoCode: 'GB', type: 'Standard', rate: 0.175 }, zones: [rateZone({ bands: [{ upToKg: 30, price: 0.6 }] })] }));
      assert.deepEqual(vat.total, { net: 0.6, vatAmount: 0.11, gross: 0.71 });
      // 1.50 at 8.5 % is 12.75p → 13p; 0.10 at 5 % is 0.5p → 1p.
      const fuel = (base: number, percent: number) =>
        priced(rateCard({ fuelSurchargePercent: percent, zones: [rateZone({ bands: [{ upToKg: 30, price: base }] })] })).surcharges[0].amount;
      assert.equal(fuel(1.5, 8.5), 0.13);
      assert.equal(fuel(0.1, 5), 0.01);
      assert.equal(fuel(0.1, 4.99), 0);
    });
  });
});

/** Random rate cards as the loader accepts them: increasing band limits, never-cheaper heavier bands, whole pence. */
const pence = (max: number) => fc.integer({ min: 0, max }).map((p) => p / 100);

const bandsArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 2000 })), { minLength: 1, maxLength: 6 })
  .map((steps) => {
    let kg = 0;
    let price = 0;
    return steps.map(([dKg, dPrice]) => {
      kg += dKg / 10;
      price += dPrice;
      return { upToKg: Math.round(kg * 10) / 10, price: price / 100 };
    });
  });

const zoneArb: fc.Arbitrary<RateZone> = fc.record({
  name: fc.constant('Z'),
  countries: fc.constant(['GB']),
  postcodes: fc.constant([]),
  vat: fc.constant(null),
  bands: bandsArb,
  extraPerKg: fc.option(pence(500), { nil: null }),
});

const cardArb: fc.Arbitrary<RateCard> = fc.record({
  volumetricDivisor: fc.option(fc.integer({ min: 1000, max: 10000 }), { nil: null }),
  basis: fc.constantFrom('Package' as const, 'Consignment' as const),
  vat: fc.integer({ min: 0, max: 2500 }).map((r) => ({ countryIsoCode: 'GB', type: r === 0 ? ('Zero' as const) : ('Standard' as const), rate: r / 10000 })),
  fuelSurchargePercent: fc.integer({ min: 0, max: 3000 }).map((p) => p / 100),
  perPackageCharge: pence(500),
  perConsignmentCharge: pence(5000),
  zones: zoneArb.map((z) => [z]),
});

const packageArb = fc
  .tuple(fc.integer({ min: 1, max: 40_000_000 }), fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 150 }))
  .map(([micrograms, l, w, h]) => parcel(micrograms / 1e6, l, w, h));

const packagesArb = fc.array(packageArb, { minLength: 1, maxLength: 5 });

function pricedOrNull(card: RateCard, packages: PackageData[]): Price | null {
  const result = priceConsignment(consignmentData({ packages }), compileServiceRates(service({ rateCard: card })));
  if (result.kind === 'unpriced') {
    assert.equal(result.reason.Code, 'NoRateForWeight', 'a GB destination always has its zone here');
    return null;
  }
  return result.price;
}

function assertMoney(a: Amounts): void {
  for (const v of [a.net, a.vatAmount, a.gross]) {
    assert.ok(v >= 0, `${v} is not negative`);
    assert.ok(Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, `${v} has at most two decimals`);
  }
  assert.equal(minor(a.gross), minor(a.net) + minor(a.vatAmount), 'gross = net + VAT, to the penny');
}

describe('pricing properties', () => {
  it('gross is net plus VAT exactly, every amount in whole pence', () => {
    fc.assert(
      fc.property(cardArb, packagesArb, (card, packages) => {
        const p = pricedOrNull(card, packages);
        if (!p) return;
        assertMoney(p.base);
        assertMoney(p.total);
        if (card.vat.rate === 0) assert.equal(p.total.gross, p.total.net);
      }),
    );
  });

  it('the surcharges add up to the total less the base price (net)', () => {
    fc.assert(
      fc.property(cardArb, packagesArb, (card, packages) => {
        const p = pricedOrNull(card, packages);
        if (!p) return;
        const surcharges = p.surcharges.reduce((sum, s) => sum + minor(s.amount), 0);
        assert.equal(surcharges, minor(p.total.net) - minor(p.base.net));
        assert.ok(p.total.gross >= p.base.gross);
      }),
    );
  });

  it('the chargeable weight is never below the actual weight, per package and for the consignment', () => {
    fc.assert(
      fc.property(cardArb, packagesArb, (card, packages) => {
        for (const p of packages) assert.ok(chargeableWeightKg(p, card.volumetricDivisor) >= p.weightKg);
        const p = pricedOrNull(card, packages);
        if (p) assert.ok(p.chargeableWeightKg >= totalWeightKg({ packages } as ConsignmentData));
      }),
    );
  });

  it('the price never falls as a package gets heavier, and what a heavier package can be priced at a lighter one can too', () => {
    fc.assert(
      fc.property(cardArb, packagesArb, fc.nat({ max: 20_000_000 }), fc.nat(), (card, packages, extraMicrograms, which) => {
        const i = which % packages.length;
        const heavier = packages.map((p, j) => (j === i ? { ...p, weightKg: (Math.round(p.weightKg * 1e6) + extraMicrograms) / 1e6 } : p));
        const light = pricedOrNull(card, packages);
        const heavy = pricedOrNull(card, heavier);
        if (heavy) {
          assert.ok(light, 'the lighter consignment is priced too');
          assert.ok(light.total.gross <= heavy.total.gross, `${light.total.gross} <= ${heavy.total.gross}`);
          assert.ok(light.base.net <= heavy.base.net);
        }
      }),
    );
  });

  it('a heavier band is never cheaper: pricing at each band limit and just over it never goes down', () => {
    fc.assert(
      fc.property(cardArb, (card) => {
        const weights = card.zones[0].bands.flatMap((b) => [b.upToKg, b.upToKg + 0.001]);
        const nets = weights.map((kg) => pricedOrNull({ ...card, volumetricDivisor: null }, [parcel(kg)])?.base.net ?? Infinity);
        for (let k = 1; k < nets.length; k++) assert.ok(nets[k - 1] <= nets[k], `${weights[k - 1]} kg ${nets[k - 1]} <= ${weights[k]} kg ${nets[k]}`);
      }),
    );
  });

  it('under the Package basis, two packages cost what each costs alone, the per-consignment charge counted once', () => {
    fc.assert(
      fc.property(
        cardArb.map((c) => ({ ...c, basis: 'Package' as const })),
        packageArb,
        packageArb,
        (card, a, b) => {
          const both = pricedOrNull(card, [a, b]);
          const alone = [pricedOrNull(card, [a]), pricedOrNull(card, [b])];
          if (!both || !alone[0] || !alone[1]) {
            assert.ok(!both, 'both are priced only when each is');
            return;
          }
          assert.equal(minor(both.base.net), minor(alone[0].base.net) + minor(alone[1].base.net) - minor(card.perConsignmentCharge));
        },
      ),
    );
  });
});
