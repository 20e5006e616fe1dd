import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DateTime, Settings } from 'luxon';
import type { CollectionCalendar, Weekday } from '../../src/domain/catalogue.js';
import type { RequestedDeliveryDate } from '../../src/domain/consignment.js';
import {
  COLLECTION_HORIZON_DAYS,
  atTime,
  collectionDateTime,
  deliveryDay,
  planDates,
  promiseMiss,
  requestedDay,
  type DatePlanInput,
} from '../../src/domain/dates.js';
import { calendar, plan } from '../support/domain-fixtures.js';

const LONDON = 'Europe/London';
const NEW_YORK = 'America/New_York';
const MON_FRI: Weekday[] = [1, 2, 3, 4, 5];

/** An instant written with an offset, viewed in a zone (as the shipping location sees it). */
function at(iso: string, zone = LONDON): DateTime {
  return DateTime.fromISO(iso, { setZone: true }).setZone(zone);
}

function iso(dt: DateTime | null | undefined): string | null {
  return dt ? dt.toISO({ suppressMilliseconds: true }) : null;
}

function input(overrides: Partial<DatePlanInput> = {}): DatePlanInput {
  return {
    now: DateTime.fromISO('2026-11-18T09:00:00Z'),
    shippingDate: null,
    timeZone: LONDON,
    calendar: calendar(),
    deliveryWeekdays: MON_FRI,
    transitDays: 1,
    deliveryWindow: { start: '09:00', end: '18:00' },
    ...overrides,
  };
}

function requested(date: string, exact = false, window: RequestedDeliveryDate['window'] = null): RequestedDeliveryDate {
  return { date, isToBeExactlyOnTheDateSpecified: exact, window };
}

