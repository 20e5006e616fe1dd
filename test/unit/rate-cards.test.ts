import { EMPTY_POLICY } from '../../src/domain/allocation-policy.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CatalogueError, DEMO_CATALOGUE_PATH, loadCatalogueFile, parseCatalogue } from '../../src/catalogue/load-catalogue.js';
import { CatalogueIndex, type CarrierService } from '../../src/domain/catalogue.js';
import type { ConsignmentData } from '../../src/domain/consignment.js';
import { failedChecks } from '../../src/domain/eligibility/index.js';
import { priceConsignment, type Price } from '../../src/domain/pricing.js';
import { consignmentData, pkg, type ConsignmentOverrides } from '../support/domain-fixtures.js';

/** A catalogue file with one service carrying `rates`. */
function fileWithRates(rates: unknown) {
  return {
    Carriers: [{ Reference: 'ACME', Name: 'Acme', TrackingNumberFormat: { Prefix: 'AC', Digits: 8 }, CollectionCalendar: { Weekdays: ['Mon'], CutOffTime: '16:00' } }],
    Services: [{ Reference: 'ACME-STD', Name: 'Standard', Carrier: 'ACME', TransitDays: 2, Capabilities: { Directions: ['Outbound'] }, Rates: rates }],
  } as any;
}

function validRates() {
  return {
    Vat: { CountryIsoCode: 'GB', Rate: 0.2, Type: 'Standard' },
    Zones: [
      { Name: 'Highlands', Postcodes: ['iv', 'pa20', 'kw15 1'], Bands: [{ UpToKg: 30, Price: 19 }] },
      { Name: 'UK mainland', Countries: ['GB'], Bands: [{ UpToKg: 2, Price: 3.95 }, { UpToKg: 30, Price: 8.9 }] },
    ],
  } as any;
}

function problemsOf(file: unknown): string[] {
  try {
    parseCatalogue(file, 'test-catalogue');
  } catch (e) {
    assert.ok(e instanceof CatalogueError, `expected a CatalogueError, got ${e}`);
    return e.problems;
  }
  assert.fail('the catalogue was accepted');
}

