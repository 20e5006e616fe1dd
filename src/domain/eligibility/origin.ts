import { originAddress } from '../consignment.js';
import { fail, type EligibilityCheck } from './check.js';

export const originServed: EligibilityCheck = ({ consignment, service }) => {
  const allowed = service.capabilities.originCountries;
  const country = originAddress(consignment)?.countryCode ?? '';
  if (allowed === null || allowed.includes(country)) return null;
  return fail('OriginNotServed', `origin country ${country} is not served; the service collects from ${allowed.join(', ')}`);
};
