/**
 * The demo's life stories (issue 8): beside the seed's three Unallocated consignments, the demo
 * subscription gets consignments that show a shipment's whole life, each taken there through the
 * same use-cases the API calls, so that what a newcomer sees is what Switchyard does:
 *
 * - DEMO-LABELLED: Allocated to Example-Carrier-Service, its label printed once;
 * - DEMO-MANIFESTED: Allocated, labelled and on today's manifest;
 * - DEMO-FAILED: a 45 kg parcel for Example-Carrier-Service (30 kg at most): AllocationFailed, with its reasons;
 * - DEMO-ZURICH: to Zürich by SW-WORLD-AIR, with a commercial invoice and a CN23;
 * - DEMO-DELIVERED: allocated, labelled, manifested and dispatched a week ago (its carrier too
 *   living then), then tracked now: Delivered, with the history the simulated carrier tells.
 *
 * A story whose service the catalogue does not have (another SWITCHYARD_CATALOGUE), or whose step
 * a carrier refuses, is left where it got to and logged: the demo never stops a server starting.
 */
import { CONNECTORS } from '../carriers/index.js';
import { CarrierRegistry } from '../carriers/registry.js';
import type { CreateConsignmentRequest } from '../contract/consignments.js';
import { fixedClock } from '../domain/clock.js';
import { dispatchConsignments } from '../use-cases/dispatch.js';
import { trackDueLegs } from '../use-cases/tracker.js';
import type { AppContext, Caller } from '../use-cases/app-context.js';
import { allocateConsignments } from '../use-cases/allocate.js';
import { createConsignment } from '../use-cases/create-consignment.js';
import { manifestConsignments } from '../use-cases/manifest-consignments.js';
import { printLabels } from '../use-cases/print-labels.js';
import { DEMO_LOCATION } from './seed-demo.js';

interface Story {
  /** The consignment's ConsignmentReferenceProvidedByCustomer: how a newcomer finds it (`?referenceProvidedByCustomer=`). */
  name: string;
  service: string;
  request: CreateConsignmentRequest;
  /** What allocating it to `service` gives. */
  allocation: 'allocated' | 'failed';
  /** What happens after it is allocated. */
  then: 'labels' | 'manifest' | 'deliver' | 'none';
}

function gbParcel(name: string, contact: { FirstName: string; LastName: string }, address: { AddressLine1: string; Town: string; Postcode: string }, item: { Description: string; Kg: number; Value: number }): CreateConsignmentRequest {
  return {
    ConsignmentReferenceProvidedByCustomer: name,
    Direction: 'Outbound',
    Packages: [
      {
        Description: item.Description,
        Weight: { Value: item.Kg, Unit: 'Kg' },
        Dimensions: { Unit: 'Cm', Length: 40, Width: 30, Height: 20 },
        Value: { Amount: item.Value, Currency: { IsoCode: 'GBP' } },
      },
    ],
    Addresses: [
      { AddressType: 'Origin', ShippingLocationReference: DEMO_LOCATION },
      {
        AddressType: 'Destination',
        Contact: { ...contact, Email: `${contact.FirstName.toLowerCase()}@example.com` },
        ...address,
        Country: { IsoCode: { TwoLetterCode: 'GB' } },
      },
    ],
  };
}

const zurich = (): CreateConsignmentRequest => ({
  ConsignmentReferenceProvidedByCustomer: 'DEMO-ZURICH',
  Direction: 'Outbound',
  Packages: [
    {
      Description: 'Wool throws',
      Weight: { Value: 3.2, Unit: 'Kg' },
      Dimensions: { Unit: 'Cm', Length: 50, Width: 40, Height: 15 },
      Value: { Amount: 310, Currency: { IsoCode: 'GBP' } },
      Items: [
        {
          Sku: 'THROW-HERD-01', Description: 'Herdwick wool throw', Quantity: 2, HarmonisationCode: '6301200000',
          CountryOfOrigin: { IsoCode: { TwoLetterCode: 'GB' } }, Weight: { Value: 1.4, Unit: 'Kg' }, Value: { Amount: 140, Currency: { IsoCode: 'GBP' } },
        },
        {
          Sku: 'CUSH-TWD-02', Description: 'Tweed cushion cover', Quantity: 1, HarmonisationCode: '6304920000',
          CountryOfOrigin: { IsoCode: { TwoLetterCode: 'GB' } }, Weight: { Value: 0.4, Unit: 'Kg' }, Value: { Amount: 30, Currency: { IsoCode: 'GBP' } },
        },
      ],
    },
  ],
  Addresses: [
    { AddressType: 'Origin', ShippingLocationReference: DEMO_LOCATION },
    {
      AddressType: 'Destination',
      Contact: { FirstName: 'Jürg', LastName: 'Mäder', Email: 'juerg@example.com', Telephone: '+41 44 000 00 00' },
      AddressLine1: 'Bahnhofstrasse 12',
      Town: 'Zürich',
      Postcode: '8001',
      Country: { IsoCode: { TwoLetterCode: 'CH' } },
    },
  ],
  CustomsDocumentation: { CategoryType: 'SaleOfGoods', ReasonForExport: 'Sale', ShippingTerms: 'DAP', DesignatedPersonResponsible: 'Dispatch Team' },
});

