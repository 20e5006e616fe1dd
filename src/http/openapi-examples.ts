/**
 * The examples of GET /openapi.json. A request body's example is given here by the operation's id;
 * the big ones are the ready files of examples/ that the README's walkthrough sends. An answer's
 * examples are given once per named schema (components.schemas), as a demo server answered them:
 * openapi-answer-examples.json, which `npm run openapi:examples` captures again
 * (scripts/capture-openapi-examples.ts). Path parameters have an example each, by name.
 *
 * The examples work together on a fresh demo server (the seed's consignments EC-000-05A-Z6S,
 * EC-000-083-45D and EC-000-A04-0DV, warehouse WH-MAN-01, package size SMALL-BOX): sent in the
 * document's order, each request is accepted (test/http/openapi-examples.test.ts), and each answer
 * example fits its schema.
 */
import createConsignment from '../../examples/create-consignment.json' with { type: 'json' };
import manifest from '../../examples/manifest.json' with { type: 'json' };
import readyToShip from '../../examples/ready-to-ship.json' with { type: 'json' };
import seedAllocation from '../../examples/seed-allocate-with-carrier-service.json' with { type: 'json' };
import captured from './openapi-answer-examples.json' with { type: 'json' };

/** Path parameters naming what an example request makes, read from its answer as the story goes: {webhook} is the Reference POST /webhooks answers. */
export const LEARNED_PARAMETERS: Readonly<Record<string, { operationId: string; field: string }>> = {
  webhook: { operationId: 'postWebhooks', field: 'Reference' },
};

/** Examples of the answers' named schemas, by name, as a demo server answered them. */
export const ANSWER_EXAMPLES: Readonly<Record<string, unknown>> = captured.answers;

/**
 * An example of each path parameter, by its documented name; those naming what the demo makes as
 * it runs (a quote, a manifest, a package, a subscription) as the capture found them.
 */
export const PARAMETER_EXAMPLES: Readonly<Record<string, string>> = {
  reference: 'EC-000-05A-Z6S',
  shipByDate: '2026-11-18',
  group: 'NEXT-DAY',
  rule: 'NO-HEAVY-TO-NI',
  service: 'Example-Carrier-Service',
  shippingLocationReference: 'WH-MAN-01',
  packageSizeReference: 'SMALL-BOX',
  labelFormatOrPackage: 'PDF',
  labelFormat: 'PNG',
  customsDocumentType: 'cn23',
  mpdCarrierReference: 'CARRIER_X',
  take: '25',
  skip: '0',
  file: 'swagger-ui.css',
  path: 'index.html',
  ...(captured.parameters as Record<string, string>),
};

const destination = createConsignment.Addresses[1];

/** A package as POST /consignments/{reference}/addpackage takes it. */
const parcel = {
  PackageReferenceProvidedByCustomer: 'DEMO-ORDER-1001-2',
  Description: 'Bookends',
  Weight: { Value: 0.8, Unit: 'Kg' },
  Dimensions: { Unit: 'Cm', Length: 20, Width: 15, Height: 10 },
  Value: { Amount: 18, Currency: { IsoCode: 'GBP' } },
  Items: [
    {
      Sku: 'BE-OAK-2',
      Description: 'Oak bookends, pair',
      Quantity: 1,
      CountryOfOrigin: { IsoCode: { TwoLetterCode: 'GB' } },
      HarmonisationCode: '4420100000',
      Weight: { Value: 0.8, Unit: 'Kg' },
      Value: { Amount: 18, Currency: { IsoCode: 'GBP' } },
    },
  ],
};

const warehouse = {
  Reference: 'WH-LDS-02',
  Name: 'Leeds Warehouse',
  ShippingLocationType: 'Warehouse',
  DefaultLocationForReturns: false,
  TimeZone: 'Europe/London',
  Contact: { FirstName: 'Dispatch', LastName: 'Team', Telephone: '0113 496 0000', Email: 'leeds@example.com' },
  CompanyName: 'Switchyard Demo Ltd',
  AddressLine1: 'Unit 9, Thornes Park',
  Town: 'Leeds',
  Postcode: 'LS11 5RZ',
  Country: { IsoCode: { TwoLetterCode: 'GB' } },
};

const rule = {
  Reference: 'NO-HEAVY-TO-NI',
  Name: 'Nothing over 20 kg to Northern Ireland by Carrier X',
  IsEnabled: true,
  Action: 'Exclude',
  MpdCarrierServiceReferences: ['Example-Carrier-Service'],
  Conditions: { DestinationPostcodes: ['BT'], MinWeightKg: 20 },
};

const group = { Reference: 'NEXT-DAY', Name: 'Next day services', IsEnabled: true, MpdCarrierServiceReferences: ['Example-Carrier-Service'] };

/**
 * The request body of each operation that reads one, by operation id, in the order of a day's
 * story on a fresh demo server: the catalogue and the subscription's settings first, then
 * consignments made, allocated, released, printed, manifested, dispatched and tracked. Sent in
 * this order, every one is accepted (test/http/openapi-examples.test.ts).
 */
