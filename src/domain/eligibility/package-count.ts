import { fail, type EligibilityCheck } from './check.js';

export const packageCountAllowed: EligibilityCheck = ({ consignment, service }) => {
  const max = service.capabilities.maxPackages;
  const count = consignment.packages.length;
  return max === null || count <= max
    ? null
    : fail('TooManyPackages', `the consignment has ${count} packages; the limit is ${max}`);
};
