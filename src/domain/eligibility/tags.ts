import { serviceTagsOf } from '../allocation-policy.js';
import { fail, type EligibilityCheck } from './check.js';

/** Every consignment tag must be among the service's tags (case-insensitive): the subscription's own for the service when set, else the catalogue's. */
export const tagsMatched: EligibilityCheck = ({ consignment, service, policy }) => {
  if (consignment.tags.length === 0) return null;
  const tags = serviceTagsOf(policy, service.reference, service.capabilities.tags);
  const serviceTags = new Set(tags.map((t) => t.toLowerCase()));
  const missing = consignment.tags.filter((t) => !serviceTags.has(t.toLowerCase()));
  if (missing.length === 0) return null;
  const has = tags.length ? tags.join(', ') : 'none';
  return fail('TagsNotMatched', `the service lacks the consignment's tags ${missing.join(', ')}; its tags are ${has}`);
};
