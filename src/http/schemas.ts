/** Request body schemas: the single description of each body, used to read JSON and XML alike. */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { SHIPPING_LOCATION_TYPES } from '../domain/shipping-location.js';

const Opt = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));
const Str = Opt(Type.String());
const Num = Opt(Type.Number());

export const ReferenceList = Type.Array(Type.String());

/** Both fields are required and non-empty; src/http/reference-list.ts says so, with one detail per problem. */
export const AllocateWithCarrierServiceRequest = Type.Object({
  MpdCarrierServiceReference: Type.Optional(Type.String()),
  ConsignmentReferences: Type.Optional(Type.Array(Type.String())),
});
export type AllocateWithCarrierServiceRequest = Static<typeof AllocateWithCarrierServiceRequest>;

/** PUT /allocation/allocate (default rules). */
export const AllocateConsignmentsRequest = Type.Object({ ConsignmentReferences: Type.Optional(Type.Array(Type.String())) });

/** PUT /allocation/allocateWithServiceGroup (SDK). */
export const AllocateWithServiceGroupRequest = Type.Object({
  MpdCarrierServiceGroupReference: Type.Optional(Type.String()),
  ConsignmentReferences: Type.Optional(Type.Array(Type.String())),
});

/** PUT /allocation/allocateConsignmentsWithServiceFilters (endpoints.md P1-5). */
export const AllocateWithServiceFiltersRequest = Type.Object({
  ConsignmentReferences: Type.Optional(Type.Array(Type.String())),
  Filters: Opt(
    Type.Object({
      ServiceDirection: Opt(Type.Union([Type.Literal('Outbound'), Type.Literal('Inbound')])),
      IsPickup: Opt(Type.Boolean()),
      IsDropOff: Opt(Type.Boolean()),
    }),
  ),
});
export type AllocateWithServiceFiltersRequest = Static<typeof AllocateWithServiceFiltersRequest>;

/** The SDK's AllocateAllConsignments…Request family (models.md §1.4); the path's ShipByDate wins over the body's. */
export const AllocateAllConsignmentsRequest = Type.Object({
  ShipByDate: Str,
  ShippingLocationReference: Str,
  MpdCarrierServiceReference: Str,
  MpdCarrierServiceGroupReference: Str,
});

const Money = Type.Object({
  Amount: Type.Number(),
  Currency: Type.Object({ IsoCode: Type.String(), Name: Str }),
});

const Weight = Type.Object({ Value: Num, Unit: Str, Kg: Num });
const Dimensions = Type.Object({ Unit: Str, Width: Type.Number(), Length: Type.Number(), Height: Type.Number() });
const Country = Type.Object({ Name: Str, IsoCode: Type.Object({ TwoLetterCode: Type.String() }) });
const Barcode = Type.Object({ Code: Type.String(), BarcodeType: Str });

const Contact = Type.Object({
  Title: Str,
  FirstName: Str,
  LastName: Str,
  Position: Str,
  Telephone: Str,
  Mobile: Str,
  LandLine: Str,
  Email: Str,
});

const LatLong = Type.Object({ Latitude: Type.Number(), Longitude: Type.Number() });

/** The fields of an address, shared by a consignment's addresses and shipping locations. */
const ADDRESS_FIELDS = {
  Contact: Opt(Contact),
  CompanyName: Str,
  CustomerName: Str,
  AddressLine1: Str,
  AddressLine2: Str,
  AddressLine3: Str,
  Town: Str,
  Region: Str,
  RegionCode: Str,
  Postcode: Str,
  Country: Opt(Country),
  SpecialInstructions: Str,
  LatLong: Opt(LatLong),
  LatitudeLongitude: Opt(LatLong),
  IsCached: Opt(Type.Boolean()),
};

export const AddressInput = Type.Object({
  AddressType: Type.Union(['Origin', 'Destination', 'Return', 'Sender', 'Recipient', 'Importer'].map((t) => Type.Literal(t))),
  ShippingLocationReference: Str,
  ShopLocationReference: Str,
  ...ADDRESS_FIELDS,
});
export type AddressInput = Static<typeof AddressInput>;