export const REQUEST_EXAMPLES: Readonly<Record<string, unknown>> = {
  postAdminSubscriptions: { Name: 'Northern Outlet' },
  // The order system hears of allocations and manifests, then of everything (its host is never resolved: the examples' servers allow any target).
  postWebhooks: { Url: 'https://hooks.example.com/switchyard', EventTypes: ['consignment.allocated', 'consignment.allocation_failed', 'manifest.created'], Description: 'Order system' },
  putWebhooksByWebhook: { Url: 'https://hooks.example.com/switchyard', EventTypes: ['*'], Description: 'Order system: every event', IsEnabled: true },
  postShippingLocations: warehouse,
  putShippingLocationsByShippingLocationReference: { ...warehouse, Reference: 'WH-MAN-01', Name: 'Manchester Warehouse', Contact: { FirstName: 'Dispatch', LastName: 'Team', Telephone: '0161 496 0000', Email: 'dispatch@example.com' }, Town: 'Manchester', Postcode: 'M17 1PY', AddressLine1: 'Unit 4, Westinghouse Road', Notes: 'Collections from the loading bay' },
  postPackageSizes: { Reference: 'FLAT-BOX', Description: 'Flat box', Dimensions: { Unit: 'Cm', Length: 40, Width: 30, Height: 5 }, Weight: { Value: 0.5, Unit: 'Kg' }, IsDefault: false },
  putPackageSizesByPackageSizeReference: { Reference: 'SMALL-BOX', Description: 'Small box', Dimensions: { Unit: 'Cm', Length: 30, Width: 20, Height: 15 }, Weight: { Value: 1, Unit: 'Kg' }, IsDefault: true },
  postAllocationrules: rule,
  putAllocationrulesByRule: { ...rule, Conditions: { DestinationPostcodes: ['BT'], MinWeightKg: 25 } },
  putCarrierservicesByServiceTags: ['next-day', 'signed'],
  postServiceGroups: group,
  putServiceGroupsByGroup: { ...group, Name: 'Next day, signed for' },
  postQuotes: createConsignment,
  postQuotesServiceGroups: createConsignment,
  postConsignments: createConsignment,
  postConsignmentsBulk: [
    { ...createConsignment, ConsignmentReferenceProvidedByCustomer: 'ORDER-1043', Addresses: [createConsignment.Addresses[0], { ...destination, AddressLine1: '10 Downing Street', Postcode: 'SW1A 2AA' }] },
    { ...createConsignment, ConsignmentReferenceProvidedByCustomer: 'ORDER-1044', Packages: [{ ...createConsignment.Packages[0], Description: 'Atlas', Weight: { Value: 3.2, Unit: 'Kg' } }] },
  ],
  putConsignments: {
    ...createConsignment,
    Reference: 'EC-000-05A-Z6S',
    ConsignmentReferenceProvidedByCustomer: 'DEMO-ORDER-1001',
    Tags: ['signed'],
    MetaData: [{ KeyValue: 'GiftWrap', BoolValue: true }, { KeyValue: 'Channel', StringValue: 'web' }],
  },
  postConsignmentsByReferenceAddpackage: parcel,
  putAllocationAllocatewithcarrierservice: seedAllocation,
  putAllocationAllocate: { ConsignmentReferences: ['EC-000-A04-0E1'] },
  putAllocationAllocateConsignmentsWithServiceFilters: { ConsignmentReferences: ['EC-000-A04-0E2'], Filters: { ServiceDirection: 'Outbound', IsPickup: null, IsDropOff: false } },
  // EC-000-A04-0DY, the demo's failed allocation (45 kg), fails again: the group's one service takes 30 kg.
  putAllocationAllocateWithServiceGroup: { MpdCarrierServiceGroupReference: 'NEXT-DAY', ConsignmentReferences: ['EC-000-A04-0E3', 'EC-000-A04-0DY'] },
  putAllocationAllocateWithCarrierServiceByShipByDate: { ShippingLocationReference: 'WH-MAN-01', MpdCarrierServiceReference: 'Example-Carrier-Service' },
  putAllocationAllocateWithServiceGroupByShipByDate: { ShippingLocationReference: 'WH-MAN-01', MpdCarrierServiceGroupReference: 'NEXT-DAY' },
  putConsignmentsDeallocatelist: ['EC-000-083-45D'],
  putConsignmentsCancellist: ['EC-000-083-45D'],
  postLabelsGetLabels: { MpdConsignmentReference: 'EC-000-05A-Z6S', LabelFormat: 'PDF' },
  postLabelsConsignments: { ConsignmentReferences: ['EC-000-05A-Z6S', 'EC-000-A04-0DV'], PageSize: 'A4' },
  putConsignmentsSetreadytoship: readyToShip,
  putConsignmentsSetnotreadytoship: ['EC-000-A04-0E2'],
  putConsignmentsManifest: manifest,
  postConsignmentsManifestFromQuery: { ShippingLocationReference: 'WH-MAN-01', States: ['Allocated'], LabelsPrinted: true },
  putConsignmentsManifestFromQuery: { ShippingLocationReference: 'WH-MAN-01', States: ['Allocated', 'ReadyToShip'] },
  putConsignmentsDispatch: { ConsignmentReferences: ['EC-000-A04-0E1'] },
  postTrackingCarrierevents: [
    { ConsignmentReference: 'EC-000-A04-0E1', PackageReference: 'EP-000-000-009', TimeStamp: '2026-11-18T18:05:00Z', Code: 'Collected', Description: 'Collected from the sender', Location: 'Manchester' },
  ],
  // What the day told of itself: the feed's events (GET /events reads the same with a cursor).
  postEventsConsignments: { From: '2026-11-18T00:00:00Z', To: '2026-11-19T00:00:00Z', EventTypes: ['consignment.allocated', 'consignment.allocation_failed'], Take: 50 },
  postEventsConsignmentsStateevents: { From: '2026-11-18T00:00:00Z', To: '2026-11-19T00:00:00Z' },
};
