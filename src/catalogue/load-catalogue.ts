/** Reads a catalogue file, validates it and turns it into the domain's Catalogue, or explains every problem. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { DateTime, IANAZone } from 'luxon';
import type { Catalogue, CollectionCalendar, Weekday } from '../domain/catalogue.js';
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
  });
  if (problems.length) throw new CatalogueError(source, problems);

  const carriers = file.Carriers.map((c) => ({
    reference: c.Reference,
    name: c.Name,
    connector: c.Connector ?? 'simulated',
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
    } as Catalogue['services'][number];
  });
  return { defaultTimeZone: timeZone, exchangeRates: { GBP: 1, ...(file.ExchangeRates ?? {}) }, carriers, services };
}
