import { fail, type EligibilityCheck } from './check.js';

export const contentAllowed: EligibilityCheck = ({ consignment, service }) => {
  const allowed = service.capabilities.allowedContent;
  const refused = new Set<string>();
  for (const p of consignment.packages) {
    for (const item of p.items) {
      for (const c of item.contentClassification) if (!allowed.includes(c)) refused.add(c);
    }
  }
  return refused.size === 0
    ? null
    : fail('ContentNotAllowed', `the consignment contains ${[...refused].join(', ')} goods; the service accepts ${allowed.join(', ')} only`);
};
