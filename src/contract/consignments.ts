/** Consignment request bodies (models.md §4): create, update, add package, and their parts (addresses, packages, items, metadata, customs). */
import { Type, type Static } from '@sinclair/typebox';
import { Num, Opt, Str } from './fields.js';
import { MAX_METADATA } from '../domain/limits.js';

/** A bare list of consignment references (cancel list, deallocate list). */
export const ReferenceList = Type.Array(Type.String());

const Money = Type.Object({
  Amount: Type.Number(),
  Currency: Type.Object({ IsoCode: Type.String(), Name: Str }),
});

export const Weight = Type.Object({ Value: Num, Unit: Str, Kg: Num });
export const Dimensions = Type.Object({ Unit: Str, Width: Type.Number(), Length: Type.Number(), Height: Type.Number() });
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
export const ADDRESS_FIELDS = {
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
const MetaDataList = Type.Array(MetaDataInput, { maxItems: MAX_METADATA });

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
  MetaData: Opt(MetaDataList),
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
  MetaData: Opt(MetaDataList),
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
  MetaData: Opt(MetaDataList),
  Direction: Opt(Type.Union([Type.Literal('Outbound'), Type.Literal('Inbound')])),
  Tags: Opt(Type.Array(Type.String())),
});
export type CreateConsignmentRequest = Static<typeof CreateConsignmentRequest>;

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
  MetaData: Opt(MetaDataList),
  Direction: Opt(Type.Union([Type.Literal('Outbound'), Type.Literal('Inbound')])),
  Tags: Opt(Type.Array(Type.String())),
});
export type UpdateConsignmentRequest = Static<typeof UpdateConsignmentRequest>;