describe('collection date', () => {
  // 2026-11-18 is a Wednesday; London is on GMT in November.
  it('collects the same day, at the collection time, when the cut-off has not passed', () => {
    assert.equal(iso(collectionDateTime(at('2026-11-18T09:00:00Z'), calendar())), '2026-11-18T17:30:00+00:00');
  });

  it('still collects the same day when booked exactly at the cut-off', () => {
    assert.equal(iso(collectionDateTime(at('2026-11-18T17:00:00Z'), calendar())), '2026-11-18T17:30:00+00:00');
  });

  it('moves to the next collection day once the cut-off has passed, even by a second', () => {
    assert.equal(iso(collectionDateTime(at('2026-11-18T17:00:01Z'), calendar())), '2026-11-19T17:30:00+00:00');
    assert.equal(iso(collectionDateTime(at('2026-11-18T23:59:59Z'), calendar())), '2026-11-19T17:30:00+00:00');
  });

  it('skips the weekend: after Friday’s cut-off, and on Saturday or Sunday, the collection is on Monday', () => {
    assert.equal(iso(collectionDateTime(at('2026-11-20T17:01:00Z'), calendar())), '2026-11-23T17:30:00+00:00');
    assert.equal(iso(collectionDateTime(at('2026-11-21T08:00:00Z'), calendar())), '2026-11-23T17:30:00+00:00');
    assert.equal(iso(collectionDateTime(at('2026-11-22T16:00:00Z'), calendar())), '2026-11-23T17:30:00+00:00');
  });

  it('skips non-working dates: Christmas Day and the Boxing Day substitute holiday', () => {
    const christmas = calendar({ nonWorkingDates: ['2026-12-25', '2026-12-28'] });
    // Thursday 24 December after the cut-off: Friday 25 and Monday 28 are holidays, so Tuesday 29
    assert.equal(iso(collectionDateTime(at('2026-12-24T18:00:00Z'), christmas)), '2026-12-29T17:30:00+00:00');
    // the same start without holidays collects on Friday 25
    assert.equal(iso(collectionDateTime(at('2026-12-24T18:00:00Z'), calendar())), '2026-12-25T17:30:00+00:00');
  });

  it('collects only on the calendar’s own weekdays (a Monday/Wednesday/Friday carrier)', () => {
    const mwf = calendar({ weekdays: [1, 3, 5], cutOffTime: '12:00', collectionTime: '14:00' });
    assert.equal(iso(collectionDateTime(at('2026-11-17T09:00:00Z'), mwf)), '2026-11-18T14:00:00+00:00'); // Tue → Wed
    assert.equal(iso(collectionDateTime(at('2026-11-18T12:30:00Z'), mwf)), '2026-11-20T14:00:00+00:00'); // Wed late → Fri
  });

  it('gives up (null) when there is no collection day within the horizon', () => {
    const mondays: string[] = [];
    for (let d = DateTime.fromISO('2026-11-23'); d < DateTime.fromISO('2027-03-01'); d = d.plus({ weeks: 1 })) mondays.push(d.toISODate()!);
    const mondaysOnly = calendar({ weekdays: [1], nonWorkingDates: mondays });
    assert.equal(collectionDateTime(at('2026-11-18T09:00:00Z'), mondaysOnly), null);
    assert.equal(COLLECTION_HORIZON_DAYS, 60);
  });

  describe('Europe/London across the clock changes of 2026', () => {
    it('March: after Friday 27’s cut-off (GMT) the collection is Monday 30 at 17:30 BST', () => {
      const c = collectionDateTime(at('2026-03-27T17:30:00Z'), calendar());
      assert.equal(iso(c), '2026-03-30T17:30:00+01:00');
      assert.equal(c!.toUTC().toISO(), '2026-03-30T16:30:00.000Z');
    });

    it('March: the cut-off follows the local clock, so 16:05 UTC on a BST day is already past 17:00', () => {
      assert.equal(iso(collectionDateTime(at('2026-03-30T15:59:00Z'), calendar())), '2026-03-30T17:30:00+01:00');
      assert.equal(iso(collectionDateTime(at('2026-03-30T16:05:00Z'), calendar())), '2026-03-31T17:30:00+01:00');
      // the same UTC time on the Friday before the change (GMT) is still before the cut-off
      assert.equal(iso(collectionDateTime(at('2026-03-27T16:05:00Z'), calendar())), '2026-03-27T17:30:00+00:00');
    });

    it('March: a start during the night of the change (Sunday 29) collects on Monday', () => {
      assert.equal(iso(collectionDateTime(at('2026-03-29T00:30:00Z'), calendar())), '2026-03-30T17:30:00+01:00');
      assert.equal(iso(collectionDateTime(at('2026-03-29T01:30:00+01:00'), calendar())), '2026-03-30T17:30:00+01:00');
    });

    it('October: after Friday 23’s cut-off (BST) the collection is Monday 26 at 17:30 GMT', () => {
      assert.equal(iso(collectionDateTime(at('2026-10-23T16:00:01Z'), calendar())), '2026-10-26T17:30:00+00:00');
      assert.equal(iso(collectionDateTime(at('2026-10-23T15:59:00Z'), calendar())), '2026-10-23T17:30:00+01:00');
    });

    it('October: the repeated hour of Sunday 25 does not move the collection', () => {
      assert.equal(iso(collectionDateTime(at('2026-10-25T01:30:00+01:00'), calendar())), '2026-10-26T17:30:00+00:00');
      assert.equal(iso(collectionDateTime(at('2026-10-25T01:30:00+00:00'), calendar())), '2026-10-26T17:30:00+00:00');
    });
  });

  describe('America/New_York (clocks change on 8 March and 1 November 2026)', () => {
    it('uses the New York clock for the cut-off and the collection time', () => {
      // Friday 6 March 16:59 EST is before the cut-off
      assert.equal(iso(collectionDateTime(at('2026-03-06T21:59:00Z', NEW_YORK), calendar())), '2026-03-06T17:30:00-05:00');
      // Friday 6 March 17:01 EST is after it: Monday 9 March, now on EDT
      assert.equal(iso(collectionDateTime(at('2026-03-06T22:01:00Z', NEW_YORK), calendar())), '2026-03-09T17:30:00-04:00');
      // Friday 30 October after the cut-off (EDT): Monday 2 November, on EST
      assert.equal(iso(collectionDateTime(at('2026-10-30T21:01:00Z', NEW_YORK), calendar())), '2026-11-02T17:30:00-05:00');
    });

    it('the same instant gives different days in London and New York', () => {
      // Wednesday 18 November 20:00 UTC: past the cut-off in London, 15:00 in New York
      assert.equal(iso(collectionDateTime(at('2026-11-18T20:00:00Z', LONDON), calendar())), '2026-11-19T17:30:00+00:00');
      assert.equal(iso(collectionDateTime(at('2026-11-18T20:00:00Z', NEW_YORK), calendar())), '2026-11-18T17:30:00-05:00');
    });
  });
});

