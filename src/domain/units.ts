/** Unit normalisation: everything inside Switchyard is kilograms and centimetres. */

const KG_PER: Record<string, number> = { kg: 1, g: 0.001, lb: 0.45359237, lbs: 0.45359237, oz: 0.028349523125 };
const CM_PER: Record<string, number> = { cm: 1, mm: 0.1, m: 100, in: 2.54 };

export const WEIGHT_UNITS = Object.keys(KG_PER);
export const LENGTH_UNITS = Object.keys(CM_PER);

export function isWeightUnit(unit: string): boolean {
  return unit.toLowerCase() in KG_PER;
}

export function isLengthUnit(unit: string): boolean {
  return unit.toLowerCase() in CM_PER;
}

/** Converts a weight to kilograms, rounded to the gram's thousandth to keep sums stable. */
export function toKg(value: number, unit: string): number {
  const factor = KG_PER[unit.toLowerCase()];
  if (factor === undefined) throw new RangeError(`unknown weight unit ${unit}`);
  return round(value * factor, 6);
}

export function toCm(value: number, unit: string): number {
  const factor = CM_PER[unit.toLowerCase()];
  if (factor === undefined) throw new RangeError(`unknown length unit ${unit}`);
  return round(value * factor, 6);
}

export function round(value: number, places: number): number {
  const f = 10 ** places;
  return Math.round(value * f) / f;
}

export interface DimensionsCm {
  lengthCm: number;
  widthCm: number;
  heightCm: number;
}

/** Sides sorted longest first: "length" is always the longest side. */
export function sortedSides(d: DimensionsCm): [number, number, number] {
  const s = [d.lengthCm, d.widthCm, d.heightCm].sort((a, b) => b - a);
  return [s[0], s[1], s[2]];
}

export function longestSide(d: DimensionsCm): number {
  return sortedSides(d)[0];
}

/** Length plus girth: the longest side plus twice each of the other two. */
export function lengthPlusGirth(d: DimensionsCm): number {
  const [l, w, h] = sortedSides(d);
  return round(l + 2 * w + 2 * h, 6);
}

/**
 * Prints a number without float noise ("32", "0.5", "1.25"), to the same millionth that weights and
 * lengths are normalised to, so that a value just over a limit never prints as the limit itself.
 */
export function formatNumber(value: number): string {
  return String(round(value, 6));
}
