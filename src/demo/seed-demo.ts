/**
 * Demo data (decisions.md §8): on an empty database, subscription Demo with the demo key, the
 * Manchester warehouse WH-MAN-01, two package sizes (SMALL-BOX, the default, and LARGE-BOX) and
 * the three consignments of the seed's examples, so that the seed requests work verbatim against
 * a fresh server; then, unless turned off, the life stories of demo-stories.ts.
 */
import { utcTimestamp } from '../domain/dates.js';
import type { PackageSizeData } from '../domain/package-size.js';
import { parseReference } from '../domain/references.js';
import type { CreateConsignmentRequest } from '../contract/consignments.js';
import type { AppContext } from '../use-cases/app-context.js';
import { readConsignment } from '../use-cases/input/consignment-reader.js';
import { createSubscription, hashApiKey } from '../use-cases/subscriptions.js';
import { tellDemoStories } from './demo-stories.js';

export const DEMO_LOCATION = 'WH-MAN-01';
export const DEMO_CONSIGNMENTS = ['EC-000-05A-Z6S', 'EC-000-083-45D', 'EC-000-A04-0DV'];

/** Both fit Example-Carrier-Service (30 kg, 100 cm on the longest side). */
export const DEMO_PACKAGE_SIZES: PackageSizeData[] = [
  { reference: 'SMALL-BOX', description: 'Small box', dimensions: { lengthCm: 30, widthCm: 20, heightCm: 15 }, weightKg: 1, isDefault: true },
  { reference: 'LARGE-BOX', description: 'Large box', dimensions: { lengthCm: 60, widthCm: 40, heightCm: 40 }, weightKg: 5, isDefault: false },
];

const destinations = [
  { FirstName: 'Amira', LastName: 'Hussain', AddressLine1: '14 Chapel Street', Town: 'Leeds', Postcode: 'LS6 3JZ', Description: 'Ceramic mugs', Kg: 1.2 },
  { FirstName: 'Tom', LastName: 'Bright', AddressLine1: '2 Harbour Road', Town: 'Bristol', Postcode: 'BS1 5TT', Description: 'Walking boots', Kg: 2.4 },
  { FirstName: 'Nia', LastName: 'Evans', AddressLine1: '88 Bold Street', Town: 'Liverpool', Postcode: 'L1 4HY', Description: 'Desk lamp', Kg: 3.1 },
];

function demoRequest(i: number): CreateConsignmentRequest {
  const d = destinations[i];
  return {
    ConsignmentReferenceProvidedByCustomer: `DEMO-ORDER-${1001 + i}`,
    Direction: 'Outbound',
    Packages: [
      {
        Description: d.Description,
        Weight: { Value: d.Kg, Unit: 'Kg' },
        Dimensions: { Unit: 'Cm', Length: 40, Width: 30, Height: 20 },
        Value: { Amount: 45, Currency: { IsoCode: 'GBP' } },
      },
    ],
    Addresses: [
      { AddressType: 'Origin', ShippingLocationReference: DEMO_LOCATION },
      {
        AddressType: 'Destination',
        Contact: { FirstName: d.FirstName, LastName: d.LastName, Email: `${d.FirstName.toLowerCase()}@example.com` },
        AddressLine1: d.AddressLine1,
        Town: d.Town,
        Postcode: d.Postcode,
        Country: { IsoCode: { TwoLetterCode: 'GB' } },
      },
    ],
  };
}

export interface DemoOptions {
  /** Also the consignments that show a shipment's life (SWITCHYARD_DEMO_STORIES). */
  stories?: boolean;
}

/** Loads the demo data when the database holds no subscription yet; returns whether it did. */
export async function seedDemo(ctx: AppContext, apiKey: string, { stories = false }: DemoOptions = {}): Promise<boolean> {
  if ((await ctx.subscriptions.count()) > 0) return false;
  await createSubscription(ctx, 'Demo', apiKey);
  const demo = (await ctx.subscriptions.findByKeyHash(hashApiKey(apiKey)))!;
  await ctx.locations.create(demo.id, {
    reference: DEMO_LOCATION,
    name: 'Manchester Warehouse',
    locationType: 'Warehouse',
    defaultLocationForReturns: false,
    notes: null,
    timeZone: 'Europe/London',
    address: {
      contact: { title: null, firstName: 'Dispatch', lastName: 'Team', position: null, telephone: '0161 496 0000', mobile: null, landLine: '0161 496 0000', email: 'dispatch@example.com' },
      companyName: 'Switchyard Demo Ltd',
      customerName: null,
      addressLine1: 'Unit 4, Westinghouse Road',
      addressLine2: 'Trafford Park',
      addressLine3: null,
      town: 'Manchester',
      region: 'Greater Manchester',
      regionCode: null,
      postcode: 'M17 1PY',
      countryCode: 'GB',
      specialInstructions: null,
      latLong: null,
    },
  });
  for (const size of DEMO_PACKAGE_SIZES) await ctx.packageSizes.create(demo.id, size);
  const at = utcTimestamp(ctx.clock.now());
  for (const [i, reference] of DEMO_CONSIGNMENTS.entries()) {
    const data = await readConsignment(ctx, demo.id, demoRequest(i));
    await ctx.consignments.insert(demo.id, reference, data, at);
  }
  const highest = Math.max(...DEMO_CONSIGNMENTS.map((r) => parseReference(r)!.sequence));
  await ctx.sequences.ensureAtLeast('EC', highest + 1);
  if (stories) {
    const caller = { subscriptionId: demo.id, subscriptionReference: demo.reference, enabledServices: await ctx.subscriptions.enabledServiceKeys(demo.id) };
    await tellDemoStories(ctx, caller);
  }
  return true;
}
