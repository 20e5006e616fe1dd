/**
 * The tracking core (decisions.md §12): the published vocabulary and its states, which states take
 * events, and the rule deriving a consignment's state from its packages' events, by TimeStamp and
 * never by arrival order; and the simulated carrier's made-up histories.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parcelHistory } from '../../src/carriers/simulated/backend.js';
import { STATUS_CODES } from '../../src/carriers/simulated/track.js';
import { CONSIGNMENT_STATES, STATE_SETS, type ConsignmentState } from '../../src/domain/states.js';
import { DateTime } from 'luxon';
import { readTimeStamp } from '../../src/use-cases/tracking.js';
import { acceptsTrackingEvents, stateOfCode, TRACKING_CODE_LIST, trackingCodeNamed, trackingOutcome, type RecordedEvent, type TrackingCode } from '../../src/domain/tracking.js';

const PUBLISHED = [
  'COLLECTED', 'AT_DROP_OFF_POINT', 'IN_TRANSIT', 'DELAYED', 'AT_CUSTOMS', 'HELD_BY_CARRIER', 'OUT_FOR_DELIVERY', 'DELIVERY_FAILED',
  'DELIVERY_FAILED_CARD_LEFT', 'AT_COLLECTION_POINT', 'DELIVERED', 'DELIVERED_DAMAGED', 'RETURN_TO_SENDER', 'ACTION_REQUIRED', 'MISSING',
  'LOST', 'DAMAGED', 'COLLECTION_FAILED', 'CARRIER_UNABLE_TO_COLLECT', 'IN_TRANSIT_WAITING', 'EXCHANGE_FAILED', 'INFO',
];

const STATEFUL = TRACKING_CODE_LIST.filter((c) => c !== 'INFO');
const NOT_DELIVERED = STATEFUL.filter((c) => c !== 'DELIVERED' && c !== 'DELIVERED_DAMAGED');
const at = (minute: number) => new Date(Date.UTC(2026, 10, 18, 9, 0) + minute * 60_000).toISOString().replace('Z', '+00:00');

function shuffled<T>(list: T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Events with distinct moments for some of `packages`, numbered in arrival order. */
const eventsArb = (packages: string[]) =>
  fc
    .uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 20 })
    .chain((minutes) =>
      fc.tuple(...minutes.map((m) => fc.record({ packageReference: fc.constantFrom(...packages), code: fc.constantFrom(...TRACKING_CODE_LIST), at: fc.constant(at(m)) }))),
    )
    .map((list) => list.map((e, seq) => ({ ...e, seq }) as RecordedEvent));

describe('the tracking vocabulary', () => {
  it('is exactly the published list, each code meaning a shipped state, INFO none', () => {
    assert.deepEqual([...TRACKING_CODE_LIST].sort(), [...PUBLISHED].sort());
    for (const code of TRACKING_CODE_LIST) {
      const state = stateOfCode(code);
      if (code === 'INFO') assert.equal(state, null);
      else assert.ok((STATE_SETS.Shipped as readonly string[]).includes(state!), `${code} → ${state} is a shipped state`);
    }
    assert.equal(stateOfCode('COLLECTED'), 'Collected');
    assert.equal(stateOfCode('DELIVERED'), 'Delivered');
    assert.equal(stateOfCode('IN_TRANSIT_WAITING'), 'InTransitWaiting');
  });

  it('names codes in any case, with spaces or hyphens for underscores, and nothing else', () => {
    assert.equal(trackingCodeNamed(' out_for_delivery '), 'OUT_FOR_DELIVERY');
    assert.equal(trackingCodeNamed('Out For Delivery'), 'OUT_FOR_DELIVERY');
    assert.equal(trackingCodeNamed('delivery-failed-card-left'), 'DELIVERY_FAILED_CARD_LEFT');
    assert.equal(trackingCodeNamed('TELEPORTED'), undefined);
    assert.equal(trackingCodeNamed('toString'), undefined);
    assert.equal(trackingCodeNamed(''), undefined);
  });

  it('is taken from Manifested, Dispatched and every shipped state, and from nothing before or after', () => {
    const accepting = (Object.keys(CONSIGNMENT_STATES) as ConsignmentState[]).filter(acceptsTrackingEvents);
    assert.deepEqual(accepting.sort(), ['Manifested', ...STATE_SETS.Shipped].sort());
    for (const s of ['Unallocated', 'Allocated', 'ReadyToShip', 'ManifestFailed', 'Cancelled', 'Cancelling'] as ConsignmentState[]) assert.equal(acceptsTrackingEvents(s), false, s);
  });

  it('maps every status of the simulated carrier into the vocabulary', () => {
    for (const code of Object.values(STATUS_CODES)) assert.ok(trackingCodeNamed(code), code);
  });
});

