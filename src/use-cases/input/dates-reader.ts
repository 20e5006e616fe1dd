/** Reading a consignment's dates: its ShippingDate, in its own clock, and the delivery date it asks for with its window. */
import { DateTime, IANAZone } from 'luxon';
import type { RequestedDeliveryDate } from '../../domain/consignment.js';
import type { DeliveryDateInput } from '../../contract/consignments.js';
import type { Problems } from './problems.js';

/** The ShippingDate as an ISO date-time in `timeZone` when it names none; null when absent or unreadable (with a problem). */
export function readShippingDate(value: string | null | undefined, timeZone: string, p: Problems): string | null {
  if (!value) return null;
  const parsed = DateTime.fromISO(value, { zone: IANAZone.create(timeZone), setZone: true });
  if (!parsed.isValid) {
    p.add('ShippingDate', 'must be an ISO 8601 date-time');
    return null;
  }
  return parsed.toISO({ suppressMilliseconds: true });
}

/** Minutes since midnight of "H:mm", "HH:mm" or "HH:mm:ss", or null. */
function minutesOfDay(value: string): number | null {
  const m = /^([01]?[0-9]|2[0-3]):([0-5][0-9])(?::[0-5][0-9])?$/.exec(value.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export function readDeliveryDate(d: DeliveryDateInput | null | undefined, p: Problems): RequestedDeliveryDate | null {
  if (!d) return null;
  const date = DateTime.fromISO(d.Date, { setZone: true });
  if (!date.isValid) p.add('RequiredDeliveryDate.Date', 'must be an ISO 8601 date');
  let window: RequestedDeliveryDate['window'] = null;
  const w = d.DeliveryWindow;
  if (w && (w.Start || w.End)) {
    const start = minutesOfDay(w.Start ?? '');
    const end = minutesOfDay(w.End ?? '');
    // The SDK writes 00:00:00 to 00:00:00 for "no window".
    if (start === null || end === null) p.add('RequiredDeliveryDate.DeliveryWindow', 'Start and End must both be times of day (HH:mm:ss)');
    else if (start === 0 && end === 0) window = null;
    else if (start >= end) p.add('RequiredDeliveryDate.DeliveryWindow', 'Start must be before End');
    else window = { start: hhmm(start), end: hhmm(end) };
  }
  return { date: d.Date, isToBeExactlyOnTheDateSpecified: d.IsToBeExactlyOnTheDateSpecified ?? false, window };
}
