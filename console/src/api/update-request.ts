/**
 * PUT /consignments replaces a consignment's details: whatever it omits is cleared (models.md
 * §4.7). An edit therefore sends the consignment back as GET showed it, which the API reads as
 * it wrote it (a test keeps that true: test/http/edit-consignment.test.ts), with the operator's
 * changes on top: nothing the console does not show is lost, whatever fields it gains later.
 */
import type { paths } from '../../../clients/typescript/index.ts';
import type { Answer } from './client.ts';

type UpdateBody = paths['/consignments']['put']['requestBody']['content']['application/json'];

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
  /** Given, they replace the consignment's tags; the API keeps the current ones when none are given. */
  tags?: string[];
}

function editedPackage(p: Package, change: NonNullable<ConsignmentEdit['packages']>[string] | undefined): Package {
  if (!change) return p;
  const sized = change.LengthCm !== undefined || change.WidthCm !== undefined || change.HeightCm !== undefined;
  return {
    ...p,
    Description: change.Description !== undefined ? change.Description : p.Description,
    Weight: change.WeightKg !== undefined ? { Value: change.WeightKg, Unit: 'Kg' } : p.Weight,
    Dimensions: sized ? { Unit: 'Cm', Length: change.LengthCm ?? p.Dimensions?.Length ?? 0, Width: change.WidthCm ?? p.Dimensions?.Width ?? 0, Height: change.HeightCm ?? p.Dimensions?.Height ?? 0 } : p.Dimensions,
  };
}

function editedAddress(a: Address, edit: ConsignmentEdit['destination']): Address {
  if (a.AddressType !== 'Destination' || !edit) return a;
  const { FirstName, LastName, CountryCode, ...fields } = edit;
  const named = FirstName !== undefined || LastName !== undefined;
  return {
    ...a,
    ...fields,
    Contact: named ? { ...(a.Contact ?? { Reference: null, Title: null, Position: null, Telephone: null, Mobile: null, LandLine: null, Email: null }), FirstName: FirstName !== undefined ? FirstName : (a.Contact?.FirstName ?? null), LastName: LastName !== undefined ? LastName : (a.Contact?.LastName ?? null) } : a.Contact,
    Country: CountryCode ? { Name: null, IsoCode: { TwoLetterCode: CountryCode.toUpperCase() } } : a.Country,
  };
}

export function updateRequest(c: Consignment, edit: ConsignmentEdit): UpdateBody {
  const edited = {
    ...c,
    Addresses: c.Addresses.map((a) => editedAddress(a, edit.destination)),
    Packages: c.Packages.map((p) => editedPackage(p, edit.packages?.[p.Reference])),
    Tags: edit.tags ?? c.Tags,
  };
  // The resource as the API presented it, which its update reads (the fields it does not read, it ignores).
  return edited as unknown as UpdateBody;
}
