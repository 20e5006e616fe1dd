/**
 * Reading what the objects a subscription keeps for itself (allocation rules, service groups) have
 * in common: a reference, a display name and a list of the subscription's services. Each reader
 * appends one problem per fault, so that a 400 lists them all.
 */
import { MAX_NAME, MAX_NAMED_REFERENCE, MAX_SERVICES } from './limits.js';

/** One problem of a request body, in the shape of the API's error details. */
export interface Problem {
  Code: string;
  Target: string;
  Message: string;
}

export const OBJECT_REFERENCE_PATTERN = new RegExp(`^[A-Za-z0-9_.-]{1,${MAX_NAMED_REFERENCE}}$`);

/**
 * Whether a string can be a rule or group reference at all. A path segment that cannot is simply
 * not found, without a query (PostgreSQL refuses to compare text holding a NUL).
 */
export function isObjectReference(value: string): boolean {
  return OBJECT_REFERENCE_PATTERN.test(value);
}

/** A required reference of 1-100 characters of [A-Za-z0-9_.-], trimmed. */
export function readReference(value: string | null | undefined, target: string, problems: Problem[]): string {
  const reference = value?.trim() ?? '';
  if (!reference) problems.push({ Code: 'Required', Target: target, Message: `${target} is required` });
  else if (!isObjectReference(reference)) problems.push({ Code: 'Invalid', Target: target, Message: `${target} must be 1 to 100 characters of A-Z, a-z, 0-9, _, . and -` });
  return reference;
}

/** A required display name: trimmed, at most 200 characters, without control characters (PostgreSQL text cannot hold a NUL). */
export function readName(value: string | null | undefined, target: string, problems: Problem[]): string {
  const name = value?.trim() ?? '';
  if (!name) problems.push({ Code: 'Required', Target: target, Message: `${target} is required` });
  else if (name.length > MAX_NAME) problems.push({ Code: 'Invalid', Target: target, Message: `${target} must be at most ${MAX_NAME} characters` });
  else if (/[\u0000-\u001f\u007f]/.test(name)) problems.push({ Code: 'Invalid', Target: target, Message: `${target} must not contain control characters` });
  return name;
}

/**
 * Service references, each naming a service enabled for the subscription, returned in the
 * catalogue's spelling with duplicates merged (first occurrence first). `required` refuses an
 * empty list.
 */
export function readServiceReferences(
  values: readonly string[] | null | undefined,
  target: string,
  enabledService: (reference: string) => string | undefined,
  problems: Problem[],
  required = false,
): string[] {
  const list = values ?? [];
  if (required && list.length === 0) problems.push({ Code: 'Required', Target: target, Message: `${target} must name at least one carrier service` });
  if (list.length > MAX_SERVICES) {
    problems.push({ Code: 'TooMany', Target: target, Message: `${target} must name at most ${MAX_SERVICES} services` });
    return [];
  }
  const out: string[] = [];
  const seen = new Set<string>();
  list.forEach((value, i) => {
    const found = enabledService(value.trim());
    if (!found) {
      problems.push({
        Code: 'NotFound',
        Target: `${target}[${i}]`,
        Message: `${target}[${i}] names carrier service ${value.slice(0, 200)}, which is not enabled for this subscription`,
      });
    } else if (!seen.has(found.toLowerCase())) {
      seen.add(found.toLowerCase());
      out.push(found);
    }
  });
  return out;
}
