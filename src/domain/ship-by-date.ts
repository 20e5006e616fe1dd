/**
 * The {ShipByDate} of the SDK's "allocate everything due" endpoints (endpoints.md P1-7..P1-9).
 * The SDK writes it with .NET's culture-dependent DateTime.ToString(), unencoded, so it arrives
 * as "14/03/2023 17:00:00" (en-GB) or "3/14/2023 5:00:00 PM" (en-US); ISO 8601 is accepted too.
 * An ambiguous d/m/y date is read the British way without AM/PM, the American way with it (docs/api/allocation.md).
 */
import { DateTime } from 'luxon';

// Day first (en-GB) unless the day cannot be first; then month first (the invariant culture's
// "11/20/2026 17:00:00"). With AM/PM, month first (en-US) unless the month cannot be first
// (en-AU, en-IN: "20/11/2026 5:00:00 PM").
const FORMATS_24H = ['d/M/yyyy H:mm:ss', 'd/M/yyyy H:mm', 'd/M/yyyy', 'M/d/yyyy H:mm:ss', 'M/d/yyyy H:mm', 'M/d/yyyy'];
const FORMATS_12H = ['M/d/yyyy h:mm:ss a', 'M/d/yyyy h:mm a', 'd/M/yyyy h:mm:ss a', 'd/M/yyyy h:mm a'];

/** The instant meant, reading a date without an offset in `timeZone`; null when it is not a date. */
export function parseShipByDate(text: string, timeZone: string): DateTime | null {
  const input = text.trim().replace(/\s+/g, ' ');
  if (!input) return null;
  const iso = DateTime.fromISO(input, { zone: timeZone, setZone: true });
  if (iso.isValid) return iso;
  const formats = /\b(am|pm)$/i.test(input) ? FORMATS_12H : FORMATS_24H;
  for (const format of formats) {
    const parsed = DateTime.fromFormat(input.toUpperCase(), format, { zone: timeZone, locale: 'en-GB' });
    if (parsed.isValid) return parsed;
  }
  return null;
}
