/**
 * Collection and delivery dates (decisions.md §4.7). All calendar arithmetic happens in the
 * shipping location's time zone, so cut-offs and working days follow local clocks through DST.
 */
import { DateTime } from 'luxon';
import type { CollectionCalendar, Weekday } from './catalogue.js';
import type { RequestedDeliveryDate } from './consignment.js';

/** How far ahead a collection day is searched for before giving up. */
export const COLLECTION_HORIZON_DAYS = 60;

export interface DatePlan {
  collection: DateTime;
  earliestDelivery: DateTime;
  latestDelivery: DateTime;
  /**
   * Until when (epoch ms, exclusive) planning again with a later "now" gives this same plan: the
   * start day's cut-off or its end, or, for a future shipping date, that date. Plans are cached on it.
   */
  validUntil: number;
}

export interface DatePlanInput {
  now: DateTime;
  /** ISO date-time with offset; null means "as soon as possible". */
  shippingDate: string | null;
  timeZone: string;
  calendar: CollectionCalendar;
  deliveryWeekdays: Weekday[];
  transitDays: number;
  deliveryWindow: { start: string; end: string };
}

export function atTime(day: DateTime, hhmm: string): DateTime {
  const [h, m, s] = hhmm.split(':').map(Number);
  return day.set({ hour: h, minute: m, second: s || 0, millisecond: 0 });
}

function isNonWorking(day: DateTime, calendar: CollectionCalendar): boolean {
  return calendar.nonWorkingDates.includes(day.toISODate() ?? '');
}

/** The first collection day at or after the start whose cut-off has not passed, at its collection time. */
export function collectionDateTime(start: DateTime, calendar: CollectionCalendar): DateTime | null {
  const firstDay = start.startOf('day');
  for (let d = 0; d <= COLLECTION_HORIZON_DAYS; d++) {
    const day = firstDay.plus({ days: d });
    if (!calendar.weekdays.includes(day.weekday as Weekday) || isNonWorking(day, calendar)) continue;
    if (start <= atTime(day, calendar.cutOffTime)) return atTime(day, calendar.collectionTime);
  }
  return null;
}

/** The day that is `transitDays` working days after the collection day. */
export function deliveryDay(
  collection: DateTime,
  transitDays: number,
  deliveryWeekdays: Weekday[],
  calendar: CollectionCalendar,
): DateTime {
  let day = collection.startOf('day');
  let remaining = transitDays;
  while (remaining > 0) {
    day = day.plus({ days: 1 });
    if (deliveryWeekdays.includes(day.weekday as Weekday) && !isNonWorking(day, calendar)) remaining--;
  }
  return day;
}

export function planDates(input: DatePlanInput): DatePlan | null {
  const now = input.now.setZone(input.timeZone);
  const requested = input.shippingDate ? DateTime.fromISO(input.shippingDate, { setZone: true }).setZone(input.timeZone) : null;
  const start = requested && requested > now ? requested : now;
  const collection = collectionDateTime(start, input.calendar);
  if (!collection) return null;
  const day = deliveryDay(collection, input.transitDays, input.deliveryWeekdays, input.calendar);
  return {
    collection,
    earliestDelivery: atTime(day, input.deliveryWindow.start),
    latestDelivery: atTime(day, input.deliveryWindow.end),
    validUntil: validUntil(now, start, input.calendar),
  };
}

/** See DatePlan.validUntil: "now" only matters through the start day and that day's cut-off. */
function validUntil(now: DateTime, start: DateTime, calendar: CollectionCalendar): number {
  if (start > now) return start.toMillis() + 1;
  const cutOff = atTime(start.startOf('day'), calendar.cutOffTime);
  const nextDay = start.startOf('day').plus({ days: 1 });
  return (start <= cutOff ? cutOff.plus({ milliseconds: 1 }) : nextDay).toMillis();
}

/** The calendar day a requested date names, as written (its own offset kept). */
export function requestedDay(requested: RequestedDeliveryDate): string {
  return DateTime.fromISO(requested.date, { setZone: true }).toISODate() ?? requested.date.slice(0, 10);
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + (m || 0);
}

/**
 * Why a plan misses the requested delivery promise, or null when it keeps it. A requested window
 * is kept only when the service's whole delivery window lies inside it.
 */
export function promiseMiss(plan: DatePlan, requested: RequestedDeliveryDate): string | null {
  const wanted = requestedDay(requested);
  const actual = plan.earliestDelivery.toISODate() ?? '';
  if (requested.isToBeExactlyOnTheDateSpecified ? actual !== wanted : actual > wanted) {
    const how = requested.isToBeExactlyOnTheDateSpecified ? 'exactly on' : 'by';
    return `delivery would be on ${actual}; the consignment must be delivered ${how} ${wanted}`;
  }
  const w = requested.window;
  if (w) {
    const from = plan.earliestDelivery.toFormat('HH:mm');
    const to = plan.latestDelivery.toFormat('HH:mm');
    if (minutes(from) < minutes(w.start) || minutes(to) > minutes(w.end)) {
      return `delivery window is ${from}-${to}; the consignment requires ${w.start.slice(0, 5)}-${w.end.slice(0, 5)}`;
    }
  }
  return null;
}

export function isoWithOffset(dt: DateTime): string {
  return dt.toISO({ suppressMilliseconds: true }) ?? '';
}

/** A moment as the API writes timestamps: UTC with a numeric offset (+00:00), like every other date-time it emits. */
export function utcTimestamp(dt: DateTime): string {
  return new Date(dt.toMillis()).toISOString().replace(/Z$/, '+00:00');
}
