/** Reading a service group body (ours and the SDK's) into a group, listing every problem. */
import type { ServiceGroupRequest } from '../../contract/rules.js';
import { RESERVED_GROUP_REFERENCES, type ServiceGroup } from '../../domain/service-group.js';
import { readName, readReference, readServiceReferences, type Problem } from '../../domain/subscription-objects.js';

/**
 * `reference` overrides the body's Reference (a PUT's path reference wins). Every service must be
 * enabled for the subscription, and there must be one.
 */
export function readServiceGroup(
  body: ServiceGroupRequest,
  enabledService: (reference: string) => string | undefined,
  reference?: string,
): { group: ServiceGroup; problems: Problem[] } {
  const problems: Problem[] = [];
  const ref = reference ?? readReference(body.Reference, 'Reference', problems);
  if (RESERVED_GROUP_REFERENCES.has(ref.toLowerCase())) {
    problems.push({ Code: 'Invalid', Target: 'Reference', Message: `Reference ${ref} is reserved: /serviceGroups/${ref.toLowerCase()} is an endpoint of its own` });
  }
  const name = readName(body.Name, 'Name', problems);
  const serviceReferences = readServiceReferences(body.MpdCarrierServiceReferences, 'MpdCarrierServiceReferences', enabledService, problems, true);
  return { group: { reference: ref, name, isEnabled: body.IsEnabled ?? true, serviceReferences }, problems };
}
