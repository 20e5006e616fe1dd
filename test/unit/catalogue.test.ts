import assert from 'node:assert/strict';
import { EMPTY_POLICY } from '../../src/domain/allocation-policy.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { CatalogueError, DEMO_CATALOGUE_PATH, loadCatalogueFile, parseCatalogue } from '../../src/catalogue/load-catalogue.js';
import { CatalogueIndex, type CarrierService } from '../../src/domain/catalogue.js';
import { planDates } from '../../src/domain/dates.js';
import { failedChecks } from '../../src/domain/eligibility/index.js';
import { consignmentData, pkg } from '../support/domain-fixtures.js';

const demo = loadCatalogueFile(DEMO_CATALOGUE_PATH);
const index = new CatalogueIndex(demo);

function exampleService(): CarrierService {
  const s = index.service('Example-Carrier-Service');
  assert.ok(s, 'Example-Carrier-Service is in the demo catalogue');
  return s;
}

/** A small valid catalogue file, as JSON would give it. */
function validFile() {
  return {
    DefaultTimeZone: 'Europe/London',
    Carriers: [
      {
        Reference: 'ACME',
        Name: 'Acme',
        TrackingNumberFormat: { Prefix: 'AC', Digits: 8 },
        CollectionCalendar: { Weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], CutOffTime: '16:00' },
      },
    ],
    Services: [
      {
        Reference: 'ACME-STD',
        Name: 'Standard',
        Carrier: 'ACME',
        TransitDays: 2,
        Capabilities: { Directions: ['Outbound'], MaxPackageWeightKg: 20 },
      },
    ],
  } as any;
}

function problemsOf(file: unknown): string[] {
  try {
    parseCatalogue(file, 'test-catalogue');
  } catch (e) {
    assert.ok(e instanceof CatalogueError, `expected a CatalogueError, got ${e}`);
    assert.equal(e.source, 'test-catalogue');
    for (const p of e.problems) assert.ok(e.message.includes(p), 'the message lists every problem');
    return e.problems;
  }
  assert.fail('the catalogue was accepted');
}

describe('the demo catalogue (decisions.md §8)', () => {
  it('loads and has at least 3 carriers and 8 services', () => {
    assert.ok(demo.carriers.length >= 3, `${demo.carriers.length} carriers`);
    assert.ok(demo.services.length >= 8, `${demo.services.length} services`);
    assert.equal(demo.defaultTimeZone, 'Europe/London');
  });

  it('has Example-Carrier-Service: GB-domestic, outbound, 30 kg, 100 cm longest side, collected Monday to Friday', () => {
    const s = exampleService();
    assert.deepEqual(s.capabilities.directions, ['Outbound']);
    assert.deepEqual(s.capabilities.originCountries, ['GB']);
    assert.deepEqual(s.capabilities.destinationCountries, ['GB']);
    assert.equal(s.capabilities.maxPackageWeightKg, 30);
    assert.equal(s.capabilities.maxPackageLengthCm, 100);
    assert.deepEqual([...index.calendarOf(s).weekdays].sort(), [1, 2, 3, 4, 5]);
  });

  it('lets Example-Carrier-Service take a 30 kg, 100 cm GB parcel and refuse 30.001 kg or 100.1 cm', () => {
    const s = exampleService();
    const check = (weightKg: number, lengthCm: number) =>
      failedChecks({
        consignment: consignmentData({ packages: [pkg({ weightKg, dimensions: { lengthCm, widthCm: 40, heightCm: 10 } })] }),
        service: s,
        catalogue: index,
        plan: null,
        policy: EMPTY_POLICY,
        excludingRules: [],
      })
        .map((r) => r.Code)
        .filter((c) => c !== 'DeliveryPromiseMissed');
    assert.deepEqual(check(30, 100), []);
    assert.deepEqual(check(30.001, 100), ['PackageTooHeavy']);
    assert.deepEqual(check(30, 100.1), ['PackageTooLong']);
  });

  it('offers the varied services decisions.md §8 asks for', () => {
    const services = demo.services;
    assert.ok(services.some((s) => s.types.includes('DropOff')), 'a drop-off service');
    assert.ok(services.some((s) => s.capabilities.directions.includes('Inbound')), 'an inbound returns service');
    assert.ok(services.some((s) => (s.capabilities.maxPackageWeightKg ?? 0) >= 500), 'heavy freight');
    assert.ok(services.some((s) => s.capabilities.destinationCountries?.includes('FR')), 'EU road');
    assert.ok(services.some((s) => s.capabilities.destinationCountries === null), 'worldwide');
    assert.ok(services.some((s) => s.transitDays === 2 && s.capabilities.destinationCountries?.join() === 'GB'), 'two-day domestic economy');
  });

  it('has no service that takes a package over 1,000 kg', () => {
    for (const s of demo.services) {
      assert.notEqual(s.capabilities.maxPackageWeightKg, null, `${s.reference} has a weight limit`);
      assert.ok(s.capabilities.maxPackageWeightKg! <= 1000, s.reference);
      const reasons = failedChecks({ consignment: consignmentData({ packages: [pkg({ weightKg: 1000.001 })] }), service: s, catalogue: index, plan: null, policy: EMPTY_POLICY, excludingRules: [] });
      assert.ok(reasons.some((r) => r.Code === 'PackageTooHeavy'), `${s.reference} refuses 1000.001 kg`);
    }
  });

  it('has no service that delivers to Antarctica (AQ)', () => {
    for (const s of demo.services) {
      const reasons = failedChecks({ consignment: consignmentData({ destination: { countryCode: 'AQ', postcode: null } }), service: s, catalogue: index, plan: null, policy: EMPTY_POLICY, excludingRules: [] });
      assert.ok(reasons.some((r) => r.Code === 'DestinationNotServed'), `${s.reference} refuses AQ`);
    }
  });

  it('gives every service a known carrier, a calendar that collects within the horizon and a sensible delivery window', () => {
    for (const s of demo.services) {
      const carrier = index.carrierOf(s);
      for (const leg of s.journey) assert.ok(index.carrier(leg.carrierReference), `${s.reference} leg carrier ${leg.carrierReference}`);
      assert.ok(s.deliveryWindow.start <= s.deliveryWindow.end, s.reference);
      const p = planDates({
        now: DateTime.fromISO('2026-12-24T18:00:00Z'),
        shippingDate: null,
        timeZone: demo.defaultTimeZone,
        calendar: index.calendarOf(s),
        deliveryWeekdays: carrier.deliveryWeekdays,
        transitDays: s.transitDays,
        deliveryWindow: s.deliveryWindow,
      });
      assert.ok(p, `${s.reference} can be planned over Christmas`);
    }
  });

  it('looks services and carriers up case-insensitively', () => {
    assert.equal(index.service(' example-carrier-service ')?.reference, 'Example-Carrier-Service');
    assert.equal(index.carrier('carrier_x')?.reference, 'CARRIER_X');
    assert.equal(index.service('nope'), undefined);
  });

  it('converts money through the base currency, to the penny', () => {
    assert.equal(index.convert(100, 'EUR', 'GBP'), 86);
    assert.equal(index.convert(86, 'GBP', 'EUR'), 100);
    assert.equal(index.convert(12.34, 'gbp', 'GBP'), 12.34);
    assert.equal(index.convert(1, 'JPY', 'GBP'), null);
  });
});

