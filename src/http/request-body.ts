/**
 * Reads a parsed JSON or XML body into a typed value through its schema, once, at the edge.
 * JSON property names match case-insensitively and unknown ones are dropped (decisions.md §2);
 * XML text is coerced to the schema's numbers and booleans and list elements are unwrapped.
 */
import { Kind, type Static, type TArray, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { AppError, validationFailed, type ErrorDetail } from '../use-cases/errors.js';
import { MAX_TEXT } from '../domain/limits.js';

export type BodyFormat = 'json' | 'xml' | 'csv';

/** A CSV body's records as the parser read them, the header first; `line` is the file's line number where the record ends. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/** What the content-type parsers hand to routes. */
export interface ParsedBody {
  format: BodyFormat | 'none';
  value: unknown;
  /** The body schema the route documents (route-docs.ts), the only one readBody reads this body through. */
  declared: TSchema | null;
}

const NUMERIC = /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The variant of a union (`number | { Value, Unit }`) that a value is meant as, judged by its
 * shape: an object by the object variant, a list by the list variant, XML text that reads as a
 * number by the number variant. Undefined when nothing fits, for the schema to report.
 */
function variantFor(variants: TSchema[], value: unknown, xml: boolean): TSchema | undefined {
  if (variants.length === 1) return variants[0];
  const kind = (...kinds: string[]) => variants.find((s) => kinds.includes(s[Kind] as string));
  if (isPlainObject(value)) return kind('Object');
  if (Array.isArray(value)) return kind('Array');
  if (typeof value === 'number') return kind('Number', 'Integer');
  if (typeof value === 'boolean') return kind('Boolean');
  if (typeof value === 'string') return (xml && NUMERIC.test(value) ? kind('Number', 'Integer') : undefined) ?? kind('String') ?? (xml && value === '' ? kind('Object', 'Array') : undefined);
  return undefined;
}

const namesBySchema = new WeakMap<TSchema, Map<string, string>>();

/** An object schema's property names by their lower case, built once per schema rather than for every object read. */
function propertyNames(schema: TSchema): Map<string, string> {
  let names = namesBySchema.get(schema);
  if (!names) {
    names = new Map(Object.keys(schema.properties as object).map((k) => [k.toLowerCase(), k]));
    namesBySchema.set(schema, names);
  }
  return names;
}

const variantsBySchema = new WeakMap<TSchema, { variants: TSchema[]; literals: boolean }>();

/** A union's variants other than null, and whether they are all literals (an enumeration), worked out once per schema. */
function unionVariants(schema: TSchema): { variants: TSchema[]; literals: boolean } {
  let found = variantsBySchema.get(schema);
  if (!found) {
    const variants = (schema.anyOf as TSchema[]).filter((s) => s[Kind] !== 'Null');
    found = { variants, literals: variants.every((s) => s[Kind] === 'Literal') };
    variantsBySchema.set(schema, found);
  }
  return found;
}

function normalise(schema: TSchema, value: unknown, xml: boolean): unknown {
  if (value === undefined || value === null) return value;
  switch (schema[Kind]) {
    case 'Union': {
      const { variants, literals } = unionVariants(schema);
      if (literals && typeof value === 'string') {
        const match = variants.find((s) => String(s.const).toLowerCase() === value.trim().toLowerCase());
        return match ? match.const : value;
      }
      const variant = variantFor(variants, value, xml);
      return variant ? normalise(variant, value, xml) : value;
    }
    case 'Object': {
      if (xml && value === '') return {};
      if (!isPlainObject(value)) return value;
      const props = schema.properties as Record<string, TSchema>;
      const names = propertyNames(schema);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        // Most names arrive in their own case: only the others are lower-cased to be looked up.
        const canonical = Object.hasOwn(props, key) ? key : names.get(key.toLowerCase());
        if (canonical !== undefined && !(canonical in out)) out[canonical] = normalise(props[canonical], value[key], xml);
      }
      return out;
    }
    case 'Array': {
      let items: unknown = value;
      if (xml) {
        if (value === '') items = [];
        else if (isPlainObject(value)) items = Object.values(value).flatMap((v) => (Array.isArray(v) ? v : [v]));
      }
      return Array.isArray(items) ? items.map((v) => normalise(schema.items as TSchema, v, xml)) : items;
    }
    case 'Number':
    case 'Integer':
      return xml && typeof value === 'string' && NUMERIC.test(value) ? Number(value) : value;
    case 'Boolean':
      if (xml && typeof value === 'string') {
        const v = value.trim().toLowerCase();
        if (v === 'true' || v === '1') return true;
        if (v === 'false' || v === '0') return false;
      }
      return value;
    default:
      return value;
  }
}

