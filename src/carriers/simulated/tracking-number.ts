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

/** Whether a text is a tracking number in the format: the shape, and the check digit when the format has one. */
export function isTrackingNumber(format: TrackingNumberFormat, text: string): boolean {
  const checkDigits = format.checkDigit === 'mod10' ? 1 : 0;
  if (!text.startsWith(format.prefix) || !text.endsWith(format.suffix)) return false;
  const middle = text.slice(format.prefix.length, text.length - format.suffix.length);
  if (middle.length !== format.digits + checkDigits || !/^[0-9]+$/.test(middle)) return false;
  return checkDigits === 0 || luhnDigit(middle.slice(0, format.digits)) === Number(middle[format.digits]);
}
