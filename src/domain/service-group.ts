/**
 * A service group (SortedPRO's "Service Group Code"): a named, ordered set of a subscription's
 * carrier services, for the allocation endpoints and quotes that choose within a group.
 */
import { readName, readReference, readServiceReferences, type Problem } from './subscription-objects.js';

export interface ServiceGroup {
  /** 1-100 characters of [A-Za-z0-9_.-], unique per subscription case-insensitively; stored as first given. */
  reference: string;
  name: string;
  isEnabled: boolean;
  /** The group's services in the catalogue's spelling, in the group's order. */
  serviceReferences: string[];
}

/** A group body as the HTTP schema reads it (every field optional): checked here into a group. */
export interface ServiceGroupDraft {
  Reference?: string | null;
  Name?: string | null;
  IsEnabled?: boolean | null;
  MpdCarrierServiceReferences?: string[] | null;
}

/**
 * Words that name endpoints under /serviceGroups/ rather than a group (literal path segments win),
 * so a group may not be called by them: it could never be fetched.
 */
export const RESERVED_GROUP_REFERENCES: ReadonlySet<string> = new Set(['summaries', 'summary']);

/**
 * Reads a group body, listing every problem. `reference` overrides the body's Reference (a PUT's
 * path reference wins). Every service must be enabled for the subscription, and there must be one.
 */
export function readServiceGroup(
  draft: ServiceGroupDraft,
  enabledService: (reference: string) => string | undefined,
  reference?: string,
): { group: ServiceGroup; problems: Problem[] } {
  const problems: Problem[] = [];
  const ref = reference ?? readReference(draft.Reference, 'Reference', problems);
  if (RESERVED_GROUP_REFERENCES.has(ref.toLowerCase())) {
    problems.push({ Code: 'Invalid', Target: 'Reference', Message: `Reference ${ref} is reserved: /serviceGroups/${ref.toLowerCase()} is an endpoint of its own` });
  }
  const name = readName(draft.Name, 'Name', problems);
  const serviceReferences = readServiceReferences(draft.MpdCarrierServiceReferences, 'MpdCarrierServiceReferences', enabledService, problems, true);
  return { group: { reference: ref, name, isEnabled: draft.IsEnabled ?? true, serviceReferences }, problems };
}
