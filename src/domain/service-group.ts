/**
 * A service group (SortedPRO's "Service Group Code"): a named, ordered set of a subscription's
 * carrier services, for the allocation endpoints and quotes that choose within a group.
 */
export interface ServiceGroup {
  /** 1-100 characters of [A-Za-z0-9_.-], unique per subscription case-insensitively; stored as first given. */
  reference: string;
  name: string;
  isEnabled: boolean;
  /** The group's services in the catalogue's spelling, in the group's order. */
  serviceReferences: string[];
}

/**
 * Words that name endpoints under /serviceGroups/ rather than a group (literal path segments win),
 * so a group may not be called by them: it could never be fetched.
 */
export const RESERVED_GROUP_REFERENCES: ReadonlySet<string> = new Set(['summaries', 'summary']);
