import { pino } from 'pino';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { seedConsignments } from './seed.js';
import { writeFiftyServiceCatalogue, benchRules } from './fifty-services.js';
import { createRule } from '../src/use-cases/allocation-rules.js';
import { quoteConsignment } from '../src/use-cases/quotes.js';
import { presentQuoteResult } from '../src/http/presenters/quote.js';

const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, SWITCHYARD_CATALOGUE: writeFiftyServiceCatalogue(), LOG_LEVEL: 'warn', SWITCHYARD_DEMO_API_KEY: 'k' });
const refs = await seedConsignments(config, undefined, 2000);
const ctx = await createContext(config, { logger: pino({ level: 'warn' }) });
const sub = await ctx.database.db.selectFrom('subscriptions').select(['id', 'reference']).executeTakeFirstOrThrow();
const caller = { subscriptionId: sub.id, subscriptionReference: sub.reference, enabledServices: new Set(ctx.catalogue.catalogue.services.map((s) => s.reference.toLowerCase())) };
for (const r of benchRules()) await createRule(ctx, caller as any, r as any);
const a: number[] = [], b: number[] = [], c: number[] = [];
for (const ref of refs) {
  const t0 = performance.now();
  const r = await quoteConsignment(ctx, caller as any, ref);
  const t1 = performance.now();
  const p = presentQuoteResult(r, ctx.catalogue);
  const t2 = performance.now();
  JSON.stringify(p);
  const t3 = performance.now();
  a.push(t1 - t0); b.push(t2 - t1); c.push(t3 - t2);
}
const pct = (x: number[], p: number) => x.sort((m, n) => m - n)[Math.floor(x.length * p)].toFixed(2);
console.log('quote use-case p50', pct(a, 0.5), 'p99', pct(a, 0.99), '| present p50', pct(b, 0.5), 'p99', pct(b, 0.99), '| json p50', pct(c, 0.5), 'p99', pct(c, 0.99));
await ctx.database.close();
