/**
 * BENCH_PARTS=bulk: consignments created per second by POST /consignments/bulk, 10 requests of
 * 10,000 create requests one after another (target on 2 cores: ≥ 10,000/s), against single
 * POST /consignments at 32 connections measured in the same run on the same server, as a ratio.
 * Also one 10,000-consignment CSV import, and the ceiling: the same documents stored straight
 * through ConsignmentsRepository.insertMany, 500 per transaction, without HTTP or reading (as a
 * ratio). Printed with the server's CPU time per consignment, the share of the host's CPU stolen
 * meanwhile and the share other processes took, which say how far the wall times can be trusted.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { createContext } from '../src/app.js';
import type { Config } from '../src/config.js';
import type { ConsignmentData } from '../src/domain/consignment.js';
import { formatReference } from '../src/domain/references.js';
import { BULK_CREATE_SLICE } from '../src/use-cases/bulk-create-consignments.js';
import { cpuSeconds, cpuStat, fmt, othersShare, stealShare } from './host-figures.js';

const REQUESTS = Number(process.env.BENCH_BULK_REQUESTS ?? 10);
const PER_REQUEST = 10_000;
const SINGLES = Number(process.env.BENCH_BULK_SINGLES ?? 10_000);

export interface BulkBenchTarget {
  name: string;
  config: Config;
  schema?: string;
  key: string;
  start(): Promise<{ child: ChildProcess; url: string }>;
}

/** A create request of the shape most clients send: a warehouse origin, a full destination, one or two packages. */
function createRequest(n: number): object {
  return {
    ConsignmentReferenceProvidedByCustomer: `BENCH-${n}`,
    Tags: n % 5 === 0 ? ['Fragile'] : [],
    Packages: Array.from({ length: 1 + (n % 2) }, (_, i) => ({
      Description: `Package ${i + 1}`,
      Weight: { Value: 1 + (n % 7) / 2, Unit: 'Kg' },
      Dimensions: { Unit: 'Cm', Length: 30, Width: 20, Height: 10 + (n % 3) },
      Value: { Amount: 20 + (n % 50), Currency: { IsoCode: 'GBP' } },
    })),
    Addresses: [
      { AddressType: 'Origin', ShippingLocationReference: 'WH-MAN-01' },
      {
        AddressType: 'Destination',
        Contact: { FirstName: 'Sam', LastName: `Tester ${n}`, Email: 'sam@example.com' },
        AddressLine1: `${1 + (n % 200)} Test Street`,
        Town: 'Leeds',
        Postcode: 'LS1 4AP',
        Country: { IsoCode: { TwoLetterCode: 'GB' } },
      },
    ],
  };
}

function csvFile(from: number, count: number): string {
  const rows = ['ConsignmentKey,ConsignmentReferenceProvidedByCustomer,OriginShippingLocationReference,DestinationFirstName,DestinationLastName,DestinationAddressLine1,DestinationTown,DestinationPostcode,DestinationCountryCode,WeightKg,LengthCm,WidthCm,HeightCm,Value,Currency'];
  for (let n = from; n < from + count; n++) rows.push(`K${n},CSV-${n},WH-MAN-01,Sam,Tester ${n},${1 + (n % 200)} Test Street,Leeds,LS1 4AP,GB,${1 + (n % 7) / 2},30,20,10,${20 + (n % 50)},GBP`);
  return `${rows.join('\n')}\n`;
}

const clientSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Consignments/s storing copies of `count` bulk-created documents straight through insertMany, slice by slice as the bulk create does. */
async function rawInserts(target: BulkBenchTarget, count: number): Promise<number> {
  const ctx = await createContext(target.config, { logger: pino({ level: 'warn' }), database: { schema: target.schema } });
  try {
    const sub = await ctx.database.db.selectFrom('subscriptions').select('id').executeTakeFirstOrThrow();
    const rows = await ctx.database.db.selectFrom('consignment_documents').select('data').orderBy('consignment_id', 'desc').limit(count).execute();
    const documents = rows.map((r) => JSON.parse(r.data) as ConsignmentData);
    const started = performance.now();
    for (let i = 0; i < documents.length; i += BULK_CREATE_SLICE) {
      const slice = documents.slice(i, i + BULK_CREATE_SLICE);
      const numbers = await ctx.sequences.next('EC', slice.length);
      const packageNumbers = await ctx.sequences.next('EP', slice.reduce((n, d) => n + d.packages.length, 0));
      let p = 0;
      const consignments = slice.map((data, k) => ({
        reference: formatReference('EC', numbers[k]),
        data: { ...data, packages: data.packages.map((pkg) => ({ ...pkg, reference: formatReference('EP', packageNumbers[p++]) })) },
      }));
      await ctx.consignments.insertMany(sub.id, consignments, new Date().toISOString());
    }
    return (documents.length / (performance.now() - started)) * 1000;
  } finally {
    await ctx.database.close();
  }
}

