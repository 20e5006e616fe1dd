// The writes a batch allocation makes, straight through the repository (no HTTP, no deciding):
// the ceiling the batch is compared with. Runs the compiled build, as its own process so that it
// can be counted under callgrind. Reads the references (one JSON array line) on stdin, prints
// "ready" (after writing the first BENCH_WARM_UP of them, uncounted, so that the code is compiled),
// writes the rest on the next line it reads, a group commit of GROUP at a time, prints
// {"ms": …, "count": …} and exits on the line after.
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { createContext } from '../dist/app.js';
import { loadConfig } from '../dist/config.js';

const GROUP = Number(process.env.BENCH_GROUP ?? 100);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const next = async () => (await lines.next()).value;
const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
const ctx = await createContext(config, { logger: pino({ level: 'warn' }), database: { schema: process.env.BENCH_SCHEMA || undefined } });
const refs = JSON.parse(await next());
const sub = await ctx.database.db.selectFrom('subscriptions').select('id').orderBy('id').executeTakeFirstOrThrow();
const found = [...(await ctx.consignments.findByReferences(sub.id, refs)).values()];
const at = new Date().toISOString();
const sample = { mpdCarrierServiceReference: 'Example-Carrier-Service', mpdCarrierServiceName: 'Next Day', carrierReference: 'CARRIER_X', carrierName: 'Carrier X', carrierServiceGroupReference: '', mpdCarrierServiceGroupName: null, price: null, allocationDate: at, collectionDate: '', earliestDeliveryDate: '', latestDeliveryDate: '' };
const changes = found.map((consignment, n) => ({
  consignment,
  transition: {
    fromStates: ['Unallocated', 'AllocationFailed'],
    to: 'Allocated',
    allocation: { ...sample, legs: [{ leg: 1, carrierReference: 'CARRIER_X', carrierName: 'Carrier X', carrierServiceReference: 'CX_ND', trackingReferences: [`CX${String(n).padStart(11, '0')}GB`] }] },
    at,
    event: { action: 'Allocated', message: `Consignment ${consignment.reference} allocated` },
  },
}));
async function write(some) {
  for (let i = 0; i < some.length; i += GROUP) {
    const applied = await ctx.consignments.transitionMany(some.slice(i, i + GROUP));
    if (applied.some((a) => !a)) throw new Error('a direct write was not applied');
  }
}
const warmUp = Number(process.env.BENCH_WARM_UP ?? 0);
await write(changes.slice(0, warmUp));
const counted = changes.slice(warmUp);
process.stdout.write('ready\n');
await next();
const started = performance.now();
await write(counted);
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, count: counted.length })}\n`);
await next();
await ctx.database.close();
// stdin stays open (readline), so the process ends itself.
process.exit(0);
