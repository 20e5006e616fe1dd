/** ISO 3166 country codes and names, from the platform's own Unicode data (no table of ours to keep up to date). */

const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** Countries without a postcode system; everywhere else a postcode is required. */
const NO_POSTCODES = new Set(
  'AE AG AN AO AW BF BI BJ BO BS BW BZ CD CF CG CI CK CM DJ DM ER FJ GA GD GH GM GQ GY HK HM IE JM KE KI KM KN KP LC ML MO MR MW NA NR NU QA RW SB SC SL SO SR SS ST SY TD TF TG TK TL TO TT TV UG VU YE ZW'.split(' '),
);

/**
 * Whether a code is a current ISO 3166-1 code. Unicode also names retired or alias codes ("UK" for
 * GB, "DD", "SU", "YU") and groupings ("EZ" Eurozone, "QO"); they are refused, since a consignment
 * to "UK" would otherwise be stored as a country no GB service serves.
 */
export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code)) return false;
  // Two Intl look-ups cost ~10 µs, paid by every address read (10,000 per bulk create): each of
  // the 676 possible answers is kept.
  let answer = checked.get(code);
  if (answer === undefined) checked.set(code, (answer = isCurrentCode(code)));
  return answer;
}

const checked = new Map<string, boolean>();

function isCurrentCode(code: string): boolean {
  return (
    names.of(code) !== code &&
    code !== 'ZZ' &&
    !code.startsWith('X') &&
    !/^Q[M-Z]$/.test(code) &&
    !['EU', 'EZ', 'UN'].includes(code) &&
    Intl.getCanonicalLocales(`und-${code}`)[0] === `und-${code}`
  );
}

/** Names by code, kept: Intl.DisplayNames looks each one up afresh, and every label and form names two countries. */
const known = new Map<string, string>();

export function countryName(code: string): string {
  let name = known.get(code);
  if (name === undefined) {
    name = names.of(code) ?? code;
    if (known.size < 1000) known.set(code, name);
  }
  return name;
}

export function countryUsesPostcodes(code: string): boolean {
  return !NO_POSTCODES.has(code);
}
