import { EMPTY_POLICY } from '../../src/domain/allocation-policy.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadCatalogueFile, parseCatalogue } from '../../src/catalogue/load-catalogue.js';
import { CatalogueIndex } from '../../src/domain/catalogue.js';
import { failedChecks } from '../../src/domain/eligibility/index.js';
import { priceConsignment, type Price } from '../../src/domain/pricing.js';
import { consignmentData, pkg } from '../support/domain-fixtures.js';
import { RATED_PRICES_1KG_LEEDS, RATED_SERVICES, ratedCatalogue, ratedCataloguePath } from '../support/rated-catalogue.js';

/** The helper's documented parcel: 1 kg, 20 × 20 × 20 cm, Manchester to Leeds. */
const parcel = consignmentData({
  origin: { postcode: 'M17 1PY' },
  destination: { town: 'Leeds', postcode: 'LS1 4AP' },
  packages: [pkg({ weightKg: 1, dimensions: { lengthCm: 20, widthCm: 20, heightCm: 20 } })],
});

describe('the rated test catalogue (test/support/rated-catalogue.ts)', () => {
  const index = new CatalogueIndex(parseCatalogue(ratedCatalogue({ withUnrated: true })));
  const price = (reference: string): Price => {
    const r = priceConsignment(parcel, index.ratesOf(index.service(reference)!));
    assert.equal(r.kind, 'priced', reference);
    return (r as { price: Price }).price;
  };

  it('writes a file the server can load, with or without the unrated service', () => {
    const path = ratedCataloguePath();
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), ratedCatalogue());
    assert.equal(loadCatalogueFile(path).services.length, 4);
    assert.equal(loadCatalogueFile(ratedCataloguePath({ withUnrated: true })).services.length, 5);
  });

  it('lets every service carry the documented parcel', () => {
    for (const s of index.catalogue.services) {
      assert.deepEqual(failedChecks({ consignment: parcel, service: s, catalogue: index, plan: null, policy: EMPTY_POLICY, excludingRules: [] }).map((r) => r.Code), ['DeliveryPromiseMissed'], s.reference);
    }
  });

  it('prices the documented parcel exactly as its comment says', () => {
    for (const [reference, total] of Object.entries(RATED_PRICES_1KG_LEEDS)) assert.deepEqual(price(reference).total, total, reference);
    assert.deepEqual(price(RATED_SERVICES.expressB).base, { net: 4.5, vatAmount: 0.9, gross: 5.4 });
    assert.deepEqual(price(RATED_SERVICES.expressB).surcharges.map((s) => s.amount), [0.45]);
    assert.deepEqual(
      Object.keys(RATED_PRICES_1KG_LEEDS).map((r) => price(r).chargeableWeightKg),
      [1.6, 2, 1, 1.333333],
    );
  });

  it('has one clearly cheapest service and a three-way tie behind it, told apart by delivery and then reference', () => {
    const ranked = Object.keys(RATED_PRICES_1KG_LEEDS)
      .map((r) => ({ r, gross: price(r).total.gross, transit: index.service(r)!.transitDays }))
      .sort((a, b) => a.gross - b.gross || a.transit - b.transit || a.r.localeCompare(b.r));
    assert.deepEqual(ranked.map((x) => x.r), [RATED_SERVICES.economy, RATED_SERVICES.expressA, RATED_SERVICES.expressB, RATED_SERVICES.deferred]);
    assert.ok(ranked[0].gross < ranked[1].gross);
    assert.equal(new Set(ranked.slice(1).map((x) => x.gross)).size, 1, 'the other three tie on gross');
  });

  it('cannot price with the unrated service', () => {
    const r = priceConsignment(parcel, index.ratesOf(index.service(RATED_SERVICES.unrated)!));
    assert.equal(r.kind === 'unpriced' && r.reason.Code, 'NoRates');
  });
});
