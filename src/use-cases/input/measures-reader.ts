/** Reading weights and dimensions in any accepted unit (decisions.md §5) into kilograms and centimetres. */
import type { PackageData } from '../../domain/consignment.js';
import { isLengthUnit, isWeightUnit, toCm, toKg } from '../../domain/units.js';
import type { PackageInput } from '../../contract/consignments.js';
import type { Problems } from './problems.js';
import { MAX_LENGTH_CM, MAX_WEIGHT_KG } from '../../domain/limits.js';

export type WeightInput = PackageInput['Weight'];
export type DimensionsInput = PackageInput['Dimensions'];

/** `{ Value, Unit }` (no Unit means kg) or the SDK's `{ Kg }`, in kilograms; null (with a problem when required or wrong) otherwise. */
export function readWeight(w: WeightInput, target: string, p: Problems, required: boolean): number | null {
  if (!w) {
    if (required) p.add(target, 'is required', 'Required');
    return null;
  }
  const value = w.Value ?? w.Kg;
  const unit = w.Value !== undefined && w.Value !== null ? (w.Unit ?? 'kg') : 'kg';
  if (value === undefined || value === null) {
    p.add(target, 'needs a Value and Unit (or Kg)', 'Required');
    return null;
  }
  if (!isWeightUnit(unit)) {
    p.add(`${target}.Unit`, 'must be one of kg, g, lb, oz');
    return null;
  }
  return checkKg(value, unit, target, p);
}

/** A weight > 0 in the given unit, in kilograms within the sanity bound, or null with a problem. */
export function checkKg(value: number, unit: string, target: string, p: Problems): number | null {
  if (!Number.isFinite(value) || value <= 0) {
    p.add(target, 'must be greater than 0');
    return null;
  }
  const kg = toKg(value, unit);
  if (!(kg <= MAX_WEIGHT_KG)) {
    p.add(target, `must be at most ${MAX_WEIGHT_KG.toLocaleString('en-GB')} kg`);
    return null;
  }
  return kg;
}

/** `{ Unit, Width, Length, Height }` (no Unit means cm) in centimetres; null when absent or wrong (with a problem). */
export function readDimensions(d: DimensionsInput, target: string, p: Problems): PackageData['dimensions'] | null {
  if (!d) return null;
  const unit = d.Unit ?? 'cm';
  if (!isLengthUnit(unit)) {
    p.add(`${target}.Unit`, 'must be one of cm, mm, m, in');
    return null;
  }
  return checkSides(d, unit, target, p);
}

/** Each side > 0 in the given unit and within the sanity bound, in centimetres; null when any is not (each with a problem). */
export function checkSides(d: { Width: number; Length: number; Height: number }, unit: string, target: string, p: Problems): PackageData['dimensions'] | null {
  const at = (side: string) => (target ? `${target}.${side}` : side);
  const widthCm = checkSide(d.Width, unit, at('Width'), p);
  const lengthCm = checkSide(d.Length, unit, at('Length'), p);
  const heightCm = checkSide(d.Height, unit, at('Height'), p);
  return widthCm !== null && lengthCm !== null && heightCm !== null ? { lengthCm, widthCm, heightCm } : null;
}

/** One side > 0 in the given unit and within the sanity bound, in centimetres, or null with a problem. */
export function checkSide(value: number, unit: string, target: string, p: Problems): number | null {
  const cm = Number.isFinite(value) ? toCm(value, unit) : NaN;
  if (!(value > 0)) p.add(target, 'must be greater than 0');
  else if (!(cm <= MAX_LENGTH_CM)) p.add(target, `must be at most ${MAX_LENGTH_CM.toLocaleString('en-GB')} cm`);
  else return cm;
  return null;
}