describe('delivery day', () => {
  const wed = at('2026-11-18T17:30:00Z');

  it('is the collection day plus the transit days, counted in delivery weekdays', () => {
    assert.equal(deliveryDay(wed, 1, MON_FRI, calendar()).toISODate(), '2026-11-19');
    assert.equal(deliveryDay(wed, 2, MON_FRI, calendar()).toISODate(), '2026-11-20');
    assert.equal(deliveryDay(wed, 3, MON_FRI, calendar()).toISODate(), '2026-11-23'); // skips the weekend
    assert.equal(deliveryDay(wed, 3, [1, 2, 3, 4, 5, 6], calendar()).toISODate(), '2026-11-21'); // a carrier that delivers on Saturdays
  });

  it('is the collection day itself with zero transit days', () => {
    assert.equal(deliveryDay(wed, 0, MON_FRI, calendar()).toISODate(), '2026-11-18');
  });

  it('skips non-working dates', () => {
    const holidays = calendar({ nonWorkingDates: ['2026-12-25', '2026-12-28'] });
    const thu24 = at('2026-12-24T17:30:00Z');
    assert.equal(deliveryDay(thu24, 1, MON_FRI, holidays).toISODate(), '2026-12-29');
    assert.equal(deliveryDay(thu24, 2, MON_FRI, holidays).toISODate(), '2026-12-30');
  });

  it('counts days on the local calendar across the clock change', () => {
    const fri27March = at('2026-03-27T17:30:00Z');
    const day = deliveryDay(fri27March, 1, MON_FRI, calendar());
    assert.equal(day.toISODate(), '2026-03-30');
    assert.equal(iso(atTime(day, '09:00')), '2026-03-30T09:00:00+01:00');
  });
});

describe('planDates', () => {
  it('plans collection now-or-next and delivery with the service’s window', () => {
    const p = planDates(input());
    assert.ok(p);
    assert.equal(iso(p.collection), '2026-11-18T17:30:00+00:00');
    assert.equal(iso(p.earliestDelivery), '2026-11-19T09:00:00+00:00');
    assert.equal(iso(p.latestDelivery), '2026-11-19T18:00:00+00:00');
  });

  it('starts from a shipping date in the future', () => {
    const p = planDates(input({ shippingDate: '2026-11-23T10:00:00+00:00', transitDays: 2 }));
    assert.equal(iso(p?.collection), '2026-11-23T17:30:00+00:00');
    assert.equal(iso(p?.earliestDelivery), '2026-11-25T09:00:00+00:00');
  });

  it('starts from a future shipping date after its cut-off on the next collection day', () => {
    const p = planDates(input({ shippingDate: '2026-11-20T18:00:00+00:00' }));
    assert.equal(iso(p?.collection), '2026-11-23T17:30:00+00:00');
  });

  it('reads a shipping date written with another offset as the same instant', () => {
    // 12:30 in New York is 17:30 in London: past the 17:00 cut-off
    const p = planDates(input({ shippingDate: '2026-11-23T12:30:00-05:00' }));
    assert.equal(iso(p?.collection), '2026-11-24T17:30:00+00:00');
  });

  it('ignores a shipping date in the past and plans from now', () => {
    const p = planDates(input({ shippingDate: '2026-11-01T10:00:00+00:00' }));
    assert.equal(iso(p?.collection), '2026-11-18T17:30:00+00:00');
  });

  it('plans in the shipping location’s zone, whatever zone now is given in', () => {
    const p = planDates(input({ now: DateTime.fromISO('2026-11-18T18:00:00+09:00', { setZone: true }) }));
    assert.equal(iso(p?.collection), '2026-11-18T17:30:00+00:00');
    const ny = planDates(input({ timeZone: NEW_YORK, now: DateTime.fromISO('2026-11-18T20:00:00Z') }));
    assert.equal(iso(ny?.collection), '2026-11-18T17:30:00-05:00');
    assert.equal(iso(ny?.earliestDelivery), '2026-11-19T09:00:00-05:00');
  });

  it('plans a delivery window on the far side of the October clock change in local time', () => {
    const p = planDates(input({ now: DateTime.fromISO('2026-10-23T09:00:00Z') }));
    assert.equal(iso(p?.collection), '2026-10-23T17:30:00+01:00');
    assert.equal(iso(p?.earliestDelivery), '2026-10-26T09:00:00+00:00');
    assert.equal(iso(p?.latestDelivery), '2026-10-26T18:00:00+00:00');
  });

  it('is null when there is no collection day within the horizon', () => {
    const closed = calendar({ weekdays: [1], nonWorkingDates: Array.from({ length: 10 }, (_, i) => DateTime.fromISO('2026-11-23').plus({ weeks: i }).toISODate()!) });
    assert.equal(planDates(input({ calendar: closed })), null);
  });
});

