/**
 * BENCH_PARTS=console: the operator console's queries at 100,000 consignments in one subscription
 * (BENCH_CONSOLE_CONSIGNMENTS), over HTTP, one request at a time. The store is loaded in bulk, as
 * BENCH_PARTS=scale grows its store (bench/scale.ts): consignments created over four months, most
 * older ones shipped, delivered or cancelled, the last three weeks' mostly still to ship (the six
 * "not shipped" states: Unallocated, AllocationFailed, Allocated, ReadyToShip, Manifested,
 * ManifestFailed), allocated ones to the demo catalogue's services of four carriers, collected the
 * day after they were created. Then, for each query, the median of BENCH_CONSOLE_RUNS runs (after
 * one uncounted), the server's CPU per request, and the shares of the host's CPU stolen meanwhile
 * and taken by other processes (the database server's own work among them, on PostgreSQL):
 * - the not-shipped list with its Count, take 50 at skip 0 and at skip 5,000, for every orderBy
 *   key in both directions;
 * - the same with a free-text term (a surname) and with a country and postcode district;
 * - the per-carrier summary of a day's collections (the dashboard's), and the state summary.
 * Target: each well under 100 ms on SQLite. BENCH_CONSOLE_EXPLAIN=1 prints each query's plans.
 * Then, in Chromium (bench/console-browser.ts), the console's first load on the wire and the time
 * from a click or a navigation to the list's rows on the screen.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery, type LogEvent } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { createContext } from '../src/app.js';
import type { Config } from '../src/config.js';
import type { AllocationRecord, ConsignmentData } from '../src/domain/consignment.js';
import { ORDER_KEYS } from '../src/domain/consignment-search.js';
import { formatReference } from '../src/domain/references.js';
import { readSearchRequest } from '../src/http/consignment-search-query.js';
import { allocationColumns, documentColumns } from '../src/store/consignment-columns.js';
import { ConsignmentSearchRepository } from '../src/store/consignment-search.repository.js';
import { STATISTICS_EVERY_MS, type Schema } from '../src/store/database.js';
import { hashApiKey } from '../src/use-cases/subscriptions.js';
import { timeConsoleInBrowser } from './console-browser.js';
import { cpuSeconds, cpuStat, fmt, othersShare, stealShare } from './host-figures.js';
import { growPostgres, growSqlite, random, weighted, type Row } from './scale.js';
import { seedConsignments } from './seed.js';

const STORED = Number(process.env.BENCH_CONSOLE_CONSIGNMENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_CONSOLE_RUNS ?? 11);
const KEY = 'bench-key';
const DAY_MS = 86_400_000;
const NOT_SHIPPED = 'state=Unallocated,AllocationFailed,Allocated,ReadyToShip,Manifested,ManifestFailed';

export interface ConsoleBenchTarget {
  name: string;
  url: string;
  schema?: string;
}

export interface ConsoleBenchDeps {
  configFor(target: ConsoleBenchTarget): Config;
  startServer(target: ConsoleBenchTarget): Promise<{ child: ChildProcess; url: string }>;
}

// The last three weeks are mostly still to ship; older consignments mostly went.
const recentState = weighted<string>([
  ['Unallocated', 25], ['AllocationFailed', 4], ['Allocated', 30], ['ReadyToShip', 8], ['Manifested', 10], ['ManifestFailed', 2],
  ['Dispatched', 5], ['InTransit', 8], ['Delivered', 5], ['Cancelled', 3],
]);
const olderState = weighted<string>([
  ['Delivered', 80], ['Cancelled', 8], ['InTransit', 1], ['DeliveryFailed', 1], ['Unallocated', 2], ['AllocationFailed', 1], ['Allocated', 1], ['ReadyToShip', 0.5], ['Manifested', 0.5],
]);
const RECENT_DAYS = 21;
const SPAN_DAYS = 120;
const ALLOCATED = new Set(['Allocated', 'ReadyToShip', 'Manifested', 'ManifestFailed', 'Dispatched', 'InTransit', 'Delivered', 'DeliveryFailed']);
const DISPATCHED = new Set(['Dispatched', 'InTransit', 'Delivered', 'DeliveryFailed']);
const countryOf = weighted<string>([['GB', 84], ['IE', 3], ['FR', 4], ['DE', 4], ['NL', 2], ['US', 3]]);
const AREAS = ['LS', 'M', 'B', 'BS', 'L', 'G', 'EH', 'CF', 'NE', 'S', 'SW', 'E', 'N', 'W', 'NW', 'SE', 'OX', 'CB', 'YO', 'HU', 'NG', 'LE', 'DE', 'ST', 'CV', 'PL', 'EX', 'TR', 'IV', 'AB'];
const LAST = ['Hussain', 'Bright', 'Evans', 'Smith', 'Jones', 'Patel', 'Taylor', 'Brown', 'Wilson', 'Khan', 'Davies', 'Murphy', 'Walker', 'Wright', 'Thompson', 'Robinson', 'Lovelace', 'Okafor', 'Nowak', 'Campbell', 'Fairweather', 'Ashworth', 'Pemberton', 'Oyelaran', 'Quigley'];
const FIRST = ['Amira', 'Tom', 'Nia', 'Oliver', 'Priya', 'James', 'Sofia', 'Liam', 'Chloe', 'Noah'];
/** The demo catalogue's services by destination, with their carriers. */
const gbService = weighted<[string, string, string]>([
  [['Example-Carrier-Service', 'CARRIER_X', 'Carrier X'], 40], [['CX-ECONOMY-48', 'CARRIER_X', 'Carrier X'], 20], [['CX-NEXTDAY-1030', 'CARRIER_X', 'Carrier X'], 5],
  [['NP-PARCEL-48', 'NORTHERN_PARCELS', 'Northern Parcels'], 30], [['NP-HEAVY-FREIGHT', 'NORTHERN_PARCELS', 'Northern Parcels'], 5],
]);
const EU_SERVICE: [string, string, string] = ['EL-EU-ROAD', 'EUROLINK', 'EuroLink Road'];
const WORLD_SERVICE: [string, string, string] = ['SW-WORLD-AIR', 'SKYWAY', 'Skyway Express'];

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