function target(path: string): string {
  if (!path) return 'body';
  const parts = path.slice(1).split('/');
  // The items of a list sent as the whole body are body[0], body[1], … (as the list rules name them).
  const root = /^\d+$/.test(parts[0]) ? 'body' : '';
  return root + parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const KIND_WORDS: Record<string, string> = { String: 'a string', Number: 'a number', Integer: 'a whole number', Boolean: 'true or false', Array: 'a list', Object: 'an object' };

function describe(type: ValueErrorType, schema: TSchema, fallback: string): string {
  switch (type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.String:
      return 'must be a string';
    case ValueErrorType.Number:
      return 'must be a number';
    case ValueErrorType.Integer:
      return 'must be a whole number';
    case ValueErrorType.Boolean:
      return 'must be true or false';
    case ValueErrorType.Array:
      return 'must be a list';
    case ValueErrorType.Object:
      return 'must be an object';
    case ValueErrorType.ArrayMaxItems:
      return `must have at most ${schema.maxItems} entries`;
    case ValueErrorType.StringMaxLength:
      return `must be at most ${schema.maxLength} characters`;
    case ValueErrorType.Union: {
      const variants = ((schema.anyOf as TSchema[] | undefined) ?? []).filter((s) => s[Kind] !== 'Null');
      const literals = variants.filter((s) => s[Kind] === 'Literal').map((s) => String(s.const));
      if (literals.length) return `must be one of ${literals.join(', ')}`;
      const kinds = variants.map((s) => KIND_WORDS[s[Kind] as string]);
      return kinds.length && kinds.every(Boolean) ? `must be ${kinds.join(' or ')}` : fallback;
    }
    default:
      return fallback;
  }
}

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checker<T extends TSchema>(schema: T): TypeCheck<T> {
  let c = compiled.get(schema);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    compiled.set(schema, c);
  }
  return c as TypeCheck<T>;
}

interface Problem {
  path: string;
  type: ValueErrorType;
  schema: TSchema;
  message: string;
}

/**
 * The schema errors of a value. An optional field is a union of its type and null; when such a
 * field is present but wrong, the errors of its own type are reported (`Weight.Value must be a
 * number`) instead of TypeBox's bare "Expected union value"; so are those of the variant of a
 * union (`number | { Value, Unit }`) that the value is shaped as.
 */
function* errorsOf(schema: TSchema, value: unknown, prefix: string): Generator<Problem> {
  for (const e of checker(schema).Errors(value)) {
    if (e.type === ValueErrorType.Union && e.value !== null && e.value !== undefined) {
      const variants = ((e.schema.anyOf as TSchema[] | undefined) ?? []).filter((s) => s[Kind] !== 'Null');
      // The variant the value is shaped as reports its own problems (`Weight.Unit must be a string`).
      const variant = variants.length === 1 || variants.some((s) => s[Kind] !== 'Literal') ? variantFor(variants, e.value, false) : undefined;
      if (variant) {
        yield* errorsOf(variant, e.value, prefix + e.path);
        continue;
      }
    }
    yield { path: prefix + e.path, type: e.type, schema: e.schema, message: e.message };
  }
}

/** The problems of a value against a schema as error details, one per field. */
export function schemaProblems(schema: TSchema, value: unknown): ErrorDetail[] {
  const seen = new Set<string>();
  const details: ErrorDetail[] = [];
  for (const e of errorsOf(schema, value, '')) {
    const t = target(e.path);
    if ([...seen].some((s) => t === s || t.startsWith(`${s}.`) || t.startsWith(`${s}[`))) continue;
    seen.add(t);
    details.push({ Code: 'Invalid', Target: t, Message: `${t} ${describe(e.type, e.schema, e.message)}` });
    if (details.length >= 50) break;
  }
  return details;
}