describe('delivery promise', () => {
  // the plan delivers on Thursday 19 November 2026, 09:00–18:00 London time
  const thursday = plan('2026-11-19');

  it('an exact date is kept only on that very day', () => {
    assert.equal(promiseMiss(thursday, requested('2026-11-19T00:00:00+00:00', true)), null);
    assert.equal(
      promiseMiss(thursday, requested('2026-11-20T00:00:00+00:00', true)),
      'delivery would be on 2026-11-19; the consignment must be delivered exactly on 2026-11-20',
    );
    assert.match(promiseMiss(thursday, requested('2026-11-18T00:00:00+00:00', true)) ?? '', /exactly on 2026-11-18/);
  });

  it('a by-date is kept on or before the day', () => {
    assert.equal(promiseMiss(thursday, requested('2026-11-19T00:00:00+00:00')), null);
    assert.equal(promiseMiss(thursday, requested('2026-11-25T00:00:00+00:00')), null);
    assert.equal(
      promiseMiss(thursday, requested('2026-11-18T00:00:00+00:00')),
      'delivery would be on 2026-11-19; the consignment must be delivered by 2026-11-18',
    );
  });

  it('the requested day is the calendar day as written, with its own offset', () => {
    assert.equal(requestedDay(requested('2026-11-19T23:30:00-05:00')), '2026-11-19');
    assert.equal(requestedDay(requested('2026-11-19T00:30:00+14:00')), '2026-11-19');
    assert.equal(requestedDay(requested('2026-11-19')), '2026-11-19');
    assert.equal(promiseMiss(thursday, requested('2026-11-19T23:30:00-05:00', true)), null);
  });

  it('a window is kept only when the whole delivery window lies inside it', () => {
    assert.equal(promiseMiss(thursday, requested('2026-11-19T00:00:00Z', true, { start: '08:00:00', end: '20:00:00' })), null);
    assert.equal(promiseMiss(thursday, requested('2026-11-19T00:00:00Z', true, { start: '09:00', end: '18:00' })), null);
    assert.equal(
      promiseMiss(thursday, requested('2026-11-19T00:00:00Z', true, { start: '10:00:00', end: '12:00:00' })),
      'delivery window is 09:00-18:00; the consignment requires 10:00-12:00',
    );
    assert.match(promiseMiss(thursday, requested('2026-11-19T00:00:00Z', false, { start: '09:00', end: '17:59' })) ?? '', /requires 09:00-17:59/);
    // a timed service fits a morning window
    assert.equal(promiseMiss(plan('2026-11-19', { start: '07:00', end: '10:30' }), requested('2026-11-19T00:00:00Z', true, { start: '07:00', end: '12:00' })), null);
  });

  it('a missed day is reported before the window', () => {
    assert.match(promiseMiss(thursday, requested('2026-11-18T00:00:00Z', true, { start: '10:00', end: '12:00' })) ?? '', /^delivery would be on/);
  });
});

