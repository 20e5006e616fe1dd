/**
 * A property-based HTTP fuzz test (fast-check) over every write endpoint the server has: the
 * routes are read from GET /openapi.json, so a new route is fuzzed without touching this file.
 * Each endpoint gets bodies shaped by its own schema with fuzzed values (huge strings, NUL, odd
 * Unicode, wrong types, big lists, deep nesting), in JSON and XML, raw malformed bodies, and odd
 * path parameters; then odd paths anywhere. It asserts that nothing answers 5xx, and afterwards
 * that nothing stored breaks a limit: no NUL, no text longer than its bound, no MetaData list
 * longer than MAX_METADATA, read back through the API and straight from the database.
 *
 * The seed is fixed (FUZZ_SEED overrides it, FUZZ_RUNS the runs per endpoint); a failure prints
 * the seed, the path and the request that failed, so `FUZZ_SEED=… node --test …` repeats it.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { builtConsole } from '../support/console-build.js';
import { ADMIN_TOKEN, DEMO_KEY, api, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { consignmentRequest } from '../support/consignments.js';
import { MAX_METADATA, MAX_NAME, MAX_NAMED_REFERENCE, MAX_TAG_LENGTH, MAX_TEXT } from '../../src/domain/limits.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const PATH_RUNS = Number(process.env.FUZZ_PATH_RUNS ?? 300);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  const?: Json;
  maxItems?: number;
}
interface Operation {
  method: string;
  path: string;
  admin: boolean;
  body?: JsonSchema;
}

/** A fuzzed request, described so that a failure can be read. */
interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

// ---------------------------------------------------------------------------------------------
// Values

const MIB = 1024 * 1024;
/** Strings meant to break something: bounds, NUL, encodings, surrogates, markup, injection. */
const NASTY: string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0000'.repeat(50),
  '\ud800',
  'a\udfffb',
  '\ufeffBOM',
  '\uffff\ufffe',
  '\u202eRTL override',
  'e\u0301\u0301\u0301',
  '\u200b\u200c\u200d',
  '📦🚚',
  '<b>&amp;</b>',
  ']]><x>',
  "x' OR '1'='1",
  '%00',
  '../../etc/passwd',
  '\\u0000',
  '\r\n\t',
  'x'.repeat(MAX_TEXT),
  'x'.repeat(MAX_TEXT + 1),
  'x'.repeat(MAX_NAME + 1),
  'x'.repeat(MAX_NAMED_REFERENCE + 1),
  // MAX_TEXT characters of three UTF-8 bytes each, and of surrogate pairs: more bytes than a B-tree index entry holds.
  '漢'.repeat(MAX_TEXT),
  '𝄞'.repeat(MAX_TEXT / 2),
  '€'.repeat(MAX_TEXT + 1),
];
const HUGE = 'x'.repeat(MIB);

/** Values a valid request could hold, by property name, so that fuzzed bodies also get past validation and reach storage. */
const PLAUSIBLE: Record<string, Json[]> = {
  TwoLetterCode: ['GB', 'DE', 'US', 'FR'],
  IsoCode: ['GBP', 'EUR'],
  Unit: ['Kg', 'Cm', 'g', 'mm'],
  ShippingLocationReference: ['WH-MAN-01'],
  MpdCarrierServiceReference: ['Example-Carrier-Service', 'CX-NEXTDAY-1030'],
  MpdCarrierServiceReferences: [['Example-Carrier-Service']],
  ConsignmentReferences: [['EC-000-05A-Z6S']],
  Postcode: ['SW1A 1AA', 'LS1 1AA', '10115'],
  AddressLine1: ['1 Test Street'],
  Town: ['London'],
  ShippingDate: ['2026-11-19', '2026-11-19T10:00:00Z'],
  Date: ['2026-11-20'],
  TimeStamp: ['2026-11-18T10:00:00Z'],
  Code: ['COLLECTED', 'DELIVERED'],
  KeyValue: ['colour', 'k'],
  Reference: ['fuzz-ref', 'FUZZ-01'],
  Name: ['Fuzz name'],
  TimeZone: ['Europe/London'],
};

