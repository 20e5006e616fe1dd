/**
 * A small catalogue file with KNOWN rate cards, for tests of cheapest-service selection and quotes:
 * start a server on it with `startServer({ env: { SWITCHYARD_CATALOGUE: ratedCataloguePath() } })`.
 *
 * One carrier (RATED_CARRIER, collecting Monday to Friday, cut-off 17:00) and four GB-domestic
 * outbound services (packages up to 30 kg, 120 cm longest side), each with a single zone "GB", VAT
 * GB Standard 20 %. For a 1 kg, 20 × 20 × 20 cm parcel from WH-MAN-01 to a Leeds postcode
 * (LS1 4AP, say) they price as follows (unit-tested in test/unit/rated-catalogue.test.ts):
 *
 * | Service           | Transit | Chargeable | Base net | Fuel | Net  | VAT  | Gross    |
 * |-------------------|---------|------------|----------|------|------|------|----------|
 * | RC-ECONOMY        | 2 days  | 1.6 kg     | 3.50     | —    | 3.50 | 0.70 | **4.20** (clearly cheapest) |
 * | RC-EXPRESS-B      | 1 day   | 2 kg       | 4.50     | 0.45 | 4.95 | 0.99 | 5.94 (tie) |
 * | RC-EXPRESS-A      | 1 day   | 1 kg       | 4.95     | —    | 4.95 | 0.99 | 5.94 (tie) |
 * | RC-A-DEFERRED     | 3 days  | 1.333333 kg| 4.95     | —    | 4.95 | 0.99 | 5.94 (tie, later delivery) |
 *
 * So with RC-ECONOMY removed (by a rule, say), three services tie at 5.94 gross: the two express
 * services deliver first and RC-EXPRESS-A wins on reference; RC-A-DEFERRED would win on reference
 * alone but delivers two days later. (Base gross: RC-EXPRESS-B 5.40; the others equal their gross.)
 * How each gets there: RC-ECONOMY volumetric divisor 5000 (8000 cm³ → 1.6 kg, band ≤ 2 kg 3.50);
 * RC-EXPRESS-A no divisor (actual 1 kg, band ≤ 1 kg 4.95); RC-EXPRESS-B divisor 4000 (2 kg, band
 * ≤ 2 kg 4.20) + 0.30 per package + 10 % fuel on 4.50; RC-A-DEFERRED divisor 6000 (1.333333 kg,
 * band ≤ 2 kg 4.75) + 0.20 per consignment.
 *
 * `{ withUnrated: true }` adds RC-UNRATED (1 day, no rate card: it qualifies but cannot be priced).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RATED_SERVICES = {
  economy: 'RC-ECONOMY',
  expressA: 'RC-EXPRESS-A',
  expressB: 'RC-EXPRESS-B',
  deferred: 'RC-A-DEFERRED',
  unrated: 'RC-UNRATED',
} as const;

/** The documented prices of the table above (Rate amounts of the total price), by service. */
export const RATED_PRICES_1KG_LEEDS: Record<string, { net: number; vatAmount: number; gross: number }> = {
  'RC-ECONOMY': { net: 3.5, vatAmount: 0.7, gross: 4.2 },
  'RC-EXPRESS-B': { net: 4.95, vatAmount: 0.99, gross: 5.94 },
  'RC-EXPRESS-A': { net: 4.95, vatAmount: 0.99, gross: 5.94 },
  'RC-A-DEFERRED': { net: 4.95, vatAmount: 0.99, gross: 5.94 },
};

const VAT = { CountryIsoCode: 'GB', Rate: 0.2, Type: 'Standard' };
const CAPABILITIES = {
  Directions: ['Outbound'],
  OriginCountries: ['GB'],
  DestinationCountries: ['GB'],
  MaxPackageWeightKg: 30,
  MaxPackages: 10,
  MaxPackageLengthCm: 120,
};

function service(reference: string, name: string, transitDays: number, rates: Record<string, unknown> | null) {
  return { Reference: reference, Name: name, Carrier: 'RATED_CARRIER', TransitDays: transitDays, Capabilities: CAPABILITIES, ...(rates ? { Rates: rates } : {}) };
}

function gb(bands: [number, number][], extra: Record<string, unknown> = {}) {
  return { Vat: VAT, ...extra, Zones: [{ Name: 'GB', Countries: ['GB'], Bands: bands.map(([UpToKg, Price]) => ({ UpToKg, Price })) }] };
}

/** The catalogue file's content (exported for tests that load it without a server). */
export function ratedCatalogue(options: { withUnrated?: boolean } = {}): object {
  return {
    DefaultTimeZone: 'Europe/London',
    Carriers: [
      {
        Reference: 'RATED_CARRIER',
        Name: 'Rated Carrier',
        TrackingNumberFormat: { Prefix: 'RC', Digits: 10 },
        CollectionCalendar: { Weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], CutOffTime: '17:00', CollectionTime: '17:30' },
      },
    ],
    Services: [
      // Listed out of reference order, so that file order cannot pass for the tie-break.
      service('RC-EXPRESS-B', 'Express B', 1, gb([[2, 4.2], [5, 5.8], [30, 11]], { VolumetricDivisor: 4000, PerPackageCharge: 0.3, FuelSurchargePercent: 10 })),
      service('RC-A-DEFERRED', 'Deferred', 3, gb([[1, 4], [2, 4.75], [30, 9]], { VolumetricDivisor: 6000, PerConsignmentCharge: 0.2 })),
      service('RC-EXPRESS-A', 'Express A', 1, gb([[1, 4.95], [5, 6.5], [30, 12]])),
      service('RC-ECONOMY', 'Economy', 2, gb([[1, 2.8], [2, 3.5], [5, 4.6], [30, 8]], { VolumetricDivisor: 5000 })),
      ...(options.withUnrated ? [service('RC-UNRATED', 'Unrated', 1, null)] : []),
    ],
  };
}

const written: string[] = [];
process.once('exit', () => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

/** Writes the rated catalogue to a fresh temporary directory (removed when the process exits) and returns the file's path. */
export function ratedCataloguePath(options: { withUnrated?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-rated-catalogue-'));
  written.push(dir);
  const path = join(dir, 'rated-catalogue.json');
  writeFileSync(path, JSON.stringify(ratedCatalogue(options), null, 2));
  return path;
}
