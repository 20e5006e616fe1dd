/** Reads a catalogue file, validates it and turns it into the domain's Catalogue, or explains every problem. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { DateTime, IANAZone } from 'luxon';
import type { Catalogue, CollectionCalendar, RateCard, VatSetting, Weekday } from '../domain/catalogue.js';
import { isCountryCode } from '../domain/countries.js';
import { CatalogueFile } from './catalogue-file.js';

export const DEMO_CATALOGUE_PATH = fileURLToPath(new URL('./demo-catalogue.json', import.meta.url));

const WEEKDAYS: Record<string, Weekday> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const checker = TypeCompiler.Compile(CatalogueFile);

export class CatalogueError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid carrier catalogue ${source}:\n  - ${problems.join('\n  - ')}`);
  }
}

export function loadCatalogueFile(path: string): Catalogue {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CatalogueError(path, [`cannot read JSON: ${(e as Error).message}`]);
  }
  return parseCatalogue(raw, path);
}

function calendar(c: CatalogueFile['Carriers'][number]['CollectionCalendar']): CollectionCalendar {
  return {
    weekdays: c.Weekdays.map((d) => WEEKDAYS[d]),
    cutOffTime: c.CutOffTime,
    collectionTime: c.CollectionTime ?? c.CutOffTime,
    nonWorkingDates: c.NonWorkingDates ?? [],
  };
}

/** What the schema cannot say about a calendar: real dates, and no collection before its own cut-off. */
function checkCalendar(c: CatalogueFile['Carriers'][number]['CollectionCalendar'], path: string, problems: string[]): void {
  for (const d of c.NonWorkingDates ?? []) {
    if (!DateTime.fromISO(d).isValid) problems.push(`${path}/NonWorkingDates: ${d} is not a date`);
  }
  if (c.CollectionTime && c.CollectionTime < c.CutOffTime) problems.push(`${path}/CollectionTime: ${c.CollectionTime} is before the cut-off ${c.CutOffTime}`);
}

type RatesFile = NonNullable<CatalogueFile['Services'][number]['Rates']>;
type VatFile = RatesFile['Vat'];

