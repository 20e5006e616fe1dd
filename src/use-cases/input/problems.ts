/** Collecting the problems of a request while it is read, so that one 400 lists them all (decisions.md §2). */
import type { ErrorDetail } from '../errors.js';
import { MAX_TEXT } from '../../domain/limits.js';

/** Collects problems with their targets while a request is read, so that one 400 lists them all. */
export class Problems {
  readonly list: ErrorDetail[] = [];
  add(target: string, message: string, code = 'Invalid'): void {
    if (this.list.length < 100) this.list.push({ Code: code, Target: target, Message: `${target} ${message}` });
  }
}

/** An optional free text, checked for length. */
export function text(value: string | null | undefined, target: string, p: Problems, max = MAX_TEXT): string | null {
  if (value === undefined || value === null) return null;
  if (value.length > max) p.add(target, `must be at most ${max} characters`);
  return value;
}

/** The target of a field inside an object at `target` ('' for the body itself). */
export function field(target: string, name: string): string {
  return target ? `${target}.${name}` : name;
}
