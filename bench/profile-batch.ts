// scratch: not committed
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { seedConsignments } from './seed.js';
const KEY = 'bench-key';
const url0 = process.env.DATABASE_URL ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'prof-')), 'p.db')}`;
const schema = url0.startsWith('postgres') ? `sy_prof_${process.pid}` : undefined;
const config = loadConfig({ DATABASE_URL: url0, SWITCHYARD_DEMO_API_KEY: KEY, LOG_LEVEL: 'warn' });
const refs = await seedConsignments(config, schema, 20_300);
const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--max-semi-space-size=8', 'bench/bench-server.mjs'], { env: { ...process.env, DATABASE_URL: url0, SWITCHYARD_DEMO_API_KEY: KEY, BENCH_SCHEMA: schema ?? '' }, stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
const url = JSON.parse(line).url;
const mode = process.env.MODE ?? 'batch';
let c = 0;
const alloc = async (r: string[]) => { const res = await fetch(`${url}/allocation/allocatewithcarrierservice`, { method: 'PUT', headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': KEY }, body: JSON.stringify({ MpdCarrierServiceReference: 'Example-Carrier-Service', ConsignmentReferences: r }) }); await res.text(); if (res.status !== 200) throw new Error(String(res.status)); };
for (let i = 0; i < 300; i += 30) await alloc(refs.slice(c, (c += 30)));
const t = performance.now();
if (mode === 'batch') { await alloc(refs.slice(c, (c += 10000))); await alloc(refs.slice(c, (c += 10000))); }
else { const q = refs.slice(c, c + 10000); let k = 0; await Promise.all(Array.from({ length: 32 }, async () => { while (k < q.length) await alloc([q[k++]]); })); }
console.log(mode, performance.now() - t, 'ms');
child.kill('SIGTERM'); await once(child, 'exit');
