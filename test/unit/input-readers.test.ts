/**
 * The wire readers in src/use-cases/input/, each on its own: what a part of a request reads into
 * and the problems it reports (target, code and message, as the 400 lists them). The HTTP tests
 * pin the same through a server; these pin each reader without one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PackageData } from '../../src/domain/consignment.js';
import { MAX_TAG_LENGTH } from '../../src/domain/limits.js';
import type { PackageSize } from '../../src/domain/package-size.js';
import type { ShippingLocation } from '../../src/domain/shipping-location.js';
import { readContact } from '../../src/use-cases/input/address-reader.js';
import { readAddresses } from '../../src/use-cases/input/consignment-address-reader.js';
import { readDeliveryDate, readShippingDate } from '../../src/use-cases/input/dates-reader.js';
import { readContent } from '../../src/use-cases/input/item-reader.js';
import { readMoney } from '../../src/use-cases/input/money-reader.js';
import { keepReferences, nameByPosition } from '../../src/use-cases/input/package-references.js';
import { readBarcode, readPackage } from '../../src/use-cases/input/package-reader.js';
import { Problems } from '../../src/use-cases/input/problems.js';
import { readTags } from '../../src/use-cases/input/tags-reader.js';
import { address, pkg } from '../support/domain-fixtures.js';

/** Runs a reader with fresh problems: what it read, and the problems as [target, code, message]. */
function read<T>(reader: (p: Problems) => T): { value: T; problems: [string, string, string][] } {
  const p = new Problems();
  const value = reader(p);
  return { value, problems: p.list.map((d) => [d.Target, d.Code, d.Message]) };
}

const noSizes = new Map<string, PackageSize>();
const smallBox: PackageSize = { id: 1, reference: 'Small-Box', description: 'A small box', dimensions: { lengthCm: 20, widthCm: 15, heightCm: 10 }, weightKg: 0.4, isDefault: false };

describe('reading a package', () => {
  it('reads measures in any unit into kilograms and centimetres', () => {
    const { value, problems } = read((p) => readPackage({ Weight: { Value: 500, Unit: 'g' }, Dimensions: { Unit: 'mm', Length: 300, Width: 200, Height: 100 } }, 'Packages[0]', p, noSizes));
    assert.deepEqual(problems, []);
    assert.equal(value.weightKg, 0.5);
    assert.deepEqual(value.dimensions, { lengthCm: 30, widthCm: 20, heightCm: 10 });
    assert.equal(value.reference, '', 'references are given later');
  });

  it('takes a named package size\'s dimensions, and its weight unless the package gives one', () => {
    const sizes = new Map([['small-box', smallBox]]);
    const sized = read((p) => readPackage({ PackageSizeReference: ' small-BOX ', Dimensions: { Length: 99, Width: 99, Height: 99 } }, 'Packages[0]', p, sizes));
    assert.deepEqual(sized.problems, []);
    assert.deepEqual([sized.value.packageSizeReference, sized.value.weightKg, sized.value.dimensions], ['Small-Box', 0.4, { lengthCm: 20, widthCm: 15, heightCm: 10 }]);
    assert.equal(read((p) => readPackage({ PackageSizeReference: 'Small-Box', Weight: { Kg: 2 } }, '', p, sizes)).value.weightKg, 2);
  });

  it('reports an unknown package size once, and no missing measures with it', () => {
    const { problems } = read((p) => readPackage({ PackageSizeReference: 'Huge' }, 'Packages[1]', p, noSizes));
    assert.deepEqual(problems, [['Packages[1].PackageSizeReference', 'NotFound', 'Packages[1].PackageSizeReference names package size Huge, which does not exist']]);
  });

  it('targets fields without a prefix when the package is the body', () => {
    const { problems } = read((p) => readPackage({}, '', p, noSizes));
    assert.deepEqual(problems, [
      ['Weight', 'Required', 'Weight is required'],
      ['Dimensions', 'Required', 'Dimensions is required'],
    ]);
  });

  it('reads a bare barcode string as of unknown symbology, and an object\'s type as given or Code128', () => {
    assert.deepEqual(readBarcode('123'), { Code: '123', BarcodeType: 'Unknown' });
    assert.deepEqual(readBarcode({ Code: '123' }), { Code: '123', BarcodeType: 'Code128' });
    assert.equal(readBarcode(null), null);
  });
});

