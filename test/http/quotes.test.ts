/**
 * Quotes (endpoints.md P1-17..P1-20) and allocating with one (P1-4, decisions.md §4.11), against
 * the catalogue with known prices (test/support/rated-catalogue.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import type { Clock } from '../../src/domain/clock.js';
import { assertError } from '../support/assertions.js';
import { consignmentCount, consignmentRequest, createConsignment, createSubscription, getConsignment, type ConsignmentSpec } from '../support/consignments.js';
import { RATED_PRICES_1KG_LEEDS, RATED_SERVICES as S, ratedCataloguePath } from '../support/rated-catalogue.js';
import { api, DEFAULT_NOW, skipReason, startServer, type TestServer } from '../support/test-server.js';

const PARCEL: ConsignmentSpec = { packages: [{ kg: 1, dims: [20, 20, 20] }], destination: { postcode: 'LS1 4AP', town: 'Leeds' } };

/** A clock the test moves. */
function movableClock(start: string): Clock & { advance(hours: number): void; reset(): void } {
  let now = DateTime.fromISO(start, { setZone: true });
  const initial = now;
  return { now: () => now, advance: (hours) => void (now = now.plus({ hours })), reset: () => void (now = initial) };
}

describe('quotes', { skip: skipReason }, () => {
  let server: TestServer;
  const clock = movableClock(DEFAULT_NOW);

  before(async () => {
    server = await startServer({ clock, env: { SWITCHYARD_CATALOGUE: ratedCataloguePath({ withUnrated: true }) } });
  });
  after(async () => server?.close());

  it('POST /quotes prices every enabled service, cheapest first, without creating a consignment', async () => {
    const before = await consignmentCount(server);
    const res = await api(server, 'POST', '/quotes', { body: consignmentRequest(PARCEL) });
    assert.equal(res.status, 201, res.text);
    const result = res.body;
    assert.match(result.QuoteRequestReference, /^[0-9a-f-]{36}$/);
    assert.equal(result.Message, null);
    // Cheapest first; the 5.94 tie in the order allocation would prefer them.
    assert.deepEqual(result.Quotes.map((q: any) => q.MpdCarrierServiceReference), [S.economy, S.expressA, S.expressB, S.deferred]);
    for (const q of result.Quotes) {
      const expected = RATED_PRICES_1KG_LEEDS[q.MpdCarrierServiceReference];
      assert.deepEqual([q.Price.Net, q.Price.VatAmount, q.Price.Gross], [expected.net, expected.vatAmount, expected.gross]);
      assert.equal(q.Price.Currency.IsoCode, 'GBP');
      assert.equal(q.ConsignmentReference, '');
      assert.match(q.QuoteReference, /^[0-9a-f-]{36}$/);
      assert.equal(q.CreationDate, '2026-11-18T09:00:00.000+00:00');
      assert.equal(q.ExpiryDate, '2026-11-19T09:00:00.000+00:00');
      assert.equal(q.CarrierReference, 'RATED_CARRIER');
      assert.equal(q.DestinationAddress.Postcode, 'LS1 4AP');
      assert.equal(q.OriginAddress.ShippingLocationReference, 'WH-MAN-01');
      assert.ok(q.CollectionDate && q.EarliestDeliveryDate && q.LatestDeliveryDate);
    }
    const expressB = result.Quotes.find((q: any) => q.MpdCarrierServiceReference === S.expressB);
    assert.equal(expressB.BasePrice.Gross, 5.4);
    assert.deepEqual(expressB.Surcharges.map((s: any) => [s.Reference, s.Price]), [['FUEL', 0.45]]);
    assert.deepEqual(result.UnqualifiedServices, [
      {
        Available: true,
        Rates: false,
        MpdCarrierService: 'Unrated',
        CarrierReference: 'RATED_CARRIER',
        MpdCarrierServiceReference: S.unrated,
        ExclusionReason: 'NoRates: the service has no rate card',
        Reasons: [{ Code: 'NoRates', Message: 'the service has no rate card' }],
      },
    ]);
    assert.equal(await consignmentCount(server), before);
  });

  it('an unqualified service carries every failed check, the same reasons allocation gives', async () => {
    const res = await api(server, 'POST', '/quotes', { body: consignmentRequest({ ...PARCEL, packages: [{ kg: 25, dims: [130, 20, 20] }, { kg: 40, dims: [20, 20, 20] }] }) });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.Quotes, []);
    assert.match(res.body.Message, /No service can carry this consignment/);
    const economy = res.body.UnqualifiedServices.find((u: any) => u.MpdCarrierServiceReference === S.economy);
    assert.equal(economy.Available, false);
    assert.equal(economy.Rates, false);
    assert.deepEqual(economy.Reasons.map((r: any) => r.Code), ['PackageTooHeavy', 'PackageTooLong', 'NoRateForWeight']);
    assert.match(economy.ExclusionReason, /^PackageTooHeavy: package #2 weighs 40 kg; the limit is 30 kg; PackageTooLong: package #1 /);
  });

  it('a bad quote request is a 400 listing every problem', async () => {
    const res = await api(server, 'POST', '/quotes', { body: { Packages: [], Addresses: [] } });
    assertError(res, 400, 'ValidationFailed');
    assert.ok(res.body.Details.length >= 3, res.text);
  });

  it('GET /quotes/consignment/{ref} quotes a stored consignment, and its quote allocates at the quoted price', async () => {
    const ref = await createConsignment(server, PARCEL);
    const res = await api(server, 'GET', `/quotes/consignment/${ref.toLowerCase()}`);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.Quotes.every((q: any) => q.ConsignmentReference === ref && q.ConsignmentReferenceProvidedByCustomer === 'TEST-ORDER'));
    const quote = res.body.Quotes.find((q: any) => q.MpdCarrierServiceReference === S.expressB);

    const allocated = await api(server, 'PUT', `/allocation/${ref}/allocatewithquote/${quote.QuoteReference.toUpperCase()}`);
    assert.equal(allocated.status, 200, allocated.text);
    assert.equal(allocated.body.length, 1);
    assert.equal(allocated.body[0].StatusCode, 200);
    assert.equal(allocated.body[0].CarrierServiceReference, S.expressB);
    const c = await getConsignment(server, ref);
    assert.equal(c.Allocation.MpdCarrierServiceReference, S.expressB);
    assert.deepEqual(c.Allocation.Price, quote.Price);

    // A retry answers with the allocation made; a quote for another service is refused by state.
    const retry = await api(server, 'PUT', `/allocation/${ref}/allocatewithquote/${quote.QuoteReference}`);
    assert.equal(retry.body[0].StatusCode, 200);
    const other = res.body.Quotes.find((q: any) => q.MpdCarrierServiceReference === S.economy);
    const refused = await api(server, 'PUT', `/allocation/${ref}/allocatewithquote/${other.QuoteReference}`);
    assert.equal(refused.status, 200);
    assert.equal(refused.body[0].StatusCode, 409);
  });

  it('GET /quotes/{quoteRequestReference} reads a quote result back while it is valid', async () => {
    const created = await api(server, 'POST', '/quotes', { body: consignmentRequest(PARCEL) });
    const again = await api(server, 'GET', `/quotes/${created.body.QuoteRequestReference}`);
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.body, created.body);
    assertError(await api(server, 'GET', '/quotes/7d3b6a2e-91c4-4f0a-8e5d-2b7c1f9a4e60'), 404, 'QuoteNotFound');
    assertError(await api(server, 'GET', '/quotes/not-a-guid'), 404, 'QuoteNotFound');
    // A quote's own reference is not a result's, nor the other way round.
    const quote = created.body.Quotes[0].QuoteReference;
    assert.notEqual(quote, created.body.QuoteRequestReference);
    assertError(await api(server, 'GET', `/quotes/${quote}`), 404, 'QuoteNotFound');
    const ref = await createConsignment(server, PARCEL);
    const own = (await api(server, 'GET', `/quotes/consignment/${ref}`)).body;
    assertError(await api(server, 'PUT', `/allocation/${ref}/allocatewithquote/${own.QuoteRequestReference}`), 404, 'QuoteNotFound');
    assert.equal(new Set(own.Quotes.map((q: any) => q.QuoteReference)).size, own.Quotes.length, 'every quote has its own reference');
  });

  it('refuses a quote that expired, is another consignment\'s, is ad hoc, or whose service no longer qualifies; nothing changes', async () => {
    const ref = await createConsignment(server, PARCEL);
    const otherRef = await createConsignment(server, PARCEL);
    const quotes = (await api(server, 'GET', `/quotes/consignment/${ref}`)).body.Quotes;
    const economy = quotes.find((q: any) => q.MpdCarrierServiceReference === S.economy).QuoteReference;
    const expressA = quotes.find((q: any) => q.MpdCarrierServiceReference === S.expressA).QuoteReference;

    const foreign = await api(server, 'PUT', `/allocation/${otherRef}/allocatewithquote/${economy}`);
    assertError(foreign, 400, 'InvalidQuote');
    assert.match(foreign.body.Message, new RegExp(`was made for consignment ${ref}, not ${otherRef}`));

    const adHoc = (await api(server, 'POST', '/quotes', { body: consignmentRequest(PARCEL) })).body.Quotes[0].QuoteReference;
    const adHocUse = await api(server, 'PUT', `/allocation/${ref}/allocatewithquote/${adHoc}`);
    assertError(adHocUse, 400, 'InvalidQuote');
    assert.match(adHocUse.body.Message, /ad hoc quote/);

    const rule = await api(server, 'POST', '/allocationrules', { body: { Reference: 'NO-EXPRESS-A', Name: 'No A', Action: 'Exclude', MpdCarrierServiceReferences: [S.expressA] } });
    assert.equal(rule.status, 201, rule.text);
    try {
      const disqualified = await api(server, 'PUT', `/allocation/${ref}/allocatewithquote/${expressA}`);
      assertError(disqualified, 400, 'InvalidQuote');
      assert.match(disqualified.body.Message, /no longer qualifies .*RuleExcluded: rule NO-EXPRESS-A/);
    } finally {
      await api(server, 'DELETE', '/allocationrules/NO-EXPRESS-A');
    }

    // A consignment changed since its quote: the quoted price no longer holds.
    const edited = await createConsignment(server, PARCEL);
    const editedQuote = (await api(server, 'GET', `/quotes/consignment/${edited}`)).body.Quotes[0].QuoteReference;
    const added = await api(server, 'POST', `/consignments/${edited}/addpackage`, {
      body: { Description: 'More', Weight: { Value: 25, Unit: 'Kg' }, Dimensions: { Unit: 'Cm', Length: 20, Width: 20, Height: 20 }, Value: { Amount: 5, Currency: { IsoCode: 'GBP' } } },
    });
    assert.equal(added.status, 201, added.text);
    const stale = await api(server, 'PUT', `/allocation/${edited}/allocatewithquote/${editedQuote}`);
    assertError(stale, 400, 'InvalidQuote');
    assert.match(stale.body.Message, /was changed after quote .* was made/);
    assert.equal((await getConsignment(server, edited)).ConsignmentState, 'Unallocated');

    assertError(await api(server, 'PUT', `/allocation/${ref}/allocatewithquote/7d3b6a2e-91c4-4f0a-8e5d-2b7c1f9a4e60`), 404, 'QuoteNotFound');
    assertError(await api(server, 'PUT', `/allocation/EC-ZZZ-ZZZ-ZZZ/allocatewithquote/${economy}`), 404, 'ConsignmentNotFound');
    const stranger = await createSubscription(server, 'Quote stranger');
    assertError(await api(server, 'GET', `/quotes/consignment/${ref}`, { key: stranger.ApiKey }), 404, 'ConsignmentNotFound');

    clock.advance(24);
    try {
      const expired = await api(server, 'PUT', `/allocation/${ref}/allocatewithquote/${economy}`);
      assertError(expired, 400, 'InvalidQuote');
      assert.match(expired.body.Message, /expired at 2026-11-19T09:00:00.000\+00:00/);
    } finally {
      clock.reset();
    }
    for (const r of [ref, otherRef]) assert.equal((await getConsignment(server, r)).ConsignmentState, 'Unallocated');
  });

  it('another subscription cannot see or use a quote', async () => {
    const ref = await createConsignment(server, PARCEL);
    const result = (await api(server, 'GET', `/quotes/consignment/${ref}`)).body;
    const stranger = await createSubscription(server, 'Quote reader');
    assertError(await api(server, 'GET', `/quotes/${result.QuoteRequestReference}`, { key: stranger.ApiKey }), 404, 'QuoteNotFound');
  });

  it('POST /quotes/serviceGroups answers one quote result per enabled group, with its cheapest quote', async () => {
    const make = (Reference: string, services: string[], IsEnabled = true) =>
      api(server, 'POST', '/serviceGroups', { body: { Reference, Name: `Group ${Reference}`, IsEnabled, MpdCarrierServiceReferences: services } });
    assert.equal((await make('g-express', [S.expressB, S.expressA])).status, 201);
    assert.equal((await make('g-unrated', [S.unrated])).status, 201);
    assert.equal((await make('g-off', [S.economy], false)).status, 201);
    try {
      const res = await api(server, 'POST', '/quotes/serviceGroups', { body: consignmentRequest(PARCEL) });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.map((g: any) => g.Reference), ['g-express', 'g-unrated']);
      const [express, unrated] = res.body;
      assert.equal(express.CheapestQuote.MpdCarrierServiceReference, S.expressA);
      assert.deepEqual(express.Quotes.map((q: any) => q.MpdCarrierServiceReference), [S.expressA, S.expressB]);
      assert.equal(express.Message, 'Quote created successfully');
      assert.equal(unrated.CheapestQuote, null);
      assert.equal(unrated.UnqualifiedServices[0].MpdCarrierServiceReference, S.unrated);
      const xml = await api(server, 'POST', '/quotes/serviceGroups', { body: consignmentRequest(PARCEL), headers: { accept: 'application/xml' } });
      assert.equal(xml.status, 200);
      assert.match(xml.text, /<ArrayOfServiceGroupQuoteResult [^>]*>\s*<ServiceGroupQuoteResult>/);
    } finally {
      for (const g of ['g-express', 'g-unrated', 'g-off']) await api(server, 'DELETE', `/serviceGroups/${g}`);
    }
  });

  it('answers in XML with the generic mapping', async () => {
    const res = await api(server, 'POST', '/quotes', { body: consignmentRequest(PARCEL), headers: { accept: 'application/xml' } });
    assert.equal(res.status, 201, res.text);
    assert.match(res.text, /<QuoteResult [^>]*>/);
    assert.match(res.text, /<Quotes>\s*<Quote>\s*<QuoteReference>[0-9a-f-]{36}<\/QuoteReference>/);
    assert.match(res.text, /<Price>\s*<Net>3\.5<\/Net>\s*<Gross>4\.2<\/Gross>/);
    assert.match(res.text, /<UnqualifiedServices>\s*<UnqualifiedService>/);
  });
});