describe('the state a consignment’s events give', () => {
  it('is none without events, or with INFO alone; DateCollected is the first COLLECTED whatever came later', () => {
    assert.deepEqual(trackingOutcome(['P1'], []), { state: null, dateCollected: null, dateDelivered: null });
    assert.equal(trackingOutcome(['P1'], [{ packageReference: 'P1', code: 'INFO', at: at(1), seq: 1 }]).state, null);
    const outcome = trackingOutcome(['P1'], [
      { packageReference: 'P1', code: 'COLLECTED', at: at(30), seq: 1 },
      { packageReference: 'P1', code: 'IN_TRANSIT', at: at(40), seq: 2 },
      { packageReference: 'P1', code: 'COLLECTED', at: at(10), seq: 3 },
    ]);
    assert.deepEqual(outcome, { state: 'InTransit', dateCollected: at(10), dateDelivered: null });
  });

  it('takes the later recorded of two events at the same moment', () => {
    const events: RecordedEvent[] = [
      { packageReference: 'P1', code: 'DELIVERY_FAILED', at: at(5), seq: 1 },
      { packageReference: 'P1', code: 'AT_COLLECTION_POINT', at: at(5), seq: 2 },
    ];
    assert.equal(trackingOutcome(['P1'], events).state, 'AtCollectionPoint');
  });

  it('takes a delivery on a leg before the last as the handover (InTransit); only the last leg delivers', () => {
    const handedOver: RecordedEvent[] = [{ packageReference: 'P1', code: 'DELIVERED', at: at(5), seq: 1, leg: 1 }];
    assert.deepEqual(trackingOutcome(['P1'], handedOver, 2), { state: 'InTransit', dateCollected: null, dateDelivered: null });
    assert.equal(trackingOutcome(['P1'], handedOver, 1).state, 'Delivered', 'on a journey of one leg it delivers');
    const both: RecordedEvent[] = [...handedOver, { packageReference: 'P1', code: 'DELIVERED', at: at(9), seq: 2, leg: 2 }];
    assert.deepEqual(trackingOutcome(['P1'], both, 2), { state: 'Delivered', dateCollected: null, dateDelivered: at(9) });
    const partly: RecordedEvent[] = [...both, { packageReference: 'P2', code: 'DELIVERED', at: at(7), seq: 3, leg: 1 }];
    assert.equal(trackingOutcome(['P1', 'P2'], partly, 2).state, 'PartiallyDelivered', 'P2 only handed over');
  });

  it('DeliveredDamaged when every package is delivered and one damaged', () => {
    const events: RecordedEvent[] = [
      { packageReference: 'P1', code: 'DELIVERED', at: at(5), seq: 1 },
      { packageReference: 'P2', code: 'DELIVERED_DAMAGED', at: at(6), seq: 2 },
    ];
    assert.deepEqual(trackingOutcome(['P1', 'P2'], events), { state: 'DeliveredDamaged', dateCollected: null, dateDelivered: at(6) });
  });

  it('property: the same whatever order the events arrived in', () => {
    const packages = ['P1', 'P2', 'P3'];
    fc.assert(
      fc.property(eventsArb(packages), fc.integer({ min: 1, max: 1_000_000 }), (events, seed) => {
        const arrived = shuffled(events, seed).map((e, seq) => ({ ...e, seq }));
        assert.deepEqual(trackingOutcome(packages, arrived), trackingOutcome(packages, events));
      }),
      { numRuns: 300 },
    );
  });

  it('property: all packages delivered → Delivered (the last delivery’s moment); some → PartiallyDelivered; else the most recent event’s state', () => {
    const packages = ['P1', 'P2'];
    fc.assert(
      fc.property(eventsArb(packages), (events) => {
        const outcome = trackingOutcome(packages, events);
        const latest = packages.map((p) => events.filter((e) => e.packageReference === p && e.code !== 'INFO').sort((a, b) => (a.at < b.at ? 1 : -1))[0]);
        const delivered = latest.filter((e) => e && (e.code === 'DELIVERED' || e.code === 'DELIVERED_DAMAGED'));
        const stateful = events.filter((e) => e.code !== 'INFO').sort((a, b) => (a.at < b.at ? 1 : -1));
        if (!stateful.length) assert.equal(outcome.state, null);
        else if (delivered.length === packages.length) {
          assert.ok(outcome.state === 'Delivered' || outcome.state === 'DeliveredDamaged');
          assert.equal(outcome.dateDelivered, delivered.map((e) => e.at).sort().at(-1));
        } else if (delivered.length > 0) assert.equal(outcome.state, 'PartiallyDelivered');
        else assert.equal(outcome.state, stateOfCode(stateful[0].code));
        if (delivered.length !== packages.length) assert.equal(outcome.dateDelivered, null);
        const collected = events.filter((e) => e.code === 'COLLECTED').map((e) => e.at).sort();
        assert.equal(outcome.dateCollected, collected[0] ?? null);
      }),
      { numRuns: 500 },
    );
  });

  it('property: a package never tracked keeps a consignment from Delivered', () => {
    fc.assert(
      fc.property(fc.constantFrom<TrackingCode[]>('DELIVERED', 'DELIVERED_DAMAGED'), fc.constantFrom(...NOT_DELIVERED, 'INFO' as TrackingCode), (code, other) => {
        const events: RecordedEvent[] = [{ packageReference: 'P1', code, at: at(1), seq: 1 }, { packageReference: 'P2', code: other, at: at(0), seq: 2 }];
        assert.equal(trackingOutcome(['P1', 'P2', 'P3'], events).state, 'PartiallyDelivered');
      }),
    );
  });
});