describe('reading the other parts', () => {
  it('reads money, upper-casing its currency and bounding its amount', () => {
    assert.deepEqual(read((p) => readMoney({ Amount: 12.5, Currency: { IsoCode: ' gbp ' } }, 'Value', p)), { value: { amount: 12.5, currency: 'GBP' }, problems: [] });
    assert.deepEqual(read((p) => readMoney({ Amount: -1, Currency: { IsoCode: 'POUNDS' } }, 'Value', p)).problems, [
      ['Value.Currency.IsoCode', 'Invalid', 'Value.Currency.IsoCode must be a three-letter ISO 4217 code'],
      ['Value.Amount', 'Invalid', 'Value.Amount must not be negative'],
    ]);
  });

  it('reads content classes case-insensitively and names the known ones when one is not', () => {
    const { value, problems } = read((p) => readContent('liquid, Dangerous,,Explosive', 'Items[0].ContentClassification', p));
    assert.deepEqual(value, ['Liquid', 'Dangerous']);
    assert.deepEqual(problems, [
      ['Items[0].ContentClassification', 'Invalid', 'Items[0].ContentClassification has unknown classification Explosive; use NotSpecified, Unrestricted, Dangerous, Restricted, Liquid'],
    ]);
  });

  it('keeps each tag once, first spelling first, and reports empty ones by position', () => {
    const { value, problems } = read((p) => readTags([' Fragile ', 'fragile', '', 'Gift'], p));
    assert.deepEqual(value, ['Fragile', 'Gift']);
    assert.deepEqual(problems, [['Tags[2]', 'Invalid', `Tags[2] must be 1 to ${MAX_TAG_LENGTH} characters`]]);
  });

  it('reads a ShippingDate without an offset in the consignment\'s time zone', () => {
    assert.deepEqual(read((p) => readShippingDate('2026-07-01T10:00', 'Europe/London', p)), { value: '2026-07-01T10:00:00+01:00', problems: [] });
    assert.deepEqual(read((p) => readShippingDate('2026-07-01T10:00Z', 'Europe/London', p)).value, '2026-07-01T10:00:00Z');
    assert.deepEqual(read((p) => readShippingDate(null, 'Europe/London', p)), { value: null, problems: [] });
    assert.deepEqual(read((p) => readShippingDate('soon', 'Europe/London', p)), { value: null, problems: [['ShippingDate', 'Invalid', 'ShippingDate must be an ISO 8601 date-time']] });
  });

  it('reads a delivery window as HH:mm, with 00:00 to 00:00 meaning none', () => {
    assert.deepEqual(read((p) => readDeliveryDate({ Date: '2026-07-02', DeliveryWindow: { Start: '9:00', End: '12:30:00' } }, p)).value, {
      date: '2026-07-02',
      isToBeExactlyOnTheDateSpecified: false,
      window: { start: '09:00', end: '12:30' },
    });
    assert.equal(read((p) => readDeliveryDate({ Date: '2026-07-02', DeliveryWindow: { Start: '00:00:00', End: '00:00:00' } }, p)).value?.window, null);
    assert.deepEqual(read((p) => readDeliveryDate({ Date: '2026-07-02', DeliveryWindow: { Start: '12:00', End: '09:00' } }, p)).problems, [
      ['RequiredDeliveryDate.DeliveryWindow', 'Invalid', 'RequiredDeliveryDate.DeliveryWindow Start must be before End'],
    ]);
  });
});

