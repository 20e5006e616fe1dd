import { fail, type EligibilityCheck } from './check.js';

export const directionServed: EligibilityCheck = ({ consignment, service }) =>
  service.capabilities.directions.includes(consignment.direction)
    ? null
    : fail('DirectionNotServed', `the consignment is ${consignment.direction}; the service carries ${service.capabilities.directions.join(', ')} only`);