export const MetaDataInput = Type.Object({
  KeyValue: Type.String(),
  StringValue: Str,
  IntValue: Opt(Type.Integer()),
  DecimalValue: Num,
  DateTimeValue: Str,
  BoolValue: Opt(Type.Boolean()),
});
export type MetaDataInput = Static<typeof MetaDataInput>;

export const ItemInput = Type.Object({
  Sku: Str,
  Model: Str,
  Description: Str,
  CountryOfOrigin: Opt(Country),
  HarmonisationCode: Str,
  Weight: Opt(Weight),
  Dimensions: Opt(Dimensions),
  Value: Opt(Money),
  ItemReferenceProvidedByCustomer: Str,
  ItemReferenceAssignedByCustomer: Str,
  Quantity: Opt(Type.Integer()),
  UnitOfQuantity: Opt(Type.Integer()),
  Unit: Str,
  ItemUnit: Str,
  ContentClassification: Str,
  Barcode: Opt(Barcode),
  MetaData: Opt(Type.Array(MetaDataInput)),
});
export type ItemInput = Static<typeof ItemInput>;

export const PackageInput = Type.Object({
  PackageReferenceProvidedByCustomer: Str,
  Description: Str,
  Weight: Opt(Weight),
  Dimensions: Opt(Dimensions),
  Value: Opt(Money),
  PackageSizeReference: Str,
  // The PHP client sends `BarCode` as a plain string (models.md §8); names match case-insensitively.
  Barcode: Opt(Type.Union([Barcode, Type.String()])),
  Items: Opt(Type.Array(ItemInput)),
  MetaData: Opt(Type.Array(MetaDataInput)),
});
export type PackageInput = Static<typeof PackageInput>;

export const DeliveryDateInput = Type.Object({
  Date: Type.String(),
  IsToBeExactlyOnTheDateSpecified: Opt(Type.Boolean()),
  DeliveryWindow: Opt(Type.Object({ Start: Str, End: Str, UtcOffset: Str })),
});
export type DeliveryDateInput = Static<typeof DeliveryDateInput>;

export const CustomsDocumentationInput = Type.Object({
  DesignatedPersonResponsible: Str,
  ImportersVatNumber: Str,
  CategoryType: Str,
  ShipperCustomsReference: Str,
  ImportersCode: Str,
  ImportersTaxCode: Str,
  ImportersTelephone: Str,
  ImportersFax: Str,
  ImportersEmail: Str,
  CN23Comments: Str,
  ReferencesOfAttachedInvoices: Opt(Type.Array(Type.String())),
  ReferencesOfAttachedCertificates: Opt(Type.Array(Type.String())),
  ReferencesOfAttachedLicences: Opt(Type.Array(Type.String())),
  CategoryTypeExplanation: Str,
  DeclarationDate: Str,
  OfficeOfPosting: Str,
  ReasonForExport: Str,
  ShippingTerms: Str,
  ShippersVatNumber: Str,
  ReceiversTaxCode: Str,
  ReceiversVatNumber: Str,
  InvoiceDate: Str,
  ReceiversShippingCost: Num,
});

export const CreateConsignmentRequest = Type.Object({
  ConsignmentReferenceProvidedByCustomer: Str,
  ShippingDate: Str,
  RequiredDeliveryDate: Opt(DeliveryDateInput),
  RequestedDeliveryDate: Opt(DeliveryDateInput),
  Source: Opt(Type.Union([Type.String(), Type.Number()])),
  Packages: Type.Array(PackageInput),
  Addresses: Type.Array(AddressInput),
  CustomsDocumentation: Opt(CustomsDocumentationInput),
  MetaData: Opt(Type.Array(MetaDataInput)),
  Direction: Opt(Type.Union([Type.Literal('Outbound'), Type.Literal('Inbound')])),
  Tags: Opt(Type.Array(Type.String())),
});
export type CreateConsignmentRequest = Static<typeof CreateConsignmentRequest>;

export const CreateSubscriptionRequest = Type.Object({ Name: Type.String() });

/**
 * Body of `POST /shippingLocations` and `PUT /shippingLocations/{ref}` (models.md §5.7): the
 * location's own fields, the address fields of a consignment address, and our `TimeZone`. What is
 * required is said by src/use-cases/shipping-locations.ts, with one detail per problem.
 */
