/**
 * Where the console's pages are: it is served under /console (vite.config.ts's `base`), and its
 * links and its router say so in one place.
 */
export const BASE = '/console';

export function consignmentPath(reference: string): string {
  return `${BASE}/consignments/${encodeURIComponent(reference)}`;
}

/** The "Not shipped" list with these criteria (the search API's own names) in its address. */
export function listPath(query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${BASE}/consignments${search ? `?${search}` : ''}`;
}
