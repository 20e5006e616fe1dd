/** The published collection calendar (models.md §5.5), from the catalogue's calendars: the pure mapping. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { CollectionCalendar, Weekday } from '../../src/domain/catalogue.js';
import { carrierCalendar, nameBasedGuid, type CarrierCalendar, type CarrierCalendarInput } from '../../src/domain/collection-calendar.js';
import { calendar } from '../support/domain-fixtures.js';

const GUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function input(overrides: Partial<CarrierCalendarInput> = {}): CarrierCalendarInput {
  return {
    carrierReference: 'CARRIER_X',
    carrierCalendar: calendar({ nonWorkingDates: ['2026-12-25'] }),
    services: [],
    shippingLocationReference: 'WH-MAN-01',
    timeZone: 'Europe/London',
    ...overrides,
  };
}

const svc = (serviceReference: string, cal: CollectionCalendar) => ({ serviceReference, calendar: cal });

/** What the published calendar says of one service: the rules and exceptions that apply to it (naming it, or nobody). */
function appliesTo(published: CarrierCalendar, service: string) {
  const applies = (refs: string[]) => refs.length === 0 || refs.includes(service);
  return {
    rules: published.rules.filter((r) => applies(r.serviceReferences)).map((r) => [r.weekday, r.times.cutOffTime, r.times.manifestTime]),
    exceptions: published.exceptions.filter((e) => applies(e.serviceReferences)).map((e) => [e.day, e.type]),
  };
}

