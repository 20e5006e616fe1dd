/**
 * BENCH_PARTS=scale (not in the default parts: it stores 1,000,000 consignments): what a large
 * store costs. Seeds 10,800 consignments, starts the server and measures allocation (server CPU
 * per allocation for one batch of 10,000, and for 50 batches of 10); then, with the server still
 * running, grows the store to 1,000,000 consignments in bulk (a spread of states, destinations,
 * countries, tags, shipping dates, tracking and package references, written straight into the
 * tables: multi-row statements in large transactions on SQLite, `unnest` on PostgreSQL), stores
 * 10,800 more the ordinary way and measures allocation again (target: within 1.2× of the first);
 * then runs every documented search criterion, the count and the summary 150 times each, one
 * request at a time (target p99 < 50 ms at 1,000,000). Prints the share of CPU stolen meanwhile.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { createContext } from '../src/app.js';
import type { Config } from '../src/config.js';
import type { AllocationRecord, ConsignmentData } from '../src/domain/consignment.js';
import { formatReference } from '../src/domain/references.js';
import { hashApiKey } from '../src/use-cases/subscriptions.js';
import { STATISTICS_EVERY_MS, type Schema } from '../src/store/database.js';
import { ConsignmentSearchRepository } from '../src/store/consignment-search.repository.js';
import { readSearchCriteria } from '../src/http/consignment-search-query.js';
import { allocationColumns, documentColumns } from '../src/store/consignment-columns.js';
import { cpuSeconds, cpuStat, fmt, stealShare } from './host-figures.js';
import { seedConsignments } from './seed.js';
import { SERVICE } from './load.js';

const STORED = Number(process.env.BENCH_SCALE_CONSIGNMENTS ?? 1_000_000);
const WARM_UP = 300;
const BATCH = 10_000;
const SMALL = [10, 50] as const; // 50 batches of 10
const SEEDED = WARM_UP + BATCH + SMALL[0] * SMALL[1];
const SEARCHES = Number(process.env.BENCH_SCALE_SEARCHES ?? 150);
const KEY = 'bench-key';

export interface ScaleBenchTarget {
  name: string;
  url: string;
  schema?: string;
}

export interface ScaleBenchDeps {
  configFor(target: ScaleBenchTarget): Config;
  startServer(target: ScaleBenchTarget): Promise<{ child: ChildProcess; url: string }>;
}

/** A small, fast, seeded PRNG (mulberry32), so that every run stores the same spread. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** [value, weight] pairs: a value drawn in proportion to its weight. */
export function weighted<T>(pairs: [T, number][]): (r: number) => T {
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  return (r) => {
    let x = r * total;
    for (const [v, w] of pairs) if ((x -= w) < 0) return v;
    return pairs[pairs.length - 1][0];
  };
}

