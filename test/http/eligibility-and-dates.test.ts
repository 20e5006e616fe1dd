import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { allocate, createConsignment, type ConsignmentSpec } from '../support/consignments.js';

async function attempt(server: TestServer, service: string, spec: ConsignmentSpec) {
  const ref = await createConsignment(server, spec);
  const res = await allocate(server, service, [ref]);
  assert.equal(res.status, 200, res.text);
  return res.body[0];
}

async function failureCodes(server: TestServer, service: string, spec: ConsignmentSpec): Promise<string[]> {
  const item = await attempt(server, service, spec);
  return item.StatusCode === 200 ? [] : item.FailureReasons.map((r: any) => r.Code);
}

describe(`Eligibility checks over HTTP (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  const cases: [string, string, ConsignmentSpec, string][] = [
    ['an inbound consignment on an outbound-only service', 'Example-Carrier-Service', { direction: 'Inbound' }, 'DirectionNotServed'],
    ['an origin outside the service’s countries', 'Example-Carrier-Service', { origin: { country: 'FR', postcode: '75001', town: 'Paris' } }, 'OriginNotServed'],
    ['a destination outside the service’s countries', 'Example-Carrier-Service', { destination: { country: 'DE', postcode: '10115', town: 'Berlin' } }, 'DestinationNotServed'],
    ['an excluded destination country', 'SW-WORLD-AIR', { destination: { country: 'AQ', postcode: 'BIQQ 1ZZ', town: 'McMurdo' } }, 'DestinationNotServed'],
    ['an excluded postcode area', 'Example-Carrier-Service', { destination: { postcode: 'ZE1 0AA', town: 'Lerwick' } }, 'PostcodeExcluded'],
    ['a package over the weight limit', 'Example-Carrier-Service', { packages: [{ kg: 30.001 }] }, 'PackageTooHeavy'],
    ['a package under the minimum weight', 'NP-HEAVY-FREIGHT', { packages: [{ kg: 5 }] }, 'PackageTooLight'],
    ['a consignment over the total weight limit', 'SW-WORLD-AIR', { destination: { country: 'US', postcode: '10001', town: 'New York' }, packages: [{ kg: 24 }, { kg: 24 }, { kg: 24 }] }, 'ConsignmentTooHeavy'],
    ['too many packages', 'Example-Carrier-Service', { packages: Array.from({ length: 11 }, () => ({ kg: 1 })) }, 'TooManyPackages'],
    ['a package longer than allowed', 'Example-Carrier-Service', { packages: [{ dims: [20, 101, 10] }] }, 'PackageTooLong'],
    ['length plus girth over the limit', 'Example-Carrier-Service', { packages: [{ dims: [100, 50, 51] }] }, 'LengthPlusGirthExceeded'],
    ['a value over the limit', 'Example-Carrier-Service', { packages: [{ value: 2000 }, { value: 500.01 }] }, 'ValueTooHigh'],
    ['dangerous goods on a service that refuses them', 'Example-Carrier-Service', { packages: [{ items: [{ Description: 'Lithium cells', ContentClassification: 'Dangerous' }] }] }, 'ContentNotAllowed'],
    ['a tag the service does not carry', 'Example-Carrier-Service', { tags: ['Priority'] }, 'TagsNotMatched'],
    ['a delivery date the service cannot meet', 'CX-ECONOMY-48', { requiredDeliveryDate: { Date: '2026-11-19T00:00:00+00:00' } }, 'DeliveryPromiseMissed'],
  ];
  for (const [what, service, spec, code] of cases) {
    it(`fails ${code} for ${what}, and only that check`, async () => {
      assert.deepEqual(await failureCodes(server, service, spec), [code]);
    });
  }

  it('passes at exactly the limits (ranges are inclusive), in any units', async () => {
    const item = await attempt(server, 'Example-Carrier-Service', {
      packages: [{ weight: { Value: 30000, Unit: 'g' }, dimensions: { Unit: 'mm', Length: 1000, Width: 500, Height: 500 }, value: 2500 }],
    });
    assert.equal(item.StatusCode, 200, item.Description);
  });

  it('converts package values into the service currency before comparing', async () => {
    // EU Road is priced in EUR with a limit of 5,000 EUR; 4,000 GBP is about 4,651 EUR at the demo rates.
    const eu = { destination: { country: 'FR', postcode: '75001', town: 'Paris' } };
    assert.deepEqual(await failureCodes(server, 'EL-EU-ROAD', { ...eu, packages: [{ value: 4000 }] }), []);
    assert.deepEqual(await failureCodes(server, 'EL-EU-ROAD', { ...eu, packages: [{ value: 4400 }] }), ['ValueTooHigh']);
  });

  it('allows a tagged consignment only on a service carrying every one of its tags, case-insensitively', async () => {
    assert.deepEqual(await failureCodes(server, 'CX-NEXTDAY-1030', { tags: ['priority', 'FRAGILE'] }), []);
    assert.deepEqual(await failureCodes(server, 'CX-NEXTDAY-1030', { tags: ['Priority', 'Oversize'] }), ['TagsNotMatched']);
    assert.deepEqual(await failureCodes(server, 'CX-NEXTDAY-1030', {}), [], 'an untagged consignment goes anywhere');
  });

  it('reports the numbers in each reason', async () => {
    const item = await attempt(server, 'SW-WORLD-AIR', { destination: { country: 'US', postcode: '10001', town: 'New York' }, packages: [{ kg: 26 }, { kg: 25 }, { kg: 25 }] });
    const messages = Object.fromEntries(item.FailureReasons.map((r: any) => [r.Code, r.Message]));
    assert.match(messages.PackageTooHeavy, /weighs 26 kg; the limit is 25 kg$/);
    assert.equal(messages.ConsignmentTooHeavy, 'the consignment weighs 76 kg; the limit is 70 kg');
  });
});

describe(`Collection and delivery dates over HTTP (${databaseUnderTest})`, { skip: skipReason }, () => {
  async function plan(now: string, spec: ConsignmentSpec = {}, service = 'Example-Carrier-Service') {
    const server = await startServer({ now });
    try {
      const ref = await createConsignment(server, spec);
      const res = await allocate(server, service, [ref]);
      const c = (await api(server, 'GET', `/consignments/${ref}`)).body;
      return { item: res.body[0], c };
    } finally {
      await server.close();
    }
  }

  it('collects the same day before the cut-off and the next collection day after it', async () => {
    const before = await plan('2026-11-18T16:59:00Z');
    assert.equal(before.c.CollectionDate, '2026-11-18T17:30:00+00:00');
    const afterCutOff = await plan('2026-11-18T17:01:00Z');
    assert.equal(afterCutOff.c.CollectionDate, '2026-11-19T17:30:00+00:00');
    assert.equal(afterCutOff.c.EarliestDeliveryDate, '2026-11-20T08:00:00+00:00');
  });

  it('skips weekends for collection and non-working dates for collection and delivery', async () => {
    const friday = await plan('2026-11-20T18:00:00Z');
    assert.equal(friday.c.CollectionDate, '2026-11-23T17:30:00+00:00', 'Friday after cut-off: collected Monday');
    const christmasEve = await plan('2026-12-24T10:00:00Z', {}, 'CX-ECONOMY-48');
    assert.equal(christmasEve.c.CollectionDate, '2026-12-24T17:30:00+00:00');
    // 25th (holiday), 26th (Saturday delivery day), 28th (holiday): two working days land on the 29th.
    assert.equal(christmasEve.c.EarliestDeliveryDate, '2026-12-29T09:00:00+00:00');
  });

  it('works in the shipping location’s time zone, through daylight saving time', async () => {
    const summer = await plan('2026-06-17T15:45:00Z');
    assert.equal(summer.c.CollectionDate, '2026-06-17T17:30:00+01:00', '16:45 in London is before the 17:00 cut-off');
    assert.match(summer.item.Description, /for shipping on 17\/06\/2026 17:30:00 \+01:00$/);
    const late = await plan('2026-06-17T16:15:00Z');
    assert.equal(late.c.CollectionDate, '2026-06-18T17:30:00+01:00', '17:15 in London is after the cut-off');
  });

  it('starts from a future ShippingDate', async () => {
    const r = await plan('2026-11-18T09:00:00Z', { shippingDate: '2026-11-25T09:00:00' });
    assert.equal(r.c.CollectionDate, '2026-11-25T17:30:00+00:00');
    assert.equal(r.c.ShippingDate, '2026-11-25T09:00:00+00:00');
  });

  it('keeps a delivery promise by a date, exactly on a date, and within a window', async () => {
    const byDate = await plan('2026-11-18T09:00:00Z', { requiredDeliveryDate: { Date: '2026-11-19T00:00:00+00:00' } });
    assert.equal(byDate.item.StatusCode, 200);
    const exactTooEarly = await plan('2026-11-18T09:00:00Z', { requiredDeliveryDate: { Date: '2026-11-20T00:00:00+00:00', IsToBeExactlyOnTheDateSpecified: true } });
    assert.equal(exactTooEarly.item.StatusCode, 422);
    assert.match(exactTooEarly.item.Description, /DeliveryPromiseMissed: delivery would be on 2026-11-19; the consignment must be delivered exactly on 2026-11-20/);
    const exactFromLaterShipping = await plan('2026-11-18T09:00:00Z', {
      shippingDate: '2026-11-19T08:00:00',
      requiredDeliveryDate: { Date: '2026-11-20T00:00:00+00:00', IsToBeExactlyOnTheDateSpecified: true },
    });
    assert.equal(exactFromLaterShipping.item.StatusCode, 200, exactFromLaterShipping.item.Description);
    const window = { Date: '2026-11-19T00:00:00+00:00', DeliveryWindow: { Start: '07:00:00', End: '12:00:00' } };
    assert.equal((await plan('2026-11-18T09:00:00Z', { requiredDeliveryDate: window })).item.StatusCode, 422, 'an 08:00-18:00 service misses a morning window');
    assert.equal((await plan('2026-11-18T09:00:00Z', { requiredDeliveryDate: window }, 'CX-NEXTDAY-1030')).item.StatusCode, 200, 'a by-10:30 service keeps it');
  });
});
