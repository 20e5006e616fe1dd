import { destinationAddress } from '../consignment.js';
import { fail, type EligibilityCheck } from './check.js';

export const destinationServed: EligibilityCheck = ({ consignment, service }) => {
  const { destinationCountries: allowed, excludedDestinationCountries: excluded } = service.capabilities;
  const country = destinationAddress(consignment)?.countryCode ?? '';
  if (excluded.includes(country)) {
    return fail('DestinationNotServed', `destination country ${country} is not served; the service excludes ${excluded.join(', ')}`);
  }
  if (allowed !== null && !allowed.includes(country)) {
    return fail('DestinationNotServed', `destination country ${country} is not served; the service delivers to ${allowed.join(', ')}`);
  }
  return null;
};