// Most of a mature store is delivered; a few percent is still being worked on.
const stateOf = weighted<string>([
  ['Delivered', 46], ['InTransit', 6], ['Dispatched', 4], ['Collected', 2], ['OutForDelivery', 1], ['DeliveryFailed', 1],
  ['Manifested', 3], ['ReadyToShip', 1], ['Allocated', 7], ['Unallocated', 12], ['AllocationFailed', 3], ['Cancelled', 14],
]);
const ALLOCATED = new Set(['Delivered', 'InTransit', 'Dispatched', 'Collected', 'OutForDelivery', 'DeliveryFailed', 'Manifested', 'ReadyToShip', 'Allocated']);
const DISPATCHED = new Set(['Delivered', 'InTransit', 'Dispatched', 'Collected', 'OutForDelivery', 'DeliveryFailed']);
const countryOf = weighted<string>([['GB', 82], ['IE', 4], ['FR', 4], ['DE', 4], ['NL', 2], ['ES', 2], ['US', 2]]);
const AREAS = ['LS', 'M', 'B', 'BS', 'L', 'G', 'EH', 'CF', 'NE', 'S', 'SW', 'E', 'N', 'W', 'NW', 'SE', 'OX', 'CB', 'YO', 'HU', 'NG', 'LE', 'DE', 'ST', 'CV', 'PL', 'EX', 'TR', 'IV', 'AB'];
const TOWNS = ['Leeds', 'Manchester', 'Birmingham', 'Bristol', 'Liverpool', 'Glasgow', 'Edinburgh', 'Cardiff', 'Newcastle', 'Sheffield', 'London', 'Oxford', 'Cambridge', 'York', 'Hull', 'Nottingham', 'Leicester', 'Derby', 'Stoke', 'Coventry', 'Plymouth', 'Exeter', 'Truro', 'Inverness', 'Aberdeen'];
const FIRST = ['Amira', 'Tom', 'Nia', 'Oliver', 'Priya', 'James', 'Sofia', 'Liam', 'Chloe', 'Noah', 'Zara', 'Ethan', 'Isla', 'Mohammed', 'Grace', 'Jack', 'Ava', 'Harry', 'Mia', 'Leo'];
const LAST = ['Hussain', 'Bright', 'Evans', 'Smith', 'Jones', 'Patel', 'Taylor', 'Brown', 'Wilson', 'Khan', 'Davies', 'Murphy', 'Walker', 'Wright', 'Thompson', 'Robinson', 'Lovelace', 'Okafor', 'Nowak', 'Campbell'];
const REGIONS = ['West Yorkshire', 'Greater Manchester', 'Avon', 'Merseyside', 'Lothian', null, null, null];
const TAGS = [[], [], ['fragile'], ['gift'], ['priority'], ['fragile', 'gift'], ['b2b']];
const SERVICES = [SERVICE, 'CX-ECONOMY-48', 'CX-PREMIUM-AM', 'YODEL-48'];
const DAY_MS = 86_400_000;

/** What the searches look for, taken from the rows as they are generated. */
interface Sample {
  reference: string;
  customerReference: string;
  packageReference: string;
  trackingReference: string | null;
  lastName: string;
}

export interface Row {
  reference: string;
  state: string;
  createdAt: string;
  allocation: string | null;
  columns: ReturnType<typeof allocationColumns>;
  labelsAt: string | null;
  dispatchedAt: string | null;
  document: string;
  search: ReturnType<typeof documentColumns>;
  packages: string[];
}

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

/** The rows of `count` consignments created over the two years before `now`, oldest first. */
function* rows(template: ConsignmentData, references: number[], packageRefs: number[], now: number, samples: Sample[]): Generator<Row> {
  const r = random(9);
  const count = references.length;
  const span = 730 * DAY_MS;
  let p = 0;
  for (let i = 0; i < count; i++) {
    const reference = formatReference('EC', references[i]);
    const created = now - span + Math.floor((i / count) * span);
    const state = stateOf(r());
    const country = countryOf(r());
    const area = AREAS[Math.floor(r() * AREAS.length)];
    const postcode = country === 'GB' ? `${area}${1 + Math.floor(r() * 20)} ${Math.floor(r() * 10)}${String.fromCharCode(65 + Math.floor(r() * 26))}${String.fromCharCode(65 + Math.floor(r() * 26))}` : country === 'IE' ? null : String(10000 + Math.floor(r() * 89999));
    const first = FIRST[Math.floor(r() * FIRST.length)];
    const last = LAST[Math.floor(r() * LAST.length)];
    const n = r() < 0.8 ? 1 : r() < 0.75 ? 2 : 3;
    const packs = Array.from({ length: n }, () => formatReference('EP', packageRefs[p++ % packageRefs.length]));
    const weight = Math.round((0.1 + r() * 29.9) * 1000) / 1000;
    const data: ConsignmentData = {
      ...template,
      consignmentReferenceProvidedByCustomer: `ORD-${String(1_000_000 + i)}`,
      source: r() < 0.9 ? 'Api' : 'Web',
      direction: r() < 0.93 ? 'Outbound' : 'Inbound',
      tags: TAGS[Math.floor(r() * TAGS.length)],
      shippingDate: r() < 0.7 ? iso(created + Math.floor(r() * 3) * DAY_MS) : null,
      addresses: template.addresses.map((a) =>
        a.addressType !== 'Destination'
          ? a
          : {
              ...a,
              contact: { title: null, firstName: first, lastName: last, position: null, telephone: null, mobile: null, landLine: null, email: `${first.toLowerCase()}@example.com` },
              addressLine1: `${1 + Math.floor(r() * 200)} ${last} Street`,
              town: country === 'GB' ? TOWNS[AREAS.indexOf(area) % TOWNS.length] : 'Abroad',
              region: country === 'GB' ? REGIONS[Math.floor(r() * REGIONS.length)] : null,
              postcode,
              countryCode: country,
            },
      ),
      packages: packs.map((reference) => ({ ...template.packages[0], reference, weightKg: Math.round((weight / n) * 1000) / 1000, value: { amount: 5 + Math.floor(r() * 495), currency: 'GBP' } })),
    };
    let allocation: AllocationRecord | null = null;
    if (ALLOCATED.has(state)) {
      const day = iso(created + 2 * DAY_MS);
      allocation = {
        mpdCarrierServiceReference: SERVICES[Math.floor(r() * SERVICES.length)],
        mpdCarrierServiceName: 'Next Day',
        carrierReference: 'CARRIER_X',
        carrierName: 'Carrier X',
        carrierServiceGroupReference: '',
        mpdCarrierServiceGroupName: null,
        price: null,
        allocationDate: iso(created + 60_000),
        collectionDate: iso(created + DAY_MS),
        earliestDeliveryDate: day,
        latestDeliveryDate: day,
        legs: [{ leg: 1, carrierReference: 'CARRIER_X', carrierName: 'Carrier X', carrierServiceReference: 'CX_ND', trackingReferences: packs.map((_, k) => `CXB${String(i * 3 + k).padStart(10, '0')}GB`) }],
      } as AllocationRecord;
    }
    const columns = allocationColumns(allocation);
    if (i % 4_999 === 0) samples.push({ reference, customerReference: data.consignmentReferenceProvidedByCustomer, packageReference: packs[n - 1], trackingReference: allocation?.legs[0].trackingReferences[0] ?? null, lastName: last });
    yield {
      reference,
      state,
      createdAt: iso(created),
      allocation: allocation && JSON.stringify(allocation),
      columns,
      labelsAt: allocation && r() < 0.9 ? iso(created + 120_000) : null,
      dispatchedAt: DISPATCHED.has(state) ? iso(created + DAY_MS + 3_600_000) : null,
      document: JSON.stringify(data),
      search: documentColumns(reference, data),
      packages: [...new Set(packs)],
    };
  }
}