/** `count` consignments created over SPAN_DAYS before `now`, oldest first. */
function* rows(template: ConsignmentData, references: number[], packageRefs: number[], now: number): Generator<Row> {
  const r = random(17);
  let p = 0;
  for (let i = 0; i < references.length; i++) {
    const reference = formatReference('EC', references[i]);
    const created = now - SPAN_DAYS * DAY_MS + Math.floor((i / references.length) * SPAN_DAYS * DAY_MS);
    const state = now - created < RECENT_DAYS * DAY_MS ? recentState(r()) : olderState(r());
    const country = countryOf(r());
    const area = AREAS[Math.floor(r() * AREAS.length)];
    const postcode = country === 'GB' ? `${area}${1 + Math.floor(r() * 20)} ${Math.floor(r() * 10)}${String.fromCharCode(65 + Math.floor(r() * 26))}${String.fromCharCode(65 + Math.floor(r() * 26))}` : country === 'IE' ? null : String(10000 + Math.floor(r() * 89999));
    const last = LAST[Math.floor(r() * LAST.length)];
    const first = FIRST[Math.floor(r() * FIRST.length)];
    const packs = Array.from({ length: r() < 0.85 ? 1 : 2 }, () => formatReference('EP', packageRefs[p++ % packageRefs.length]));
    const data: ConsignmentData = {
      ...template,
      // Some clients send none.
      consignmentReferenceProvidedByCustomer: r() < 0.05 ? '' : `ORD-${String(2_000_000 + Math.floor(r() * 5_000_000))}`,
      shippingDate: r() < 0.7 ? iso(created + Math.floor(r() * 4) * DAY_MS) : null,
      addresses: template.addresses.map((a) =>
        a.addressType !== 'Destination'
          ? a
          : {
              ...a,
              contact: { title: null, firstName: first, lastName: last, position: null, telephone: null, mobile: null, landLine: null, email: null },
              addressLine1: `${1 + Math.floor(r() * 200)} ${last} Road`,
              town: country === 'GB' ? `${area} town` : 'Abroad',
              postcode,
              countryCode: country,
            },
      ),
      packages: packs.map((reference) => ({ ...template.packages[0], reference })),
    };
    let allocation: AllocationRecord | null = null;
    if (ALLOCATED.has(state)) {
      const [service, carrierReference, carrierName] = country === 'GB' ? gbService(r()) : country === 'US' ? WORLD_SERVICE : EU_SERVICE;
      allocation = {
        mpdCarrierServiceReference: service,
        mpdCarrierServiceName: service,
        carrierReference,
        carrierName,
        carrierServiceGroupReference: '',
        mpdCarrierServiceGroupName: null,
        price: null,
        allocationDate: iso(created + 60_000),
        collectionDate: `${iso(created + DAY_MS).slice(0, 10)}T17:30:00+00:00`,
        earliestDeliveryDate: iso(created + 2 * DAY_MS),
        latestDeliveryDate: iso(created + 2 * DAY_MS),
        legs: [{ leg: 1, carrierReference, carrierName, carrierServiceReference: service, trackingReferences: packs.map((_, k) => `CXC${String(i * 3 + k).padStart(10, '0')}GB`) }],
      } as AllocationRecord;
    }
    yield {
      reference,
      state,
      createdAt: iso(created),
      allocation: allocation && JSON.stringify(allocation),
      columns: allocationColumns(allocation),
      labelsAt: allocation && r() < 0.8 ? iso(created + 120_000) : null,
      dispatchedAt: DISPATCHED.has(state) ? iso(created + DAY_MS + 3_600_000) : null,
      document: JSON.stringify(data),
      search: documentColumns(reference, data),
      packages: [...new Set(packs)],
    };
  }
}

