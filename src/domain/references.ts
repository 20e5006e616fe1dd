/** Reference formats: PREFIX-xxx-xxx-xxx with x in 0-9A-Z, from a numeric sequence. */

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const WIDTH = 9;
export const MAX_SEQUENCE = 36 ** WIDTH - 1;

export type ReferencePrefix = 'EC' | 'EP';

export function formatReference(prefix: ReferencePrefix, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 0 || sequence > MAX_SEQUENCE) {
    throw new RangeError(`reference sequence out of range: ${sequence}`);
  }
  let digits = '';
  let n = sequence;
  for (let i = 0; i < WIDTH; i++) {
    digits = ALPHABET[n % 36] + digits;
    n = Math.floor(n / 36);
  }
  return `${prefix}-${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)}`;
}

export function parseReference(reference: string): { prefix: string; sequence: number } | null {
  const m = /^([A-Z]{2})-([0-9A-Z]{3})-([0-9A-Z]{3})-([0-9A-Z]{3})$/.exec(reference.toUpperCase());
  if (!m) return null;
  let n = 0;
  for (const ch of m[2] + m[3] + m[4]) n = n * 36 + ALPHABET.indexOf(ch);
  return { prefix: m[1], sequence: n };
}

/** Reference values match case-insensitively; consignment and package references are stored upper-case. */
export function canonicalReference(reference: string): string {
  return reference.trim().toUpperCase();
}
