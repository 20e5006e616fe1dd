import { fail, type EligibilityCheck } from './check.js';

/** Every consignment tag must be among the service's tags (case-insensitive). */
export const tagsMatched: EligibilityCheck = ({ consignment, service }) => {
  const serviceTags = new Set(service.capabilities.tags.map((t) => t.toLowerCase()));
  const missing = consignment.tags.filter((t) => !serviceTags.has(t.toLowerCase()));
  if (missing.length === 0) return null;
  const has = service.capabilities.tags.length ? service.capabilities.tags.join(', ') : 'none';
  return fail('TagsNotMatched', `the service lacks the consignment's tags ${missing.join(', ')}; its tags are ${has}`);
};