/** What no stored text may hold: NUL (PostgreSQL refuses it in text) and unpaired UTF-16 surrogates (not Unicode text; stored as U+FFFD). */
const NUL = /\u0000/;
/** Any surrogate, paired or not: a cheap first look, before the exact test for an unpaired one. */
const SURROGATE = /[\ud800-\udfff]/;
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/** The longest a string read through this schema may be: a String schema's (or a union's String variant's) maxLength, else MAX_TEXT. */
function maxLengthOf(schema: TSchema | undefined): number {
  if (schema?.[Kind] === 'String') return (schema.maxLength as number | undefined) ?? MAX_TEXT;
  if (schema?.[Kind] === 'Union') return ((schema.anyOf as TSchema[]).find((s) => s[Kind] === 'String')?.maxLength as number | undefined) ?? MAX_TEXT;
  return MAX_TEXT;
}

function textProblem(value: string, schema: TSchema | undefined): string | null {
  if (value.indexOf('\u0000') !== -1) return 'must not contain a NUL character (U+0000)';
  if (SURROGATE.test(value) && UNPAIRED_SURROGATE.test(value)) return 'must be Unicode text (it has an unpaired surrogate)';
  const max = maxLengthOf(schema);
  return value.length > max ? `must be at most ${max} characters` : null;
}

const MAX_TEXT_PROBLEMS = 50;

/**
 * The one rule every string a client sends is held to, whatever the route: at most MAX_TEXT
 * characters (or the schema's own tighter maxLength), no NUL and no unpaired surrogate. It walks
 * the value along its schema (so its depth is the schema's, however deep the body nests); a value
 * of another shape than the schema's is the schema's to report. `at` is the path walked so far,
 * joined into a target only for a string that breaks the rule.
 */
function textProblems(schema: TSchema | undefined, value: unknown, at: (string | number)[], out: ErrorDetail[]): void {
  if (out.length >= MAX_TEXT_PROBLEMS) return;
  if (typeof value === 'string') {
    const problem = textProblem(value, schema);
    if (problem) {
      const t = target(at.length ? `/${at.join('/')}` : '');
      out.push({ Code: 'Invalid', Target: t, Message: `${t} ${problem}` });
    }
    return;
  }
  if (!schema || value === null || typeof value !== 'object') return;
  const kind = schema[Kind];
  if (kind === 'Union') {
    const variants = (schema.anyOf as TSchema[]).filter((s) => s[Kind] !== 'Null');
    textProblems(variantFor(variants, value, false), value, at, out);
  } else if (kind === 'Array' && Array.isArray(value)) {
    const items = schema.items as TSchema;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      // Most items of a long list are short strings: judge them without walking into them.
      if (typeof v === 'string' && v.length <= MAX_TEXT && items[Kind] === 'String' && items.maxLength === undefined && v.indexOf('\u0000') === -1 && !SURROGATE.test(v)) continue;
      at.push(i);
      textProblems(items, v, at, out);
      at.pop();
    }
  } else if (kind === 'Object' && isPlainObject(value)) {
    const props = schema.properties as Record<string, TSchema>;
    for (const key in value) {
      if (!Object.hasOwn(props, key)) continue;
      at.push(key);
      textProblems(props[key], value[key], at, out);
      at.pop();
    }
  }
}

/**
 * The same rule for the query string, before any route reads it: a NUL in a parameter's name or
 * value is a 400 naming the parameter (a NUL in a path segment names nothing that exists: each
 * route answers its own 404). Lengths are the routes' to bound, by what each parameter means.
 */
