import { destinationAddress } from '../consignment.js';
import { parseUkPostcode, postcodeMatchesPrefix } from '../postcode.js';
import { fail, type EligibilityCheck } from './check.js';

export const postcodeAllowed: EligibilityCheck = ({ consignment, service }) => {
  const destination = destinationAddress(consignment);
  if (!destination || destination.countryCode !== 'GB' || !destination.postcode) return null;
  const excluded = service.capabilities.excludedPostcodes;
  if (excluded.length === 0) return null;
  const postcode = parseUkPostcode(destination.postcode);
  // An unreadable postcode cannot be shown to lie outside the exclusions, so it does not pass them.
  if (!postcode) return fail('PostcodeExcluded', `destination postcode ${destination.postcode} is not a valid UK postcode, so the service's postcode exclusions cannot be checked`);
  const prefix = excluded.find((p) => postcodeMatchesPrefix(postcode, p));
  return prefix === undefined
    ? null
    : fail('PostcodeExcluded', `destination postcode ${postcode.normalised} is in ${prefix.toUpperCase()}, which the service excludes`);
};
