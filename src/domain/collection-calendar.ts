/**
 * A carrier's collection calendar at a shipping location, as SortedPRO publishes it (models.md
 * §5.5): rules per weekday and exceptions per date, each naming the services it applies to, an
 * empty list meaning every service. The catalogue holds one calendar per carrier and optional
 * per-service calendars; this turns them into rules and exceptions that say the same thing
 * unambiguously: a service is governed on a day by exactly the rules that name it (or name
 * nobody), so a service with a calendar of its own never falls under the carrier's rules.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { CollectionCalendar, Weekday } from './catalogue.js';

/** One service of the carrier, with the calendar it collects by (its own, or the carrier's). */
export interface ServiceCalendar {
  serviceReference: string;
  calendar: CollectionCalendar;
}

export interface CarrierCalendarInput {
  carrierReference: string;
  /** The carrier's own calendar: what the published calendar says when no service is in scope. */
  carrierCalendar: CollectionCalendar;
  /** The carrier's services in scope (those the subscription has enabled), in catalogue order. */
  services: ServiceCalendar[];
  shippingLocationReference: string;
  /** The location's IANA zone: every time is its wall-clock time, and exception dates are its midnights. */
  timeZone: string;
}

/** When things happen on a collection day, "HH:mm:ss" wall-clock times on that day (offset 0 days). */
export interface OperationTimes {
  /** When the carrier collects the day's manifested consignments (the catalogue's CollectionTime). */
  manifestTime: string;
  /** The latest a consignment can be allocated and manifested for that day's collection. */
  cutOffTime: string;
}

export interface CalendarRule {
  id: string;
  weekday: Weekday;
  times: OperationTimes;
  /** Empty: every service of the carrier. */
  serviceReferences: string[];
}

export type CalendarExceptionType = 'ReScheduled' | 'Cancelled';

export interface CalendarException {
  id: string;
  /** ISO date (yyyy-MM-dd). */
  day: string;
  /** The start of that day in the location's zone, ISO 8601 with offset. */
  date: string;
  /** The times of the collection it cancels. */
  times: OperationTimes;
  type: CalendarExceptionType;
  serviceReferences: string[];
}

export interface CarrierCalendar {
  carrierReference: string;
  shippingLocationReference: string;
  /** By weekday (Monday first), then by the services they name. */
  rules: CalendarRule[];
  /** By date, then by the services they name. */
  exceptions: CalendarException[];
}

/** Fixed namespace of the calendar's name-based guids (RFC 9562 §5.5, version 5). */
const NAMESPACE = Buffer.from('6b0d4f8e3c2a5d17a9e1f04b7c3d2e58', 'hex');

/**
 * A version-5 (SHA-1, name-based) guid of a name: the same name always gives the same guid, so a
 * calendar read twice has the same Ids, and a rule whose content changes gets a new one.
 */
export function nameBasedGuid(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const withSeconds = (hhmm: string) => (hhmm.length === 5 ? `${hhmm}:00` : hhmm);

function timesOf(calendar: CollectionCalendar): OperationTimes {
  return { manifestTime: withSeconds(calendar.collectionTime), cutOffTime: withSeconds(calendar.cutOffTime) };
}

/** Entries of equal content (a weekday or date and its times), gathering the services that share it, in first-seen order. */
class Grouping<K> {
  private readonly groups = new Map<string, { key: K; times: OperationTimes; services: string[] }>();

  add(slot: string, key: K, times: OperationTimes, service: string): void {
    const id = `${slot}|${times.cutOffTime}|${times.manifestTime}`;
    const group = this.groups.get(id) ?? { key, times, services: [] };
    if (!group.services.includes(service)) group.services.push(service);
    this.groups.set(id, group);
  }

  values() {
    return [...this.groups.values()];
  }
}

/** Services listed by a rule: none when it applies to every service in scope. */
function named(services: string[], all: string[]): string[] {
  return services.length === all.length ? [] : services;
}

const byServices = (a: { serviceReferences: string[] }, b: { serviceReferences: string[] }) =>
  a.serviceReferences.join('\n').localeCompare(b.serviceReferences.join('\n'), 'en');

/**
 * The published calendar. With no service in scope it is the carrier's own calendar, for every
 * service; otherwise each service's calendar (its own or the carrier's) contributes a rule per
 * collection weekday and a Cancelled exception per non-working date, and entries with the same
 * content are merged into one naming all their services (none, when that is every service).
 */
export function carrierCalendar(input: CarrierCalendarInput): CarrierCalendar {
  // With no service in scope, one nameless stand-in for "every service" carries the carrier's calendar.
  const services: ServiceCalendar[] = input.services.length ? input.services : [{ serviceReference: '', calendar: input.carrierCalendar }];
  const all = [...new Set(services.map((s) => s.serviceReference))];
  const weekdays = new Grouping<Weekday>();
  const days = new Grouping<string>();
  for (const { serviceReference, calendar } of services) {
    const times = timesOf(calendar);
    for (const weekday of [...new Set(calendar.weekdays)]) weekdays.add(String(weekday), weekday, times, serviceReference);
    for (const day of [...new Set(calendar.nonWorkingDates)]) days.add(day, day, times, serviceReference);
  }
  const scope = `${input.shippingLocationReference}|${input.carrierReference}`;
  const rules = weekdays.values().map(({ key, times, services: refs }) => {
    const serviceReferences = named(refs, all);
    return { id: nameBasedGuid(JSON.stringify(['rule', scope, key, times, serviceReferences])), weekday: key, times, serviceReferences };
  });
  const exceptions = days.values().map(({ key, times, services: refs }) => {
    const serviceReferences = named(refs, all);
    const type: CalendarExceptionType = 'Cancelled';
    const date = DateTime.fromISO(key, { zone: input.timeZone }).startOf('day').toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
    return { id: nameBasedGuid(JSON.stringify(['exception', scope, key, type, times, serviceReferences])), day: key, date, times, type, serviceReferences };
  });
  rules.sort((a, b) => a.weekday - b.weekday || byServices(a, b));
  exceptions.sort((a, b) => a.day.localeCompare(b.day) || byServices(a, b));
  return { carrierReference: input.carrierReference, shippingLocationReference: input.shippingLocationReference, rules, exceptions };
}