const smallNasty = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: MAX_TEXT - 5, maxLength: MAX_TEXT + 5 }) },
);
/** With a 1 MiB string now and then (only near the top of a body, so that a body stays within the server's limit). */
const nastyString = fc.oneof({ weight: 12, arbitrary: smallNasty }, { weight: 1, arbitrary: fc.constant(HUGE) });
const anyNumber = fc.oneof(
  fc.integer({ min: -5, max: 100 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1e308, -1e308, 5e-324, 2 ** 53, 1e12 + 1, 1_000_001, 0.001),
);
/** A value of the wrong type, whatever the schema said. */
const wrongType: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, '', 'true', '1e999', [], {}, [null], { Value: null }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);
/** A list far longer than any real one (MetaData beyond MAX_METADATA, say), of small items. */
const bigList = (item: fc.Arbitrary<Json>) => fc.tuple(item, fc.constantFrom(MAX_METADATA + 1, 150, 1001)).map(([v, n]) => Array.from({ length: n }, () => v));

function valueFor(schema: JsonSchema, name: string, depth: number): fc.Arbitrary<Json> {
  const plausible = PLAUSIBLE[name];
  const own = ownValue(schema, name, depth);
  return fc.oneof(
    { weight: 8, arbitrary: plausible ? fc.oneof(fc.constantFrom(...plausible), own) : own },
    { weight: 1, arbitrary: wrongType },
  );
}

function ownValue(schema: JsonSchema, name: string, depth: number): fc.Arbitrary<Json> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => ownValue(s, name, depth)));
  if (schema.const !== undefined) return fc.oneof({ weight: 5, arbitrary: fc.constant(schema.const) }, { weight: 1, arbitrary: fc.constantFrom<Json>(String(schema.const).toUpperCase(), ` ${String(schema.const)} `, 'a\u0000') });
  switch (schema.type) {
    case 'object': {
      if (depth > 6) return fc.constant({});
      const props = Object.entries(schema.properties ?? {});
      const record = fc.record(Object.fromEntries(props.map(([k, s]) => [k, valueFor(s, k, depth + 1)])), { requiredKeys: [] });
      // Names match case-insensitively; unknown ones are dropped.
      return fc.tuple(record, fc.boolean(), fc.option(nastyString)).map(([r, shout, extra]) => {
        const out: Record<string, Json> = {};
        for (const [k, v] of Object.entries(r)) out[shout ? k.toUpperCase() : k] = v as Json;
        if (extra !== null) out[extra.slice(0, 50) || 'x'] = extra;
        return out;
      });
    }
    case 'array': {
      const item = schema.items ? valueFor(schema.items, name, depth + 1) : wrongType;
      const small = schema.items ? valueFor(schema.items, name, 7) : wrongType;
      return fc.oneof({ weight: 8, arbitrary: fc.array(item, { maxLength: 3 }) }, { weight: 1, arbitrary: bigList(small) });
    }
    case 'string':
      return depth <= 3 ? nastyString : smallNasty;
    case 'number':
      return anyNumber;
    case 'integer':
      return fc.oneof(fc.integer({ min: -3, max: 200 }), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1.5));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return wrongType;
  }
}

/** A known-valid body to mutate, for the endpoints whose valid bodies are hard to find at random. */
function templateFor(op: Operation): Record<string, Json> | Json[] | undefined {
  const key = `${op.method} ${op.path}`.toLowerCase();
  const consignment = consignmentRequest({ extra: { MetaData: [{ KeyValue: 'k', StringValue: 'v' }], CustomsDocumentation: { DesignatedPersonResponsible: 'Sam' } } }) as Record<string, Json>;
  if (key === 'post /consignments' || key.startsWith('post /quotes')) return consignment;
  if (key === 'put /consignments') return { ...consignment, Reference: 'EC-000-05A-Z6S' };
  if (key.startsWith('post /shippinglocations') || key.startsWith('put /shippinglocations/')) {
    return { Reference: 'FUZZ-LOC', Name: 'Fuzz', Notes: 'n', AddressLine1: '1 Road', Town: 'Leeds', Postcode: 'LS1 1AA', Country: { IsoCode: { TwoLetterCode: 'GB' } } };
  }
  if (key.startsWith('post /packagesizes') || key.startsWith('put /packagesizes/')) return { Reference: 'fuzz-box', Description: 'd', Length: 10, Width: 10, Height: 10, Weight: 1 };
  if (key === 'post /admin/subscriptions') return { Name: 'Fuzz' };
  if (key.startsWith('post /servicegroups') || key === 'put /servicegroups/{group}') return { Reference: 'fuzz-group', Name: 'g', MpdCarrierServiceReferences: ['Example-Carrier-Service'] };
  if (key.startsWith('post /allocationrules') || key === 'put /allocationrules/{rule}') return { Reference: 'fuzz-rule', Name: 'r', Action: 'Exclude', MpdCarrierServiceReferences: ['Example-Carrier-Service'], Conditions: {} };
  return undefined;
}

