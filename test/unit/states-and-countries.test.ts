import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONSIGNMENT_STATES, allowedStates, canPerform, type ConsignmentAction, type ConsignmentState } from '../../src/domain/states.js';
import { countryName, countryUsesPostcodes, isCountryCode } from '../../src/domain/countries.js';

const STATES = Object.keys(CONSIGNMENT_STATES) as ConsignmentState[];
/** The SDK's [Shipped] states (states.md §2). */
const SHIPPED: ConsignmentState[] = [
  'AtDropOffPoint', 'Collected', 'CollectionFailed', 'InTransit', 'Delayed', 'OutForDelivery', 'DeliveryFailed', 'DeliveryFailedCardLeft',
  'Delivered', 'PartiallyDelivered', 'AtCollectionPoint', 'ReturnToSender', 'ActionRequired', 'Missing', 'Lost', 'Damaged',
  'InTransitWaiting', 'HeldByCarrier', 'ExchangeFailed', 'AtCustoms', 'CarrierUnableToCollect', 'DeliveredDamaged',
];

describe('consignment states (states.md, decisions.md §5)', () => {
  it('has the SDK numbers, with Dispatched = 7 and ReadyToShip = 8, each number used once', () => {
    assert.equal(CONSIGNMENT_STATES.Unallocated, 0);
    assert.equal(CONSIGNMENT_STATES.AllocationFailed, 2);
    assert.equal(CONSIGNMENT_STATES.Allocated, 3);
    assert.equal(CONSIGNMENT_STATES.Dispatched, 7);
    assert.equal(CONSIGNMENT_STATES.ReadyToShip, 8);
    assert.equal(CONSIGNMENT_STATES.Cancelled, 26);
    assert.equal(CONSIGNMENT_STATES.DeliveredDamaged, 32);
    assert.deepEqual(Object.values(CONSIGNMENT_STATES).sort((a, b) => a - b), Array.from({ length: 33 }, (_, i) => i));
  });

  it('allows each action in exactly the documented states', () => {
    const expected: Record<ConsignmentAction, ConsignmentState[]> = {
      allocate: ['Unallocated', 'AllocationFailed'],
      edit: ['Unallocated', 'AllocationFailed'],
      deallocate: ['Allocated', 'Manifested', 'ManifestFailed'],
      cancel: ['Unallocated', 'AllocationFailed', 'Allocated', 'ManifestFailed', 'ReadyToShip'],
      printLabels: ['Allocated', 'ReadyToShip', 'Manifested', 'ManifestFailed', 'Dispatched', ...SHIPPED],
      customsDocuments: ['Allocated', 'ReadyToShip', 'Manifested', 'ManifestFailed', 'Dispatched', ...SHIPPED],
      readyToShip: ['Allocated'],
      notReadyToShip: ['ReadyToShip'],
      manifest: ['Allocated', 'ReadyToShip', 'ManifestFailed'],
      dispatch: ['Manifested'],
      trackingEvents: ['Manifested', 'Dispatched', ...SHIPPED],
    };
    for (const [action, states] of Object.entries(expected) as [ConsignmentAction, ConsignmentState[]][]) {
      assert.deepEqual([...allowedStates(action)].sort(), [...states].sort(), action);
      for (const state of STATES) assert.equal(canPerform(action, state), states.includes(state), `${action} in ${state}`);
    }
  });

  it('never allows anything on a cancelled consignment, nor cancelling once manifested', () => {
    for (const action of ['allocate', 'edit', 'deallocate', 'cancel', 'printLabels', 'customsDocuments', 'manifest', 'dispatch', 'trackingEvents'] as const) assert.equal(canPerform(action, 'Cancelled'), false, action);
    for (const state of ['Manifested', 'Dispatched', 'InTransit', 'Delivered'] as const) assert.equal(canPerform('cancel', state), false, state);
  });
});

describe('countries', () => {
  it('knows ISO 3166 two-letter codes, upper case only, and no pseudo-codes', () => {
    for (const code of ['GB', 'FR', 'US', 'AQ', 'JE', 'IM']) assert.ok(isCountryCode(code), code);
    for (const code of ['gb', 'XX', 'ZZ', 'EU', 'UN', 'XK', 'EZ', 'QO', 'G', 'GBR', '']) assert.equal(isCountryCode(code), false, code);
  });

  it('refuses retired and alias codes such as UK (for GB), which no service lists', () => {
    for (const code of ['UK', 'DD', 'SU', 'YU', 'ZR', 'TP', 'BU']) assert.equal(isCountryCode(code), false, code);
  });

  it('accepts no two codes for the same country', () => {
    const accepted: string[] = [];
    for (let a = 65; a <= 90; a++) for (let b = 65; b <= 90; b++) if (isCountryCode(String.fromCharCode(a, b))) accepted.push(String.fromCharCode(a, b));
    const byName = new Map<string, string>();
    for (const code of accepted) {
      const name = countryName(code);
      assert.equal(byName.get(name), undefined, `${code} and ${byName.get(name)} are both ${name}`);
      byName.set(name, code);
    }
    assert.ok(accepted.length >= 249, `${accepted.length} codes`);
  });

  it('names countries in English', () => {
    assert.equal(countryName('GB'), 'United Kingdom');
    assert.equal(countryName('AQ'), 'Antarctica');
  });

  it('requires postcodes except where the country has none', () => {
    for (const code of ['GB', 'FR', 'US', 'DE']) assert.ok(countryUsesPostcodes(code), code);
    for (const code of ['HK', 'AE', 'QA']) assert.equal(countryUsesPostcodes(code), false, code);
  });
});