/** Loads the store in bulk, beside the demo subscription's own consignment (its template). */
export async function loadConsoleStore(target: ConsoleBenchTarget, config: Config, now: number): Promise<void> {
  await seedConsignments(config, target.schema, 1);
  const ctx = await createContext({ ...config, workers: false }, { logger: pino({ level: 'warn' }), database: { schema: target.schema, poolSize: 2 } });
  let subscriptionId: number;
  let template: ConsignmentData;
  let references: number[];
  let packageRefs: number[];
  try {
    subscriptionId = (await ctx.subscriptions.findByKeyHash(hashApiKey(config.demoApiKey!)))!.id;
    const any = await ctx.database.db.selectFrom('consignment_documents').innerJoin('consignments', 'consignments.id', 'consignment_documents.consignment_id').select('data').where('consignments.subscription_id', '=', subscriptionId).orderBy('consignments.id', 'desc').executeTakeFirstOrThrow();
    template = JSON.parse(any.data) as ConsignmentData;
    references = await ctx.sequences.next('EC', STORED);
    packageRefs = await ctx.sequences.next('EP', Math.ceil(STORED * 1.2));
  } finally {
    await ctx.database.close();
  }
  const source = rows(template, references, packageRefs, now);
  if (target.url.startsWith('sqlite:')) growSqlite(target.url.slice('sqlite:'.length), subscriptionId, source);
  else await growPostgres(config, target.schema, subscriptionId, source);
}

interface Query {
  name: string;
  path: string;
}

/** The console's queries: the not-shipped list in every order (two pages each), with filters, and the dashboard's summaries. */
function queries(today: string): Query[] {
  const list: Query[] = [];
  for (const key of ORDER_KEYS) {
    for (const orderBy of [key, `-${key}`]) {
      for (const skip of [0, 5_000]) list.push({ name: `not shipped, orderBy=${orderBy}, skip ${fmt(skip)}`, path: `/consignments/50/${skip}?${NOT_SHIPPED}&orderBy=${orderBy}` });
    }
  }
  list.push(
    { name: 'not shipped + searchTerm (surname)', path: `/consignments/50/0?${NOT_SHIPPED}&searchTerm=fairweather` },
    { name: 'not shipped + searchTerm, -shippingDate', path: `/consignments/50/0?${NOT_SHIPPED}&searchTerm=fairweather&orderBy=-shippingDate` },
    { name: 'not shipped + GB + postcode LS1', path: `/consignments/50/0?${NOT_SHIPPED}&destinationCountryCode=GB&postcode=LS1` },
    { name: 'not shipped + GB + LS1, destinationCountry', path: `/consignments/50/0?${NOT_SHIPPED}&destinationCountryCode=GB&postcode=LS1&orderBy=destinationCountry` },
    { name: 'not shipped + service, -created', path: `/consignments/50/0?${NOT_SHIPPED}&carrierService=NP-PARCEL-48` },
    { name: 'not shipped + shipping day', path: `/consignments/50/0?${NOT_SHIPPED}&shippingDateFrom=${today}&shippingDateTo=${today}&orderBy=customerReference` },
    { name: 'collections per carrier, today', path: `/consignments/summary/carriers?collectionDateFrom=${today}&collectionDateTo=${today}` },
    { name: 'state summary', path: '/consignments/summary' },
  );
  return list;
}