describe('rate cards in the catalogue file', () => {
  it('loads Rates with the documented defaults: Package basis, actual weight, no charges or surcharge, nothing beyond the last band', () => {
    const [s] = parseCatalogue(fileWithRates(validRates())).services;
    assert.deepEqual(s.rateCard, {
      volumetricDivisor: null,
      basis: 'Package',
      vat: { countryIsoCode: 'GB', type: 'Standard', rate: 0.2 },
      fuelSurchargePercent: 0,
      perPackageCharge: 0,
      perConsignmentCharge: 0,
      zones: [
        { name: 'Highlands', countries: [], postcodes: ['IV', 'PA20', 'KW15 1'], vat: null, bands: [{ upToKg: 30, price: 19 }], extraPerKg: null },
        { name: 'UK mainland', countries: ['GB'], postcodes: [], vat: null, bands: [{ upToKg: 2, price: 3.95 }, { upToKg: 30, price: 8.9 }], extraPerKg: null },
      ],
    });
  });

  it('loads every field given, "*" as any country and a zone VAT override', () => {
    const rates = {
      VolumetricDivisor: 5000,
      Basis: 'Consignment',
      Vat: { CountryIsoCode: 'GB', Rate: 0.2, Type: 'Standard' },
      FuelSurchargePercent: 8.5,
      PerPackageCharge: 0.35,
      PerConsignmentCharge: 12.5,
      Zones: [{ Name: 'World', Countries: ['*'], Vat: { CountryIsoCode: 'GB', Rate: 0, Type: 'Zero' }, Bands: [{ UpToKg: 100, Price: 50 }], ExtraPerKg: 0.4 }],
    };
    const card = parseCatalogue(fileWithRates(rates)).services[0].rateCard!;
    assert.equal(card.volumetricDivisor, 5000);
    assert.equal(card.basis, 'Consignment');
    assert.equal(card.fuelSurchargePercent, 8.5);
    assert.equal(card.perPackageCharge, 0.35);
    assert.equal(card.perConsignmentCharge, 12.5);
    assert.deepEqual(card.zones[0].countries, null);
    assert.deepEqual(card.zones[0].vat, { countryIsoCode: 'GB', type: 'Zero', rate: 0 });
    assert.equal(card.zones[0].extraPerKg, 0.4);
  });

  it('gives a service without Rates no rate card', () => {
    const file = fileWithRates(undefined);
    delete file.Services[0].Rates;
    assert.equal(parseCatalogue(file).services[0].rateCard, null);
  });

  it('refuses shapes the schema does not allow, each named by its place', () => {
    const rates = validRates();
    rates.Vat = { CountryIsoCode: 'gb', Rate: 1.5, Type: 'Super' };
    rates.Basis = 'Pallet';
    rates.VolumetricDivisor = 0;
    rates.FuelSurchargePercent = -1;
    rates.Zones[1].Bands[0].Price = -3.95;
    rates.Zones[1].Bands[1].UpToKg = 0;
    rates.Zones[0].Postcodes = ['IV51 9XX'];
    rates.Zones[1].Colour = 'red';
    const problems = problemsOf(fileWithRates(rates));
    for (const path of [
      '/Services/0/Rates/Vat/CountryIsoCode',
      '/Services/0/Rates/Vat/Rate',
      '/Services/0/Rates/Vat/Type',
      '/Services/0/Rates/Basis',
      '/Services/0/Rates/VolumetricDivisor',
      '/Services/0/Rates/FuelSurchargePercent',
      '/Services/0/Rates/Zones/1/Bands/0/Price',
      '/Services/0/Rates/Zones/1/Bands/1/UpToKg',
      '/Services/0/Rates/Zones/0/Postcodes/0',
      '/Services/0/Rates/Zones/1/Colour',
    ]) {
      assert.ok(problems.some((p) => p.startsWith(path)), `${path} in ${problems.join(' | ')}`);
    }
    assert.ok(problemsOf(fileWithRates({ ...validRates(), Zones: [] })).some((p) => p.startsWith('/Services/0/Rates/Zones')), 'at least one zone');
    const noVat = validRates();
    delete noVat.Vat;
    assert.ok(problemsOf(fileWithRates(noVat)).some((p) => p.startsWith('/Services/0/Rates/Vat')), 'VAT is required');
  });

  it('lists every rate card problem the schema cannot see, at once', () => {
    const rates = validRates();
    rates.Vat = { CountryIsoCode: 'UK', Rate: 0.2, Type: 'Zero' };
    rates.PerPackageCharge = 0.355;
    rates.FuelSurchargePercent = 8.125;
    rates.Zones = [
      { Name: 'Nowhere', Bands: [{ UpToKg: 1, Price: 1 }] },
      { Name: 'Mixed', Countries: ['*', 'FR'], Bands: [{ UpToKg: 1, Price: 1 }] },
      { Name: 'Europe', Countries: ['FR', 'XX'], Vat: { CountryIsoCode: 'GB', Rate: 0, Type: 'Standard' }, Bands: [{ UpToKg: 5, Price: 9 }, { UpToKg: 5, Price: 10 }, { UpToKg: 10, Price: 9.999 }] },
      { Name: 'europe', Countries: ['FR'], Bands: [{ UpToKg: 5, Price: 9 }], ExtraPerKg: 1.001 },
    ];
    assert.deepEqual(problemsOf(fileWithRates(rates)), [
      '/Services/0/Rates/Vat/CountryIsoCode: UK is not an ISO 3166 country code',
      '/Services/0/Rates/Vat: a Zero VAT type needs Rate 0, not 0.2',
      '/Services/0/Rates/PerPackageCharge: 0.355 is not a whole number of minor units (at most 2 decimals)',
      '/Services/0/Rates/FuelSurchargePercent: 8.125 has more than 2 decimals',
      '/Services/0/Rates/Zones/0: a zone needs Countries, Postcodes or both',
      '/Services/0/Rates/Zones/1/Countries: "*" (any country) stands alone',
      '/Services/0/Rates/Zones/2/Countries/1: XX is not an ISO 3166 country code',
      '/Services/0/Rates/Zones/2/Vat: a Standard VAT type needs a Rate above 0 (use Type Zero for 0)',
      "/Services/0/Rates/Zones/2/Bands/1/UpToKg: 5 kg does not exceed the previous band's 5 kg",
      '/Services/0/Rates/Zones/2/Bands/2/Price: 9.999 is not a whole number of minor units (at most 2 decimals)',
      "/Services/0/Rates/Zones/2/Bands/2/Price: 9.999 is below the previous (lighter) band's 10",
      '/Services/0/Rates/Zones/2: zone Europe never applies: earlier zones already price all its destinations',
      '/Services/0/Rates/Zones/3/Name: duplicate zone europe',
      '/Services/0/Rates/Zones/3/ExtraPerKg: 1.001 is not a whole number of minor units (at most 2 decimals)',
      '/Services/0/Rates/Zones/3: zone europe never applies: earlier zones already price all its destinations',
    ]);
  });

  it('refuses a zone that can never apply, but not one that a postcode zone only partly covers', () => {
    const shadowed = validRates();
    shadowed.Zones.push({ Name: 'GB again', Countries: ['GB'], Bands: [{ UpToKg: 1, Price: 1 }] });
    assert.deepEqual(problemsOf(fileWithRates(shadowed)), ['/Services/0/Rates/Zones/2: zone GB again never applies: earlier zones already price all its destinations']);
    const afterWorld = validRates();
    afterWorld.Zones = [
      { Name: 'World', Countries: ['*'], Bands: [{ UpToKg: 1, Price: 1 }] },
      { Name: 'France', Countries: ['FR'], Bands: [{ UpToKg: 1, Price: 1 }] },
    ];
    assert.deepEqual(problemsOf(fileWithRates(afterWorld)), ['/Services/0/Rates/Zones/1: zone France never applies: earlier zones already price all its destinations']);
    const worldButIslands = validRates();
    worldButIslands.Zones = [
      { Name: 'World but islands', Countries: ['*'], Postcodes: ['HS'], Bands: [{ UpToKg: 1, Price: 1 }] },
      { Name: 'GB', Countries: ['GB'], Bands: [{ UpToKg: 1, Price: 1 }] },
    ];
    assert.doesNotThrow(() => parseCatalogue(fileWithRates(worldButIslands)), 'GB outside HS is still for the second zone');
  });
});

