import type { TrackingNumberFormat } from '../../domain/catalogue.js';

/** Luhn (mod 10) check digit of a string of digits. */
export function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** The tracking number for a sequence value in a carrier's format: prefix, zero-padded digits, check digit, suffix. */
export function formatTrackingNumber(format: TrackingNumberFormat, sequence: number): string {
  const digits = String(sequence).padStart(format.digits, '0');
  if (digits.length > format.digits) throw new RangeError(`tracking sequence ${sequence} exceeds ${format.digits} digits`);
  const check = format.checkDigit === 'mod10' ? String(luhnDigit(digits)) : '';
  return `${format.prefix}${digits}${check}${format.suffix}`;
}
