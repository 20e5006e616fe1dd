import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { openDatabase } from '../src/store/database.js';
import { migrations } from '../src/store/migrations.js';
import { ConsignmentsRepository } from '../src/store/consignments.repository.js';
import { allowedStates } from '../src/domain/states.js';

const N = 10_000;
async function once(with0010: boolean, drop: string[] = []): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'sy-ab-'));
  const database = await openDatabase(`sqlite:${join(dir, 'ab.db')}`);
  const all = migrations('sqlite');
  const chosen = Object.fromEntries(Object.entries(all).filter(([n]) => with0010 || n < '0010'));
  await new Migrator({ db: database.db, provider: { getMigrations: async () => chosen } }).migrateToLatest();
  const db = database.db as any;
  for (const d of drop) await (await import('kysely')).sql.raw(d).execute(db);
  const { id } = await db.insertInto('subscriptions').values({ reference: 'S', name: 'S', api_key_hash: 'x'.repeat(64), created_at: 'x' }).returning('id').executeTakeFirstOrThrow();
  const repo = new ConsignmentsRepository(database.db);
  const data: any = JSON.parse('{"consignmentReferenceProvidedByCustomer":"ORD-1","source":"Api","direction":"Outbound","tags":[],"shippingDate":null,"requestedDeliveryDate":null,"customsDocumentation":null,"metaData":[],"addresses":[{"addressType":"Destination","shippingLocationReference":null,"shopLocationReference":null,"contact":null,"companyName":null,"customerName":"Ann","addressLine1":"1 St","addressLine2":null,"addressLine3":null,"town":"Leeds","region":null,"regionCode":null,"postcode":"LS1 4AP","countryCode":"GB","specialInstructions":null,"latLong":null}],"packages":[{"reference":"EP-1","packageReferenceProvidedByCustomer":null,"description":null,"weightKg":1,"dimensions":{"lengthCm":1,"widthCm":1,"heightCm":1},"value":null,"packageSizeReference":null,"barcode":null,"items":[],"metaData":[]}],"timeZone":"Europe/London"}');
  const rows = Array.from({ length: N }, (_, i) => ({ reference: `EC-${String(i).padStart(8, '0')}`, data: { ...data, packages: [{ ...data.packages[0], reference: `EP-${i}` }] } }));
  await repo.insertMany(id, rows, new Date().toISOString());
  const found = await repo.findByReferences(id, rows.map((r) => r.reference));
  const sample = { mpdCarrierServiceReference: 'S', mpdCarrierServiceName: 'N', carrierReference: 'C', carrierName: 'C', carrierServiceGroupReference: '', mpdCarrierServiceGroupName: null, price: null, allocationDate: 'x', collectionDate: '', earliestDeliveryDate: '2026-11-20', latestDeliveryDate: '' };
  const cpu = process.cpuUsage();
  let n = 0;
  for (const c of found.values()) {
    const legs = [{ leg: 1, carrierReference: 'C', carrierName: 'C', carrierServiceReference: 'CX', trackingReferences: [`CX${String((n++ * 7919) % 1e9).padStart(11, '0')}GB`] }];
    await repo.transition(c, { fromStates: allowedStates('allocate'), to: 'Allocated', allocation: { ...sample, legs } as any, at: 'x', event: { action: 'Allocated', message: 'm' } });
  }
  const used = process.cpuUsage(cpu);
  await database.close();
  rmSync(dir, { recursive: true, force: true });
  return (used.user + used.system) / N;
}
const variants: [string, string[]][] = [
  ['none', []],
  ['no tracking triggers', ['drop trigger consignment_tracking_update', 'drop trigger consignment_tracking_forget']],
  ['no state index', ['drop index consignments_search_state']],
  ['no partials', ['drop index consignments_search_service', 'drop index consignments_search_delivery_day', 'drop index consignments_search_labels']],
];
for (let r = 0; r < 2; r++) {
  console.log(`without 0010 ${(await once(false)).toFixed(1)}`);
  for (const [name, drop] of variants) console.log(`  0010 ${name}: ${(await once(true, drop)).toFixed(1)}`);
}