async function postBulk(url: string, key: string, body: string, contentType: string, expected: number): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/consignments/bulk`, { method: 'POST', headers: { 'content-type': contentType, 'ocp-apim-subscription-key': key }, body });
  const results = (await res.json()) as { StatusCode: number }[];
  const ms = performance.now() - started;
  if (res.status !== 200 || results.length !== expected || results.some((r) => r.StatusCode !== 201)) throw new Error(`bulk create of ${expected} failed: ${res.status}`);
  return ms;
}

async function singles(url: string, key: string, count: number, from: number): Promise<autocannon.Result> {
  let next = from;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: 32,
        amount: count,
        requests: [
          {
            method: 'POST',
            path: '/consignments',
            headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': key },
            setupRequest: (req) => ({ ...req, body: JSON.stringify(createRequest(next++)) }),
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

export async function runBulkBench(target: BulkBenchTarget): Promise<void> {
  console.log(`\n== ${target.name}: bulk create, ${REQUESTS} × ${PER_REQUEST.toLocaleString('en-GB')} ==`);
  const { child, url } = await target.start();
  try {
    let n = 0;
    const bodyOf = (count: number) => JSON.stringify(Array.from({ length: count }, () => createRequest(n++)));
    // Warm-up: the server's code paths compiled, the sequences' first blocks taken.
    await postBulk(url, target.key, bodyOf(1_000), 'application/json', 1_000);
    await singles(url, target.key, 500, 1_000_000);

    const bodies = Array.from({ length: REQUESTS }, () => bodyOf(PER_REQUEST));
    const stat = cpuStat();
    const cpuBefore = cpuSeconds(child.pid!);
    const clientBefore = clientSeconds();
    const times: number[] = [];
    for (const body of bodies) times.push(await postBulk(url, target.key, body, 'application/json', PER_REQUEST));
    const serverSeconds = cpuSeconds(child.pid!) - cpuBefore;
    const cpuUs = (serverSeconds * 1e6) / (REQUESTS * PER_REQUEST);
    const steal = stealShare(stat);
    const others = othersShare(stat, serverSeconds, clientSeconds() - clientBefore);
    const totalMs = times.reduce((a, b) => a + b, 0);
    const bulkRate = ((REQUESTS * PER_REQUEST) / totalMs) * 1000;
    times.sort((a, b) => a - b);

    const csv = csvFile(n, PER_REQUEST);
    const csvStat = cpuStat();
    const csvMs = await postBulk(url, target.key, csv, 'text/csv', PER_REQUEST);
    const csvSteal = stealShare(csvStat);

    const singleStat = cpuStat();
    const singleCpuBefore = cpuSeconds(child.pid!);
    const single = await singles(url, target.key, SINGLES, 2_000_000);
    const singleCpuUs = ((cpuSeconds(child.pid!) - singleCpuBefore) * 1e6) / SINGLES;
    const singleSteal = stealShare(singleStat);
    const failed = single.non2xx + single.errors;

    child.kill('SIGTERM');
    await once(child, 'exit');
    const raw = await rawInserts(target, 2 * PER_REQUEST);

    console.log(`bulk create:               ${fmt(bulkRate)} consignments/s over ${REQUESTS} requests of ${fmt(PER_REQUEST)} (target ≥ 10,000/s); median request ${fmt(times[Math.floor(times.length / 2)])} ms; server CPU ${fmt(cpuUs)} µs per consignment (${fmt(1e6 / cpuUs)}/s if it had a core to itself); ${fmt(steal * 100)}% of the host's CPU time was stolen meanwhile, ${fmt(others * 100)}% went to other processes`);
    console.log(`CSV import of ${fmt(PER_REQUEST)}:      ${fmt((PER_REQUEST / csvMs) * 1000)} consignments/s; ${fmt(csvSteal * 100)}% stolen`);
    console.log(`single creates:            ${fmt(single.requests.average)} req/s, p50 ${single.latency.p50} ms, p99 ${single.latency.p99} ms at 32 connections; server CPU ${fmt(singleCpuUs)} µs per consignment; ${fmt(singleSteal * 100)}% stolen${failed ? `; ${failed} non-2xx/errors` : ''}`);
    console.log(`bulk/single:               ${fmt(bulkRate / single.requests.average, 1)}× the consignments per second; ${fmt(singleCpuUs / cpuUs, 1)}× less server CPU per consignment`);
    console.log(`raw inserts (no HTTP):     ${fmt(raw)} consignments/s through insertMany, ${BULK_CREATE_SLICE} per transaction   bulk/raw = ${fmt(bulkRate / raw, 2)}`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
}