describe('the simulated carrier’s histories', () => {
  const parcel = { trackingNumber: 'CX00000000018GB', collectionDate: '2026-11-18T17:30:00+00:00', deliveryDate: '2026-11-19T23:59:00+00:00', from: 'Manchester', to: 'London', recipient: 'Sam Tester' };

  it('collected at the collection, in transit, out for delivery and delivered on the delivery day, the same every time', () => {
    const history = parcelHistory('Carrier X', parcel);
    assert.deepEqual(history.map((e) => [e.status, e.at]), [
      ['collected', '2026-11-18T17:30:00+00:00'],
      ['in_transit', '2026-11-18T20:30:00+00:00'],
      ['out_for_delivery', '2026-11-19T07:30:00+00:00'],
      ['delivered', '2026-11-19T12:00:00+00:00'],
    ]);
    assert.equal(history[3].signedBy, 'Sam Tester');
    assert.deepEqual(parcelHistory('Carrier X', parcel), history);
  });

  it('property: whatever the dates, four events in time order, the first at the collection', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 * 60 }), fc.integer({ min: 0, max: 5 }), (minute, days) => {
        const collection = new Date(Date.UTC(2026, 10, 18, 0, minute));
        const delivery = new Date(Date.UTC(2026, 10, 18 + days, 18));
        const history = parcelHistory('X', { ...parcel, collectionDate: collection.toISOString(), deliveryDate: delivery.toISOString() });
        const times = history.map((e) => Date.parse(e.at));
        assert.equal(times.length, 4);
        assert.equal(times[0], collection.getTime());
        for (let i = 1; i < 4; i++) assert.ok(times[i] > times[i - 1], JSON.stringify(history));
      }),
      { numRuns: 300 },
    );
  });
});

describe('reading a TimeStamp', () => {
  it('keeps its own offset (written as a number), takes none as UTC, and refuses what is not a date-time', () => {
    assert.deepEqual(readTimeStamp('2026-11-18T17:30:00Z'), { text: '2026-11-18T17:30:00+00:00', utc: '2026-11-18T17:30:00.000+00:00' });
    assert.deepEqual(readTimeStamp('2026-11-18T18:30:00.5+01:00'), { text: '2026-11-18T18:30:00.500+01:00', utc: '2026-11-18T17:30:00.500+00:00' });
    assert.deepEqual(readTimeStamp('2026-11-18T17:30'), { text: '2026-11-18T17:30:00+00:00', utc: '2026-11-18T17:30:00.000+00:00' });
    assert.equal(readTimeStamp('2026-11-18T12:00:00-0530')?.utc, '2026-11-18T17:30:00.000+00:00');
    for (const bad of ['yesterday', '2026-02-30T10:00:00Z', '2026-11-18T24:00:00Z', '2026-11-18T10:00:00+25:00', '']) assert.equal(readTimeStamp(bad), null, bad);
  });

  it('property: the same moment as luxon reads, for any moment and offset', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.integer({ min: -12 * 4, max: 14 * 4 }), fc.boolean(), (ms, quarters, millis) => {
        const dt = DateTime.fromMillis(millis ? ms : ms - (ms % 1000), { zone: 'utc' }).setZone(quarters === 0 ? 'utc' : `UTC${quarters > 0 ? '+' : '-'}${Math.floor(Math.abs(quarters) / 4)}:${String((Math.abs(quarters) % 4) * 15).padStart(2, '0')}`);
        const read = readTimeStamp(dt.toISO()!);
        assert.ok(read, dt.toISO()!);
        assert.equal(Date.parse(read.utc), dt.toMillis());
        assert.equal(Date.parse(read.text), dt.toMillis());
      }),
      { numRuns: 300 },
    );
  });
});