describe('date properties', () => {
  const ZONES = ['Europe/London', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'Pacific/Auckland', 'America/Santiago'];
  const RANGE_START = Date.parse('2026-01-01T00:00:00Z');
  const RANGE_END = Date.parse('2027-12-31T00:00:00Z');
  /** Clock changes of 2026 in the zones above, where bugs like to live. */
  const TRANSITIONS = ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-04-04T16:00:00Z', '2026-10-03T16:00:00Z', '2026-09-06T04:00:00Z', '2026-04-05T03:00:00Z'].map(Date.parse);

  const instant = fc.oneof(
    fc.integer({ min: RANGE_START, max: RANGE_END }),
    fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -4 * 86_400_000, max: 4 * 86_400_000 })).map(([t, d]) => t + d),
  );
  const zone = fc.constantFrom(...ZONES);
  const hhmm = (minHour: number, maxHour: number) =>
    fc.tuple(fc.integer({ min: minHour, max: maxHour }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const weekdays = fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }).map((w) => w.sort() as Weekday[]);
  /** A calendar plus non-working dates near the start, so that they matter. */
  const scenario = fc
    .record({
      startMs: instant,
      zone,
      weekdays,
      cutOff: hhmm(6, 20),
      collectionDelayMin: fc.integer({ min: 0, max: 120 }),
      holidayOffsets: fc.uniqueArray(fc.integer({ min: -1, max: 20 }), { maxLength: 5 }),
      deliveryWeekdays: weekdays,
      transitDays: fc.integer({ min: 0, max: 10 }),
    })
    .map((s) => {
      const start = DateTime.fromMillis(s.startMs, { zone: s.zone });
      const [h, m] = s.cutOff.split(':').map(Number);
      const collectionMinutes = Math.min(h * 60 + m + s.collectionDelayMin, 22 * 60);
      const cal: CollectionCalendar = {
        weekdays: s.weekdays,
        cutOffTime: s.cutOff,
        collectionTime: `${String(Math.floor(collectionMinutes / 60)).padStart(2, '0')}:${String(collectionMinutes % 60).padStart(2, '0')}`,
        nonWorkingDates: s.holidayOffsets.map((d) => start.plus({ days: d }).toISODate()!),
      };
      return { ...s, start, cal };
    });

  function isCollectionDay(day: DateTime, cal: CollectionCalendar): boolean {
    return cal.weekdays.includes(day.weekday as Weekday) && !cal.nonWorkingDates.includes(day.toISODate()!);
  }

  it('property: the collection is the first calendar weekday, not a non-working date, at or after the start whose cut-off has not passed', () => {
    fc.assert(
      fc.property(scenario, ({ start, cal, zone: z }) => {
        const c = collectionDateTime(start, cal);
        assert.ok(c, 'at most 5 non-working dates cannot close a calendar for 60 days');
        assert.equal(c.zoneName, z);
        assert.ok(cal.weekdays.includes(c.weekday as Weekday), `weekday ${c.weekday}`);
        assert.ok(!cal.nonWorkingDates.includes(c.toISODate()!), `non-working ${c.toISODate()}`);
        assert.equal(c.toFormat('HH:mm'), cal.collectionTime);
        const startDay = start.toISODate()!;
        assert.ok(c.toISODate()! >= startDay, 'never before the start day');
        assert.ok(c >= start, 'never before the start (collection time is not before the cut-off)');
        if (c.toISODate() === startDay) assert.ok(start <= atTime(start, cal.cutOffTime), 'same day only when the cut-off has not passed');
        // the first such day: every day between the start and the collection was not usable
        for (let d = start.startOf('day'); d.toISODate()! < c.toISODate()!; d = d.plus({ days: 1 })) {
          const usable = isCollectionDay(d, cal) && start <= atTime(d, cal.cutOffTime);
          assert.ok(!usable, `${d.toISODate()} was usable before ${c.toISODate()}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('property: delivery is exactly transitDays working delivery days after the collection day', () => {
    fc.assert(
      fc.property(scenario, ({ start, cal, deliveryWeekdays, transitDays }) => {
        const c = collectionDateTime(start, cal)!;
        const day = deliveryDay(c, transitDays, deliveryWeekdays, cal);
        let counted = 0;
        for (let d = c.startOf('day').plus({ days: 1 }); d.toISODate()! <= day.toISODate()!; d = d.plus({ days: 1 })) {
          if (deliveryWeekdays.includes(d.weekday as Weekday) && !cal.nonWorkingDates.includes(d.toISODate()!)) counted++;
        }
        assert.equal(counted, transitDays);
        if (transitDays === 0) assert.equal(day.toISODate(), c.toISODate());
        else {
          assert.ok(deliveryWeekdays.includes(day.weekday as Weekday), 'delivered on a delivery weekday');
          assert.ok(!cal.nonWorkingDates.includes(day.toISODate()!), 'never on a non-working date');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('property: the plan is the same whatever zone the clock reports now in, and whatever the process zone', () => {
    const original = Settings.defaultZone;
    try {
      fc.assert(
        fc.property(scenario, zone, zone, fc.option(fc.integer({ min: 0, max: 30 * 86_400_000 })), ({ start, cal, zone: z, deliveryWeekdays, transitDays }, clockZone, processZone, ahead) => {
          const now = start.setZone('UTC');
          const shippingDate = ahead === null ? null : start.plus({ milliseconds: ahead }).setZone(clockZone).toISO();
          const base: DatePlanInput = { now, shippingDate, timeZone: z, calendar: cal, deliveryWeekdays, transitDays, deliveryWindow: { start: '09:00', end: '18:00' } };
          Settings.defaultZone = 'UTC';
          const reference = planDates(base);
          Settings.defaultZone = processZone;
          const other = planDates({ ...base, now: now.setZone(clockZone) });
          assert.ok(reference && other);
          assert.equal(iso(other.collection), iso(reference.collection));
          assert.equal(iso(other.earliestDelivery), iso(reference.earliestDelivery));
          assert.equal(iso(other.latestDelivery), iso(reference.latestDelivery));
          assert.equal(reference.collection.zoneName, z);
        }),
        { numRuns: 100 },
      );
    } finally {
      Settings.defaultZone = original;
    }
  });

  it('property: a by-date promise is kept exactly when delivery is on or before the day, and an exact one only on the day', () => {
    const day = fc.integer({ min: 0, max: 700 }).map((d) => DateTime.fromISO('2026-01-01', { zone: LONDON }).plus({ days: d }));
    fc.assert(
      fc.property(day, day, fc.boolean(), (delivery, wanted, exact) => {
        const p = plan(delivery.toISODate()!);
        const miss = promiseMiss(p, requested(`${wanted.toISODate()}T12:00:00+00:00`, exact));
        const kept = exact ? delivery.toISODate() === wanted.toISODate() : delivery.toISODate()! <= wanted.toISODate()!;
        assert.equal(miss === null, kept, `${delivery.toISODate()} vs ${wanted.toISODate()} exact=${exact}: ${miss}`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('how long a plan holds (validUntil)', () => {
  const cal = { weekdays: [1, 2, 3, 4, 5] as Weekday[], cutOffTime: '17:00', collectionTime: '17:30', nonWorkingDates: [] };
  const input = (now: string, shippingDate: string | null = null) => ({
    now: DateTime.fromISO(now, { zone: 'utc' }),
    shippingDate,
    timeZone: 'Europe/London',
    calendar: cal,
    deliveryWeekdays: [1, 2, 3, 4, 5] as Weekday[],
    transitDays: 1,
    deliveryWindow: { start: '09:00', end: '18:00' },
  });

  it('holds until just after the start day’s cut-off while the cut-off is still ahead', () => {
    const plan = planDates(input('2026-11-18T09:00:00Z'))!;
    assert.equal(plan.validUntil, DateTime.fromISO('2026-11-18T17:00:00.001Z').toMillis());
  });

  it('holds until the end of the start day once its cut-off has passed', () => {
    const plan = planDates(input('2026-11-18T17:30:00Z'))!;
    assert.equal(plan.validUntil, DateTime.fromISO('2026-11-19T00:00:00Z').toMillis());
  });

  it('holds until a future shipping date arrives', () => {
    const plan = planDates(input('2026-11-18T09:00:00Z', '2026-11-25T09:00:00+00:00'))!;
    assert.equal(plan.validUntil, DateTime.fromISO('2026-11-25T09:00:00.001Z').toMillis());
  });

  it('gives the same plan for any moment before it expires, and may differ after (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 * 24 * 60 }), fc.integer({ min: 0, max: 3 * 24 * 60 }), (startMinute, laterMinute) => {
        const t0 = DateTime.fromISO('2026-11-16T00:00:00Z').plus({ minutes: startMinute });
        const p0 = planDates({ ...input(t0.toISO()!), now: t0 })!;
        const t1 = t0.plus({ minutes: laterMinute });
        if (t1.toMillis() >= p0.validUntil) return;
        const p1 = planDates({ ...input(t1.toISO()!), now: t1 })!;
        assert.equal(p1.collection.toMillis(), p0.collection.toMillis());
        assert.equal(p1.earliestDelivery.toMillis(), p0.earliestDelivery.toMillis());
      }),
      { numRuns: 200 },
    );
  });
});
