/** POST /consignments: validates a create request into a stored, Unallocated consignment. */
import { utcTimestamp } from '../domain/dates.js';
import { DateTime, IANAZone } from 'luxon';
import type { ContentClass } from '../domain/catalogue.js';
import { CONTENT_CLASSES } from '../domain/catalogue.js';
import type { AddressData, ConsignmentData, ItemData, MetaDataEntry, Money, PackageData, RequestedDeliveryDate, Consignment } from '../domain/consignment.js';
import { isCountryCode } from '../domain/countries.js';
import { referenceKey } from '../domain/named-reference.js';
import type { PackageSize } from '../domain/package-size.js';
import { canonicalReference, formatReference } from '../domain/references.js';
import { validationFailed } from './errors.js';
import type { AddressInput, CreateConsignmentRequest, DeliveryDateInput, ItemInput, MetaDataInput, PackageInput } from '../contract/consignments.js';
import type { AppContext, Caller } from './app-context.js';
import type { ShippingLocation } from '../store/shipping-locations.repository.js';
import { checkAddress, readAddressFields } from './address-input.js';
import { Problems, text } from './input-problems.js';
import { readDimensions, readWeight } from './measures-input.js';
import { MAX_ADDRESSES, MAX_AMOUNT, MAX_ITEMS_PER_PACKAGE, MAX_PACKAGES, MAX_TAGS, MAX_TAG_LENGTH } from '../domain/limits.js';

function readMoney(m: PackageInput['Value'], target: string, p: Problems): Money | null {
  if (!m) return null;
  const currency = m.Currency.IsoCode.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) p.add(`${target}.Currency.IsoCode`, 'must be a three-letter ISO 4217 code');
  if (!Number.isFinite(m.Amount) || m.Amount < 0) p.add(`${target}.Amount`, 'must not be negative');
  else if (m.Amount > MAX_AMOUNT) p.add(`${target}.Amount`, `must be at most ${MAX_AMOUNT.toExponential()}`);
  return { amount: m.Amount, currency };
}

function readMetaData(list: MetaDataInput[] | null | undefined, target: string, p: Problems): MetaDataEntry[] {
  return (list ?? []).map((m, i) => {
    if (!m.KeyValue.trim()) p.add(`${target}[${i}].KeyValue`, 'must not be empty');
    return {
      KeyValue: m.KeyValue,
      StringValue: text(m.StringValue, `${target}[${i}].StringValue`, p),
      IntValue: m.IntValue ?? null,
      DecimalValue: m.DecimalValue ?? null,
      DateTimeValue: m.DateTimeValue ?? null,
      BoolValue: m.BoolValue ?? null,
    };
  });
}

function readContent(value: string | null | undefined, target: string, p: Problems): ContentClass[] {
  if (!value) return [];
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const out: ContentClass[] = [];
  for (const name of names) {
    const known = CONTENT_CLASSES.find((c) => c.toLowerCase() === name.toLowerCase());
    if (known) out.push(known);
    else p.add(target, `has unknown classification ${name}; use ${CONTENT_CLASSES.join(', ')}`);
  }
  return out;
}

function readItem(item: ItemInput, target: string, p: Problems): ItemData {
  const country = item.CountryOfOrigin?.IsoCode.TwoLetterCode.trim().toUpperCase() ?? null;
  if (country !== null && !isCountryCode(country)) p.add(`${target}.CountryOfOrigin`, `has unknown country code ${country}`);
  const quantity = item.Quantity ?? item.UnitOfQuantity ?? 1;
  if (quantity < 1) p.add(`${target}.Quantity`, 'must be at least 1');
  return {
    reference: '',
    itemReferenceProvidedByCustomer: item.ItemReferenceProvidedByCustomer ?? item.ItemReferenceAssignedByCustomer ?? null,
    sku: text(item.Sku, `${target}.Sku`, p),
    model: text(item.Model, `${target}.Model`, p),
    description: text(item.Description, `${target}.Description`, p),
    countryOfOrigin: country,
    harmonisationCode: text(item.HarmonisationCode, `${target}.HarmonisationCode`, p),
    weightKg: readWeight(item.Weight, `${target}.Weight`, p, false),
    dimensions: readDimensions(item.Dimensions, `${target}.Dimensions`, p),
    value: readMoney(item.Value, `${target}.Value`, p),
    quantity,
    unit: item.Unit ?? item.ItemUnit ?? null,
    contentClassification: readContent(item.ContentClassification, `${target}.ContentClassification`, p),
    metaData: readMetaData(item.MetaData, `${target}.MetaData`, p),
  };
}

