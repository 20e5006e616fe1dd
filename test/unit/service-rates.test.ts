/**
 * Pricing holds no state of its own: a service's rates are compiled when the catalogue is indexed
 * and held by that index, and a consignment's destination is read once by whoever prices it
 * against many services. These pin that the explicit path prices as a fresh compilation does, and
 * that nothing is shared between catalogues or remembered between consignments.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { AllocationMoment, chooseCheapest, evaluateService, SchedulePlanner } from '../../src/domain/allocation.js';
import { compileServiceRates, priceConsignment, pricingDestination, type Price, type PriceResult } from '../../src/domain/pricing.js';
import { quoteServices } from '../../src/domain/quote.js';
import { catalogueIndex, consignmentData, pkg, rateCard, rateZone, service } from '../support/domain-fixtures.js';

const highlands = rateZone({ name: 'Highlands and Islands', countries: [], postcodes: ['IV', 'HS'], bands: [{ upToKg: 30, price: 19 }] });
const card = rateCard({ fuelSurchargePercent: 8.5, perPackageCharge: 0.35, zones: [highlands, rateZone()] });
const cheap = service({ reference: 'CHEAP', rateCard: card });
const dear = service({ reference: 'DEAR', rateCard: rateCard({ perConsignmentCharge: 5, zones: [highlands, rateZone()] }) });
const unrated = service({ reference: 'UNRATED', rateCard: null });
const catalogue = catalogueIndex({ services: [cheap, dear, unrated] });
const toLondon = consignmentData({ packages: [pkg({ weightKg: 1.5 }), pkg({ weightKg: 4 })] });
const toInverness = consignmentData({ destination: { town: 'Inverness', postcode: 'IV1 1AA' } });
const now = DateTime.fromISO('2026-11-18T09:00:00Z'); // a Wednesday

function priceOf(result: PriceResult): Price {
  assert.equal(result.kind, 'priced', result.kind === 'unpriced' ? `${result.reason.Code}: ${result.reason.Message}` : '');
  return (result as { price: Price }).price;
}

describe('service rates held by the catalogue index', () => {
  it('prices through the index exactly as a fresh compilation of the service does', () => {
    for (const s of [cheap, dear]) {
      for (const data of [toLondon, toInverness]) {
        const fresh = priceConsignment(data, compileServiceRates(s));
        assert.deepEqual(priceConsignment(data, catalogue.ratesOf(s)), fresh, s.reference);
        assert.deepEqual(priceConsignment(data, catalogue.ratesOf(s), pricingDestination(data)), fresh, s.reference);
      }
    }
    assert.equal(priceOf(priceConsignment(toInverness, catalogue.ratesOf(cheap))).zone, 'Highlands and Islands');
    // 3.95 + 5.60 + 2 × 0.35 = 10.25; fuel 8.5 % = 0.87; VAT 20 % of 11.12 = 2.22.
    assert.deepEqual(priceOf(priceConsignment(toLondon, catalogue.ratesOf(cheap))).total, { net: 11.12, vatAmount: 2.22, gross: 13.34 });
  });

  it('compiles each service once, when the catalogue is indexed, and has no rates for a service without a rate card', () => {
    assert.ok(catalogue.ratesOf(cheap) !== null);
    assert.equal(catalogue.ratesOf(cheap), catalogue.ratesOf(cheap));
    assert.equal(catalogue.ratesOf(unrated), null);
    assert.equal(priceConsignment(toLondon, catalogue.ratesOf(unrated)).kind === 'unpriced' && 'NoRates', 'NoRates');
  });

  it('keeps its own rates: two catalogues indexing the same service and card share nothing', () => {
    const a = catalogueIndex({ services: [cheap] });
    const b = catalogueIndex({ services: [cheap] });
    assert.notEqual(a.ratesOf(cheap), b.ratesOf(cheap));
    assert.deepEqual(a.ratesOf(cheap), b.ratesOf(cheap));
    assert.deepEqual(priceConsignment(toLondon, a.ratesOf(cheap)), priceConsignment(toLondon, b.ratesOf(cheap)));
  });

  it('compiles a service it does not index on the spot, without keeping it', () => {
    const stranger = service({ reference: 'CHEAP', rateCard: rateCard({ perConsignmentCharge: 1 }) });
    assert.notEqual(catalogue.ratesOf(stranger), catalogue.ratesOf(stranger));
    assert.deepEqual(priceConsignment(toLondon, catalogue.ratesOf(stranger)), priceConsignment(toLondon, compileServiceRates(stranger)));
    assert.equal(catalogue.ratesOf(stranger)!.perConsignmentMinor, 100, 'its own card, not the indexed service of the same reference');
  });
});

describe('the destination a consignment is priced for', () => {
  it('reads a GB postcode once, and nothing else', () => {
    assert.deepEqual(pricingDestination(toInverness), {
      countryCode: 'GB',
      postcode: 'IV1 1AA',
      ukPostcode: { area: 'IV', district: 'IV1', sector: 'IV1 1', normalised: 'IV1 1AA' },
    });
    assert.deepEqual(pricingDestination(consignmentData({ destination: { countryCode: 'FR', postcode: '75001' } })), { countryCode: 'FR', postcode: '75001', ukPostcode: null });
    assert.deepEqual(pricingDestination(consignmentData({ destination: { postcode: 'NOT A POSTCODE' } })).ukPostcode, null);
    assert.deepEqual(pricingDestination({ ...toLondon, addresses: toLondon.addresses.filter((a) => a.addressType !== 'Destination') }), { countryCode: '', postcode: null, ukPostcode: null });
  });

  it('is what prices: the destination given decides the zone', () => {
    assert.equal(priceOf(priceConsignment(toLondon, catalogue.ratesOf(cheap), pricingDestination(toInverness))).zone, 'Highlands and Islands');
  });

  it('remembers nothing between consignments: alternating destinations each price their own zone', () => {
    const unreadable = consignmentData({ destination: { postcode: 'NOT A POSTCODE' } });
    for (let i = 0; i < 3; i++) {
      assert.equal(priceOf(priceConsignment(toInverness, catalogue.ratesOf(cheap))).zone, 'Highlands and Islands');
      assert.equal(priceOf(priceConsignment(toLondon, catalogue.ratesOf(cheap))).zone, 'UK mainland');
      const r = priceConsignment(unreadable, catalogue.ratesOf(cheap));
      assert.equal(r.kind === 'unpriced' && r.reason.Code, 'NoRateForDestination');
    }
  });
});

describe('callers that price one consignment against many services', () => {
  const moment = () => new AllocationMoment(new SchedulePlanner(catalogue), now);

  it('chooseCheapest carries the price the service gives on its own', () => {
    for (const data of [toLondon, toInverness]) {
      const choice = chooseCheapest(data, [dear, unrated, cheap], catalogue, moment());
      assert.equal(choice.kind, 'chosen');
      const chosen = (choice as { candidate: { service: { reference: string }; price: Price } }).candidate;
      assert.equal(chosen.service.reference, 'CHEAP');
      assert.deepEqual(chosen.price, priceOf(priceConsignment(data, compileServiceRates(cheap))));
    }
  });

  it('quoteServices and evaluateService carry the prices each service gives on its own', () => {
    const { quotes, unqualified } = quoteServices(toLondon, [dear, unrated, cheap], catalogue, moment(), (i) => `Q${i}`);
    assert.deepEqual(quotes.map((q) => q.serviceReference), ['CHEAP', 'DEAR']);
    for (const [q, s] of [[quotes[0], cheap], [quotes[1], dear]] as const) assert.deepEqual(q.price, priceOf(priceConsignment(toLondon, compileServiceRates(s))));
    assert.deepEqual(unqualified.map((u) => [u.serviceReference, u.rates]), [['UNRATED', false]]);
    assert.deepEqual(evaluateService(toInverness, dear, catalogue, moment(), []).price, priceConsignment(toInverness, compileServiceRates(dear)));
  });
});