const CONSIGNMENT_COLUMNS = ['subscription_id', 'reference', 'state', 'created_at', 'updated_at', 'allocation', 'last_action', 'last_message', 'service_key', 'tracking_references', 'delivery_day', 'collection_day', 'labels_first_printed_at', 'dispatched_at'] as const;
const SEARCH_COLUMNS = ['customer_reference_key', 'search_text', 'source', 'direction', 'shipping_day', 'shipping_at', 'requested_delivery_day', 'weight_grams', 'value_amount', 'origin_location_key', 'destination_country', 'destination_postcode_key', 'destination_region_key'] as const;

function consignmentValues(subscriptionId: number, row: Row): unknown[] {
  return [subscriptionId, row.reference, row.state, row.createdAt, row.createdAt, row.allocation, 'Created', `Consignment ${row.reference} created`, row.columns.service_key, row.columns.tracking_references, row.columns.delivery_day, row.columns.collection_day, row.labelsAt, row.dispatchedAt];
}

/** SQLite: plain prepared inserts, 20,000 consignments per transaction (the server keeps running; WAL lets it read meanwhile). */
export function growSqlite(file: string, subscriptionId: number, source: Iterable<Row>): void {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 30000');
  db.pragma('cache_size = -200000');
  const consignment = db.prepare(`insert into consignments (${CONSIGNMENT_COLUMNS.join(', ')}) values (${CONSIGNMENT_COLUMNS.map(() => '?').join(', ')})`);
  const document = db.prepare('insert into consignment_documents (consignment_id, data) values (?, ?)');
  const search = db.prepare(`insert into consignment_search (consignment_id, subscription_id, ${SEARCH_COLUMNS.join(', ')}) values (${['?', '?', ...SEARCH_COLUMNS.map(() => '?')].join(', ')})`);
  const pack = db.prepare('insert into consignment_packages (consignment_id, package_reference) values (?, ?)');
  const write = db.transaction((chunk: Row[]) => {
    for (const row of chunk) {
      const id = Number(consignment.run(...consignmentValues(subscriptionId, row)).lastInsertRowid);
      document.run(id, row.document);
      search.run(id, subscriptionId, ...SEARCH_COLUMNS.map((c) => row.search[c]));
      for (const p of row.packages) pack.run(id, p);
    }
  });
  let chunk: Row[] = [];
  for (const row of source) {
    chunk.push(row);
    if (chunk.length === 20_000) {
      write(chunk);
      chunk = [];
    }
  }
  if (chunk.length) write(chunk);
  db.close();
}