async function timeQueries(child: ChildProcess, url: string, list: Query[]): Promise<void> {
  let worst = 0;
  for (const { name, path } of list) {
    const get = async () => {
      const started = performance.now();
      const res = await fetch(`${url}${path}`, { headers: { 'ocp-apim-subscription-key': KEY } });
      const body = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${Buffer.from(body).toString()}`);
      return { ms: performance.now() - started, body };
    };
    const { body } = await get();
    const parsed = JSON.parse(Buffer.from(body).toString()) as { Count?: number; NumberOfConsignments?: number };
    const stat = cpuStat();
    const before = cpuSeconds(child.pid!);
    const client = process.cpuUsage();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push((await get()).ms);
    const serverSeconds = cpuSeconds(child.pid!) - before;
    const cpuMs = (serverSeconds * 1000) / RUNS;
    const used = process.cpuUsage(client);
    const others = othersShare(stat, serverSeconds, (used.user + used.system) / 1e6);
    times.sort((a, b) => a - b);
    const median = times[Math.floor(RUNS / 2)];
    worst = Math.max(worst, median);
    const matches = parsed.Count ?? parsed.NumberOfConsignments;
    console.log(`  ${name.padEnd(46)} p50 ${fmt(median, 1).padStart(6)} ms (min ${fmt(times[0], 1)}, max ${fmt(times[RUNS - 1], 1)}); server CPU ${fmt(cpuMs, 1)} ms each; ${fmt(stealShare(stat) * 100)}% stolen, ${fmt(others * 100)}% to other processes${matches === undefined ? '' : `; ${fmt(matches)} matching`}`);
  }
  console.log(`console queries at ${fmt(STORED)}: slowest median ${fmt(worst, 1)} ms (target: well under 100 ms on SQLite), ${RUNS} runs each`);
}

/** BENCH_CONSOLE_EXPLAIN=1: the plan of each query the searches run, from the database itself. */
async function explain(target: ConsoleBenchTarget, list: Query[]): Promise<void> {
  const captured: CompiledQuery[] = [];
  const log = (event: LogEvent) => void captured.push(event.query);
  const sqlite = target.url.startsWith('sqlite:') ? new SQLite(target.url.slice('sqlite:'.length), { readonly: true }) : null;
  const pool = sqlite ? null : new pg.Pool({ connectionString: target.url, max: 1, ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}) });
  const db = new Kysely<Schema>({ dialect: sqlite ? new SqliteDialect({ database: sqlite }) : new PostgresDialect({ pool: pool! }), log });
  const repository = new ConsignmentSearchRepository(db, sqlite ? 'sqlite' : 'postgres');
  const subscriptionId = Number((await db.selectFrom('consignments').select('subscription_id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).subscription_id);
  try {
    for (const { name, path } of list) {
      const url = new URL(path, 'http://x');
      const [, , take, skip] = url.pathname.split('/');
      captured.length = 0;
      if (url.pathname.endsWith('/carriers')) {
        await repository.countByServiceAndState(subscriptionId, readSearchRequest('0', '0', Object.fromEntries(url.searchParams)).search);
      } else if (url.pathname.endsWith('/summary')) {
        await repository.countByState(subscriptionId, { criteria: [] });
      } else {
        const request = readSearchRequest(take, skip, Object.fromEntries(url.searchParams));
        const count = await repository.count(subscriptionId, request.search);
        await repository.page(subscriptionId, request.search, request.take, request.skip, count, request.order);
      }
      for (const query of [...captured]) {
        let plan: string;
        if (sqlite) plan = (sqlite.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail).join('; ');
        else {
          const result = await pool!.query(`explain (analyze, costs off, timing off, summary on) ${query.sql}`, query.parameters as unknown[]);
          plan = result.rows.map((r: Record<string, string>) => String(Object.values(r)[0]).trim()).filter((l) => !/^(Planning|Heap Blocks|Buffers)/.test(l)).join('; ');
        }
        console.log(`  plan ${name}: ${/count\(\*\)/.test(query.sql) ? '[count] ' : ''}${plan}`);
      }
    }
  } finally {
    await db.destroy();
  }
}

export async function runConsoleBench(target: ConsoleBenchTarget, deps: ConsoleBenchDeps): Promise<void> {
  console.log(`\n== ${target.name}: the console's queries at ${fmt(STORED)} consignments in one subscription ==`);
  const config = deps.configFor(target);
  const now = Date.now();
  const started = performance.now();
  await loadConsoleStore(target, config, now);
  console.log(`loaded ${fmt(STORED)} consignments in ${fmt((performance.now() - started) / 1000, 1)} s (bulk SQL)`);
  // Started after the load, so that it plans with the grown store's statistics (it gathers them at start).
  const { child, url } = await deps.startServer(target);
  try {
    // PostgreSQL's table statistics counters lag the load a little: the server's next check (src/store/database.ts) sees them.
    if (!target.url.startsWith('sqlite:')) await new Promise((resolve) => setTimeout(resolve, STATISTICS_EVERY_MS + 1_000));
    const list = queries(new Date(now).toISOString().slice(0, 10));
    await timeQueries(child, url, list);
    if (process.env.BENCH_CONSOLE_EXPLAIN) await explain(target, list);
    await timeConsoleInBrowser(url, KEY, RUNS, STORED);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
