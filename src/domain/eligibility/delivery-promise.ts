import { COLLECTION_HORIZON_DAYS, promiseMiss } from '../dates.js';
import { fail, type EligibilityCheck } from './check.js';

export const deliveryPromiseKept: EligibilityCheck = ({ consignment, plan }) => {
  if (!plan) return fail('DeliveryPromiseMissed', `the service has no collection day within ${COLLECTION_HORIZON_DAYS} days of the shipping date`);
  if (!consignment.requestedDeliveryDate) return null;
  const miss = promiseMiss(plan, consignment.requestedDeliveryDate);
  return miss === null ? null : fail('DeliveryPromiseMissed', miss);
};