describe('the demo catalogue prices', () => {
  const demo = loadCatalogueFile(DEMO_CATALOGUE_PATH);
  const index = new CatalogueIndex(demo);
  const svc = (reference: string) => index.service(reference)!;
  /** A demo consignment: a 40 × 30 × 20 cm parcel from Manchester to `postcode`. */
  const parcelTo = (postcode: string, kg: number, overrides: ConsignmentOverrides = {}) =>
    consignmentData({ destination: { postcode, countryCode: 'GB' }, packages: [pkg({ weightKg: kg, dimensions: { lengthCm: 40, widthCm: 30, heightCm: 20 } })], ...overrides });
  const priceOf = (data: ConsignmentData, s: CarrierService): Price => {
    const r = priceConsignment(data, index.ratesOf(s));
    assert.equal(r.kind, 'priced', `${s.reference}: ${r.kind === 'unpriced' ? r.reason.Message : ''}`);
    return (r as { price: Price }).price;
  };
  const eligible = (data: ConsignmentData) => demo.services.filter((s) => failedChecks({ consignment: data, service: s, catalogue: index, plan: null, policy: EMPTY_POLICY, excludingRules: [] }).every((r) => r.Code === 'DeliveryPromiseMissed'));

  it('gives every service a rate card', () => {
    for (const s of demo.services) assert.ok(s.rateCard, `${s.reference} has Rates`);
  });

  it('prices each demo consignment (Manchester to Leeds, Bristol, Liverpool) with several services at different prices', () => {
    for (const [postcode, kg] of [['LS6 3JZ', 1.2], ['BS1 5TT', 2.4], ['L1 4HY', 3.1]] as const) {
      const data = parcelTo(postcode, kg);
      const services = eligible(data);
      assert.ok(services.length >= 4, `${services.length} services qualify for ${postcode}`);
      const grosses = services.map((s) => priceOf(data, s).total.gross);
      assert.equal(new Set(grosses).size, grosses.length, `different prices for ${postcode}: ${grosses.join(', ')}`);
    }
  });

  it('makes domestic next day dearer than two-day economy, timed dearer still, and the drop-off service the cheapest', () => {
    const data = parcelTo('LS6 3JZ', 1.2);
    const gross = (ref: string) => priceOf(data, svc(ref)).total.gross;
    assert.ok(gross('Example-Carrier-Service') > gross('CX-ECONOMY-48'));
    assert.ok(gross('CX-NEXTDAY-1030') > gross('Example-Carrier-Service'));
    for (const s of eligible(data).filter((s) => s.reference !== 'CX-DROPOFF-48')) assert.ok(gross('CX-DROPOFF-48') < gross(s.reference), s.reference);
  });

  it('charges more for the Highlands and Islands on the UK parcel services', () => {
    for (const ref of ['Example-Carrier-Service', 'CX-ECONOMY-48', 'CX-DROPOFF-48', 'NP-PARCEL-48']) {
      const mainland = priceOf(parcelTo('LS6 3JZ', 2), svc(ref));
      const islands = priceOf(parcelTo('IV51 9XX', 2), svc(ref));
      assert.equal(islands.zone, 'Highlands and Islands', ref);
      assert.ok(islands.total.gross > mainland.total.gross, ref);
    }
  });

  it('prices heavy freight on the consignment total with a high per-consignment charge', () => {
    const card = svc('NP-HEAVY-FREIGHT').rateCard!;
    assert.equal(card.basis, 'Consignment');
    assert.ok(card.perConsignmentCharge >= 20);
    const data = parcelTo('LS6 3JZ', 0, { packages: [pkg({ weightKg: 400 }), pkg({ weightKg: 400 })] });
    assert.equal(priceOf(data, svc('NP-HEAVY-FREIGHT')).chargeableWeightKg, 800);
  });

  it('zones EU road and worldwide air by country, zero-rated for export', () => {
    const toFrance = consignmentData({ destination: { countryCode: 'FR', postcode: '75001' } });
    const toJapan = consignmentData({ destination: { countryCode: 'JP', postcode: '100-0001' } });
    const toPeru = consignmentData({ destination: { countryCode: 'PE', postcode: '15001' } });
    const road = priceOf(toFrance, svc('EL-EU-ROAD'));
    assert.equal(road.currency, 'EUR');
    assert.equal(road.vat.type, 'Zero');
    assert.equal(road.total.vatAmount, 0);
    assert.equal(priceOf(toJapan, svc('SW-WORLD-AIR')).zone, 'Asia Pacific');
    assert.equal(priceOf(toPeru, svc('SW-WORLD-AIR')).zone, 'Rest of the world');
    assert.equal(priceOf(toPeru, svc('SW-WORLD-AIR')).currency, 'USD');
    assert.equal(priceOf(toFrance, svc('SW-WORLD-AIR')).total.vatAmount, 0);
  });

  it('prices whatever a service accepts: the heaviest and bulkiest package it takes, to every destination of a sample it serves', () => {
    const destinations = [
      ['GB', 'LS6 3JZ'], ['GB', 'IV51 9XX'], ['GB', 'BT1 1AA'], ['GB', 'PH1 1AA'], ['GB', 'AB10 1AA'], ['GB', 'KW1 4AA'],
      ['FR', '75001'], ['DE', '10115'], ['PL', '00-001'], ['SE', '111 20'], ['US', '10001'], ['AU', '2000'], ['BR', '01000-000'], ['NO', '0150'],
    ];
    for (const s of demo.services) {
      const c = s.capabilities;
      const side = Math.min(c.maxPackageLengthCm ?? 100, 100);
      const kg = c.maxPackageWeightKg!;
      const count = Math.min(c.maxPackages ?? 3, 3, Math.floor((c.maxConsignmentWeightKg ?? Infinity) / kg));
      const packages = Array.from({ length: count }, () => pkg({ weightKg: kg, dimensions: { lengthCm: side, widthCm: 10, heightCm: 10 }, value: null }));
      let priced = 0;
      for (const [countryCode, postcode] of destinations) {
        const data = consignmentData({ destination: { countryCode, postcode }, packages, direction: c.directions[0] });
        const reasons = failedChecks({ consignment: data, service: s, catalogue: index, plan: null, policy: EMPTY_POLICY, excludingRules: [] }).filter((r) => r.Code !== 'DeliveryPromiseMissed');
        if (reasons.length > 0) continue;
        const r = priceConsignment(data, index.ratesOf(s));
        assert.equal(r.kind, 'priced', `${s.reference} to ${countryCode} ${postcode}: ${r.kind === 'unpriced' ? r.reason.Message : ''}`);
        priced++;
      }
      assert.ok(priced > 0, `${s.reference} accepts some sample destination`);
    }
  });
});