// Made when told, not at import: seed-demo.ts (which imports this) owns DEMO_LOCATION.
const stories = (): Story[] => [
  {
    name: 'DEMO-LABELLED',
    service: 'Example-Carrier-Service',
    request: gbParcel('DEMO-LABELLED', { FirstName: 'Priya', LastName: 'Shah' }, { AddressLine1: '5 Queen Street', Town: 'Edinburgh', Postcode: 'EH2 1JE' }, { Description: 'Tea set', Kg: 1.8, Value: 60 }),
    allocation: 'allocated',
    then: 'labels',
  },
  {
    name: 'DEMO-MANIFESTED',
    service: 'Example-Carrier-Service',
    request: gbParcel('DEMO-MANIFESTED', { FirstName: 'Owen', LastName: 'Price' }, { AddressLine1: '21 Castle Street', Town: 'Cardiff', Postcode: 'CF10 1BS' }, { Description: 'Record player', Kg: 6.5, Value: 180 }),
    allocation: 'allocated',
    then: 'manifest',
  },
  {
    name: 'DEMO-FAILED',
    service: 'Example-Carrier-Service',
    request: gbParcel('DEMO-FAILED', { FirstName: 'Grace', LastName: 'Okafor' }, { AddressLine1: '9 Deansgate', Town: 'Manchester', Postcode: 'M3 2BW' }, { Description: 'Cast iron stove', Kg: 45, Value: 400 }),
    allocation: 'failed',
    then: 'none',
  },
  // Its customs documents are made when asked for (GET /consignments/docs/{ref}), as for any consignment.
  { name: 'DEMO-ZURICH', service: 'SW-WORLD-AIR', request: zurich(), allocation: 'allocated', then: 'none' },
  {
    name: 'DEMO-DELIVERED',
    service: 'Example-Carrier-Service',
    request: gbParcel('DEMO-DELIVERED', { FirstName: 'Hannah', LastName: 'Lloyd' }, { AddressLine1: '3 Stonegate', Town: 'York', Postcode: 'YO1 8AS' }, { Description: 'Picture frames', Kg: 2.2, Value: 75 }),
    allocation: 'allocated',
    then: 'deliver',
  },
];

/**
 * The world as of a weekday morning eight days ago, for a story that happened then: its clock,
 * and carriers that see that clock too (a simulated carrier refuses a manifest after its cut-off).
 */
function lastWeek(ctx: AppContext): AppContext {
  let at = ctx.clock.now().setZone('Europe/London').minus({ days: 8 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  while (at.weekday > 5) at = at.minus({ days: 1 });
  const clock = fixedClock(at.toISO()!);
  const carriers = CarrierRegistry.connect(ctx.catalogue, CONNECTORS, { numbers: ctx.sequences, clock, renderer: ctx.renderer });
  return { ...ctx, clock, carriers };
}

async function tell(now: AppContext, caller: Caller, story: Story): Promise<void> {
  const ctx = story.then === 'deliver' ? lastWeek(now) : now;
  const service = ctx.catalogue.service(story.service);
  if (!service || !caller.enabledServices.has(service.reference.toLowerCase())) {
    ctx.logger.warn(`demo: ${story.name} left out, the catalogue has no service ${story.service}`);
    return;
  }
  const { reference } = await createConsignment(ctx, caller, story.request);
  let outcome = 'none';
  for await (const o of allocateConsignments(ctx, caller, { kind: 'service', service }, [reference])) outcome = o.kind;
  if (outcome !== story.allocation) {
    ctx.logger.warn(`demo: allocating ${story.name} (${reference}) to ${story.service} gave ${outcome}, not ${story.allocation}`);
    return;
  }
  if (story.then !== 'none') {
    await printLabels(ctx, caller, { consignmentReference: reference, packageReference: null, format: 'PDF', pageSize: 'A6' });
  }
  if (story.then === 'manifest' || story.then === 'deliver') {
    const [manifest] = await manifestConsignments(ctx, caller, [reference]);
    if (manifest.kind !== 'manifested') {
      ctx.logger.warn(`demo: ${story.name} (${reference}) was not manifested: ${manifest.message}`);
      return;
    }
  }
  if (story.then === 'deliver') {
    await dispatchConsignments(ctx, caller, [reference]);
    // Now: the tracker asks the carrier what became of it since.
    await trackDueLegs(now);
  }
}

/** Tells every story for the demo subscription; a story that fails is logged and the others go on. */
export async function tellDemoStories(ctx: AppContext, caller: Caller): Promise<void> {
  for (const story of stories()) {
    try {
      await tell(ctx, caller, story);
    } catch (err) {
      ctx.logger.warn({ err }, `demo: ${story.name} stopped short`);
    }
  }
}
