/** The PackageSize resource (models.md §5.7, the SDK's Common/PackageSize): sides in centimetres, weight in kilograms. */
import type { PackageSize } from '../../domain/package-size.js';
import { round } from '../../domain/units.js';
import { typed } from '../xml-codec.js';

export function presentPackageSize(s: PackageSize, customerReference: string): object {
  return typed('PackageSize', {
    Reference: s.reference,
    Description: s.description,
    CustomerReference: customerReference,
    Length: round(s.dimensions.lengthCm, 5),
    Width: round(s.dimensions.widthCm, 5),
    Height: round(s.dimensions.heightCm, 5),
    Weight: round(s.weightKg, 5),
    IsDefault: s.isDefault,
  });
}
