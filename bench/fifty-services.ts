/**
 * The catalogue the choosing benchmark runs against: 5 carriers and 50 services with varied
 * capabilities and rate cards, so that a 2 kg parcel from Manchester to Leeds qualifies for about
 * half of them at 50 different prices; and the subscription rules it runs under.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];

function carrier(i: number) {
  return {
    Reference: `BENCH_C${i}`,
    Name: `Bench Carrier ${i}`,
    TrackingNumberFormat: { Prefix: `B${i}`, Digits: 12, CheckDigit: i % 2 ? 'mod10' : 'none' },
    CollectionCalendar: { Weekdays: i === 4 ? [...WEEKDAYS, 'Sat'] : WEEKDAYS, CutOffTime: i % 2 ? '18:00' : '17:00', CollectionTime: '18:30' },
  };
}

/** Service i: what it carries varies with i; its price rises with a pseudo-random step, so that no two are equal. */
function service(i: number) {
  const eu = i % 7 === 6;
  const inbound = i % 10 === 9;
  const light = i % 5 === 3; // cannot take a 2 kg parcel
  const base = 3 + ((i * 37) % 50) / 10;
  return {
    Reference: `BENCH-S${String(i).padStart(2, '0')}`,
    Name: `Service ${i}`,
    Carrier: `BENCH_C${i % 5}`,
    TransitDays: 1 + (i % 3),
    Capabilities: {
      Directions: inbound ? ['Inbound'] : ['Outbound'],
      OriginCountries: ['GB'],
      DestinationCountries: eu ? ['FR', 'DE', 'NL'] : ['GB'],
      ExcludedPostcodes: i % 4 === 0 ? ['BT', 'IM', 'JE', 'GY'] : [],
      MaxPackageWeightKg: light ? 1.5 : [30, 25, 20, 30, 50][i % 5],
      MaxConsignmentWeightKg: 500,
      MaxPackages: 20,
      MaxPackageLengthCm: 150,
      MaxLengthPlusGirthCm: 300,
      MaxValue: 1000,
    },
    Rates: {
      VolumetricDivisor: 5000,
      Vat: { CountryIsoCode: 'GB', Rate: 0.2, Type: 'Standard' },
      FuelSurchargePercent: 5 + (i % 4),
      PerPackageCharge: 0.25,
      Zones: [
        { Name: 'Highlands and Islands', Postcodes: ['IV', 'HS', 'KW', 'ZE'], Bands: [{ UpToKg: 5, Price: round(base + 6) }, { UpToKg: 50, Price: round(base + 14) }] },
        { Name: eu ? 'EU' : 'UK', Countries: eu ? ['FR', 'DE', 'NL'] : ['GB'], Bands: [{ UpToKg: 2, Price: round(base) }, { UpToKg: 10, Price: round(base + 2.5) }, { UpToKg: 50, Price: round(base + 7) }] },
      ],
    },
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

export function fiftyServiceCatalogue(): object {
  return {
    DefaultTimeZone: 'Europe/London',
    Carriers: [0, 1, 2, 3, 4].map(carrier),
    Services: Array.from({ length: 50 }, (_, i) => service(i)),
  };
}

export function writeFiftyServiceCatalogue(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'switchyard-bench-catalogue-')), 'catalogue.json');
  writeFileSync(path, JSON.stringify(fiftyServiceCatalogue(), null, 2));
  return path;
}

/**
 * Ten rules of the kind a shop keeps: some keep the cheapest services from Leeds parcels, so that
 * the engine must pass over them; others do not apply to the benchmark's parcels at all.
 */
export function benchRules(): object[] {
  const s = (i: number) => `BENCH-S${String(i).padStart(2, '0')}`;
  return [
    { Reference: 'R01', Name: 'No cheap ones to Leeds', Action: 'Exclude', MpdCarrierServiceReferences: [s(0), s(27), s(4)], Conditions: { DestinationPostcodes: ['LS'] } },
    { Reference: 'R02', Name: 'Heavy only', Action: 'Restrict', MpdCarrierServiceReferences: [s(14), s(41)], Conditions: { MinWeightKg: 10 } },
    { Reference: 'R03', Name: 'No islands', Action: 'Exclude', Conditions: { DestinationPostcodes: ['HS', 'ZE', 'KW'] } },
    { Reference: 'R04', Name: 'Valuable by tracked only', Action: 'Exclude', MpdCarrierServiceReferences: [s(1), s(2), s(5)], Conditions: { MinValue: 500 } },
    { Reference: 'R05', Name: 'Fragile with care', Action: 'Restrict', MpdCarrierServiceReferences: [s(8)], Conditions: { Tags: ['Fragile'] } },
    { Reference: 'R06', Name: 'Long parcels', Action: 'Exclude', MpdCarrierServiceReferences: [s(10), s(20), s(30)], Conditions: { MinPackageLengthCm: 100 } },
    { Reference: 'R07', Name: 'Returns', Action: 'Exclude', Conditions: { Directions: ['Inbound'], DestinationCountries: ['FR'] } },
    { Reference: 'R08', Name: 'No Northern Ireland', Action: 'Exclude', Conditions: { DestinationPostcodes: ['BT'] } },
    { Reference: 'R09', Name: 'Light parcels', Action: 'Restrict', MpdCarrierServiceReferences: [s(33)], Conditions: { MaxWeightKg: 1 } },
    { Reference: 'R10', Name: 'Manchester area', Action: 'Exclude', MpdCarrierServiceReferences: [s(12)], Conditions: { DestinationPostcodes: ['M', 'SK', 'OL'] } },
  ];
}