/** Replaces the value at one leaf of a template with a fuzzed one (the other fields stay valid). */
function mutate(template: Json, choose: (paths: string[][]) => string[], value: Json): Json {
  const leaves: string[][] = [];
  const walk = (v: Json, path: string[]) => {
    if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
      if (path.length) leaves.push(path);
      for (const [k, x] of entries) walk(x as Json, [...path, k]);
    } else leaves.push(path);
  };
  walk(template, []);
  const target = choose(leaves);
  const copy = structuredClone(template);
  if (!target.length) return value;
  let node = copy as Record<string, Json>;
  for (const k of target.slice(0, -1)) node = node[k] as Record<string, Json>;
  node[target[target.length - 1]] = value;
  return copy;
}

/** What a template's leaf is replaced with: a nasty string, a number, a wrong type, or a list far too long (of valid MetaData, say). */
const leafValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 6, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.constantFrom('a\u0000b', '\u0000', 'x'.repeat(MIB)) },
  { weight: 2, arbitrary: anyNumber },
  { weight: 2, arbitrary: wrongType },
  { weight: 1, arbitrary: fc.constantFrom(MAX_METADATA, MAX_METADATA + 1, 10_000).map((n) => Array.from({ length: n }, (_, i) => ({ KeyValue: `k${i}`, StringValue: 'v' }))) },
);

// ---------------------------------------------------------------------------------------------
// Encodings

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlName = (k: string) => (/^[A-Za-z_][\w.-]*$/.test(k) ? k : 'X');

