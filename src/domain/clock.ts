import { DateTime } from 'luxon';

/** The one source of "now", injected so that dates are testable. */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = { now: () => DateTime.utc() };

export function fixedClock(iso: string): Clock {
  const at = DateTime.fromISO(iso, { setZone: true });
  if (!at.isValid) throw new Error(`invalid clock time ${iso}`);
  return { now: () => at };
}
