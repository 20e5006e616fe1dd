/**
 * References that a subscription chooses for its own things (shipping locations, package sizes).
 * They appear in URL paths and match case-insensitively, so they are kept to characters that need
 * no escaping anywhere; the catalogue's service references follow the same rule.
 */
import { MAX_NAMED_REFERENCE } from './limits.js';

const PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * Why a reference cannot be used, or null when it can. `reserved` lists words that are literal
 * path segments beside the reference (decisions.md §2: `/shippingLocations/assigned` is never a
 * location), compared case-insensitively.
 */
export function namedReferenceProblem(reference: string, reserved: readonly string[] = []): string | null {
  if (reference.length === 0) return 'must not be empty';
  if (reference.length > MAX_NAMED_REFERENCE) return `must be at most ${MAX_NAMED_REFERENCE} characters`;
  if (!PATTERN.test(reference)) return 'may hold only letters, digits, ".", "_" and "-", and must not start with "." or "-"';
  if (reserved.includes(reference.toLowerCase())) return `cannot be "${reference}", which names an endpoint`;
  return null;
}

/** The key a named reference is stored and compared under. */
export function referenceKey(reference: string): string {
  return reference.trim().toLowerCase();
}