describe('carrierCalendar', () => {
  it('publishes a carrier whose services all follow its calendar as rules and exceptions for every service', () => {
    const cal = calendar({ weekdays: [1, 3, 5], cutOffTime: '12:00', collectionTime: '14:00', nonWorkingDates: ['2027-01-01', '2026-12-25'] });
    const published = carrierCalendar(input({ carrierCalendar: cal, services: [svc('EL-EU-ROAD', cal), svc('EL-OTHER', cal)] }));
    assert.equal(published.carrierReference, 'CARRIER_X');
    assert.equal(published.shippingLocationReference, 'WH-MAN-01');
    assert.deepEqual(
      published.rules.map((r) => ({ weekday: r.weekday, times: r.times, services: r.serviceReferences })),
      [1, 3, 5].map((weekday) => ({ weekday, times: { cutOffTime: '12:00:00', manifestTime: '14:00:00' }, services: [] })),
    );
    assert.deepEqual(
      published.exceptions.map((e) => [e.day, e.date, e.type, e.times.cutOffTime, e.serviceReferences]),
      [
        ['2026-12-25', '2026-12-25T00:00:00+00:00', 'Cancelled', '12:00:00', []],
        ['2027-01-01', '2027-01-01T00:00:00+00:00', 'Cancelled', '12:00:00', []],
      ],
    );
  });

  it('dates each exception at midnight of the location’s own clock, through summer time', () => {
    const cal = calendar({ nonWorkingDates: ['2027-05-31', '2027-01-01'] });
    const london = carrierCalendar(input({ carrierCalendar: cal }));
    assert.deepEqual(london.exceptions.map((e) => e.date), ['2027-01-01T00:00:00+00:00', '2027-05-31T00:00:00+01:00']);
    const newYork = carrierCalendar(input({ carrierCalendar: cal, timeZone: 'America/New_York' }));
    assert.deepEqual(newYork.exceptions.map((e) => e.date), ['2027-01-01T00:00:00-05:00', '2027-05-31T00:00:00-04:00']);
  });

  it('with no service in scope, publishes the carrier’s own calendar for every service', () => {
    const published = carrierCalendar(input({ services: [] }));
    assert.deepEqual(published.rules.map((r) => [r.weekday, r.serviceReferences]), [[1, []], [2, []], [3, []], [4, []], [5, []]]);
    assert.deepEqual(published.exceptions.map((e) => [e.day, e.serviceReferences]), [['2026-12-25', []]]);
  });

  it('names the services on each side when one service has a calendar of its own', () => {
    const carrierCal = calendar({ nonWorkingDates: ['2026-12-25', '2026-12-28'] });
    const dropOff = calendar({ weekdays: [1, 2, 3, 4, 5, 6], cutOffTime: '18:00', collectionTime: '18:30', nonWorkingDates: ['2026-12-25'] });
    const published = carrierCalendar(input({ carrierCalendar: carrierCal, services: [svc('A', carrierCal), svc('DROP', dropOff), svc('B', carrierCal)] }));
    assert.deepEqual(
      published.rules.map((r) => [r.weekday, r.times.cutOffTime, r.serviceReferences]),
      [
        [1, '17:00:00', ['A', 'B']],
        [1, '18:00:00', ['DROP']],
        [2, '17:00:00', ['A', 'B']],
        [2, '18:00:00', ['DROP']],
        [3, '17:00:00', ['A', 'B']],
        [3, '18:00:00', ['DROP']],
        [4, '17:00:00', ['A', 'B']],
        [4, '18:00:00', ['DROP']],
        [5, '17:00:00', ['A', 'B']],
        [5, '18:00:00', ['DROP']],
        [6, '18:00:00', ['DROP']],
      ],
    );
    assert.deepEqual(
      published.exceptions.map((e) => [e.day, e.times.manifestTime, e.serviceReferences]),
      [
        ['2026-12-25', '17:30:00', ['A', 'B']],
        ['2026-12-25', '18:30:00', ['DROP']],
        ['2026-12-28', '17:30:00', ['A', 'B']],
      ],
    );
  });

  it('merges what a service’s own calendar shares with the carrier’s: only the difference names it', () => {
    const carrierCal = calendar();
    const withSaturday = calendar({ weekdays: [1, 2, 3, 4, 5, 6], nonWorkingDates: ['2026-12-26'] });
    const published = carrierCalendar(input({ carrierCalendar: carrierCal, services: [svc('A', carrierCal), svc('SAT', withSaturday)] }));
    assert.deepEqual(published.rules.map((r) => [r.weekday, r.serviceReferences]), [[1, []], [2, []], [3, []], [4, []], [5, []], [6, ['SAT']]]);
    assert.deepEqual(published.exceptions.map((e) => [e.day, e.serviceReferences]), [['2026-12-26', ['SAT']]]);
  });

  it('gives every rule and exception a version-5 guid of its content: the same each time, distinct within the calendar', () => {
    const dropOff = calendar({ weekdays: [1, 6], cutOffTime: '18:00', collectionTime: '18:30', nonWorkingDates: ['2026-12-25'] });
    const make = (o: Partial<CarrierCalendarInput> = {}) => carrierCalendar(input({ services: [svc('A', calendar({ nonWorkingDates: ['2026-12-25'] })), svc('DROP', dropOff)], ...o }));
    const ids = (c: CarrierCalendar) => [...c.rules, ...c.exceptions].map((x) => x.id);
    const first = ids(make());
    for (const id of first) assert.match(id, GUID_V5);
    assert.equal(new Set(first).size, first.length);
    assert.deepEqual(ids(make()), first);
    // Another location or carrier has calendars of its own: none of its Ids is one of these.
    for (const other of [make({ shippingLocationReference: 'LDS-DC1' }), make({ carrierReference: 'SKYWAY' })]) {
      assert.equal(ids(other).filter((id) => first.includes(id)).length, 0);
    }
    // A change of times is another rule.
    const later = make({ services: [svc('A', calendar({ cutOffTime: '16:00', nonWorkingDates: ['2026-12-25'] })), svc('DROP', dropOff)] });
    assert.notEqual(later.rules[0].id, make().rules[0].id);
  });

  it('nameBasedGuid is deterministic and sets the version and variant bits', () => {
    assert.equal(nameBasedGuid('x'), nameBasedGuid('x'));
    assert.notEqual(nameBasedGuid('x'), nameBasedGuid('y'));
    assert.match(nameBasedGuid(''), GUID_V5);
  });

  it('says of every service exactly what its own calendar says (property)', () => {
    const hhmm = fc.tuple(fc.integer({ min: 0, max: 22 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => [h, m] as const);
    const day = fc.integer({ min: 0, max: 30 }).map((d) => `2027-01-${String(d + 1).padStart(2, '0')}`);
    const aCalendar = fc
      .record({
        weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        cut: hhmm,
        nonWorkingDates: fc.uniqueArray(day, { maxLength: 5 }),
        late: fc.boolean(),
      })
      .map(({ weekdays, cut: [h, m], nonWorkingDates, late }) => {
        const cutOffTime = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
        const collectionTime = late ? `${String(h + 1).padStart(2, '0')}:${String(m).padStart(2, '0')}` : cutOffTime;
        return { weekdays: weekdays as Weekday[], cutOffTime, collectionTime, nonWorkingDates };
      });
    // A few calendars shared among a few services, as a catalogue would have them.
    const world = fc.record({
      calendars: fc.array(aCalendar, { minLength: 1, maxLength: 3 }),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
    });
    fc.assert(
      fc.property(world, ({ calendars, picks }) => {
        const services = picks.map((p, i) => svc(`S${i}`, calendars[p % calendars.length]));
        const published = carrierCalendar(input({ carrierCalendar: calendars[0], services }));
        for (const { serviceReference, calendar: own } of services) {
          const seen = appliesTo(published, serviceReference);
          const expectedRules = [...own.weekdays].sort((a, b) => a - b).map((d) => [d, `${own.cutOffTime}:00`, `${own.collectionTime}:00`]);
          assert.deepEqual(seen.rules, expectedRules, serviceReference);
          assert.deepEqual(seen.exceptions, [...own.nonWorkingDates].sort().map((d) => [d, 'Cancelled']), serviceReference);
        }
        const ids = [...published.rules, ...published.exceptions].map((x) => x.id);
        assert.equal(new Set(ids).size, ids.length);
        // A rule names services only when it does not apply to them all.
        for (const r of [...published.rules, ...published.exceptions]) assert.notEqual(r.serviceReferences.length, services.length);
      }),
      { numRuns: 200 },
    );
  });
});
