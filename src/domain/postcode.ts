/** UK postcodes split into area / district / sector, for prefix exclusions such as "BT", "PA20" or "IV51 9". */

export interface UkPostcode {
  area: string;
  district: string;
  sector: string | null;
  normalised: string;
}

const PATTERN = /^([A-Z]{1,2})([0-9][A-Z0-9]?)\s*(?:([0-9])([A-Z]{2}))?$/;

export function parseUkPostcode(input: string): UkPostcode | null {
  const compact = input.toUpperCase().replace(/\s+/g, ' ').trim();
  const m = PATTERN.exec(compact);
  if (!m) return null;
  const area = m[1];
  const district = area + m[2];
  const sector = m[3] !== undefined ? `${district} ${m[3]}` : null;
  return { area, district, sector, normalised: m[3] !== undefined ? `${district} ${m[3]}${m[4]}` : district };
}

/**
 * Whether a postcode falls under an exclusion prefix. A prefix names an area ("BT"), a district
 * ("PA20") or a sector ("IV51 9"); it matches whole parts only, so "B" does not exclude "BT1".
 */
export function postcodeMatchesPrefix(postcode: UkPostcode, prefix: string): boolean {
  const p = prefix.toUpperCase().replace(/\s+/g, ' ').trim();
  return p === postcode.area || p === postcode.district || (postcode.sector !== null && p === postcode.sector);
}

const PREFIX_PATTERN = /^([A-Z]{1,2})(?:([0-9][A-Z0-9]?)(?: ([0-9]))?)?$/;

/** A postcode prefix with each part in full: "HS1 2" is area HS, district HS1, sector HS1 2. */
export interface PostcodePrefix {
  /** The prefix itself, normalised: upper case, one space before a sector digit. */
  prefix: string;
  area: string;
  district: string | null;
  sector: string | null;
}

/**
 * Reads a UK postcode prefix: an area ("IV"), a district ("PA20") or a sector ("HS1 2"); null when
 * it is none of them. Without a space the digits are a district's ("HS12" is district HS12).
 */
export function parsePostcodePrefix(input: string): PostcodePrefix | null {
  const compact = input.toUpperCase().replace(/\s+/g, ' ').trim();
  const m = PREFIX_PATTERN.exec(compact);
  if (!m) return null;
  const area = m[1];
  const district = m[2] !== undefined ? area + m[2] : null;
  const sector = m[3] !== undefined ? `${district} ${m[3]}` : null;
  return { prefix: sector ?? district ?? area, area, district, sector };
}
