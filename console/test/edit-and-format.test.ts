/** The console's pure helpers: the body of an edit, and how dates of a shipment are written. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { updateRequest, type Consignment } from '../src/api/update-request.ts';
import { formatDay } from '../src/format.ts';

const consignment = {
  Reference: 'EC-000-05A-Z6S',
  ConsignmentState: 'AllocationFailed',
  Tags: ['Fragile'],
  MetaData: [{ KeyValue: 'Channel', StringValue: 'Web', IntValue: null, DecimalValue: null, DateTimeValue: null, BoolValue: null }],
  Addresses: [
    { AddressType: 'Origin', ShippingLocationReference: 'WH-MAN-01', Town: 'Manchester', Contact: { FirstName: 'Dispatch', LastName: 'Team', Mobile: null } },
    { AddressType: 'Destination', Town: 'Leeds', Postcode: 'LS6 3JZ', Country: { Name: 'United Kingdom', IsoCode: { TwoLetterCode: 'GB' } }, Contact: { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@example.com' } },
  ],
  Packages: [
    { Reference: 'EP-1', Description: 'Stove', Weight: { Value: 45, Unit: 'Kg' }, Dimensions: { Unit: 'Cm', Length: 40, Width: 30, Height: 20 }, Items: [{ Reference: 'i1', Description: 'Stove' }] },
    { Reference: 'EP-2', Description: 'Flue', Weight: { Value: 5, Unit: 'Kg' }, Dimensions: { Unit: 'Cm', Length: 90, Width: 10, Height: 10 }, Items: [] },
  ],
} as unknown as Consignment;

describe('the body of an edit', () => {
  it('is the consignment as read when nothing is changed (the update clears what it omits)', () => {
    assert.deepEqual(updateRequest(consignment, {}), consignment);
  });

  it('changes what the form changed and keeps everything else of the consignment, its packages and its addresses', () => {
    const body = updateRequest(consignment, {
      destination: { Town: 'Harrogate', FirstName: 'Grace' },
      packages: { 'EP-1': { WeightKg: 25, HeightCm: 15 } },
      tags: ['Heavy'],
    }) as unknown as typeof consignment;
    const [origin, destination] = body.Addresses;
    assert.deepEqual(origin, consignment.Addresses[0]);
    assert.equal(destination.Town, 'Harrogate');
    assert.equal(destination.Postcode, 'LS6 3JZ');
    assert.deepEqual(destination.Contact, { FirstName: 'Grace', LastName: 'Lovelace', Email: 'ada@example.com' });
    assert.deepEqual(body.Packages[0].Weight, { Value: 25, Unit: 'Kg' });
    assert.deepEqual(body.Packages[0].Dimensions, { Unit: 'Cm', Length: 40, Width: 30, Height: 15 });
    assert.deepEqual(body.Packages[0].Items, consignment.Packages[0].Items);
    assert.deepEqual(body.Packages[1], consignment.Packages[1]);
    assert.deepEqual(body.Tags, ['Heavy']);
    assert.deepEqual(body.MetaData, consignment.MetaData);
  });
});

describe('a shipment’s dates', () => {
  it('are written as the shipment states them, in its own offset, whatever the browser’s time zone', () => {
    assert.equal(formatDay('2026-12-08T16:00:00+00:00', true), '8 Dec 2026 16:00');
    assert.equal(formatDay('2026-11-20T00:30:00+01:00'), '20 Nov 2026');
    assert.equal(formatDay(null), '');
    assert.equal(formatDay('not a date'), 'not a date');
  });
});
