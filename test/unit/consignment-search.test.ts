/**
 * The pure parts of consignment search: reading query strings into criteria (keys in any case,
 * every bad value reported) and deriving a consignment's search columns.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AllocationRecord, ConsignmentData } from '../../src/domain/consignment.js';
import { NEWEST_FIRST, postcodeKey, searchKey } from '../../src/domain/consignment-search.js';
import { STATE_SETS, CONSIGNMENT_STATES, type ConsignmentState } from '../../src/domain/states.js';
import { createdBounds, readReferencesRequest, readSearchCriteria, readSearchRequest } from '../../src/http/consignment-search-query.js';
import { AppError } from '../../src/use-cases/errors.js';
import { allocationColumns, documentColumns } from '../../src/store/consignment-columns.js';

function problems(fn: () => unknown): { Target: string; Message: string }[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof AppError && e.code === 'ValidationFailed', String(e));
    return e.details;
  }
  assert.fail('expected a 400');
}

/** Each letter of `s` in a random case. */
const anyCase = (s: string) => fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((upper) => [...s].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch.toLowerCase())).join(''));

describe('reading search query strings', () => {
  it('matches keys in any case, so the Docs, SDK and PHP spellings are one key', () => {
    const keys = ['postCode', 'cReference', 'pReference', 'State', 'referenceProvidedByCustomer', 'destinationCountryCode', 'searchTerm'];
    const values: Record<string, string> = { postCode: 'ls1 4', cReference: 'ec-000-05a-z6s', pReference: 'ep-000-000-001', State: 'allocated', referenceProvidedByCustomer: ' Order-1 ', destinationCountryCode: 'gb', searchTerm: 'Leeds' };
    fc.assert(
      fc.property(fc.constantFrom(...keys).chain((k) => anyCase(k).map((spelling) => [k, spelling] as const)), ([key, spelling]) => {
        assert.deepEqual(readSearchCriteria({ [spelling]: values[key] }), readSearchCriteria({ [key]: values[key] }));
      }),
    );
    assert.deepEqual(readSearchCriteria({ postcode: 'ls1 4', cReference: 'ec-000-05a-z6s', PReference: 'ep-000-000-001' }).criteria, [
      { kind: 'postcodePrefix', value: 'LS14' },
      { kind: 'reference', value: 'EC-000-05A-Z6S' },
      { kind: 'packageReference', value: 'EP-000-000-001' },
    ]);
  });

  it('ignores unknown keys and empty values', () => {
    assert.deepEqual(readSearchCriteria({ 'subscription-key': 'k', clientReference: 'x', state: '', reference: '  ' }), { criteria: [] });
  });

  it('unites repeated and comma-separated states (any case) into one criterion', () => {
    assert.deepEqual(readSearchCriteria({ state: ['allocated,Cancelled', 'ALLOCATED'] }).criteria, [{ kind: 'states', states: ['Allocated', 'Cancelled'] }]);
  });

  it('knows the SDK state sets, which cover every state exactly once between Shipped and UnShipped', () => {
    const all = Object.keys(CONSIGNMENT_STATES) as ConsignmentState[];
    assert.deepEqual([...STATE_SETS.Shipped, ...STATE_SETS.UnShipped].sort(), [...all].sort());
    assert.ok(STATE_SETS.IsUnAllocated.every((s) => (STATE_SETS.UnShipped as readonly string[]).includes(s)));
    assert.deepEqual(readSearchCriteria({ stateAttribute: 'isunallocated' }).criteria, [{ kind: 'states', states: ['Unallocated', 'Allocating', 'AllocationFailed'] }]);
  });

  it('bounds a created-date range by whole UTC days for dates, and exactly for date-times', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const day = d.toISOString().slice(0, 10);
        const bounds = createdBounds(readSearchCriteria({ createdDateFrom: day, createdDateTo: day }));
        assert.equal(bounds.from, `${day}T00:00:00.000+00:00`);
        assert.equal(bounds.to, `${day}T23:59:59.999+00:00`);
      }),
    );
    assert.deepEqual(createdBounds(readSearchCriteria({ startFrom: '2026-11-18T10:00:00+01:00', endAt: '2026-11-18T12:00:00' })), {
      from: '2026-11-18T09:00:00.000+00:00',
      to: '2026-11-18T12:00:00.000+00:00',
    });
    assert.deepEqual(createdBounds(readSearchCriteria({ startFrom: '2026-11-01', createdDateFrom: '2026-11-05' })).from, '2026-11-05T00:00:00.000+00:00', 'the later lower bound');
  });

  it('compares the calendar day a date-time names in its own offset for shipping, delivery and collection dates', () => {
    assert.deepEqual(readSearchCriteria({ shippingDateFrom: '2026-11-20T00:30:00+01:00', requestedDeliveryDateTo: '2026-11-25' }).criteria, [
      { kind: 'day', field: 'shipping', range: { from: '2026-11-20' } },
      { kind: 'day', field: 'requestedDelivery', range: { to: '2026-11-25' } },
    ]);
    assert.deepEqual(readSearchCriteria({ CollectionDateFrom: '2026-11-20T23:30:00-05:00', collectiondateto: '2026-11-21' }).criteria, [
      { kind: 'collectionDay', range: { from: '2026-11-20' } },
      { kind: 'collectionDay', range: { to: '2026-11-21' } },
    ]);
    assert.deepEqual(problems(() => readSearchCriteria({ collectionDateFrom: 'today' })).map((d) => d.Target), ['collectionDateFrom']);
  });

  it('reads orderBy: a key in any case, - for descending; newest first when absent or empty', () => {
    const keys = ['created', 'shippingDate', 'reference', 'customerReference', 'state', 'destinationCountry', 'service'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...keys).chain((k) => anyCase(k).map((spelling) => [k, spelling] as const)), fc.boolean(), anyCase('orderBy'), ([key, spelling], descending, name) => {
        const value = `${descending ? '-' : ''}${spelling}`;
        assert.deepEqual(readSearchRequest('10', '0', { [name]: value }).order, { key, descending });
        assert.deepEqual(readReferencesRequest({ [name]: value }).order, { key, descending });
      }),
    );
    assert.deepEqual(readSearchRequest('10', '0', {}).order, NEWEST_FIRST);
    assert.deepEqual(readSearchRequest('10', '0', { orderBy: ' ' }).order, NEWEST_FIRST);
    assert.deepEqual(NEWEST_FIRST, { key: 'created', descending: true });
    assert.deepEqual(readSearchCriteria({ orderBy: 'state' }), { criteria: [] }, 'not a criterion');
  });

  it('refuses an unknown order key, a doubled -, and two orders, naming orderBy as spelled', () => {
    for (const query of [{ orderBy: 'weight' }, { orderBy: '--created' }, { orderBy: '+state' }, { orderBy: 'state,created' }, { orderBy: ['state', 'created'] }, { ORDERBY: 'x'.repeat(300) }]) {
      const details = problems(() => readSearchRequest('10', '0', query));
      assert.deepEqual(details.map((d) => d.Target), [Object.keys(query)[0]], JSON.stringify(query));
      assert.ok(details[0].Message.length < 300, 'the value is quoted shortened');
    }
  });

  it('reads labelsPrinted (any case) as whether the labels have been fetched', () => {
    assert.deepEqual(readSearchCriteria({ labelsPrinted: 'TRUE' }).criteria, [{ kind: 'labelsPrinted', value: true }]);
    assert.deepEqual(readSearchCriteria({ labelsPrinted: 'false' }).criteria, [{ kind: 'labelsPrinted', value: false }]);
  });

  it('reads shipped dates as instants, a date alone the whole day, and checks their values', () => {
    assert.deepEqual(readSearchCriteria({ shippedDateFrom: '2026-01-01', shippedDateTo: '2026-01-02T10:00:00+01:00' }).criteria, [
      { kind: 'shipped', range: { from: '2026-01-01T00:00:00.000+00:00' } },
      { kind: 'shipped', range: { to: '2026-01-02T09:00:00.000+00:00' } },
    ]);
    assert.deepEqual(problems(() => readSearchCriteria({ labelsPrinted: 'yes', shippedDateTo: 'then' })).map((d) => d.Target), ['labelsPrinted', 'shippedDateTo']);
  });

  it('reports every bad value once, under the key as the caller spelled it', () => {
    const details = problems(() =>
      readSearchRequest('ten', '1.5', {
        STATE: 'Allocated,Sunk',
        stateAttribute: 'Lost',
        weightInGramsTo: '-5',
        valueFrom: '1e3',
        destinationCountryCode: 'UK',
        source: 'Fax',
        direction: 'Up',
        requestedDeliveryDateFrom: '31/12/2026',
        searchTerm: 'x'.repeat(201),
        reference: 'EC\u0000',
      }),
    );
    assert.deepEqual(
      details.map((d) => d.Target),
      ['take', 'skip', 'STATE', 'stateAttribute', 'weightInGramsTo', 'valueFrom', 'destinationCountryCode', 'source', 'direction', 'requestedDeliveryDateFrom', 'searchTerm', 'reference'],
    );
    for (const d of details) assert.ok(d.Message.startsWith(`${d.Target} `), d.Message);
  });

  it('takes 0 to 1,000 results and skips any whole number of them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1_000_000 }), (take, skip) => {
        const read = readSearchRequest(String(take), String(skip), {});
        assert.equal(read.take, take);
        assert.equal(read.skip, skip);
      }),
    );
    assert.deepEqual(problems(() => readSearchRequest('1001', '0', {})).map((d) => d.Target), ['take']);
  });

  it('pages references by pageSize and startPage, at most 10,000 at a time', () => {
    assert.deepEqual(readReferencesRequest({}), { search: { criteria: [] }, order: NEWEST_FIRST, take: 10_000, skip: 0 });
    assert.deepEqual(readReferencesRequest({ PageSize: '25', startpage: '3' }), { search: { criteria: [] }, order: NEWEST_FIRST, take: 25, skip: 75 });
    assert.deepEqual(problems(() => readReferencesRequest({ pageSize: '10001' })).map((d) => d.Target), ['pageSize']);
  });
});

