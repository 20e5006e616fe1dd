/**
 * PUT /consignments replaces a consignment's details: whatever it omits is cleared (models.md
 * §4.7). An edit therefore sends the consignment as read, with the operator's changes on top; this
 * builds that body from the Consignment resource, so nothing the console does not show is lost.
 */
import type { paths } from '../../../clients/typescript/index.ts';
import type { Answer } from './client.ts';

type UpdateBody = paths['/consignments']['put']['requestBody']['content']['application/json'];
type AddressType = UpdateBody['Addresses'] extends (infer A)[] | null | undefined ? (A extends { AddressType: infer T } ? T : never) : never;

export type Consignment = Answer<'get', '/consignments/{reference}'>;
type Address = Consignment['Addresses'][number];
type Package = Consignment['Packages'][number];

/** What the console's edit form changes. */
export interface ConsignmentEdit {
  destination?: Partial<Pick<Address, 'CompanyName' | 'AddressLine1' | 'AddressLine2' | 'AddressLine3' | 'Town' | 'Region' | 'Postcode'>> & {
    FirstName?: string | null;
    LastName?: string | null;
    CountryCode?: string;
  };
  /** By package reference. */
  packages?: Record<string, { Description?: string | null; WeightKg?: number; LengthCm?: number; WidthCm?: number; HeightCm?: number }>;
  tags?: string[];
  shippingDate?: string | null;
}

function packageRequest(p: Package, change: NonNullable<ConsignmentEdit['packages']>[string] | undefined) {
  const dimensions =
    change && (change.LengthCm !== undefined || change.WidthCm !== undefined || change.HeightCm !== undefined)
      ? { Unit: 'Cm', Length: change.LengthCm ?? p.Dimensions?.Length ?? 0, Width: change.WidthCm ?? p.Dimensions?.Width ?? 0, Height: change.HeightCm ?? p.Dimensions?.Height ?? 0 }
      : p.Dimensions;
  return {
    Reference: p.Reference,
    PackageReferenceProvidedByCustomer: p.PackageReferenceProvidedByCustomer,
    Description: change?.Description !== undefined ? change.Description : p.Description,
    Weight: change?.WeightKg !== undefined ? { Value: change.WeightKg, Unit: 'Kg' } : p.Weight,
    Dimensions: dimensions,
    Value: p.Value,
    PackageSizeReference: p.PackageSizeReference,
    // As the API wrote it: { Code, BarcodeType } (its schema leaves the object open).
    Barcode: p.Barcode as { Code: string; BarcodeType?: string | null } | null,
    Items: p.Items.map(({ Reference: _itemReference, ...item }) => item),
    MetaData: p.MetaData,
  };
}

function addressRequest(a: Address, edit: ConsignmentEdit['destination']) {
  // The API wrote the type, so it is one of the types it reads.
  if (a.AddressType !== 'Destination' || !edit) return { ...a, AddressType: a.AddressType as AddressType };
  const { FirstName, LastName, CountryCode, ...fields } = edit;
  const contact = FirstName !== undefined || LastName !== undefined ? { ...(a.Contact ?? {}), FirstName: FirstName ?? a.Contact?.FirstName ?? null, LastName: LastName ?? a.Contact?.LastName ?? null } : a.Contact;
  return {
    ...a,
    AddressType: 'Destination' as const,
    ...fields,
    Contact: contact,
    Country: CountryCode ? { Name: null, IsoCode: { TwoLetterCode: CountryCode.toUpperCase() } } : a.Country,
  };
}

export function updateRequest(c: Consignment, edit: ConsignmentEdit): UpdateBody {
  return {
    Reference: c.Reference,
    ConsignmentReferenceProvidedByCustomer: c.ConsignmentReferenceProvidedByCustomer,
    ShippingDate: edit.shippingDate !== undefined ? edit.shippingDate : c.ShippingDate,
    RequestedDeliveryDate: c.RequestedDeliveryDate
      ? { Date: c.RequestedDeliveryDate.Date, IsToBeExactlyOnTheDateSpecified: c.RequestedDeliveryDate.IsToBeExactlyOnTheDateSpecified, DeliveryWindow: { Start: c.RequestedDeliveryDate.DeliveryWindow.Start, End: c.RequestedDeliveryDate.DeliveryWindow.End } }
      : null,
    Addresses: c.Addresses.map((a) => addressRequest(a, edit.destination)),
    Packages: c.Packages.map((p) => packageRequest(p, edit.packages?.[p.Reference])),
    CustomsDocumentation: c.CustomsDocumentation,
    MetaData: c.MetaData,
    Direction: c.Direction === 'Inbound' ? ('Inbound' as const) : ('Outbound' as const),
    Tags: edit.tags ?? c.Tags,
  };
}