/** A plain object as XML, lists as repeated <item> elements; text is escaped but otherwise kept as is (NUL and all). */
function toXml(name: string, value: Json): string {
  if (value === null) return `<${name} i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/>`;
  if (Array.isArray(value)) return `<${name}>${value.map((v) => toXml('item', v)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([k, v]) => toXml(xmlName(k), v)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

const DEEP = 20_000;
/** Bodies no parser should choke on. */
const RAW_BODIES: [string, string | Buffer][] = [
  ['application/json', '{"Packages": ['],
  ['application/json', '{Packages: []}'],
  ['application/json', '\u0000'],
  ['application/json', '"\\ud800"'],
  ['application/json', '[' + '1,'.repeat(100_000) + '1]'],
  ['application/json', '['.repeat(DEEP) + ']'.repeat(DEEP)],
  ['application/json', '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP)],
  ['application/json', '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'],
  ['application/json', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ['application/json', Buffer.from([0xc0, 0x80])],
  ['application/xml', '<a><b></a>'],
  ['application/xml', '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'],
  ['application/xml', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;">]><a>&lol1;</a>'],
  ['application/xml', '<a>&#0;</a>'],
  ['application/xml', '<a>\u0000</a>'],
  ['application/xml', '<a>' + '<b>'.repeat(DEEP) + '</b>'.repeat(DEEP) + '</a>'],
  ['application/xml', '<a xmlns="urn:evil"><b/></a>'],
  ['application/xml', Buffer.concat([Buffer.from('<a><b>'), Buffer.from([0xff]), Buffer.from('</b></a>')])],
  ['text/plain', 'hello'],
  ['application/json; charset=latin1', '{}'],
];

// ---------------------------------------------------------------------------------------------
// Paths

/** Odd path segments: NUL, bad percent-encoding, traversal, long, Unicode. */
const oddSegment = fc.oneof(
  fc.constantFrom('%00', 'a%00b', '%', '%zz', '%ff', '%c0%80', '..', '.', '%2e%2e', '%2F', 'x'.repeat(201), 'x'.repeat(200), '%F0%9F%93%A6', ' ', '%20', 'null', 'undefined', '-1', '0', '1e999', "'"),
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, 'x'))),
);

function pathWith(template: string, values: Record<string, string>, odd: string[]): string {
  let i = 0;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => odd[i++] ?? values[name] ?? 'x');
}

// ---------------------------------------------------------------------------------------------
// Checking what is stored

interface Breach {
  where: string;
  what: string;
}

/** Texts the server writes itself (why an allocation failed, say), which may quote several bounded texts. */
const SERVER_TEXT = new Set(['Message']);

/** Tighter bounds than MAX_TEXT, by the name of the field in an answer. */
function boundOf(path: string[]): number {
  const key = path[path.length - 1];
  const parent = path[path.length - 2];
  if (parent === 'Tags' || path.includes('Tags')) return MAX_TAG_LENGTH;
  return key === 'Name' && path.length === 1 ? MAX_NAME : MAX_TEXT;
}

function breaches(value: unknown, where: string, path: string[] = [], out: Breach[] = []): Breach[] {
  if (typeof value === 'string') {
    const at = `${where} ${path.join('.')}`;
    if (value.includes('\u0000')) out.push({ where: at, what: 'a NUL' });
    if (/\p{Cs}/u.test(value)) out.push({ where: at, what: 'an unpaired surrogate' });
    if (value.length > boundOf(path) && !SERVER_TEXT.has(path[path.length - 1])) out.push({ where: at, what: `${value.length} characters` });
  } else if (Array.isArray(value)) {
    if (path[path.length - 1] === 'MetaData' && value.length > MAX_METADATA) out.push({ where: `${where} ${path.join('.')}`, what: `${value.length} MetaData entries` });
    value.forEach((v, i) => breaches(v, where, [...path, String(i)], out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) breaches(v, where, [...path, k], out);
  }
  return out;
}

/** Whether a cell holding a JSON document (a consignment's, say) has a NUL in one of its strings. */
function jsonHoldsNul(cell: string): boolean {
  if (!/^\s*[[{]/.test(cell)) return false;
  try {
    return breaches(JSON.parse(cell), '').some((b) => b.what === 'a NUL');
  } catch {
    return false;
  }
}

/** Every text cell of every table, straight from the database: no NUL, raw or escaped in a JSON document. */
async function databaseBreaches(server: TestServer): Promise<Breach[]> {
  const { db, kind } = server.app.ctx.database;
  const tables =
    kind === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${server.schema}`.execute(db)).rows.map((r) => r.name);
  const out: Breach[] = [];
  for (const table of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows;
    for (const row of rows) {
      for (const [column, v] of Object.entries(row)) {
        if (typeof v === 'string' && (v.includes('\u0000') || jsonHoldsNul(v))) out.push({ where: `${table}.${column}`, what: 'a NUL' });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

// With the console built: its pages are fuzzed like every other documented route.
const server: TestServer | null = skipReason ? null : await startServer({ env: { SWITCHYARD_CONSOLE_DIR: await builtConsole() } });
const operations: Operation[] = [];
if (server) {
  const doc = (await api(server, 'GET', '/openapi.json', { key: null })).body as { paths: Record<string, Record<string, { security: object[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> };
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['post', 'put', 'delete', 'patch'].includes(method)) continue;
      const admin = op.security.some((s) => 'adminToken' in s);
      operations.push({ method: method.toUpperCase(), path, admin, body: op.requestBody?.content['application/json'].schema });
    }
  }
}

describe('HTTP fuzz: every write endpoint, odd bodies and odd paths', { skip: skipReason }, () => {
  after(async () => server?.close());
  /** Path parameters that name something that exists, so that some requests reach the stored objects. */
  const known: Record<string, string> = {
    reference: 'EC-000-05A-Z6S',
    service: 'Example-Carrier-Service',
    shippingLocationReference: 'WH-MAN-01',
    packageSizeReference: 'SMALL-BOX',
    shipByDate: '2026-11-20',
    group: 'fuzz-group',
    rule: 'fuzz-rule',
  };
  let sent = 0;

  async function send(r: FuzzRequest): Promise<{ status: number; text: string }> {
    const res = await fetch(`${server!.url}${r.path}`, { method: r.method, headers: r.headers, body: typeof r.body === 'string' || r.body === undefined ? r.body : new Uint8Array(r.body), signal: AbortSignal.timeout(60_000) });
    return { status: res.status, text: await res.text() };
  }

  function describeRequest(r: FuzzRequest): string {
    const body = r.body === undefined ? '' : Buffer.isBuffer(r.body) ? `<${r.body.length} bytes>` : r.body.length > 600 ? `${r.body.slice(0, 600)}… (${r.body.length} chars)` : r.body;
    return `${r.method} ${r.path.slice(0, 300)} ${JSON.stringify(r.headers)} ${body}`;
  }

  async function check(r: FuzzRequest): Promise<void> {
    sent++;
    const res = await send(r);
    assert.ok(res.status < 500, `answered ${res.status} to ${describeRequest(r)}\n${res.text.slice(0, 500)}`);
  }

  const run = (property: fc.IAsyncProperty<[FuzzRequest]>, numRuns: number) =>
    fc.assert(property, {
      seed: SEED,
      numRuns,
      // Each request changes the server's state, so shrinking would replay against another state: report the first failure as it was.
      endOnFailure: true,
      reporter: (details) => {
        if (details.failed) throw new Error(`${fc.defaultReportMessage(details)}\nRepeat with FUZZ_SEED=${details.seed}`);
      },
    });

  it('finds the write endpoints in /openapi.json', () => {
    const names = operations.map((o) => `${o.method} ${o.path}`);
    for (const expected of ['POST /consignments', 'PUT /consignments', 'POST /shippingLocations', 'POST /packageSizes', 'POST /admin/subscriptions', 'POST /quotes']) {
      assert.ok(names.includes(expected), `${expected} among ${names.join(', ')}`);
    }
    assert.ok(operations.length >= 40, `${operations.length} write endpoints`);
  });

  it('has a subscription of its own for the admin routes, so that the demo key is never rotated', async () => {
    const res = await api(server!, 'POST', '/admin/subscriptions', { key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: { Name: 'Fuzz target' } });
    assert.equal(res.status, 201, res.text);
    known.subscription = res.body.Reference;
  });

  for (const op of operations) {
    it(`${op.method} ${op.path} never answers 5xx`, async () => {
      const auth: Record<string, string> = op.admin ? { authorization: `Bearer ${ADMIN_TOKEN}` } : { 'ocp-apim-subscription-key': DEMO_KEY };
      const params = [...op.path.matchAll(/\{(\w+)\}/g)].length;
      const template = templateFor(op);
      const schemaBody = op.body ? valueFor(op.body, '', 0) : wrongType;
      const body: fc.Arbitrary<Json> = template
        ? fc.oneof(
            {
              weight: 3,
              arbitrary: fc
                .array(fc.tuple(fc.nat(), leafValue), { minLength: 1, maxLength: 3 })
                .map((changes) => changes.reduce<Json>((b, [i, v]) => mutate(b, (paths) => paths[i % paths.length], v), template)),
            },
            { weight: 2, arbitrary: schemaBody },
          )
        : schemaBody;
      const encoded = fc.oneof(
        { weight: 7, arbitrary: body.map((b) => ({ type: 'application/json', body: JSON.stringify(b) as string | Buffer })) },
        { weight: 2, arbitrary: body.map((b) => ({ type: 'application/xml', body: toXml('Request', b) as string | Buffer })) },
        { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES).map(([type, raw]) => ({ type, body: raw })) },
        { weight: 1, arbitrary: fc.constant({ type: 'application/json', body: '' as string | Buffer }) },
      );
      const request = fc.record({
        encoded,
        odd: fc.array(fc.option(oddSegment, { freq: 2 }), { minLength: params, maxLength: params }),
        accept: fc.constantFrom('application/json', 'application/xml', '*/*'),
      }).map(({ encoded, odd, accept }): FuzzRequest => ({
        method: op.method,
        path: pathWith(op.path, known, odd.map((o) => o ?? '')).replace(/\/\/+/g, '/x/'),
        headers: { ...auth, accept, 'content-type': encoded.type },
        body: encoded.body,
      }));
      const runs = template ? RUNS * 3 : RUNS;
      await run(fc.asyncProperty(request, check), runs);
    });
  }

  // Texts at the very edge of what is allowed, so that many are stored (and then checked below): on
  // PostgreSQL, 1,000 characters of three or four bytes each are more than a B-tree index entry holds.
  const legalText = fc.oneof(
    fc.constantFrom('x'.repeat(MAX_TEXT), '漢'.repeat(MAX_TEXT), '𝄞'.repeat(MAX_TEXT / 2), 'e\u0301'.repeat(MAX_TEXT / 2), '\u202e\u200d📦', ' padded '),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
    fc.string({ unit: 'binary', minLength: MAX_TEXT - 3, maxLength: MAX_TEXT }).map((t) => t.replace(/[\u0000\ud800-\udfff]/g, 'x')),
  );
  /** The template's free-text leaves, which any text within the limits may fill. */
  const FREE_TEXT = new Set(['ConsignmentReferenceProvidedByCustomer', 'Description', 'AddressLine1', 'Town', 'FirstName', 'LastName', 'Email', 'KeyValue', 'StringValue', 'DesignatedPersonResponsible']);
  const freeText = (paths: string[][]) => paths.filter((p) => FREE_TEXT.has(p[p.length - 1]));
  for (const path of ['/consignments', '/quotes']) {
    it(`POST ${path} with texts at the edge of the limits never answers 5xx`, async () => {
      const template = consignmentRequest({ extra: { MetaData: [{ KeyValue: 'k', StringValue: 'v' }], CustomsDocumentation: { DesignatedPersonResponsible: 'Sam' } } }) as Json;
      const request = fc
        .array(fc.tuple(fc.nat(), legalText), { minLength: 1, maxLength: 4 })
        .map((changes): FuzzRequest => ({
          method: 'POST',
          path,
          headers: { 'ocp-apim-subscription-key': DEMO_KEY, 'content-type': 'application/json' },
          body: JSON.stringify(changes.reduce<Json>((b, [i, v]) => mutate(b, (paths) => freeText(paths)[i % freeText(paths).length], v), template)),
        }));
      await run(fc.asyncProperty(request, check), RUNS);
    });
  }

  it('odd paths and methods never answer 5xx', async () => {
    const prefixes = [...new Set(operations.map((o) => o.path.split('/')[1]))];
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      prefix: fc.constantFrom(...prefixes, 'admin/subscriptions', 'consignments/EC-000-05A-Z6S', ''),
      segments: fc.array(oddSegment, { minLength: 0, maxLength: 4 }),
      query: fc.option(fc.tuple(oddSegment, oddSegment).map(([k, v]) => `?${k}=${v}&subscription-key=${v}`)),
      admin: fc.boolean(),
    }).map(({ method, prefix, segments, query, admin }): FuzzRequest => ({
      method,
      path: `/${[prefix, ...segments].filter(Boolean).join('/')}${query ?? ''}`,
      headers: admin ? { authorization: `Bearer ${ADMIN_TOKEN}` } : { 'ocp-apim-subscription-key': DEMO_KEY },
    }));
    await run(fc.asyncProperty(request, check), PATH_RUNS);
  });

  it('stored nothing beyond the limits: no NUL, no text over its bound, no MetaData list over MAX_METADATA', async () => {
    assert.ok(sent > operations.length, `${sent} requests were sent`);
    const get = async (path: string, admin = false) => {
      const res = await api(server!, 'GET', path, admin ? { key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } } : {});
      assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 300)}`);
      return res.body;
    };
    const found: Breach[] = [];
    const references: string[] = await get('/consignments/getConsignmentReferences');
    for (const reference of references) found.push(...breaches(await get(`/consignments/${reference}`), reference));
    for (const path of ['/shippingLocations', '/packageSizes', '/allocationrules', '/serviceGroups']) {
      for (const item of await get(path)) found.push(...breaches(item, path));
    }
    for (const item of await get('/admin/subscriptions', true)) found.push(...breaches(item, '/admin/subscriptions'));
    found.push(...(await databaseBreaches(server!)));
    assert.deepEqual(found.slice(0, 20), [], `${found.length} breaches of the limits`);
    console.log(`# fuzz: ${sent} requests (seed ${SEED}); ${references.length} consignments stored and checked`);
  });
});
