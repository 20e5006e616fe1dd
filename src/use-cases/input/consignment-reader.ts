/**
 * Reading a create or update request into consignment data (models.md §4.7): every part checked,
 * every problem listed in one 400, package sizes and shipping locations looked up once.
 */
import type { ConsignmentData } from '../../domain/consignment.js';
import { MAX_ADDRESSES, MAX_PACKAGES } from '../../domain/limits.js';
import type { PackageSize } from '../../domain/package-size.js';
import type { AddressInput, CreateConsignmentRequest, PackageInput } from '../../contract/consignments.js';
import type { AppContext } from '../app-context.js';
import { validationFailed } from '../errors.js';
import { findShippingLocations, readAddresses } from './consignment-address-reader.js';
import { readDeliveryDate, readShippingDate } from './dates-reader.js';
import { readMetaData } from './metadata-reader.js';
import { assignReferences, keepReferences, nameByPosition } from './package-references.js';
import { readPackage } from './package-reader.js';
import { Problems } from './problems.js';
import { storeLookups, type ReferenceLookups } from './reference-lookups.js';
import { readTags } from './tags-reader.js';

/** What the reader takes: a create request, or an update request, whose packages may name ones they keep. */
export type ConsignmentInput = Omit<CreateConsignmentRequest, 'Packages' | 'Addresses'> & {
  Packages?: (PackageInput & { Reference?: string | null })[] | null;
  Addresses?: AddressInput[] | null;
};

export interface ReadOptions {
  /** The consignment's data when the request is an update of it. */
  current?: ConsignmentData;
  /**
   * false for a consignment that is not stored (a quote): its packages are named by position
   * ("#1", "#2") rather than spending sequence numbers.
   */
  assignReferences?: boolean;
  /** How named shipping locations and package sizes are found (straight from the store when absent). */
  lookups?: ReferenceLookups;
}

/**
 * Reads and checks a create request into consignment data, or throws 400 listing every problem.
 * Given `current`, it reads an update of that consignment (models.md §4.7) with the same rules:
 * no packages keeps the current ones (an entry whose Reference names a current package keeps that
 * reference), no tags keeps the current tags, no Direction the current direction, and Source is
 * ignored; everything else is replaced, and omitted means cleared.
 */
export async function readConsignment(
  ctx: AppContext,
  subscriptionId: number,
  req: ConsignmentInput,
  { current, assignReferences: assign = true, lookups = storeLookups(ctx, subscriptionId) }: ReadOptions = {},
): Promise<ConsignmentData> {
  const p = new Problems();
  const givenPackages = req.Packages ?? [];
  const keepPackages = current !== undefined && givenPackages.length === 0;
  if (givenPackages.length === 0 && !keepPackages) p.add('Packages', 'must contain at least one package', 'Required');
  if (givenPackages.length > MAX_PACKAGES) p.add('Packages', `must contain at most ${MAX_PACKAGES} packages`);

  const givenAddresses = req.Addresses ?? [];
  if (givenAddresses.length > MAX_ADDRESSES) {
    p.add('Addresses', `must contain at most ${MAX_ADDRESSES} addresses (one of each type)`);
    throw validationFailed(p.list);
  }
  const locations = await findShippingLocations(lookups, givenAddresses, p);
  // Every size the packages name, in one query.
  const sizeReferences = givenPackages.slice(0, MAX_PACKAGES).flatMap((pkg) => pkg.PackageSizeReference?.trim() || []);
  const sizes = sizeReferences.length ? await lookups.packageSizes(sizeReferences) : new Map<string, PackageSize>();
  const addresses = readAddresses(givenAddresses, locations, p);

  const direction = req.Direction ?? current?.direction ?? 'Outbound';
  // Cut-offs and dates follow the origin's clock; an inbound return to a warehouse uses the warehouse's.
  const locationOf = (type: string) => locations.get(givenAddresses.findIndex((a) => a.AddressType === type));
  const homeLocation = locationOf('Origin') ?? locationOf('Destination');
  const timeZone = homeLocation?.timeZone ?? ctx.catalogue.catalogue.defaultTimeZone;
  const shippingDate = readShippingDate(req.ShippingDate, timeZone, p);
  const requestedDeliveryDate = readDeliveryDate(req.RequiredDeliveryDate ?? req.RequestedDeliveryDate, p);
  const tags = current && !req.Tags?.length ? current.tags : readTags(req.Tags, p);
  const metaData = readMetaData(req.MetaData, 'MetaData', p);
  const packages = keepPackages ? current.packages : givenPackages.slice(0, MAX_PACKAGES).map((pkg, i) => readPackage(pkg, `Packages[${i}]`, p, sizes));
  if (p.list.length) throw validationFailed(p.list);
  if (!assign) nameByPosition(packages);
  else if (!keepPackages) {
    if (current) keepReferences(givenPackages, packages, current.packages);
    await assignReferences(ctx, packages);
  }

  const data: ConsignmentData = {
    consignmentReferenceProvidedByCustomer: req.ConsignmentReferenceProvidedByCustomer ?? '',
    // The SDK sends its Source enum as a number (Api 0, Web 1); others send the name.
    source: current?.source ?? (req.Source === 1 || (typeof req.Source === 'string' && req.Source.trim().toLowerCase() === 'web') ? 'Web' : 'Api'),
    direction,
    tags,
    shippingDate,
    requestedDeliveryDate,
    customsDocumentation: (req.CustomsDocumentation as Record<string, unknown> | null | undefined) ?? null,
    metaData,
    addresses,
    packages,
    timeZone,
  };
  return data;
}