const PG_TYPES: Record<string, string> = { subscription_id: 'int', weight_grams: 'float8', value_amount: 'float8', consignment_id: 'int' };

/** PostgreSQL: one INSERT … SELECT FROM unnest(…) per table per 5,000 consignments, a transaction each. */
export async function growPostgres(config: Config, schema: string | undefined, subscriptionId: number, source: Iterable<Row>): Promise<void> {
  const ctx = await createContext({ ...config, workers: false }, { logger: pino({ level: 'warn' }), database: { schema, poolSize: 2 } });
  const insert = (table: string, columns: readonly string[], values: unknown[][], returning = '') =>
    CompiledQuery.raw(
      `insert into ${table} (${columns.join(', ')}) select * from unnest(${columns.map((c, i) => `$${i + 1}::${PG_TYPES[c] ?? 'text'}[]`).join(', ')})${returning}`,
      columns.map((_, k) => values.map((v) => v[k])),
    );
  const write = (chunk: Row[]) =>
    ctx.database.db.transaction().execute(async (trx) => {
      const inserted = await trx.executeQuery<{ id: number; reference: string }>(insert('consignments', CONSIGNMENT_COLUMNS, chunk.map((r) => consignmentValues(subscriptionId, r)), ' returning id, reference'));
      const ids = new Map(inserted.rows.map((x) => [x.reference, x.id]));
      await trx.executeQuery(insert('consignment_documents', ['consignment_id', 'data'], chunk.map((r) => [ids.get(r.reference), r.document])));
      await trx.executeQuery(insert('consignment_search', ['consignment_id', 'subscription_id', ...SEARCH_COLUMNS], chunk.map((r) => [ids.get(r.reference), subscriptionId, ...SEARCH_COLUMNS.map((k) => r.search[k])])));
      await trx.executeQuery(insert('consignment_packages', ['consignment_id', 'package_reference'], chunk.flatMap((r) => r.packages.map((x) => [ids.get(r.reference), x]))));
    });
  try {
    let chunk: Row[] = [];
    for (const row of source) {
      chunk.push(row);
      if (chunk.length === 5_000) {
        await write(chunk);
        chunk = [];
      }
    }
    if (chunk.length) await write(chunk);
  } finally {
    await ctx.database.close();
  }
}

/** Grows the store by `count` consignments in bulk; returns what the searches look for. */
async function grow(target: ScaleBenchTarget, config: Config, count: number): Promise<Sample[]> {
  const ctx = await createContext({ ...config, workers: false }, { logger: pino({ level: 'warn' }), database: { schema: target.schema, poolSize: 2 } });
  let subscriptionId: number;
  let template: ConsignmentData;
  let references: number[];
  let packageRefs: number[];
  try {
    const sub = (await ctx.subscriptions.findByKeyHash(hashApiKey(config.demoApiKey!)))!;
    subscriptionId = sub.id;
    const any = await ctx.database.db.selectFrom('consignment_documents').innerJoin('consignments', 'consignments.id', 'consignment_documents.consignment_id').select('data').where('consignments.subscription_id', '=', sub.id).orderBy('consignments.id', 'desc').executeTakeFirstOrThrow();
    template = JSON.parse(any.data) as ConsignmentData;
    references = await ctx.sequences.next('EC', count);
    packageRefs = await ctx.sequences.next('EP', Math.ceil(count * 1.3));
  } finally {
    await ctx.database.close();
  }
  const samples: Sample[] = [];
  const source = rows(template, references, packageRefs, Date.now() - DAY_MS, samples);
  if (target.url.startsWith('sqlite:')) growSqlite(target.url.slice('sqlite:'.length), subscriptionId, source);
  else await growPostgres(config, target.schema, subscriptionId, source);
  return samples;
}