describe('loading a catalogue file', () => {
  it('fills in the documented defaults', () => {
    const c = parseCatalogue(validFile());
    const [carrier] = c.carriers;
    const [s] = c.services;
    assert.equal(carrier.connector, 'simulated');
    assert.deepEqual(carrier.trackingNumberFormat, { prefix: 'AC', digits: 8, suffix: '', checkDigit: 'none' });
    assert.equal(carrier.collectionCalendar.collectionTime, '16:00', 'collection time defaults to the cut-off');
    assert.deepEqual(carrier.collectionCalendar.nonWorkingDates, []);
    assert.deepEqual(carrier.deliveryWeekdays, [1, 2, 3, 4, 5]);
    assert.deepEqual(s.types, ['Scheduled']);
    assert.deepEqual(s.journey, [{ carrierReference: 'ACME', carrierServiceReference: 'ACME-STD', carrierServiceName: 'Standard' }]);
    assert.deepEqual(s.deliveryWindow, { start: '09:00', end: '18:00' });
    assert.equal(s.currency, 'GBP');
    assert.equal(s.collectionCalendar, null);
    assert.equal(s.capabilities.minPackageWeightKg, 0);
    assert.equal(s.capabilities.maxConsignmentWeightKg, null);
    assert.equal(s.capabilities.originCountries, null);
    assert.deepEqual(s.capabilities.allowedContent, ['NotSpecified', 'Unrestricted']);
    assert.deepEqual(c.exchangeRates, { GBP: 1 });
  });

  it('upper-cases excluded postcode prefixes and resolves carrier references to their own spelling', () => {
    const file = validFile();
    file.Services[0].Carrier = 'acme';
    file.Services[0].Capabilities.ExcludedPostcodes = ['bt', 'iv51 9'];
    const [s] = parseCatalogue(file).services;
    assert.equal(s.carrierReference, 'ACME');
    assert.deepEqual(s.capabilities.excludedPostcodes, ['BT', 'IV51 9']);
  });

  it('refuses a file that is not JSON, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-catalogue-'));
    try {
      const path = join(dir, 'broken.json');
      writeFileSync(path, '{ "Carriers": [');
      assert.throws(() => loadCatalogueFile(path), (e: unknown) => e instanceof CatalogueError && e.source === path && /cannot read JSON/.test(e.problems[0]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown carrier, in a service or in a journey leg', () => {
    const file = validFile();
    file.Services[0].Carrier = 'NOBODY';
    file.Services.push({ ...validFile().Services[0], Reference: 'ACME-LEGS', Journey: [{ Carrier: 'GHOST', CarrierServiceReference: 'G1' }] });
    assert.deepEqual(problemsOf(file), ['/Services/0: unknown carrier NOBODY', '/Services/1: unknown carrier GHOST']);
  });

  it('refuses duplicate references, ignoring case', () => {
    const file = validFile();
    file.Carriers.push({ ...validFile().Carriers[0], Reference: 'acme' });
    file.Services.push({ ...validFile().Services[0], Reference: 'acme-std' });
    assert.deepEqual(problemsOf(file), ['/Carriers/1/Reference: duplicate carrier acme', '/Services/1/Reference: duplicate service acme-std']);
  });

  it('refuses times that are not HH:mm, naming each', () => {
    const file = validFile();
    file.Carriers[0].CollectionCalendar.CutOffTime = '24:00';
    file.Carriers[0].CollectionCalendar.CollectionTime = '5pm';
    file.Services[0].DeliveryWindow = { Start: '9:00', End: '18:60' };
    const problems = problemsOf(file);
    for (const path of ['/Carriers/0/CollectionCalendar/CutOffTime', '/Carriers/0/CollectionCalendar/CollectionTime', '/Services/0/DeliveryWindow/Start', '/Services/0/DeliveryWindow/End']) {
      assert.ok(problems.some((p) => p.startsWith(`${path}:`)), `${path} in ${problems.join(' | ')}`);
    }
  });

  it('refuses a delivery window that ends before it starts', () => {
    const file = validFile();
    file.Services[0].DeliveryWindow = { Start: '18:00', End: '08:00' };
    assert.deepEqual(problemsOf(file), ['/Services/0/DeliveryWindow: Start is after End']);
  });

  it('refuses an unknown time zone', () => {
    const file = validFile();
    file.DefaultTimeZone = 'Europe/Atlantis';
    assert.deepEqual(problemsOf(file), ['/DefaultTimeZone: unknown time zone Europe/Atlantis']);
  });

  it('refuses a minimum package weight above the maximum', () => {
    const file = validFile();
    file.Services[0].Capabilities.MinPackageWeightKg = 25;
    assert.deepEqual(problemsOf(file), ['/Services/0/Capabilities: MinPackageWeightKg exceeds MaxPackageWeightKg']);
    file.Services[0].Capabilities.MinPackageWeightKg = 20;
    assert.doesNotThrow(() => parseCatalogue(file), 'a minimum equal to the maximum is a valid (narrow) range');
  });

  it('refuses non-working dates that do not exist, in carrier and in service calendars alike', () => {
    const file = validFile();
    file.Carriers[0].CollectionCalendar.NonWorkingDates = ['2026-12-25', '2026-02-30'];
    file.Services[0].CollectionCalendar = { Weekdays: ['Sat'], CutOffTime: '12:00', NonWorkingDates: ['2026-13-01'] };
    assert.deepEqual(problemsOf(file), [
      '/Carriers/0/CollectionCalendar/NonWorkingDates: 2026-02-30 is not a date',
      '/Services/0/CollectionCalendar/NonWorkingDates: 2026-13-01 is not a date',
    ]);
  });

  it('refuses shapes the schema does not allow: negative limits, unknown weekdays, unknown fields, no services', () => {
    const file = validFile();
    file.Services[0].Capabilities.MaxPackageWeightKg = -1;
    file.Carriers[0].CollectionCalendar.Weekdays = ['Mon', 'Funday'];
    file.Carriers[0].Colour = 'red';
    const problems = problemsOf(file);
    for (const path of ['/Services/0/Capabilities/MaxPackageWeightKg', '/Carriers/0/CollectionCalendar/Weekdays/1', '/Carriers/0/Colour']) {
      assert.ok(problems.some((p) => p.startsWith(path)), `${path} in ${problems.join(' | ')}`);
    }
    assert.ok(problemsOf({ ...validFile(), Services: [] }).some((p) => p.startsWith('/Services')));
  });

  it('lists every cross-reference problem of a file at once', () => {
    const file = validFile();
    file.DefaultTimeZone = 'Mars/Olympus_Mons';
    file.Carriers.push({ ...validFile().Carriers[0], Reference: 'ACME' });
    file.Services[0].Carrier = 'NOBODY';
    file.Services[0].Capabilities.MinPackageWeightKg = 50;
    file.Services.push({ ...validFile().Services[0], Reference: 'ACME-STD', DeliveryWindow: { Start: '12:00', End: '11:00' } });
    assert.deepEqual(problemsOf(file), [
      '/DefaultTimeZone: unknown time zone Mars/Olympus_Mons',
      '/Carriers/1/Reference: duplicate carrier ACME',
      '/Services/0: unknown carrier NOBODY',
      '/Services/0/Capabilities: MinPackageWeightKg exceeds MaxPackageWeightKg',
      '/Services/1/Reference: duplicate service ACME-STD',
      '/Services/1/DeliveryWindow: Start is after End',
    ]);
  });
});
