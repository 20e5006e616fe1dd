/** CollectionCalendar (models.md §5.5) with its rules and exceptions, in the SDK's ServiceAvailability types. */
import type { CalendarException, CalendarRule, CarrierCalendar, OperationTimes } from '../../domain/collection-calendar.js';
import { typed } from '../xml-codec.js';

/** System.DayOfWeek names, by ISO weekday (Monday = 1). */
const DAY_OF_WEEK = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const operationTime = (time: string) => typed('OperationTime', { TimeOffsetInDays: 0, Time: time });

/** Our calendars have no pre-advice and no operational cut-off of their own: both are null. */
function operationTimes(t: OperationTimes): object {
  return typed('CalendarOperationTimes', {
    ManifestTime: t.manifestTime,
    CutOffTime: operationTime(t.cutOffTime),
    PreAdviceTime: null,
    OperationalCutOffTime: null,
  });
}

function rule(r: CalendarRule): object {
  return typed('CalendarRule', {
    Id: r.id,
    CalendarOperationTimes: operationTimes(r.times),
    DayOfWeek: DAY_OF_WEEK[r.weekday],
    MpdCarrierServiceReferences: [...r.serviceReferences],
  });
}

function exception(e: CalendarException): object {
  return typed('CalendarException', {
    Id: e.id,
    Date: e.date,
    CalendarOperationTimes: operationTimes(e.times),
    CalendarExceptionType: e.type,
    MpdCarrierServiceReferences: [...e.serviceReferences],
  });
}

export function presentCollectionCalendar(c: CarrierCalendar): object {
  return typed('CollectionCalendar', {
    MpdCarrierReference: c.carrierReference,
    ShippingLocationReference: c.shippingLocationReference,
    CalendarRules: c.rules.map(rule),
    CalendarExceptions: c.exceptions.map(exception),
  });
}