export function checkQueryText(query: unknown): void {
  const problems: ErrorDetail[] = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (NUL.test(name) || values.some((v) => typeof v === 'string' && NUL.test(v))) {
      const t = name.replace(/\u0000/g, '\\0').slice(0, 100);
      problems.push({ Code: 'Invalid', Target: t, Message: `${t} must not contain a NUL character (U+0000)` });
    }
  }
  if (problems.length) throw validationFailed(problems.slice(0, 50));
}

/**
 * Validates a body into the schema's type, or throws 400 ValidationFailed listing every problem:
 * the schema's, and those of `rules` (checks the schema cannot express), which see the value even
 * when the schema found problems, so that one answer lists them all.
 */
export function readBody<T extends TSchema>(schema: T, body: ParsedBody | undefined, rules?: (value: unknown) => ErrorDetail[]): Static<T> {
  // A fault of the route, not of the request: its documentation would show another body than the one it reads.
  if (body && body.declared !== schema) {
    throw new Error('The route reads its body through a schema other than the one it documents (documented({ body }) where it is registered)');
  }
  if (!body || body.format === 'none') throw new AppError('ValidationFailed', 'A request body is required', [{ Code: 'Required', Target: 'body', Message: 'A request body is required' }]);
  const value = normalise(schema, body.value, body.format === 'xml');
  const problems = schemaProblems(schema, value);
  const extras: ErrorDetail[] = [];
  textProblems(schema, value, [], extras);
  extras.push(...(rules?.(value) ?? []));
  addUncovered(problems, extras);
  if (problems.length) throw validationFailed(problems);
  return value as Static<T>;
}

/** Adds to the schema's problems the others, but none about a field (or a part of one) the schema already found wrong. */
function addUncovered(problems: ErrorDetail[], extras: ErrorDetail[]): void {
  for (const extra of extras) {
    const covered = problems.some((p) => extra.Target === p.Target || extra.Target.startsWith(`${p.Target}[`) || extra.Target.startsWith(`${p.Target}.`));
    if (!covered) problems.push(extra);
  }
}

/** One item of a list body read through its schema: the typed value, or the problems the single request would have been refused with. */
export type ItemReading<T> = { ok: true; value: T } | { ok: false; problems: ErrorDetail[] };

/**
 * Reads one value through a schema as readBody would, but answers its problems rather than
 * throwing, so that each item of a list can be judged alone. The compiled check runs first: a
 * valid item (the common case in a 10,000-item list) never walks the slower error iterator.
 */
export function readItem<T extends TSchema>(schema: T, value: unknown, format: BodyFormat): ItemReading<Static<T>> {
  const normalised = normalise(schema, value, format === 'xml');
  // The text rule applies to every item as it does to every body.
  const text: ErrorDetail[] = [];
  textProblems(schema, normalised, [], text);
  if (text.length === 0 && checker(schema).Check(normalised)) return { ok: true, value: normalised as Static<T> };
  const problems = schemaProblems(schema, normalised);
  addUncovered(problems, text);
  return problems.length ? { ok: false, problems } : { ok: true, value: normalised as Static<T> };
}

/**
 * The raw items of a list body (a JSON array, or an XML root's repeated children), for the route
 * to read one by one with readItem; a body that is no list, an empty one or one longer than
 * `max` is a 400 for the whole request.
 */
export function readListBody(schema: TArray, body: ParsedBody | undefined, max: number, what: string): unknown[] {
  if (body && body.declared !== schema) {
    throw new Error('The route reads its body through a schema other than the one it documents (documented({ body }) where it is registered)');
  }
  if (!body || body.format === 'none') throw new AppError('ValidationFailed', 'A request body is required', [{ Code: 'Required', Target: 'body', Message: 'A request body is required' }]);
  let items = body.value;
  if (body.format === 'xml') items = items === '' ? [] : isPlainObject(items) ? Object.values(items).flatMap((v) => (Array.isArray(v) ? v : [v])) : items;
  const problem = (message: string) => validationFailed([{ Code: 'Invalid', Target: 'body', Message: `body ${message}` }]);
  if (!Array.isArray(items)) throw problem('must be a list');
  if (items.length === 0) throw problem('must not be empty');
  if (items.length > max) throw problem(`must contain at most ${max} ${what} (it has ${items.length})`);
  return items;
}
