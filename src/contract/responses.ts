/**
 * Schemas of answers (not of requests): what the presenters build, declared beside the routes that
 * answer them (`documented({ response })`) so that /openapi.json and the generated client describe
 * them. The test servers check every JSON answer of such a route against its schema
 * (HttpOptions.checkResponses), so a schema cannot drift from what is sent.
 */
import { Type } from '@sinclair/typebox';

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
export const StateSummary = Type.Object(
  {
    NumberOfConsignments: Type.Integer({ minimum: 0 }),
    Summary: Type.Array(Type.Object({ Key: Type.String(), Value: Type.Integer({ minimum: 0 }) }, Closed)),
    StartFrom: NullableString,
    EndTo: NullableString,
    EndAt: NullableString,
  },
  Closed,
);
export const Count = Type.Integer({ minimum: 0 });

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