describe("reading a consignment's addresses", () => {
  const warehouse: ShippingLocation = {
    id: 7,
    reference: 'WH-1',
    name: 'Warehouse',
    locationType: 'Warehouse',
    defaultLocationForReturns: false,
    notes: null,
    timeZone: 'Europe/London',
    address: (({ addressType, shippingLocationReference, shopLocationReference, ...rest }) => rest)(address({ addressLine1: '1 Depot Way', town: 'Manchester', postcode: 'M1 1AE' })),
  };
  const destination = { AddressType: 'Destination', AddressLine1: '2 High Street', Postcode: 'LS1 4AP', Country: { IsoCode: { TwoLetterCode: 'gb' } } };

  it('fills an address naming a shipping location from it, what the request gives still winning', () => {
    const { value, problems } = read((p) => readAddresses([{ AddressType: 'Origin', ShippingLocationReference: 'wh-1', Town: 'Salford' }, destination], new Map([[0, warehouse]]), p));
    assert.deepEqual(problems, []);
    assert.deepEqual([value[0].shippingLocationReference, value[0].addressLine1, value[0].town, value[0].postcode], ['WH-1', '1 Depot Way', 'Salford', 'M1 1AE']);
    assert.deepEqual([value[1].addressType, value[1].countryCode, value[1].shippingLocationReference], ['Destination', 'GB', null]);
  });

  it('asks for exactly one Origin and one Destination, and does not report the address of an unknown location again', () => {
    const { problems } = read((p) => readAddresses([{ AddressType: 'Destination', ShippingLocationReference: 'nowhere' }, destination], new Map([[0, undefined]]), p));
    assert.deepEqual(problems, [
      ['Addresses', 'Required', 'Addresses must contain exactly one Origin address (found 0)'],
      ['Addresses', 'Invalid', 'Addresses must contain exactly one Destination address (found 2)'],
    ]);
    assert.deepEqual(read((p) => readAddresses([{ AddressType: 'Origin' }, destination], new Map(), p)).problems.slice(0, 2), [
      ['Addresses[0].AddressLine1', 'Required', 'Addresses[0].AddressLine1 is required unless ShippingLocationReference is given'],
      ['Addresses[0].Country', 'Required', 'Addresses[0].Country is required unless ShippingLocationReference is given'],
    ]);
  });
});

describe('package references', () => {
  it('names unstored packages by position', () => {
    const packages = [pkg(), pkg(), pkg()];
    nameByPosition(packages);
    assert.deepEqual(packages.map((x) => x.reference), ['#1', '#2', '#3']);
  });

  it('keeps a current package\'s reference for the entry naming it (any case), once', () => {
    const current = [pkg({ reference: 'EP-000-000-001' }), pkg({ reference: 'EP-000-000-002' })];
    const packages: PackageData[] = [pkg({ reference: '' }), pkg({ reference: '' }), pkg({ reference: '' })];
    keepReferences([{ Reference: 'ep-000-000-002' }, { Reference: 'EP-000-000-002' }, { Reference: 'EP-999-999-999' }], packages, current);
    assert.deepEqual(packages.map((x) => x.reference), ['EP-000-000-002', '', '']);
  });
});

describe("reading a contact's numbers", () => {
  const numbers = (c: Parameters<typeof readContact>[0]) => {
    const read = readContact(c)!;
    return { telephone: read.telephone, mobile: read.mobile, landLine: read.landLine };
  };

  it('takes a Telephone alone as the mobile too, as the SDK’s Telephone setter writes Mobile', () => {
    assert.deepEqual(numbers({ Telephone: '0161 496 0000' }), { telephone: '0161 496 0000', mobile: '0161 496 0000', landLine: null });
  });

  it('takes a Mobile alone as the telephone too, and a LandLine alone as the telephone only', () => {
    assert.deepEqual(numbers({ Mobile: '07700 900123' }), { telephone: '07700 900123', mobile: '07700 900123', landLine: null });
    assert.deepEqual(numbers({ LandLine: '0113 496 0022' }), { telephone: '0113 496 0022', mobile: null, landLine: '0113 496 0022' });
  });

  it('keeps a Mobile given as null blank: a contact sent back as GET showed it reads the same', () => {
    assert.deepEqual(numbers({ Telephone: '0161 496 0000', Mobile: null, LandLine: '0161 496 0000' }), { telephone: '0161 496 0000', mobile: null, landLine: '0161 496 0000' });
  });

  it('reads each number given as given', () => {
    assert.deepEqual(numbers({ Telephone: '1', Mobile: '2', LandLine: '3' }), { telephone: '1', mobile: '2', landLine: '3' });
    assert.deepEqual(numbers({}), { telephone: null, mobile: null, landLine: null });
    assert.equal(readContact(null), null);
  });
});
