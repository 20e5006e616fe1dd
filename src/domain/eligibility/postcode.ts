import { destinationAddress } from '../consignment.js';
import { parseUkPostcode, postcodeMatchesPrefix } from '../postcode.js';
import { fail, type EligibilityCheck } from './check.js';

export const postcodeAllowed: EligibilityCheck = ({ consignment, service }) => {
  const destination = destinationAddress(consignment);
  if (!destination || destination.countryCode !== 'GB' || !destination.postcode) return null;
  const postcode = parseUkPostcode(destination.postcode);
  if (!postcode) return null;
  const prefix = service.capabilities.excludedPostcodes.find((p) => postcodeMatchesPrefix(postcode, p));
  return prefix === undefined
    ? null
    : fail('PostcodeExcluded', `destination postcode ${postcode.normalised} is in ${prefix.toUpperCase()}, which the service excludes`);
};
