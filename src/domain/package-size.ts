/** A subscription's predefined package size (models.md §5.7): dimensions and a weight that packages may name. */
import type { DimensionsCm } from './units.js';

/** Path word beside a size reference: `GET /packageSizes/default` is the default size, not one named "default". */
export const RESERVED_PACKAGE_SIZE_REFERENCES = ['default'] as const;

export interface PackageSizeData {
  reference: string;
  description: string;
  dimensions: DimensionsCm;
  weightKg: number;
  isDefault: boolean;
}

export interface PackageSize extends PackageSizeData {
  id: number;
}

/** Sizes as lists show them: by reference, case-insensitively, the same on every database. */
export function byReference(a: PackageSizeData, b: PackageSizeData): number {
  return a.reference.localeCompare(b.reference, 'en');
}