async function allocateBatch(url: string, refs: string[]): Promise<void> {
  // After the long growth the client's pooled keep-alive connection has been closed by the server:
  // a request written to it fails before the server reads it, and is sent again.
  const res = await send().catch(send);
  function send() {
    return fetch(`${url}/allocation/allocatewithcarrierservice`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': KEY },
    body: JSON.stringify({ MpdCarrierServiceReference: SERVICE, ConsignmentReferences: refs }),
    });
  }
  const body = (await res.json()) as { StatusCode: number }[];
  if (res.status !== 200 || body.length !== refs.length || body.some((b) => b.StatusCode !== 200)) throw new Error(`batch of ${refs.length} failed: ${res.status}`);
}

interface AllocationCost {
  batchUs: number;
  smallUs: number;
  steal: number;
}

/** Server CPU µs per allocation: one batch of 10,000, then 50 batches of 10 (after a warm-up). */
async function allocationCost(child: ChildProcess, url: string, refs: string[]): Promise<AllocationCost> {
  let cursor = 0;
  const take = (n: number) => refs.slice(cursor, (cursor += n));
  for (let i = 0; i < WARM_UP; i += 30) await allocateBatch(url, take(30));
  const stat = cpuStat();
  let before = cpuSeconds(child.pid!);
  await allocateBatch(url, take(BATCH));
  const batchUs = ((cpuSeconds(child.pid!) - before) * 1e6) / BATCH;
  before = cpuSeconds(child.pid!);
  for (let i = 0; i < SMALL[1]; i++) await allocateBatch(url, take(SMALL[0]));
  const smallUs = ((cpuSeconds(child.pid!) - before) * 1e6) / (SMALL[0] * SMALL[1]);
  return { batchUs, smallUs, steal: stealShare(stat) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Every documented criterion (docs/api/consignments.md, "Searching"), each with values that vary by run; and the count and summary. */
function searches(samples: Sample[], tracked: Sample[]): [name: string, path: (i: number) => string][] {
  const pick = <T>(list: T[], i: number) => list[(i * 7919) % list.length];
  const day = (back: number) => new Date(Date.now() - back * DAY_MS).toISOString().slice(0, 10);
  const page = (q: (i: number) => string) => (i: number) => `/consignments/100/0?${q(i)}`;
  return [
    ['newest first, no criteria', page(() => '')],
    ['createdDateFrom/To (a week)', page((i) => `createdDateFrom=${day(30 + (i % 300))}&createdDateTo=${day(23 + (i % 300))}`)],
    ['shippingDateFrom/To (a day)', page((i) => `shippingDateFrom=${day(20 + (i % 300))}&shippingDateTo=${day(20 + (i % 300))}`)],
    ['requestedDeliveryDateFrom', page((i) => `requestedDeliveryDateFrom=${day(i % 30)}`)],
    ['scheduledDeliveryDateFrom/To (a day)', page((i) => `scheduledDeliveryDateFrom=${day(10 + (i % 300))}&scheduledDeliveryDateTo=${day(10 + (i % 300))}`)],
    ['shippedDateFrom/To (a day)', page((i) => `shippedDateFrom=${day(10 + (i % 300))}&shippedDateTo=${day(10 + (i % 300))}`)],
    ['reference', page((i) => `reference=${pick(samples, i).reference}`)],
    ['packageNumber', page((i) => `packageNumber=${pick(samples, i).packageReference}`)],
    ['referenceProvidedByCustomer', page((i) => `referenceProvidedByCustomer=${pick(samples, i).customerReference}`)],
    ['trackingReference', page((i) => `trackingReference=${pick(tracked, i).trackingReference}`)],
    ['state (one)', page((i) => `state=${['Allocated', 'Unallocated', 'Delivered', 'InTransit', 'AllocationFailed'][i % 5]}`)],
    ['state (several)', page(() => 'state=Allocated,ReadyToShip,Manifested')],
    ['stateAttribute', page((i) => `stateAttribute=${['Shipped', 'UnShipped', 'IsUnAllocated'][i % 3]}`)],
    ['weightInGramsFrom/To', page((i) => `weightInGramsFrom=${1000 + (i % 20) * 1000}&weightInGramsTo=${1100 + (i % 20) * 1000}`)],
    ['valueFrom/To', page((i) => `valueFrom=${10 + (i % 400)}&valueTo=${11 + (i % 400)}`)],
    ['carrierService', page((i) => `carrierService=${SERVICES[i % SERVICES.length]}`)],
    ['source', page((i) => `source=${i % 2 ? 'Api' : 'Web'}`)],
    ['direction', page((i) => `direction=${i % 2 ? 'Outbound' : 'Inbound'}`)],
    ['postCode (district)', page((i) => `postCode=${AREAS[i % AREAS.length]}${1 + (i % 20)}`)],
    ['shippingLocationReference', page(() => 'shippingLocationReference=WH-MAN-01')],
    ['destinationCountryCode', page((i) => `destinationCountryCode=${['FR', 'DE', 'US', 'GB'][i % 4]}`)],
    ['destinationRegion', page((i) => `destinationRegion=${['Avon', 'Lothian', 'Merseyside'][i % 3]}`)],
    ['searchTerm (customer reference)', page((i) => `searchTerm=${pick(samples, i).customerReference.slice(4)}`)],
    ['searchTerm (surname + postcode)', page((i) => `searchTerm=${pick(samples, i).lastName}`)],
    ['labelsPrinted', page((i) => `labelsPrinted=${i % 2 ? 'true' : 'false'}`)],
    ['state + postCode', page((i) => `state=Delivered&postCode=${AREAS[i % AREAS.length]}`)],
    ['references: state', (i) => `/consignments/getConsignmentReferences?pageSize=100&state=${['Allocated', 'Unallocated', 'Cancelled'][i % 3]}`],
    ['count', () => '/consignments/count'],
    ['count: state', (i) => `/consignments/count?state=${['Allocated', 'Unallocated', 'Delivered', 'Cancelled'][i % 4]}`],
    ['summary', () => '/consignments/summary'],
    ['summary: a month', (i) => `/consignments/summary?startFrom=${day(60 + (i % 300))}&endAt=${day(30 + (i % 300))}`],
  ];
}

async function runSearches(child: ChildProcess, url: string, samples: Sample[]): Promise<void> {
  const tracked = samples.filter((s) => s.trackingReference);
  let worst = 0;
  for (const [name, path] of searches(samples, tracked)) {
    const times: number[] = [];
    const stat = cpuStat();
    const before = cpuSeconds(child.pid!);
    for (let i = 0; i < SEARCHES; i++) {
      const started = performance.now();
      const res = await fetch(`${url}${path(i)}`, { headers: { 'ocp-apim-subscription-key': KEY } });
      await res.arrayBuffer();
      times.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`${path(i)}: ${res.status}`);
    }
    const cpuMs = ((cpuSeconds(child.pid!) - before) * 1000) / SEARCHES;
    times.sort((a, b) => a - b);
    worst = Math.max(worst, percentile(times, 99));
    console.log(`  ${name.padEnd(38)} p50 ${fmt(percentile(times, 50), 1).padStart(7)} ms, p99 ${fmt(percentile(times, 99), 1).padStart(7)} ms; server CPU ${fmt(cpuMs, 1)} ms each; ${fmt(stealShare(stat) * 100)}% stolen`);
  }
  console.log(`searches at ${fmt(STORED)}:     worst p99 ${fmt(worst, 1)} ms (target < 50 ms)`);
}

/**
 * BENCH_SCALE_EXPLAIN=1: the plan of every query each search runs (count, page, references), from
 * the database itself (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL), one line each.
 */
async function explainSearches(target: ScaleBenchTarget, samples: Sample[]): Promise<void> {
  const captured: CompiledQuery[] = [];
  const log = (event: LogEvent) => void captured.push(event.query);
  const sqlite = target.url.startsWith('sqlite:') ? new SQLite(target.url.slice('sqlite:'.length), { readonly: true }) : null;
  const pool = sqlite ? null : new pg.Pool({ connectionString: target.url, max: 1, ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}) });
  const db = new Kysely<Schema>({ dialect: sqlite ? new SqliteDialect({ database: sqlite }) : new PostgresDialect({ pool: pool! }), log });
  const repository = new ConsignmentSearchRepository(db, sqlite ? 'sqlite' : 'postgres');
  const subscriptionId = Number((await db.selectFrom('consignments').select('subscription_id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).subscription_id);
  try {
    for (const [name, path] of searches(samples, samples.filter((x) => x.trackingReference))) {
      const url = new URL(path(0), 'http://x');
      const search = readSearchCriteria(Object.fromEntries(url.searchParams));
      captured.length = 0;
      if (url.pathname.includes('summary')) await repository.countByState(subscriptionId, search);
      else if (url.pathname.endsWith('/count')) await repository.count(subscriptionId, search);
      else if (url.pathname.includes('References')) await repository.references(subscriptionId, search, 100, 0);
      else await repository.page(subscriptionId, search, 100, 0, await repository.count(subscriptionId, search));
      for (const query of [...captured]) {
        if (!/^select/i.test(query.sql)) continue;
        let plan: string;
        if (sqlite) plan = (sqlite.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail).join('; ');
        else {
          const result = await pool!.query(`explain (analyze, costs off, timing off, summary on) ${query.sql}`, query.parameters as unknown[]);
          const lines = result.rows.map((r: Record<string, string>) => String(Object.values(r)[0]).trim());
          plan = lines.filter((l) => !/^(Planning|Heap Blocks|Buffers|Rows Removed)/.test(l)).join('; ');
        }
        console.log(`  plan ${name}: ${/count\(\*\)/.test(query.sql) ? '[count] ' : '[page] '}${plan}`);
      }
    }
  } finally {
    await db.destroy();
  }
}

export async function runScaleBench(target: ScaleBenchTarget, deps: ScaleBenchDeps): Promise<void> {
  console.log(`\n== ${target.name}: ${fmt(STORED)} stored consignments ==`);
  const config = deps.configFor(target);
  const first = await seedConsignments(config, target.schema, SEEDED);
  let { child, url } = await deps.startServer(target);
  try {
    const small = await allocationCost(child, url, first);
    console.log(`at ${fmt(SEEDED)} stored:        server CPU ${fmt(small.batchUs)} µs per allocation in a batch of 10,000, ${fmt(small.smallUs)} µs in batches of 10; ${fmt(small.steal * 100)}% stolen`);
    const started = performance.now();
    const stat = cpuStat();
    const cpu = process.cpuUsage();
    const filler = STORED - 3 * SEEDED - 3;
    const samples = await grow(target, config, filler);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    console.log(`grew by ${fmt(filler)} in ${fmt(seconds, 1)} s (${fmt(filler / seconds)} consignments/s, bulk SQL, the server running; ${fmt((used.user + used.system) / 1e6, 1)} s CPU in the loader); ${fmt(stealShare(stat) * 100)}% stolen`);
    const second = await seedConsignments(config, target.schema, SEEDED);
    // The server notices the growth at its next statistics check (src/store/database.ts) and plans from then on with the new statistics.
    await new Promise((resolve) => setTimeout(resolve, STATISTICS_EVERY_MS + 1_000));
    const large = await allocationCost(child, url, second);
    console.log(`at ${fmt(STORED)} stored:     server CPU ${fmt(large.batchUs)} µs per allocation in a batch of 10,000, ${fmt(large.smallUs)} µs in batches of 10; ${fmt(large.steal * 100)}% stolen`);
    console.log(`allocation cost ratio:     ${fmt(large.batchUs / small.batchUs, 2)} (batch of 10,000; target ≤ 1.2), ${fmt(large.smallUs / small.smallUs, 2)} (batches of 10), ${fmt(STORED)} against ${fmt(SEEDED)} stored`);
    // The same after a restart: what is left is the size of the store, not the state of the process.
    child.kill('SIGTERM');
    await once(child, 'exit');
    const third = await seedConsignments(config, target.schema, SEEDED);
    ({ child, url } = await deps.startServer(target));
    const restarted = await allocationCost(child, url, third);
    console.log(`after a restart:           server CPU ${fmt(restarted.batchUs)} µs per allocation in a batch of 10,000, ${fmt(restarted.smallUs)} µs in batches of 10 (ratio ${fmt(restarted.batchUs / small.batchUs, 2)}); ${fmt(restarted.steal * 100)}% stolen`);
    await runSearches(child, url, samples);
    if (process.env.BENCH_SCALE_EXPLAIN) await explainSearches(target, samples);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