describe('search columns', () => {
  const address = { shippingLocationReference: null, shopLocationReference: null, contact: null, companyName: null, customerName: null, addressLine2: null, addressLine3: null, region: null, regionCode: null, specialInstructions: null, latLong: null };
  function consignment(packages: { kg: number; value: number | null; currency?: string }[]): ConsignmentData {
    return {
      consignmentReferenceProvidedByCustomer: 'Order-77',
      source: 'Web',
      direction: 'Inbound',
      tags: [],
      shippingDate: '2026-11-20T00:30:00+01:00',
      requestedDeliveryDate: { date: '2026-11-25T00:00:00-05:00', isToBeExactlyOnTheDateSpecified: false, window: null },
      customsDocumentation: null,
      metaData: [],
      addresses: [
        { ...address, addressType: 'Origin', shippingLocationReference: 'WH-MAN-01', addressLine1: '1 Mill Lane', town: 'Manchester', postcode: 'M1 1AA', countryCode: 'GB' },
        { ...address, addressType: 'Destination', contact: { title: null, firstName: 'Ada', lastName: 'Lovelace', position: null, telephone: null, mobile: null, landLine: null, email: null }, companyName: 'Engines Ltd', addressLine1: '2 High St', town: 'Leeds', region: 'West Yorkshire', postcode: 'ls1 4ap', countryCode: 'GB' },
      ],
      packages: packages.map((p, i) => ({ reference: `EP-000-000-00${i}`, packageReferenceProvidedByCustomer: null, description: null, weightKg: p.kg, dimensions: { lengthCm: 1, widthCm: 1, heightCm: 1 }, value: p.value === null ? null : { amount: p.value, currency: p.currency ?? 'GBP' }, packageSizeReference: null, barcode: null, items: [], metaData: [] })),
      timeZone: 'Europe/London',
    };
  }

  it('derives each column from the document', () => {
    const columns = documentColumns('EC-000-05A-Z6S', consignment([{ kg: 1.25, value: 10 }, { kg: 0.0005, value: 2.5 }]));
    assert.deepEqual(columns, {
      customer_reference_key: 'order-77',
      search_text: ['ec-000-05a-z6s', 'order-77', 'ada lovelace', 'engines ltd', 'leeds', 'ls1 4ap', 'ls14ap'].join('\u001f'),
      source: 'Web',
      direction: 'Inbound',
      shipping_at: '2026-11-19T23:30:00.000+00:00',
      shipping_day: '2026-11-20',
      requested_delivery_day: '2026-11-25',
      weight_grams: 1250.5,
      value_amount: 12.5,
      origin_location_key: 'wh-man-01',
      destination_country: 'GB',
      destination_postcode_key: 'LS14AP',
      destination_region_key: 'west yorkshire',
    });
  });

  it('leaves the value empty when packages are in different currencies or have none', () => {
    assert.equal(documentColumns('EC-1', consignment([{ kg: 1, value: 1 }, { kg: 1, value: 1, currency: 'EUR' }])).value_amount, null);
    assert.equal(documentColumns('EC-1', consignment([{ kg: 1, value: null }])).value_amount, null);
  });

  it('sums weights to the milligram whatever the packages', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1_000_000_000 }), { minLength: 1, maxLength: 20 }), (milligrams) => {
        const columns = documentColumns('EC-1', consignment(milligrams.map((mg) => ({ kg: mg / 1e6, value: 1 }))));
        assert.equal(columns.weight_grams, milligrams.reduce((a, b) => a + b, 0) / 1000);
      }),
    );
  });

  it('lists every tracking reference of every leg, each findable as " REF "', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.stringMatching(/^[A-Z0-9]{6,14}$/), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }), (legs) => {
        const allocation = {
          mpdCarrierServiceReference: 'Example-Carrier-Service',
          earliestDeliveryDate: '2026-11-21T08:00:00+00:00',
          legs: legs.map((trackingReferences, i) => ({ leg: i + 1, carrierReference: 'C', carrierName: 'C', carrierServiceReference: 'S', trackingReferences })),
        } as unknown as AllocationRecord;
        const columns = allocationColumns(allocation);
        for (const ref of legs.flat()) assert.ok(columns.tracking_references!.includes(` ${ref} `), ref);
        assert.equal(columns.service_key, 'example-carrier-service');
        assert.equal(columns.delivery_day, '2026-11-21');
      }),
    );
    assert.deepEqual(allocationColumns(null), { service_key: null, tracking_references: null, delivery_day: null, collection_day: null });
  });

  it('takes the collection day as the collection date states it, in its own offset', () => {
    const columns = (collectionDate: string) => allocationColumns({ mpdCarrierServiceReference: 'S', earliestDeliveryDate: '2026-11-21T08:00:00+00:00', collectionDate, legs: [] } as unknown as AllocationRecord).collection_day;
    assert.equal(columns('2026-11-20T17:30:00+00:00'), '2026-11-20');
    assert.equal(columns('2026-11-21T00:30:00+01:00'), '2026-11-21', 'the 20th in UTC, the 21st where it is collected');
    assert.equal(columns('2026-11-20T23:30:00-05:00'), '2026-11-20', 'the 21st in UTC, the 20th where it is collected');
    assert.equal(columns(''), null);
  });

  it('normalises keys idempotently', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.tuple(fc.string({ minLength: 195, maxLength: 205 }), fc.string()).map(([a, b]) => `${a}  ${b}`)), (s) => {
        assert.equal(searchKey(searchKey(s)), searchKey(s));
        assert.equal(postcodeKey(postcodeKey(s)), postcodeKey(s));
        assert.ok(searchKey(s).length <= 200);
        assert.doesNotMatch(postcodeKey(s), /\s/);
      }),
    );
  });
});