function readBarcode(b: PackageInput['Barcode']): PackageData['barcode'] {
  if (!b) return null;
  // A bare string (the PHP client's BarCode) carries no symbology: the SDK's enum calls that Unknown.
  return typeof b === 'string' ? { Code: b, BarcodeType: 'Unknown' } : { Code: b.Code, BarcodeType: b.BarcodeType ?? 'Code128' };
}

/**
 * A package naming a package size is that box: it has the size's dimensions (any Dimensions sent
 * with it are ignored), and the size's weight unless it gives its own, since what is packed
 * varies. `sizes` holds the request's sizes, looked up once. An unknown size is always a problem.
 */
/** Reads a package; `target` is where it sits in the body ("Packages[0]"), or "" when it is the body. */
function readPackage(pkg: PackageInput, target: string, p: Problems, sizes: ReadonlyMap<string, PackageSize>): PackageData {
  const at = (field: string) => (target ? `${target}.${field}` : field);
  const sizeReference = pkg.PackageSizeReference?.trim() || null;
  const size = sizeReference ? sizes.get(referenceKey(sizeReference)) : undefined;
  if (sizeReference && !size) p.add(at('PackageSizeReference'), `names package size ${sizeReference}, which does not exist`, 'NotFound');
  // An unknown size is already reported; the weight and dimensions it would have given are not more problems.
  const weightKg = readWeight(pkg.Weight, at('Weight'), p, !sizeReference) ?? size?.weightKg ?? 0;
  const dimensions = sizeReference ? (size?.dimensions ?? null) : readDimensions(pkg.Dimensions, at('Dimensions'), p);
  if (!pkg.Dimensions && !sizeReference) p.add(at('Dimensions'), 'is required', 'Required');
  const items = pkg.Items ?? [];
  if (items.length > MAX_ITEMS_PER_PACKAGE) p.add(at('Items'), `must have at most ${MAX_ITEMS_PER_PACKAGE} items`);
  return {
    reference: '',
    packageReferenceProvidedByCustomer: text(pkg.PackageReferenceProvidedByCustomer, at('PackageReferenceProvidedByCustomer'), p),
    description: text(pkg.Description, at('Description'), p),
    weightKg,
    dimensions: dimensions ? { ...dimensions } : { lengthCm: 0, widthCm: 0, heightCm: 0 },
    value: readMoney(pkg.Value, at('Value'), p),
    packageSizeReference: size?.reference ?? null,
    barcode: readBarcode(pkg.Barcode),
    items: items.slice(0, MAX_ITEMS_PER_PACKAGE).map((item, i) => readItem(item, at(`Items[${i}]`), p)),
    metaData: readMetaData(pkg.MetaData, at('MetaData'), p),
  };
}

function readAddress(a: AddressInput, target: string, p: Problems, location: ShippingLocation | undefined): AddressData {
  const given: AddressData = {
    addressType: a.AddressType as AddressData['addressType'],
    shippingLocationReference: location?.reference ?? null,
    shopLocationReference: a.ShopLocationReference ?? null,
    ...readAddressFields(a, target, p),
  };
  // An unknown shipping location is already reported; its missing address is not a second problem.
  if (!location && a.ShippingLocationReference) return given;
  const address = location ? withLocation(given, location) : given;
  checkAddress(address, target, p, location ? '' : ' unless ShippingLocationReference is given');
  return address;
}