export const ShippingLocationRequest = Type.Object({
  Reference: Str,
  Name: Str,
  ShippingLocationType: Opt(Type.Union(SHIPPING_LOCATION_TYPES.map((t) => Type.Literal(t)))),
  DefaultLocationForReturns: Opt(Type.Boolean()),
  Notes: Str,
  TimeZone: Str,
  ...ADDRESS_FIELDS,
});
export type ShippingLocationRequest = Static<typeof ShippingLocationRequest>;

/**
 * Body of `POST /packageSizes` and `PUT /packageSizes/{ref}` (models.md §5.7): `Length`, `Width`,
 * `Height` in cm and `Weight` in kg as plain numbers (the SDK's form), or `Dimensions` and `Weight`
 * in the object forms a package accepts.
 */
export const PackageSizeRequest = Type.Object({
  Reference: Str,
  Description: Str,
  Length: Num,
  Width: Num,
  Height: Num,
  Dimensions: Opt(Dimensions),
  Weight: Opt(Type.Union([Type.Number(), Weight])),
  IsDefault: Opt(Type.Boolean()),
});
export type PackageSizeRequest = Static<typeof PackageSizeRequest>;
/** Our allocation rules API; src/domain/allocation-rules.ts checks what a schema cannot say. */
export const AllocationRuleRequest = Type.Object({
  Reference: Str,
  Name: Str,
  IsEnabled: Opt(Type.Boolean()),
  Action: Opt(Type.Union([Type.Literal('Exclude'), Type.Literal('Restrict')])),
  MpdCarrierServiceReferences: Opt(Type.Array(Type.String())),
  Conditions: Opt(
    Type.Object({
      DestinationCountries: Opt(Type.Array(Type.String())),
      DestinationPostcodes: Opt(Type.Array(Type.String())),
      MinWeightKg: Num,
      MaxWeightKg: Num,
      MinPackageLengthCm: Num,
      MaxPackageLengthCm: Num,
      MinValue: Num,
      MaxValue: Num,
      Currency: Str,
      Directions: Opt(Type.Array(Type.Union([Type.Literal('Outbound'), Type.Literal('Inbound')]))),
      Tags: Opt(Type.Array(Type.String())),
    }),
  ),
});
export type AllocationRuleRequest = Static<typeof AllocationRuleRequest>;

/** A carrier service's allocation-filtering tags for the subscription. */
export const TagList = Type.Array(Type.String());

export const ServiceGroupRequest = Type.Object({
  Reference: Str,
  Name: Str,
  IsEnabled: Opt(Type.Boolean()),
  MpdCarrierServiceReferences: Opt(Type.Array(Type.String())),
});
export type ServiceGroupRequest = Static<typeof ServiceGroupRequest>;
/** A package of an update or add-package request (models.md §4.4): a package, plus the Reference of one it keeps. */
export const UpdatePackageRequest = Type.Object({ Reference: Str, ...PackageInput.properties });
export type UpdatePackageRequest = Static<typeof UpdatePackageRequest>;

/**
 * PUT /consignments (models.md §4.7). Everything but Reference is optional here: what an omitted
 * field means (cleared, or left unchanged) is the update's rule, and a consignment without
 * addresses is refused by the reader with one detail per missing address.
 */
export const UpdateConsignmentRequest = Type.Object({
  Reference: Type.Optional(Type.String()),
  ConsignmentReferenceProvidedByCustomer: Str,
  ShippingDate: Str,
  RequiredDeliveryDate: Opt(DeliveryDateInput),
  RequestedDeliveryDate: Opt(DeliveryDateInput),
  Source: Opt(Type.Union([Type.String(), Type.Number()])),
  Packages: Opt(Type.Array(UpdatePackageRequest)),
  Addresses: Opt(Type.Array(AddressInput)),
  CustomsDocumentation: Opt(CustomsDocumentationInput),
  MetaData: Opt(Type.Array(MetaDataInput)),
  Direction: Opt(Type.Union([Type.Literal('Outbound'), Type.Literal('Inbound')])),
  Tags: Opt(Type.Array(Type.String())),
});
export type UpdateConsignmentRequest = Static<typeof UpdateConsignmentRequest>;
