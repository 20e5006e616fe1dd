/**
 * Schemas of answers (not of requests): what the presenters build, declared beside the routes that
 * answer them (`documented({ response })`) so that /openapi.json and the generated client describe
 * them. The test servers check every JSON answer of such a route against its schema
 * (HttpOptions.checkResponses), so a schema cannot drift from what is sent.
 */
import { Type } from '@sinclair/typebox';
import { ERROR_CODES } from './errors.js';
import { EVENT_TYPES } from '../domain/events.js';
import { shownConditionsSchema } from './rules.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ApiLink = Type.Object({ Rel: Type.String(), Href: Type.String() }, { additionalProperties: false });

/** POST /consignments: the new consignment's link (its Location header too). */
export const ApiLinks = Type.Array(ApiLink);

export const ConsignmentLeg = Type.Object(
  {
    Leg: Type.Integer({ minimum: 1 }),
    TrackingReferences: Type.Array(Type.String()),
    TrackingReference: Nullable(Type.String()),
    CarrierReference: Type.String(),
    CarrierName: Type.String(),
    CarrierServiceReference: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

/** Why a service could not take the consignment: the check's code and words, and the numbers of the check where it has them. */
export const FailureReason = Type.Object(
  {
    Code: Type.String(),
    Message: Type.String(),
    /** Which service it is about, when the engine chose among several. */
    MpdCarrierServiceReference: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

/** One item of an allocation endpoint's answer (decisions.md §4.4), in request order. */
export const AllocationSummary = Type.Object(
  {
    StatusCode: Type.Integer({ description: '200 allocated, 422 not allocatable, 409 a state that does not allow it or one that kept changing, 503 its carrier unavailable' }),
    ApiLinks: Type.Array(ApiLink),
    Description: Type.String(),
    ConsignmentLegs: Type.Array(ConsignmentLeg),
    CarrierReference: Nullable(Type.String()),
    CarrierName: Nullable(Type.String()),
    CarrierServiceReference: Nullable(Type.String()),
    CarrierServiceName: Nullable(Type.String()),
    FailureReasons: Type.Optional(Type.Array(FailureReason)),
    ConsignmentState: Type.Optional(Type.String()),
    ConsignmentReference: Type.String(),
    IsSuccess: Type.Boolean(),
    Message: Type.String(),
    Data: Type.String(),
  },
  { additionalProperties: false },
);

export const AllocationSummaries = Type.Array(AllocationSummary);

export const Health = Type.Object(
  {
    Status: Type.Union([Type.Literal('Healthy'), Type.Literal('Unhealthy')]),
    Database: Type.Union([Type.Literal('Reachable'), Type.Literal('Unreachable')]),
    DatabaseKind: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  },
  { additionalProperties: false },
);

/** The SDK's WithMessage<string>: one item of a list answer (deallocate, cancel, ready to ship, manifest, dispatch, tracking events), in request order. */
export const WithMessage = Type.Object(
  {
    IsSuccess: Type.Boolean(),
    Message: Type.String(),
    /** The consignment (or event) the item is about. */
    Data: Type.String(),
    ApiLinks: Nullable(Type.Array(ApiLink)),
  },
  { additionalProperties: false },
);

export const WithMessages = Type.Array(WithMessage);

/** One item of POST /consignments/bulk's answer, in request order. */
export const BulkCreateResult = Type.Object(
  {
    StatusCode: Type.Integer({ description: '201 created; otherwise the status the single create would have answered' }),
    ConsignmentKey: Type.Optional(Type.String({ description: 'The CSV key the consignment was grouped under (CSV imports only)' })),
    ConsignmentReference: Nullable(Type.String()),
    PackageReferences: Type.Array(Type.String()),
    Code: Nullable(Type.String()),
    Message: Nullable(Type.String()),
    Details: Type.Array(Type.Object({ Code: Type.String(), Target: Type.String(), Message: Type.String() }, { additionalProperties: true })),
  },
  { additionalProperties: false },
);

export const BulkCreateResults = Type.Array(BulkCreateResult);

// The Consignment resource (models.md §4.2), as src/http/presenters/consignment.ts builds it.
const Closed = { additionalProperties: false } as const;
const NullableString = Nullable(Type.String());
const NullableNumber = Nullable(Type.Number());

export const Currency = Type.Object({ Name: NullableString, IsoCode: Type.String() }, Closed);
export const Money = Type.Object({ Amount: Type.Number(), Currency }, Closed);
export const Weight = Type.Object({ Value: Type.Number(), Unit: Type.Literal('Kg') }, Closed);
export const Dimensions = Type.Object({ Unit: Type.Literal('Cm'), Width: Type.Number(), Length: Type.Number(), Height: Type.Number() }, Closed);
export const Country = Type.Object({ Name: NullableString, IsoCode: Type.Object({ TwoLetterCode: Type.String() }, Closed) }, Closed);
export const MetaData = Type.Object(
  { KeyValue: Type.String(), StringValue: NullableString, IntValue: NullableNumber, DecimalValue: NullableNumber, DateTimeValue: NullableString, BoolValue: Nullable(Type.Boolean()) },
  Closed,
);
export const Contact = Type.Object(
  { Reference: Type.Null(), Title: NullableString, FirstName: NullableString, LastName: NullableString, Position: NullableString, Telephone: NullableString, Mobile: NullableString, LandLine: NullableString, Email: NullableString },
  Closed,
);
export const Address = Type.Object(
  {
    AddressType: Type.String(),
    ShopLocationReference: NullableString,
    Contact: Nullable(Contact),
    CompanyName: NullableString,
    ShippingLocationReference: NullableString,
    CustomerName: NullableString,
    AddressLine1: NullableString,
    AddressLine2: NullableString,
    AddressLine3: NullableString,
    Town: NullableString,
    Region: NullableString,
    Postcode: NullableString,
    Country: Nullable(Country),
    RegionCode: NullableString,
    SpecialInstructions: NullableString,
    LatLong: Nullable(Type.Object({ Latitude: Type.Number(), Longitude: Type.Number() }, Closed)),
    IsCached: Type.Boolean(),
  },
  Closed,
);
export const Item = Type.Object(
  {
    Reference: NullableString,
    Sku: NullableString,
    Model: NullableString,
    Description: NullableString,
    CountryOfOrigin: Nullable(Country),
    HarmonisationCode: NullableString,
    Weight: Nullable(Weight),
    Dimensions: Nullable(Dimensions),
    Value: Nullable(Money),
    ItemReferenceProvidedByCustomer: NullableString,
    Quantity: NullableNumber,
    Unit: NullableString,
    ContentClassification: NullableString,
    MetaData: Type.Array(MetaData),
  },
  Closed,
);
export const Package = Type.Object(
  {
    ConsignmentLegs: Type.Array(ConsignmentLeg),
    Items: Type.Array(Item),
    Charges: Type.Array(Type.Unknown()),
    Reference: Type.String(),
    PackageReferenceProvidedByCustomer: NullableString,
    Weight: Nullable(Weight),
    Dimensions: Nullable(Dimensions),
    Description: NullableString,
    Value: Nullable(Money),
    PackageSizeReference: NullableString,
    Barcode: Nullable(Type.Object({}, { additionalProperties: true })),
    MetaData: Type.Array(MetaData),
  },
  Closed,
);
export const Rate = Type.Object(
  {
    Net: Type.Number(),
    Gross: Type.Number(),
    VatRate: Type.Object({ Reference: Type.String(), CountryIsoCode: NullableString, Type: Type.String(), Rate: Type.Number() }, Closed),
    VatAmount: Type.Number(),
    Currency,
  },
  Closed,
);
export const Consignment = Type.Object(
  {
    ConsignmentLegs: Type.Array(ConsignmentLeg),
    CollectionDate: NullableString,
    DateDelivered: NullableString,
    DeliveryDate: NullableString,
    FirstAttemptedDeliveryDate: Type.Null(),
    DateReturned: Type.Null(),
    DateShipped: NullableString,
    DateCollected: NullableString,
    CollectedDate: NullableString,
    AttemptedDeliveryDate: Type.Null(),
    MetaData: Type.Array(MetaData),
    Allocation: Nullable(
      Type.Object(
        {
          CarrierServiceGroupReference: Type.String(),
          MpdCarrierServiceGroupName: NullableString,
          MpdCarrierServiceReference: Type.String(),
          MpdCarrierServiceName: Type.String(),
          AllocationDate: Type.String(),
          AllocateDate: Type.String(),
          Price: Nullable(Rate),
        },
        Closed,
      ),
    ),
    FailedAllocation: Nullable(
      Type.Object(
        {
          CarrierServiceGroupReference: Type.String(),
          MpdCarrierServiceGroupName: NullableString,
          MpdCarrierServiceReference: Type.String(),
          MpdCarrierServiceName: Type.String(),
          AttemptedAllocationDate: Type.String(),
          Message: Type.String(),
          Reasons: Type.Array(FailureReason),
        },
        Closed,
      ),
    ),
    Source: NullableString,
    LabelCount: Type.Integer(),
    LabelsPrinted: Type.Boolean(),
    HaveLabelsEverBeenPrinted: Type.Boolean(),
    DateLabelsWereFirstPrinted: NullableString,
    IsLate: Type.Boolean(),
    LateForCustomer: Type.Boolean(),
    CustomerReference: Type.Null(),
    Weight: Nullable(Weight),
    Value: Nullable(Money),
    CustomsDocumentation: Nullable(Type.Object({}, { additionalProperties: true })),
    Direction: NullableString,
    Tags: Type.Array(Type.String()),
    Reference: Type.String(),
    ConsignmentState: Type.String(),
    DateCreated: Type.String(),
    ShippingDate: NullableString,
    RequestedDeliveryDate: Nullable(
      Type.Object(
        {
          Date: Type.String(),
          DeliveryWindow: Type.Object({ Start: Type.String(), End: Type.String(), UtcOffset: Type.Null() }, Closed),
          IsToBeExactlyOnTheDateSpecified: Type.Boolean(),
        },
        Closed,
      ),
    ),
    EarliestDeliveryDate: NullableString,
    LatestDeliveryDate: NullableString,
    ConsignmentReferenceProvidedByCustomer: NullableString,
    Addresses: Type.Array(Address),
    Packages: Type.Array(Package),
    FailedManifestMessage: NullableString,
    FailedManifestTimeStamp: NullableString,
  },
  Closed,
);

// Quotes (models.md §6), as src/http/presenters/quote.ts builds them.
export const QuoteSurcharge = Type.Object(
  { Label: Type.String(), Description: NullableString, MpdCarrierServiceReference: Type.String(), Reference: Type.String(), CurrencyIsoCode: Type.String(), Price: Type.Number(), ApplicationType: Type.String() },
  Closed,
);
export const JourneyLeg = Type.Object(
  {
    JourneyStage: Type.Integer({ minimum: 1 }),
    CarrierService: Type.Object(
      { Reference: Type.String(), Name: Type.String(), CarrierReference: Type.String(), CarrierName: Type.String(), IsDropOff: Type.Boolean(), IsPickUp: Type.Boolean(), IsTimed: Type.Boolean(), ServiceDirection: Type.String() },
      Closed,
    ),
    CarrierAccountReference: Type.Null(),
    DeliveryHub: Type.Null(),
    CostItems: Type.Null(),
    VolumetricParcelWeight: Type.Null(),
    CollectionType: Type.Union([Type.Literal('AdHoc'), Type.Literal('Scheduled')]),
  },
  Closed,
);
export const Quote = Type.Object(
  {
    QuoteReference: Type.String(),
    CreationDate: Type.String(),
    ExpiryDate: Type.String(),
    Requestor: NullableString,
    ConsignmentReference: NullableString,
    ConsignmentReferenceProvidedByCustomer: NullableString,
    MpdCarrierServiceReference: Type.String(),
    MpdCarrierServiceSource: Type.Integer(),
    MpdCarrierService: Type.String(),
    CarrierReference: Type.String(),
    OriginAddress: Nullable(Address),
    DestinationAddress: Nullable(Address),
    CollectionDate: Type.String(),
    EarliestDeliveryDate: Type.String(),
    LatestDeliveryDate: Type.String(),
    BasePrice: Rate,
    Price: Rate,
    Surcharges: Type.Array(QuoteSurcharge),
    Legs: Type.Array(JourneyLeg),
    CarrierAccountOwner: Type.Null(),
    IsElectioService: Type.Boolean(),
    ServiceDirection: NullableString,
  },
  Closed,
);
export const UnqualifiedService = Type.Object(
  {
    Available: Type.Boolean(),
    Rates: Type.Boolean(),
    MpdCarrierService: Type.String(),
    CarrierReference: Type.String(),
    MpdCarrierServiceReference: Type.String(),
    ExclusionReason: Type.String(),
    Reasons: Type.Array(Type.Object({ Code: Type.String(), Message: Type.String() }, Closed)),
  },
  Closed,
);
/** A quote request's result: a quote per service that can carry the consignment, cheapest first, and why each other service cannot. */
export const QuoteResult = Type.Object(
  { QuoteRequestReference: Type.String(), Quotes: Type.Array(Quote), Message: NullableString, UnqualifiedServices: Type.Array(UnqualifiedService) },
  Closed,
);
export const ServiceGroupQuoteResults = Type.Array(
  Type.Object(
    {
      Reference: Type.String(),
      Name: Type.String(),
      CheapestQuote: Nullable(Quote),
      QuoteRequestReference: Type.String(),
      Quotes: Type.Array(Quote),
      Message: Type.String(),
      UnqualifiedServices: Type.Array(UnqualifiedService),
    },
    Closed,
  ),
);

// Searches (models.md §4.8), as src/http/presenters/consignment-summary.ts builds them.
export const ConsignmentSummary = Type.Object(
  {
    Reference: Type.String(),
    ConsignmentReferenceProvidedByCustomer: NullableString,
    DateCreated: Type.String(),
    State: Type.String(),
    ShippingDate: NullableString,
    MpdCarrierReference: NullableString,
    MpdCarrierServiceReference: NullableString,
    AllocationDate: NullableString,
    ShippedDate: NullableString,
    Source: NullableString,
    MpdCarrierServiceName: NullableString,
    MpdCarrierServiceGroupName: NullableString,
    MpdCarrierServiceGroupReference: NullableString,
    DestinationAddressLine1: NullableString,
    DestinationAddressTown: NullableString,
    DestinationAddressPostcode: NullableString,
    DestinationAddressCountry: NullableString,
    DestinationShippingLocationReference: NullableString,
    RequestedDeliveryDate: NullableString,
    RequestedDeliveryDateIsToBeExactlyOnTheDateSpecified: Nullable(Type.Boolean()),
    LabelsPrinted: Type.Boolean(),
    HaveLabelsEverBeenPrinted: Type.Boolean(),
    DateLabelsWereFirstPrinted: NullableString,
    EstimatedDeliveryDate: NullableString,
    ShippingTerms: NullableString,
    FailedAllocationAttemptedAllocationDate: NullableString,
    FailedAllocationMessage: NullableString,
    FailedAllocationMpdCarrierServiceReference: NullableString,
    FailedAllocationMpdCarrierServiceGroupName: NullableString,
    FailedAllocationMpdCarrierServiceGroupReference: NullableString,
    FailedAllocationMpdCarrierServiceName: NullableString,
    IsLate: Type.Boolean(),
    DeliveryDate: NullableString,
    DateDelivered: NullableString,
    CollectionDate: NullableString,
    DateCollected: NullableString,
    CollectedDate: NullableString,
    AttemptedDeliveryDate: Type.Null(),
    Value: Nullable(Money),
    Weight: Nullable(Weight),
    ApiLink,
    FailedManifestMessage: NullableString,
    FailedManifestTimeStamp: NullableString,
  },
  Closed,
);
/** GET /consignments/{take}/{skip}: every match's count, and the page's summaries. */
export const MatchingConsignments = Type.Object({ Count: Type.Integer({ minimum: 0 }), ConsignmentSummaries: Type.Array(ConsignmentSummary) }, Closed);
export const References = Type.Array(Type.String());
const StateCounts = Type.Array(Type.Object({ Key: Type.String(), Value: Type.Integer({ minimum: 0 }) }, Closed));
export const StateSummary = Type.Object(
  {
    NumberOfConsignments: Type.Integer({ minimum: 0 }),
    Summary: StateCounts,
    StartFrom: NullableString,
    EndTo: NullableString,
    EndAt: NullableString,
  },
  Closed,
);
export const Count = Type.Integer({ minimum: 0 });
/** GET /consignments/summary/carriers (Switchyard): the matches with an allocation per carrier (by name), each with its states' counts. */
export const CarrierSummary = Type.Object(
  {
    Carriers: Type.Array(
      Type.Object(
        {
          // Null only for a service the catalogue no longer has and no stored allocation names any more.
          CarrierReference: NullableString,
          CarrierName: NullableString,
          NumberOfConsignments: Type.Integer({ minimum: 0 }),
          Summary: StateCounts,
        },
        Closed,
      ),
    ),
    NumberOfConsignments: Type.Integer({ minimum: 0 }),
  },
  Closed,
);

// Labels (decisions.md §9), as src/http/presenters/documents.ts builds them.
/** One consignment's part of POST /labels/consignments, in request order. */
export const ConsignmentLabelsResult = Type.Object(
  {
    ConsignmentReference: Type.String({ description: 'As the request named it (upper case), each consignment once' }),
    IsSuccess: Type.Boolean({ description: 'Whether its labels are in File' }),
    Code: Nullable(Type.String({ description: 'Why not, as the error GET /labels/{reference} would answer: ConsignmentNotFound, InvalidState, CarrierUnavailable, DocumentNotFound' })),
    Message: Type.String(),
    LabelCount: Type.Integer({ minimum: 0, description: 'Its labels in File (packages × legs); 0 when not printed' }),
  },
  Closed,
);
export const ConsignmentsLabels = Type.Object(
  {
    File: Nullable(Type.String({ contentEncoding: 'base64', description: 'One PDF of every printed consignment’s labels, in request order; null when none could be printed' })),
    ContentType: Type.Literal('application/pdf'),
    Results: Type.Array(ConsignmentLabelsResult),
  },
  {
    ...Closed,
    examples: [
      {
        File: 'JVBERi0xLjcK…',
        ContentType: 'application/pdf',
        Results: [
          { ConsignmentReference: 'EC-000-05A-Z6S', IsSuccess: true, Code: null, Message: '2 labels printed', LabelCount: 2 },
          { ConsignmentReference: 'EC-000-A04-0DV', IsSuccess: false, Code: 'InvalidState', Message: 'Consignment EC-000-A04-0DV has no labels: it is Unallocated', LabelCount: 0 },
        ],
      },
    ],
  },
);

/** GET /labels/{reference} and its other paths: one file in base64 (GetLabelsResponse). */
const LABEL_TYPES = Type.Union([Type.Literal('application/pdf'), Type.Literal('image/png'), Type.Literal('application/zpl')]);
export const LabelsFile = Type.Object(
  { File: Type.String({ contentEncoding: 'base64', description: 'The labels: a PDF, a PNG or ZPL text, in base64' }), ContentType: LABEL_TYPES },
  Closed,
);
/** GET /documents/labels/{reference}, the PHP client's path: the same, with the key its model reads too. */
export const PhpLabelsFile = Type.Object(
  { File: Type.String({ contentEncoding: 'base64' }), ContentType: LABEL_TYPES, 'Content-Type': LABEL_TYPES },
  Closed,
);

// Customs documents (decisions.md §10).
const CustomsDocumentFile = Type.Object({ Key: Type.String({ description: 'The file name' }), Value: Type.String({ contentEncoding: 'base64', description: 'The PDF' }) }, Closed);
export const CustomsDocuments = Type.Object(
  { CommercialInvoiceDocuments: Type.Array(CustomsDocumentFile), CN22Documents: Type.Array(CustomsDocumentFile), CN23Documents: Type.Array(CustomsDocumentFile) },
  { ...Closed, description: 'Each kind’s documents; empty lists for a consignment that needs no customs' },
);
/** One document (a commercial invoice, a CN22 or CN23, a manifest): the PDF as a base64 JSON string. */
export const Base64Pdf = Type.String({ contentEncoding: 'base64', contentMediaType: 'application/pdf', description: 'The PDF, in base64' });

// Reading one consignment.
export const ConsignmentStatus = Type.Object(
  {
    ConsignmentReferenceForAllLegsAssignedByMpd: Type.String(),
    Status: Type.String({ description: 'The consignment’s state (Unallocated, Allocated, …)' }),
    ExpectedDeliveryDate: Nullable(Type.String({ description: 'The allocation’s earliest delivery date; null before allocation' })),
    ApiLink,
  },
  Closed,
);
export const ConsignmentAuditMessages = Type.Array(
  Type.Object(
    { Timestamp: Type.String(), ConsignmentReference: Type.String(), Action: Type.String(), FromState: NullableString, ToState: Type.String(), Message: Type.String() },
    Closed,
  ),
  { description: 'The audit trail, oldest first' },
);
const ItemWithoutMetaData = Type.Composite([Type.Omit(Item, ['MetaData']), Type.Object({ MetaData: Type.Null() })], Closed);
const PackageWithoutMetaData = Type.Composite([Type.Omit(Package, ['MetaData', 'Items']), Type.Object({ Items: Type.Array(ItemWithoutMetaData), MetaData: Type.Null() })], Closed);
/** GET /consignments/getconsignmentonly/{reference}: the Consignment with every MetaData (its own, its packages’ and their items’) null. */
export const ConsignmentWithoutMetaData = Type.Composite(
  [Type.Omit(Consignment, ['MetaData', 'Packages']), Type.Object({ MetaData: Type.Null(), Packages: Type.Array(PackageWithoutMetaData) })],
  Closed,
);

// The catalogue (models.md §5.3, decisions.md §6), as src/http/presenters/carrier-service.ts builds it.
export const Carrier = Type.Object({ Reference: Type.String(), Name: Type.String(), IsCached: Type.Boolean() }, Closed);
export const Carriers = Type.Array(Carrier);
const NullableStrings = Nullable(Type.Array(Type.String()));
/** Our Capabilities extension: what the eligibility checks hold the service to (null: no limit), in kg, cm and the service’s currency. */
export const Capabilities = Type.Object(
  {
    Directions: Type.Array(Type.String()),
    OriginCountries: Nullable(Type.Array(Type.String(), { description: 'null: any' })),
    DestinationCountries: Nullable(Type.Array(Type.String(), { description: 'null: any' })),
    ExcludedDestinationCountries: Type.Array(Type.String()),
    ExcludedPostcodes: Type.Array(Type.String()),
    MinPackageWeightKg: Type.Number(),
    MaxPackageWeightKg: NullableNumber,
    MaxConsignmentWeightKg: NullableNumber,
    MaxPackages: Nullable(Type.Integer()),
    MaxPackageLengthCm: NullableNumber,
    MaxLengthPlusGirthCm: NullableNumber,
    MaxValue: NullableNumber,
    Currency: Type.String(),
    AllowedContent: Type.Array(Type.String()),
    Tags: Type.Array(Type.String({ description: 'The subscription’s own tags for the service when it has set them, else the catalogue’s' })),
    TransitDays: Type.Integer(),
    DeliveryWindow: Type.Object({ Start: Type.String(), End: Type.String() }, Closed),
    CollectionDays: Type.Array(Type.String({ description: 'Mon … Sun' })),
    CutOffTime: Type.String({ description: 'HH:mm:ss' }),
  },
  Closed,
);
export const MpdCarrierService = Type.Object(
  {
    Name: Type.String(),
    Description: Type.String(),
    Reference: Type.String(),
    MpdCarrierReference: Type.String(),
    CarrierName: Type.String(),
    CarrierAccountOwner: Type.Null(),
    Status: Type.Integer(),
    Journey: Type.Array(JourneyLeg),
    Source: Type.Integer(),
    Type: Type.String({ description: 'The service’s types, comma-separated (Scheduled, AdHoc, PickUp, DropOff, Timed, Consolidated)' }),
    IsConfigured: Type.Boolean(),
    IsCached: Type.Boolean(),
    Capabilities,
  },
  Closed,
);
/** GET /carrierservices and GET /carriers: the services enabled for the subscription. */
export const CarrierServices = Type.Object({ ErrorMessage: Type.Null(), Success: Type.Boolean(), MpdCarrierServices: Type.Array(MpdCarrierService) }, Closed);
/** A carrier service’s allocation-filtering tags for the subscription. */
export const ServiceTags = Type.Array(Type.String());

// Service groups (models.md §5.5), as src/http/presenters/service-group.ts builds them.
const Id = Type.Integer({ minimum: 1 });
export const MpdCarrierServiceProfile = Type.Object(
  {
    IsEnabled: Type.Boolean({ description: 'Whether the service is enabled for the subscription' }),
    CustomerReference: Type.String(),
    MpdCarrierService,
    DimensionRestrictions: Nullable(Type.Array(Type.Object({ Id, DimensionType: Type.String(), RangeFrom: Type.Number(), RangeTo: Type.Number() }, Closed))),
    DomesticLocationRestrictions: Nullable(
      Type.Array(Type.Object({ Id, PostcodeArea: Type.String(), PostcodeDistrict: NullableString, PostcodeSector: NullableString, PostcodeUnit: Type.Null() }, Closed)),
    ),
    InternationalLocationRestrictions: Nullable(
      Type.Array(Type.Object({ Id, Postcode: Type.Null(), Town: Type.Null(), County: Type.Null(), CountryTwoLetterIsoCode: Type.String() }, Closed)),
    ),
    CompensationAndValue: Nullable(Type.Object({ Id, MaxParcelValue: NullableNumber, GetEnhancedCompensation: Type.Boolean(), CompensationThreshold: Type.Null() }, Closed)),
  },
  { ...Closed, description: 'A summary’s profiles have no restriction lists (null: not given)' },
);
export const MpdCarrierServiceGroup = Type.Object(
  { Reference: Type.String(), Name: Type.String(), CustomerReference: Type.String(), IsEnabled: Type.Boolean(), MpdCarrierServiceProfiles: Type.Array(MpdCarrierServiceProfile) },
  Closed,
);
export const MpdCarrierServiceGroups = Type.Array(MpdCarrierServiceGroup);
/** Whether a reference is free for a new group or shipping location. */
export const Available = Type.Boolean();

// Allocation rules (ours), as src/http/presenters/allocation-rule.ts builds them.
export const AllocationRule = Type.Object(
  {
    Reference: Type.String(),
    Name: Type.String(),
    IsEnabled: Type.Boolean(),
    Action: Type.Union([Type.Literal('Exclude'), Type.Literal('Restrict')]),
    MpdCarrierServiceReferences: Type.Array(Type.String(), { description: 'The services it applies to; empty: every service' }),
    Conditions: shownConditionsSchema(),
  },
  Closed,
);
export const AllocationRules = Type.Array(AllocationRule);

// Shipping locations and package sizes (models.md §5.7).
export const ShippingLocation = Type.Object(
  {
    Id: Type.Integer(),
    Reference: Type.String(),
    Name: Type.String(),
    ShippingLocationType: Type.Union([Type.Literal('DistributionCentre'), Type.Literal('Office'), Type.Literal('Store'), Type.Literal('Warehouse')]),
    DefaultLocationForReturns: Type.Boolean(),
    Notes: NullableString,
    CustomerReference: Type.String({ description: 'The subscription’s reference' }),
    LinkedAccounts: Type.Array(Type.Unknown(), { maxItems: 0, description: 'Always empty: every location is the whole subscription’s' }),
    Contact: Nullable(Contact),
    CompanyName: NullableString,
    CustomerName: NullableString,
    AddressLine1: NullableString,
    AddressLine2: NullableString,
    AddressLine3: NullableString,
    Town: NullableString,
    Region: NullableString,
    RegionCode: NullableString,
    Postcode: NullableString,
    Country: Nullable(Country),
    SpecialInstructions: NullableString,
    LatLong: Nullable(Type.Object({ Latitude: Type.Number(), Longitude: Type.Number() }, Closed)),
    IsCached: Type.Boolean(),
    TimeZone: Type.String({ description: 'IANA time zone of the site’s clock (ours)' }),
  },
  Closed,
);
export const ShippingLocations = Type.Array(ShippingLocation);
export const PackageSize = Type.Object(
  {
    Reference: Type.String(),
    Description: Type.String(),
    CustomerReference: Type.String(),
    Length: Type.Number({ description: 'cm' }),
    Width: Type.Number({ description: 'cm' }),
    Height: Type.Number({ description: 'cm' }),
    Weight: Type.Number({ description: 'kg' }),
    IsDefault: Type.Boolean(),
  },
  Closed,
);
export const PackageSizes = Type.Array(PackageSize);

// Collection calendars (models.md §5.5), as src/http/presenters/collection-calendar.ts builds them.
const CalendarOperationTimes = Type.Object(
  {
    ManifestTime: Type.String({ description: 'HH:mm:ss' }),
    CutOffTime: Type.Object({ TimeOffsetInDays: Type.Integer(), Time: Type.String({ description: 'HH:mm:ss' }) }, Closed),
    PreAdviceTime: Type.Null(),
    OperationalCutOffTime: Type.Null(),
  },
  Closed,
);
/** A name-based (version 5) guid: the same rule or exception has the same Id every time. */
const Guid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const DayOfWeek = Type.Union(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map((d) => Type.Literal(d)));
export const CollectionCalendar = Type.Object(
  {
    MpdCarrierReference: Type.String(),
    ShippingLocationReference: Type.String(),
    CalendarRules: Type.Array(
      Type.Object({ Id: Guid, CalendarOperationTimes, DayOfWeek, MpdCarrierServiceReferences: Type.Array(Type.String(), { description: 'Empty: every service of the carrier' }) }, Closed),
    ),
    CalendarExceptions: Type.Array(
      Type.Object(
        {
          Id: Guid,
          Date: Type.String({ description: 'Midnight at the shipping location, with its offset' }),
          CalendarOperationTimes,
          CalendarExceptionType: Type.Union([Type.Literal('ReScheduled'), Type.Literal('Cancelled')]),
          MpdCarrierServiceReferences: Type.Array(Type.String()),
        },
        Closed,
      ),
    ),
  },
  Closed,
);

// Manifests (decisions.md §11), as src/http/presenters/manifest-file-info.ts and the manifest routes build them.
export const ManifestFromQueryResult = Type.Object(
  {
    Message: Type.String({ description: 'Query found N consignment(s). N successfully queued to manifest. M failed to be added to the queue' }),
    FailedConsignments: Type.Array(Type.String(), { description: 'The references of the matches that could not be manifested' }),
  },
  Closed,
);
export const ManifestFileInfo = Type.Object(
  {
    ManifestReference: Type.String({ description: '32 lower-case hex digits' }),
    ManifestFileStorageContainer: Type.String(),
    ManifestFileName: Type.String(),
    ShippingLocationReference: NullableString,
    ShippingLocationName: NullableString,
    Created: Type.String(),
    CarrierName: Type.String(),
    BookingsCount: Type.Integer({ minimum: 0, description: 'Consignments still on it' }),
    ManifestFileNameSentToCarrier: Nullable(Type.String({ description: 'The carrier’s own reference for the manifest' })),
    CollectionDate: Type.String({ description: 'yyyy-MM-dd' }),
    CarrierReference: Type.String(),
  },
  Closed,
);
export const ManifestFileInfos = Type.Array(ManifestFileInfo, { description: 'Newest first' });

// Tracking (decisions.md §12), as src/http/presenters/tracking.ts builds it.
const TrackingEvent = Type.Object(
  { TimeStamp: Type.String(), Code: Type.String(), Description: NullableString, SignedBy: NullableString, Location: NullableString, CarrierServiceName: NullableString },
  Closed,
);
export const ConsignmentTracking = Type.Object(
  {
    ConsignmentReferenceForAllLegsAssignedByMpd: Type.String(),
    Reference: Type.String(),
    ConsignmentState: Type.String(),
    TrackedPackages: Type.Array(
      Type.Object(
        {
          PackageReferenceForAllLegsAssignedByMpd: Type.String(),
          Reference: Type.String(),
          Legs: Type.Array(Type.Object({ Leg: Type.Integer({ minimum: 1 }), CarrierServiceName: NullableString, TrackingReference: NullableString, Events: Type.Array(TrackingEvent) }, Closed)),
          Events: Type.Array(TrackingEvent, { description: 'The package’s events whatever the leg (the PHP client’s)' }),
        },
        Closed,
      ),
    ),
  },
  Closed,
);
export const FlattenedConsignmentTracking = Type.Object(
  {
    ConsignmentReferenceForAllLegsAssignedByMpd: Type.String(),
    Reference: Type.String(),
    ConsignmentState: Type.String(),
    TrackedPackages: Type.Array(Type.Object({ PackageReferenceForAllLegsAssignedByMpd: Type.String(), Reference: Type.String(), Events: Type.Array(TrackingEvent) }, Closed)),
  },
  Closed,
);

// The admin API, as src/http/presenters/subscription.ts and carrier-cancellation.ts build it.
export const Subscription = Type.Object({ Reference: Type.String(), Name: Type.String() }, Closed);
export const Subscriptions = Type.Array(Subscription);
/** A subscription with the API key just issued: shown only in this answer. */
export const IssuedSubscription = Type.Object({ Reference: Type.String(), Name: Type.String(), ApiKey: Type.String() }, Closed);
export const CarrierCancellations = Type.Object(
  {
    Counts: Type.Object({ Pending: Type.Integer({ minimum: 0 }), Refused: Type.Integer({ minimum: 0 }), Abandoned: Type.Integer({ minimum: 0 }) }, Closed),
    Cancellations: Type.Array(
      Type.Object(
        {
          State: Type.Union([Type.Literal('pending'), Type.Literal('refused'), Type.Literal('abandoned')]),
          Reason: Type.Union(['Deallocated', 'Cancelled', 'BookingUndone', 'AnswerLost', 'InFlight'].map((r) => Type.Literal(r))),
          ConsignmentReference: Type.String(),
          CarrierReference: Type.String(),
          Leg: Type.Integer({ minimum: 1 }),
          CarrierServiceReference: Type.String(),
          BookingReference: NullableString,
          CarrierBookingReference: NullableString,
          TrackingReferences: Type.Array(Type.String()),
          Attempts: Type.Integer({ minimum: 0 }),
          CreatedAt: Type.String(),
          NextAttemptAt: Nullable(Type.String({ description: 'Pending ones only' })),
          LastError: NullableString,
        },
        Closed,
      ),
      { maxItems: 1000, description: 'Abandoned first (cancel them by hand), then refused, then pending, oldest first' },
    ),
  },
  Closed,
);

/** This description of the API: an OpenAPI 3.1 document (only its outline is checked here). */
export const OpenApiDocument = Type.Object(
  { openapi: Type.Literal('3.1.0'), info: Type.Object({ title: Type.String(), version: Type.String() }), paths: Type.Record(Type.String(), Type.Unknown()) },
  { additionalProperties: true },
);

/** A webhook endpoint (decisions.md §13); its secret is shown once, when it is made (IssuedWebhook). */
export const Webhook = Type.Object(
  {
    Reference: Type.String({ description: 'wh_ and 16 hex digits' }),
    Url: Type.String(),
    EventTypes: Type.Array(Type.String(), { description: 'The event types it takes, or ["*"] for every one' }),
    Description: NullableString,
    IsEnabled: Type.Boolean(),
    DisabledReason: Nullable(Type.String({ description: 'Why the server disabled it (its deliveries failed for five days); null when enabled or disabled by its owner' })),
    CreatedAt: Type.String(),
    UpdatedAt: Type.String(),
  },
  Closed,
);

/** POST /webhooks: the endpoint made, with the secret that signs its deliveries (shown this once). */
export const IssuedWebhook = Type.Object(
  {
    ...Webhook.properties,
    Secret: Type.String({ description: 'whsec_ and the key in base64: verify each delivery with it (Standard Webhooks); shown only here' }),
  },
  Closed,
);

/** One attempt of a delivery. */
export const WebhookAttempt = Type.Object(
  {
    At: Type.String(),
    StatusCode: Nullable(Type.Integer({ description: 'The endpoint’s status; null when there was no answer' })),
    DurationMs: Type.Integer({ minimum: 0 }),
    ResponseExcerpt: Nullable(Type.String({ description: 'The first 1,000 characters of the answer' })),
    Error: NullableString,
  },
  Closed,
);

/** One event's delivery to one endpoint, with its attempts. */
export const WebhookDelivery = Type.Object(
  {
    Id: Type.Integer(),
    EventId: Type.String({ description: 'The event’s id, also the delivery’s webhook-id header' }),
    EventType: Type.String(),
    State: Type.Union([Type.Literal('Pending'), Type.Literal('Delivered'), Type.Literal('Failed')]),
    Attempts: Type.Integer({ minimum: 0 }),
    NextAttemptAt: NullableString,
    LastStatusCode: Nullable(Type.Integer()),
    LastError: NullableString,
    CreatedAt: Type.String(),
    DeliveredAt: NullableString,
    AttemptLog: Type.Array(WebhookAttempt),
  },
  Closed,
);

/** GET /webhooks/{webhook}/deliveries: newest first. */
export const WebhookDeliveryPage = Type.Object(
  {
    Deliveries: Type.Array(WebhookDelivery),
    Before: Type.String({ description: 'The cursor: give it as `before` to read the older ones' }),
    HasMore: Type.Boolean(),
  },
  Closed,
);

/** POST /webhooks/{webhook}/test: what the endpoint did with a webhook.test event. */
export const WebhookTestResult = Type.Object(
  {
    Delivered: Type.Boolean({ description: 'Whether it answered 2xx' }),
    StatusCode: Nullable(Type.Integer()),
    DurationMs: Type.Integer({ minimum: 0 }),
    ResponseExcerpt: NullableString,
    Error: NullableString,
  },
  Closed,
);

/**
 * An event (decisions.md §13): Standard Webhooks' payload, `type`, `timestamp` and `data`, with the
 * event's id (also a delivery's `webhook-id`). `data` is PascalCase like the rest of the API; its
 * fields by type are in docs/api/events.md.
 */
export const Event = Type.Object(
  {
    id: Type.String({ description: 'evt_ and a number; the same event delivered again has the same id' }),
    type: Type.Union(EVENT_TYPES.map((t) => Type.Literal(t))),
    timestamp: Type.String({ description: 'When the change happened (UTC, ISO 8601)' }),
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  Closed,
);

/** GET /events and POST /events/consignments(/stateevents): a page of events in commit order, and the cursor to read on from. */
export const EventPage = Type.Object(
  {
    Events: Type.Array(Event),
    After: Type.String({ description: 'The cursor: give it as `after` (or After) to read the events that follow' }),
    HasMore: Type.Boolean({ description: 'Whether more events followed when this page was read' }),
  },
  Closed,
);

/**
 * The error body of every refusal (decisions.md §2), whatever the route; `Code` is one of the
 * codes listed (more may be added, each documented in docs/api.md).
 */
export const ApiError = Type.Object(
  {
    Code: Type.String({ description: `One of ${ERROR_CODES.join(', ')}` }),
    Message: Type.String(),
    CorrelationId: Type.String({ description: 'Also the x-correlation-id header: quote it when reporting a problem' }),
    Details: Type.Array(Type.Object({ Code: Type.String(), Target: Type.String(), Message: Type.String() }, Closed), { description: 'One entry per problem found, or per item a refusal is about; [] when none' }),
  },
  Closed,
);
