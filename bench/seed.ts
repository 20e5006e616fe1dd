/** Bulk-seeds benchmark consignments straight through the data layer (one multi-row insert per chunk). */
import { createContext } from '../src/app.js';
import type { Config } from '../src/config.js';
import { formatReference } from '../src/domain/references.js';
import { seedDemo } from '../src/demo/seed-demo.js';
import { readConsignment } from '../src/use-cases/input/consignment-reader.js';
import { pino } from 'pino';

export async function seedConsignments(config: Config, schema: string | undefined, count: number): Promise<string[]> {
  const ctx = await createContext(config, { logger: pino({ level: 'warn' }), database: { schema } });
  try {
    await seedDemo(ctx, config.demoApiKey);
    const sub = (await ctx.subscriptions.findByReference('SUB-DEMO')) ?? (await ctx.database.db.selectFrom('subscriptions').select(['id', 'reference', 'name']).executeTakeFirstOrThrow());
    const data = await readConsignment(ctx, sub.id, {
      Packages: [{ Description: 'Bench parcel', Weight: { Value: 2, Unit: 'Kg' }, Dimensions: { Unit: 'Cm', Length: 30, Width: 20, Height: 10 }, Value: { Amount: 25, Currency: { IsoCode: 'GBP' } } }],
      Addresses: [
        { AddressType: 'Origin', ShippingLocationReference: 'WH-MAN-01' },
        { AddressType: 'Destination', AddressLine1: '1 Bench Road', Town: 'Leeds', Postcode: 'LS1 4AP', Country: { IsoCode: { TwoLetterCode: 'GB' } } },
      ],
    });
    const first = (await ctx.sequences.next('EC', count))[0];
    const packages = await ctx.sequences.next('EP', count);
    const at = new Date().toISOString();
    const rows = Array.from({ length: count }, (_, j) => ({
      reference: formatReference('EC', first + j),
      data: { ...data, packages: [{ ...data.packages[0], reference: formatReference('EP', packages[j]) }] },
    }));
    await ctx.consignments.insertMany(sub.id, rows, at);
    const refs = rows.map((r) => r.reference);
    return refs;
  } finally {
    await ctx.database.close();
  }
}
