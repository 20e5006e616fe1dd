/**
 * `Allocation.Price` on the consignment (models.md §2.3): the price recorded with the allocation,
 * as a Rate of its total, in JSON and XML; allocations recorded without a price read as null.
 * The allocation is written straight through the store here, because choosing and pricing the
 * service is the allocation engine's business; this pins down how a recorded price is kept and shown.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AllocationRecord, Consignment } from '../../src/domain/consignment.js';
import { priceConsignment } from '../../src/domain/pricing.js';
import { hashApiKey } from '../../src/use-cases/subscriptions.js';
import { createConsignment } from '../support/consignments.js';
import { RATED_SERVICES, ratedCataloguePath } from '../support/rated-catalogue.js';
import { api, DEMO_KEY, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';

describe(`Allocation.Price on a consignment (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer({ env: { SWITCHYARD_CATALOGUE: ratedCataloguePath() } })));
  after(() => server.close());

  /** The helper's documented parcel: 1 kg, 20 × 20 × 20 cm, WH-MAN-01 to Leeds. */
  const createParcel = () => createConsignment(server, { packages: [{ kg: 1, dims: [20, 20, 20] }], destination: { town: 'Leeds', postcode: 'LS1 4AP' } });

  async function stored(reference: string): Promise<Consignment> {
    const { ctx } = server.app;
    const subscription = (await ctx.subscriptions.findByKeyHash(hashApiKey(DEMO_KEY)))!;
    return (await ctx.consignments.findByReference(subscription.id, reference))!;
  }

  /** Records an allocation to `serviceReference` as the engine would; `withPrice: false` writes one as recorded before prices existed. */
  async function recordAllocation(reference: string, serviceReference: string, withPrice: boolean): Promise<void> {
    const consignment = await stored(reference);
    const service = server.app.ctx.catalogue.service(serviceReference)!;
    const result = priceConsignment(consignment.data, server.app.ctx.catalogue.ratesOf(service));
    assert.equal(result.kind, 'priced');
    const allocation: AllocationRecord = {
      mpdCarrierServiceReference: service.reference,
      mpdCarrierServiceName: service.name,
      carrierReference: 'RATED_CARRIER',
      carrierName: 'Rated Carrier',
      carrierServiceGroupReference: '',
      mpdCarrierServiceGroupName: null,
      allocationDate: '2026-11-18T09:00:00.000Z',
      collectionDate: '2026-11-18T17:30:00+00:00',
      earliestDeliveryDate: '2026-11-20T09:00:00+00:00',
      latestDeliveryDate: '2026-11-20T18:00:00+00:00',
      legs: [{ leg: 1, carrierReference: 'RATED_CARRIER', carrierName: 'Rated Carrier', carrierServiceReference: service.reference, trackingReferences: ['RC0000000001'] }],
      ...(withPrice && result.kind === 'priced' ? { price: result.price } : {}),
    };
    const applied = await server.app.ctx.consignments.transition(consignment, {
      fromStates: ['Unallocated'],
      to: 'Allocated',
      allocation,
      at: allocation.allocationDate,
      event: { action: 'Allocated', message: `Consignment ${reference} allocated for the test` },
    });
    assert.ok(applied);
  }

  it('shows the recorded price as a Rate of its total, in JSON', async () => {
    const reference = await createParcel();
    await recordAllocation(reference, RATED_SERVICES.expressB, true);
    const res = await api(server, 'GET', `/consignments/${reference}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.Allocation.MpdCarrierServiceReference, RATED_SERVICES.expressB);
    // The total (after the 10 % fuel surcharge), not the base price of 4.50 net.
    assert.deepEqual(res.body.Allocation.Price, {
      Net: 4.95,
      Gross: 5.94,
      VatRate: { Reference: 'GB-0.2000', CountryIsoCode: 'GB', Type: 'Standard', Rate: 0.2 },
      VatAmount: 0.99,
      Currency: { Name: 'Pound Sterling', IsoCode: 'GBP' },
    });
    assert.deepEqual(Object.keys(res.body.Allocation), ['CarrierServiceGroupReference', 'MpdCarrierServiceGroupName', 'MpdCarrierServiceReference', 'MpdCarrierServiceName', 'AllocationDate', 'AllocateDate', 'Price']);
    assert.equal(res.body.Allocation.AllocateDate, res.body.Allocation.AllocationDate, 'the PHP client reads AllocateDate');
  });

  it('shows the recorded price in XML', async () => {
    const reference = await createParcel();
    await recordAllocation(reference, RATED_SERVICES.economy, true);
    const res = await api(server, 'GET', `/consignments/${reference}`, { headers: { accept: 'application/xml' } });
    assert.equal(res.status, 200, res.text);
    assert.ok(
      res.text.includes(
        '<Price><Net>3.5</Net><Gross>4.2</Gross><VatRate><Reference>GB-0.2000</Reference><CountryIsoCode>GB</CountryIsoCode><Type>Standard</Type><Rate>0.2</Rate></VatRate><VatAmount>0.7</VatAmount><Currency><Name>Pound Sterling</Name><IsoCode>GBP</IsoCode></Currency></Price>',
      ),
      res.text,
    );
  });

  it('reads an allocation recorded without a price as unpriced: Price null in JSON, nil in XML', async () => {
    const reference = await createParcel();
    await recordAllocation(reference, RATED_SERVICES.expressA, false);
    assert.equal((await stored(reference)).allocation?.price, null);
    const json = await api(server, 'GET', `/consignments/${reference}`);
    assert.equal(json.status, 200, json.text);
    assert.equal(json.body.Allocation.MpdCarrierServiceReference, RATED_SERVICES.expressA);
    assert.equal(json.body.Allocation.Price, null);
    const xml = await api(server, 'GET', `/consignments/${reference}`, { headers: { accept: 'application/xml' } });
    assert.match(xml.text, /<Allocation>.*<Price i:nil="true"\s*\/><\/Allocation>/s);
  });

  it('serves the rated catalogue: the server loaded the file it was given', async () => {
    const res = await api(server, 'GET', '/carrierservices');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.MpdCarrierServices.map((s: any) => s.Reference).sort(), ['RC-A-DEFERRED', 'RC-ECONOMY', 'RC-EXPRESS-A', 'RC-EXPRESS-B']);
  });
});