/** A shipping location supplies the address; anything the request gives explicitly still wins. */
function withLocation(given: AddressData, location: ShippingLocation): AddressData {
  const merged: AddressData = { ...given };
  const fromLocation = location.address as Partial<AddressData>;
  for (const key of Object.keys(merged) as (keyof AddressData)[]) {
    if ((merged[key] === null || merged[key] === '') && fromLocation[key] !== undefined) (merged as unknown as Record<string, unknown>)[key] = fromLocation[key];
  }
  return merged;
}

/** Minutes since midnight of "H:mm", "HH:mm" or "HH:mm:ss", or null. */
function minutesOfDay(value: string): number | null {
  const m = /^([01]?[0-9]|2[0-3]):([0-5][0-9])(?::[0-5][0-9])?$/.exec(value.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function readDeliveryDate(d: DeliveryDateInput | null | undefined, p: Problems): RequestedDeliveryDate | null {
  if (!d) return null;
  const date = DateTime.fromISO(d.Date, { setZone: true });
  if (!date.isValid) p.add('RequiredDeliveryDate.Date', 'must be an ISO 8601 date');
  let window: RequestedDeliveryDate['window'] = null;
  const w = d.DeliveryWindow;
  if (w && (w.Start || w.End)) {
    const start = minutesOfDay(w.Start ?? '');
    const end = minutesOfDay(w.End ?? '');
    // The SDK writes 00:00:00 to 00:00:00 for "no window".
    if (start === null || end === null) p.add('RequiredDeliveryDate.DeliveryWindow', 'Start and End must both be times of day (HH:mm:ss)');
    else if (start === 0 && end === 0) window = null;
    else if (start >= end) p.add('RequiredDeliveryDate.DeliveryWindow', 'Start must be before End');
    else window = { start: hhmm(start), end: hhmm(end) };
  }
  return { date: d.Date, isToBeExactlyOnTheDateSpecified: d.IsToBeExactlyOnTheDateSpecified ?? false, window };
}

function readTags(tags: string[] | null | undefined, p: Problems): string[] {
  const list = tags ?? [];
  if (list.length > MAX_TAGS) {
    p.add('Tags', `must have at most ${MAX_TAGS} tags`);
    return [];
  }
  const seen = new Set<string>();
  const out: string[] = [];
  list.forEach((t, i) => {
    const tag = t.trim();
    if (!tag || tag.length > MAX_TAG_LENGTH) p.add(`Tags[${i}]`, `must be 1 to ${MAX_TAG_LENGTH} characters`);
    else if (!seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      out.push(tag);
    }
  });
  return out;
}

/**
 * Package references come from the EP sequence (a package that already has one, kept by an
 * update, keeps it); item references are 32 hex digits from their own.
 */
async function assignReferences(ctx: AppContext, packages: PackageData[]): Promise<void> {
  const unnamed = packages.filter((pkg) => !pkg.reference);
  const packageNumbers = unnamed.length ? await ctx.sequences.next('EP', unnamed.length) : [];
  const items = packages.flatMap((pkg) => pkg.items);
  const itemNumbers = items.length ? await ctx.sequences.next('ITEM', items.length) : [];
  unnamed.forEach((pkg, i) => (pkg.reference = formatReference('EP', packageNumbers[i])));
  items.forEach((item, i) => (item.reference = itemNumbers[i].toString(16).toUpperCase().padStart(32, '0')));
}

/**
 * Gives each package entry that names one of the current packages (any case) that package's
 * reference; an entry naming another, or one already taken by an earlier entry, gets a new one.
 */
function keepReferences(given: (PackageInput & { Reference?: string | null })[], packages: PackageData[], current: PackageData[]): void {
  const available = new Map(current.map((pkg) => [canonicalReference(pkg.reference), pkg.reference]));
  given.forEach((entry, i) => {
    const wanted = entry.Reference ? canonicalReference(entry.Reference) : '';
    const kept = available.get(wanted);
    if (kept && packages[i]) {
      packages[i].reference = kept;
      available.delete(wanted);
    }
  });
}

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
  { current, assignReferences: assign = true }: ReadOptions = {},
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
  const locations = new Map<number, ShippingLocation | undefined>();
  for (const [i, a] of givenAddresses.entries()) {
    if (!a.ShippingLocationReference) continue;
    const location = await ctx.locations.find(subscriptionId, a.ShippingLocationReference);
    if (!location) p.add(`Addresses[${i}].ShippingLocationReference`, `names shipping location ${a.ShippingLocationReference}, which does not exist`, 'NotFound');
    locations.set(i, location);
  }
  // Every size the packages name, in one query.
  const sizeReferences = givenPackages.slice(0, MAX_PACKAGES).flatMap((pkg) => pkg.PackageSizeReference?.trim() || []);
  const sizes = sizeReferences.length ? await ctx.packageSizes.findMany(subscriptionId, sizeReferences) : new Map<string, PackageSize>();
  const addresses = givenAddresses.map((a, i) => readAddress(a, `Addresses[${i}]`, p, locations.get(i)));
  for (const type of ['Origin', 'Destination'] as const) {
    const count = addresses.filter((a) => a.addressType === type).length;
    if (count !== 1) p.add('Addresses', `must contain exactly one ${type} address (found ${count})`, count ? 'Invalid' : 'Required');
  }

  const direction = req.Direction ?? current?.direction ?? 'Outbound';
  // Cut-offs and dates follow the origin's clock; an inbound return to a warehouse uses the warehouse's.
  const locationOf = (type: string) => locations.get(givenAddresses.findIndex((a) => a.AddressType === type));
  const homeLocation = locationOf('Origin') ?? locationOf('Destination');
  const timeZone = homeLocation?.timeZone ?? ctx.catalogue.catalogue.defaultTimeZone;
  let shippingDate: string | null = null;
  if (req.ShippingDate) {
    const parsed = DateTime.fromISO(req.ShippingDate, { zone: IANAZone.create(timeZone), setZone: true });
    if (!parsed.isValid) p.add('ShippingDate', 'must be an ISO 8601 date-time');
    else shippingDate = parsed.toISO({ suppressMilliseconds: true });
  }
  const requestedDeliveryDate = readDeliveryDate(req.RequiredDeliveryDate ?? req.RequestedDeliveryDate, p);
  const tags = current && !req.Tags?.length ? current.tags : readTags(req.Tags, p);
  const metaData = readMetaData(req.MetaData, 'MetaData', p);
  const packages = keepPackages ? current.packages : givenPackages.slice(0, MAX_PACKAGES).map((pkg, i) => readPackage(pkg, `Packages[${i}]`, p, sizes));
  if (p.list.length) throw validationFailed(p.list);
  if (!assign) {
    // Unstored packages are named by position, so that reasons such as "package #2 weighs 32 kg" still say which.
    packages.forEach((pkg, i) => (pkg.reference = `#${i + 1}`));
  } else if (!keepPackages) {
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

/**
 * Reads the body of Add Package (models.md §4.4) into a package with its new references, or throws
 * 400 listing every problem. The package rules are create's; Description and Value are also
 * required, unless the package names a package size.
 */
export async function readAddedPackage(ctx: AppContext, subscriptionId: number, req: PackageInput): Promise<PackageData> {
  const p = new Problems();
  const sizeReference = req.PackageSizeReference?.trim();
  if (!sizeReference) {
    if (!req.Description?.trim()) p.add('Description', 'is required', 'Required');
    if (!req.Value) p.add('Value', 'is required', 'Required');
  }
  const sizes = sizeReference ? await ctx.packageSizes.findMany(subscriptionId, [sizeReference]) : new Map<string, PackageSize>();
  const pkg = readPackage(req, '', p, sizes);
  if (p.list.length) throw validationFailed(p.list);
  await assignReferences(ctx, [pkg]);
  return pkg;
}

export async function createConsignment(ctx: AppContext, caller: Caller, req: CreateConsignmentRequest): Promise<Consignment> {
  const data = await readConsignment(ctx, caller.subscriptionId, req);
  const [number] = await ctx.sequences.next('EC', 1);
  return ctx.consignments.insert(caller.subscriptionId, formatReference('EC', number), data, utcTimestamp(ctx.clock.now()));
}