/** Whether an amount has at most `places` decimals (prices are whole pence, so sums stay exact). */
function hasAtMost(value: number, places: number): boolean {
  const scaled = value * 10 ** places;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

function checkVat(v: VatFile, path: string, problems: string[]): void {
  if (!isCountryCode(v.CountryIsoCode)) problems.push(`${path}/CountryIsoCode: ${v.CountryIsoCode} is not an ISO 3166 country code`);
  if (!hasAtMost(v.Rate, 4)) problems.push(`${path}/Rate: ${v.Rate} has more than 4 decimals`);
  if (v.Type === 'Zero' && v.Rate !== 0) problems.push(`${path}: a Zero VAT type needs Rate 0, not ${v.Rate}`);
  if (v.Type !== 'Zero' && v.Rate === 0) problems.push(`${path}: a ${v.Type} VAT type needs a Rate above 0 (use Type Zero for 0)`);
}

function checkAmount(value: number | null | undefined, path: string, problems: string[]): void {
  if (value != null && !hasAtMost(value, 2)) problems.push(`${path}: ${value} is not a whole number of minor units (at most 2 decimals)`);
}

/**
 * What the schema cannot say about a rate card: valid countries, whole minor units, bands in
 * increasing order of weight and never cheaper when heavier, and zones that can apply at all (a
 * zone whose every destination an earlier zone already prices is a mistake, since the first
 * matching zone wins).
 */
function checkRates(r: RatesFile, path: string, problems: string[]): void {
  checkVat(r.Vat, `${path}/Vat`, problems);
  checkAmount(r.PerPackageCharge, `${path}/PerPackageCharge`, problems);
  checkAmount(r.PerConsignmentCharge, `${path}/PerConsignmentCharge`, problems);
  if (r.FuelSurchargePercent !== undefined && !hasAtMost(r.FuelSurchargePercent, 2)) {
    problems.push(`${path}/FuelSurchargePercent: ${r.FuelSurchargePercent} has more than 2 decimals`);
  }
  const names = new Set<string>();
  const claimed = new Set<string>();
  let anyCountryClaimed = false;
  let anyButGbClaimed = false;
  r.Zones.forEach((z, j) => {
    const at = `${path}/Zones/${j}`;
    if (names.has(z.Name.toLowerCase())) problems.push(`${at}/Name: duplicate zone ${z.Name}`);
    names.add(z.Name.toLowerCase());
    if (!z.Countries && !z.Postcodes) problems.push(`${at}: a zone needs Countries, Postcodes or both`);
    const countries = z.Countries ?? [];
    const any = countries.includes('*');
    if (any && countries.length > 1) problems.push(`${at}/Countries: "*" (any country) stands alone`);
    countries.forEach((c, k) => {
      if (c !== '*' && !isCountryCode(c)) problems.push(`${at}/Countries/${k}: ${c} is not an ISO 3166 country code`);
    });
    if (z.Vat) checkVat(z.Vat, `${at}/Vat`, problems);
    z.Bands.forEach((b, k) => {
      checkAmount(b.Price, `${at}/Bands/${k}/Price`, problems);
      if (k === 0) return;
      const previous = z.Bands[k - 1];
      if (b.UpToKg <= previous.UpToKg) problems.push(`${at}/Bands/${k}/UpToKg: ${b.UpToKg} kg does not exceed the previous band's ${previous.UpToKg} kg`);
      // A heavier band that is cheaper would price a parcel below a lighter one.
      if (b.Price < previous.Price) problems.push(`${at}/Bands/${k}/Price: ${b.Price} is below the previous (lighter) band's ${previous.Price}`);
    });
    checkAmount(z.ExtraPerKg, `${at}/ExtraPerKg`, problems);
    // Reachability: postcodes only narrow GB, so a zone with postcodes still claims its other countries.
    const narrowsGb = z.Postcodes !== undefined;
    const isClaimed = (c: string) => anyCountryClaimed || claimed.has(c) || (c !== 'GB' && anyButGbClaimed);
    const reachable = narrowsGb || (any ? !anyCountryClaimed : countries.some((c) => !isClaimed(c)));
    if (countries.length > 0 && !reachable) problems.push(`${at}: zone ${z.Name} never applies: earlier zones already price all its destinations`);
    if (any) {
      if (narrowsGb) anyButGbClaimed = true;
      else anyCountryClaimed = true;
    }
    for (const c of countries) if (c !== 'GB' || !narrowsGb) claimed.add(c);
  });
}

function vat(v: VatFile): VatSetting {
  return { countryIsoCode: v.CountryIsoCode, type: v.Type, rate: v.Rate };
}

function rateCard(r: RatesFile): RateCard {
  return {
    volumetricDivisor: r.VolumetricDivisor ?? null,
    basis: r.Basis ?? 'Package',
    vat: vat(r.Vat),
    fuelSurchargePercent: r.FuelSurchargePercent ?? 0,
    perPackageCharge: r.PerPackageCharge ?? 0,
    perConsignmentCharge: r.PerConsignmentCharge ?? 0,
    zones: r.Zones.map((z) => ({
      name: z.Name,
      countries: z.Countries?.includes('*') ? null : (z.Countries ?? []),
      postcodes: (z.Postcodes ?? []).map((p) => p.toUpperCase()),
      vat: z.Vat ? vat(z.Vat) : null,
      bands: z.Bands.map((b) => ({ upToKg: b.UpToKg, price: b.Price })),
      extraPerKg: z.ExtraPerKg ?? null,
    })),
  };
}

export function parseCatalogue(raw: unknown, source = 'catalogue'): Catalogue {
  // One problem per place: TypeBox reports a missing property both as missing and as of the wrong type.
  const seen = new Set<string>();
  const schemaProblems = [...checker.Errors(raw)]
    .filter((e) => !seen.has(e.path) && seen.add(e.path))
    .slice(0, 20)
    .map((e) => `${e.path || '/'}: ${e.message}`);
  if (schemaProblems.length) throw new CatalogueError(source, schemaProblems);
  const file = raw as CatalogueFile;
  const problems: string[] = [];
  const timeZone = file.DefaultTimeZone ?? 'Europe/London';
  if (!IANAZone.isValidZone(timeZone)) problems.push(`/DefaultTimeZone: unknown time zone ${timeZone}`);
  const carrierKeys = new Set<string>();
  file.Carriers.forEach((c, i) => {
    if (carrierKeys.has(c.Reference.toLowerCase())) problems.push(`/Carriers/${i}/Reference: duplicate carrier ${c.Reference}`);
    carrierKeys.add(c.Reference.toLowerCase());
    checkCalendar(c.CollectionCalendar, `/Carriers/${i}/CollectionCalendar`, problems);
  });
  const serviceKeys = new Set<string>();
  file.Services.forEach((s, i) => {
    if (serviceKeys.has(s.Reference.toLowerCase())) problems.push(`/Services/${i}/Reference: duplicate service ${s.Reference}`);
    serviceKeys.add(s.Reference.toLowerCase());
    for (const carrier of [s.Carrier, ...(s.Journey ?? []).map((l) => l.Carrier)]) {
      if (!carrierKeys.has(carrier.toLowerCase())) problems.push(`/Services/${i}: unknown carrier ${carrier}`);
    }
    if (s.CollectionCalendar) checkCalendar(s.CollectionCalendar, `/Services/${i}/CollectionCalendar`, problems);
    if (s.DeliveryWindow && s.DeliveryWindow.Start > s.DeliveryWindow.End) problems.push(`/Services/${i}/DeliveryWindow: Start is after End`);
    const cap = s.Capabilities;
    if (cap.MaxPackageWeightKg != null && (cap.MinPackageWeightKg ?? 0) > cap.MaxPackageWeightKg) {
      problems.push(`/Services/${i}/Capabilities: MinPackageWeightKg exceeds MaxPackageWeightKg`);
    }
    if (s.Rates) checkRates(s.Rates, `/Services/${i}/Rates`, problems);
    // Prices in several currencies are compared ("cheapest") in the base currency.
    const currency = s.Currency ?? 'GBP';
    if (s.Rates && currency !== 'GBP' && !file.ExchangeRates?.[currency]) {
      problems.push(`/Services/${i}/Currency: prices in ${currency} need an ExchangeRates entry for ${currency}, so that they can be compared`);
    }
  });
  if (problems.length) throw new CatalogueError(source, problems);

  const carriers = file.Carriers.map((c) => ({
    reference: c.Reference,
    name: c.Name,
    connector: c.Connector ?? 'simulated',
    connectorSettings: c.ConnectorSettings ?? {},
    trackingNumberFormat: {
      prefix: c.TrackingNumberFormat.Prefix,
      digits: c.TrackingNumberFormat.Digits,
      suffix: c.TrackingNumberFormat.Suffix ?? '',
      checkDigit: c.TrackingNumberFormat.CheckDigit ?? 'none',
    },
    collectionCalendar: calendar(c.CollectionCalendar),
    deliveryWeekdays: (c.DeliveryWeekdays ?? ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).map((d) => WEEKDAYS[d]),
  }));
  const carrierByKey = new Map(carriers.map((c) => [c.reference.toLowerCase(), c]));
  const services = file.Services.map((s) => {
    const cap = s.Capabilities;
    const carrier = carrierByKey.get(s.Carrier.toLowerCase())!;
    const journey = s.Journey ?? [{ Carrier: s.Carrier, CarrierServiceReference: s.CarrierServiceReference ?? s.Reference, CarrierServiceName: s.Name }];
    return {
      reference: s.Reference,
      name: s.Name,
      description: s.Description ?? '',
      carrierReference: carrier.reference,
      types: s.Type ?? ['Scheduled'],
      journey: journey.map((l) => ({
        carrierReference: carrierByKey.get(l.Carrier.toLowerCase())!.reference,
        carrierServiceReference: l.CarrierServiceReference,
        carrierServiceName: l.CarrierServiceName ?? s.Name,
      })),
      transitDays: s.TransitDays,
      deliveryWindow: { start: s.DeliveryWindow?.Start ?? '09:00', end: s.DeliveryWindow?.End ?? '18:00' },
      currency: s.Currency ?? 'GBP',
      collectionCalendar: s.CollectionCalendar ? calendar(s.CollectionCalendar) : null,
      capabilities: {
        directions: cap.Directions,
        originCountries: cap.OriginCountries ?? null,
        destinationCountries: cap.DestinationCountries ?? null,
        excludedDestinationCountries: cap.ExcludedDestinationCountries ?? [],
        excludedPostcodes: (cap.ExcludedPostcodes ?? []).map((p) => p.toUpperCase()),
        minPackageWeightKg: cap.MinPackageWeightKg ?? 0,
        maxPackageWeightKg: cap.MaxPackageWeightKg ?? null,
        maxConsignmentWeightKg: cap.MaxConsignmentWeightKg ?? null,
        maxPackages: cap.MaxPackages ?? null,
        maxPackageLengthCm: cap.MaxPackageLengthCm ?? null,
        maxLengthPlusGirthCm: cap.MaxLengthPlusGirthCm ?? null,
        maxValue: cap.MaxValue ?? null,
        allowedContent: cap.AllowedContent ?? ['NotSpecified', 'Unrestricted'],
        tags: cap.Tags ?? [],
      },
      rateCard: s.Rates ? rateCard(s.Rates) : null,
    } as Catalogue['services'][number];
  });
  return { defaultTimeZone: timeZone, exchangeRates: { GBP: 1, ...(file.ExchangeRates ?? {}) }, carriers, services };
}
