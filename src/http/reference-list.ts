/**
 * Request rules the schemas cannot say, shared by the endpoints that take references. They accept
 * any input type (they run even when the schema already found problems) and add one detail per
 * problem.
 */
import { canonicalReference } from '../domain/references.js';
import type { ErrorDetail } from '../use-cases/errors.js';
import { MAX_REFERENCES } from '../domain/limits.js';

/** A required, non-blank service (or other catalogue) reference. */
export function readRequiredReference(value: unknown, target: string, problems: ErrorDetail[]): string {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    problems.push({ Code: 'Required', Target: target, Message: `${target} is required` });
    return '';
  }
  if (typeof value !== 'string') {
    problems.push({ Code: 'Invalid', Target: target, Message: `${target} must be a string` });
    return '';
  }
  return value.trim();
}

/**
 * Checks a list of references (at most `max`) and merges duplicates (case-insensitively; the first
 * occurrence keeps its place). Problems are appended to `problems`, one per bad entry.
 */
export function readReferenceList(value: unknown, target: string, problems: ErrorDetail[], max = MAX_REFERENCES): string[] {
  if (value === undefined || value === null) {
    problems.push({ Code: 'Required', Target: target, Message: `${target} is required` });
    return [];
  }
  if (!Array.isArray(value)) {
    problems.push({ Code: 'Invalid', Target: target, Message: `${target} must be a list of consignment references` });
    return [];
  }
  if (value.length === 0) problems.push({ Code: 'Required', Target: target, Message: `${target} must contain at least one reference` });
  if (value.length > max) {
    problems.push({ Code: 'TooMany', Target: target, Message: `${target} has ${value.length} references; at most ${max} are allowed` });
    return [];
  }
  const seen = new Set<string>();
  const out: string[] = [];
  value.forEach((v, i) => {
    if (typeof v !== 'string' || v.trim() === '') {
      problems.push({ Code: 'Invalid', Target: `${target}[${i}]`, Message: `${target}[${i}] must be a non-empty string` });
      return;
    }
    const ref = canonicalReference(v);
    if (!seen.has(ref)) {
      seen.add(ref);
      out.push(ref);
    }
  });
  return out;
}
