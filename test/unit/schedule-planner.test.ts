/**
 * SchedulePlanner keys a plan on what it depends on (service, time zone, the start's local day and
 * whether the start is before that day's cut-off), so consignments with different ShippingDate
 * times share plans, and a plan is never reused where it would be wrong.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { SchedulePlanner } from '../../src/domain/allocation.js';
import { planDates } from '../../src/domain/dates.js';
import { catalogueIndex, consignmentData, service } from '../support/domain-fixtures.js';

const svc = service();
const catalogue = catalogueIndex({ services: [svc] });
const now = DateTime.fromISO('2026-11-18T09:00:00Z'); // a Wednesday

describe('SchedulePlanner', () => {
  it('shares one plan between shipping times of the same day on the same side of the cut-off', () => {
    const planner = new SchedulePlanner(catalogue);
    const a = planner.scheduleFor(consignmentData({ shippingDate: '2026-11-19T08:00:17+00:00' }), svc, now);
    const b = planner.scheduleFor(consignmentData({ shippingDate: '2026-11-19T16:59:00+00:00' }), svc, now);
    assert.ok(a && a === b);
    const late = planner.scheduleFor(consignmentData({ shippingDate: '2026-11-19T17:00:01+00:00' }), svc, now);
    assert.notEqual(late?.collectionDate, a.collectionDate, 'after the cut-off, collection moves to the next day');
  });

  it('treats a ShippingDate already past as "as soon as possible"', () => {
    const planner = new SchedulePlanner(catalogue);
    const asap = planner.scheduleFor(consignmentData(), svc, now);
    const past = planner.scheduleFor(consignmentData({ shippingDate: '2026-11-01T10:00:00+00:00' }), svc, now);
    assert.ok(asap && asap === past);
  });

  it('gives the plan planDates gives, for any shipping date and moment (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 * 24 * 60 }), fc.integer({ min: -3 * 24 * 60, max: 14 * 24 * 60 }), (nowMinutes, startMinutes) => {
        const planner = new SchedulePlanner(catalogue);
        const at = now.plus({ minutes: nowMinutes });
        const shippingDate = now.plus({ minutes: startMinutes }).setZone('Europe/London').toISO()!;
        const data = consignmentData({ shippingDate });
        // Warm the cache with another time on the same day, then ask for this one.
        planner.scheduleFor(consignmentData({ shippingDate: DateTime.fromISO(shippingDate).startOf('day').plus({ hours: 8 }).toISO()! }), svc, at);
        const cached = planner.scheduleFor(data, svc, at);
        const direct = planDates({ now: at, shippingDate, timeZone: 'Europe/London', calendar: catalogue.calendarOf(svc), deliveryWeekdays: catalogue.carrierOf(svc).deliveryWeekdays, transitDays: svc.transitDays, deliveryWindow: svc.deliveryWindow });
        assert.equal(cached?.plan.collection.toISO(), direct?.collection.toISO());
        assert.equal(cached?.plan.earliestDelivery.toISO(), direct?.earliestDelivery.toISO());
      }),
      { numRuns: 300 },
    );
  });
});
