/** Reading a package: its measures (its own, or its package size's), value, barcode and items. */
import type { PackageData } from '../../domain/consignment.js';
import { MAX_ITEMS_PER_PACKAGE } from '../../domain/limits.js';
import { referenceKey } from '../../domain/named-reference.js';
import type { PackageSize } from '../../domain/package-size.js';
import type { PackageInput } from '../../contract/consignments.js';
import { readItem } from './item-reader.js';
import { readDimensions, readWeight } from './measures-reader.js';
import { readMetaData } from './metadata-reader.js';
import { readMoney } from './money-reader.js';
import { text, type Problems } from './problems.js';

export function readBarcode(b: PackageInput['Barcode']): PackageData['barcode'] {
  if (!b) return null;
  // A bare string (the PHP client's BarCode) carries no symbology: the SDK's enum calls that Unknown.
  return typeof b === 'string' ? { Code: b, BarcodeType: 'Unknown' } : { Code: b.Code, BarcodeType: b.BarcodeType ?? 'Code128' };
}

/**
 * Reads a package, without its references (given when they are assigned); `target` is where it
 * sits in the body ("Packages[0]"), or "" when it is the body.
 *
 * A package naming a package size is that box: it has the size's dimensions (any Dimensions sent
 * with it are ignored), and the size's weight unless it gives its own, since what is packed
 * varies. `sizes` holds the request's sizes, looked up once. An unknown size is always a problem.
 */
export function readPackage(pkg: PackageInput, target: string, p: Problems, sizes: ReadonlyMap<string, PackageSize>): PackageData {
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
