/**
 * The subscription's own allocation-filtering tags per carrier service (decisions.md §4.6), which
 * replace the catalogue's for TagsNotMatched. Writes invalidate the cached allocation policy.
 */
import { validationFailed, type ErrorDetail } from './errors.js';
import type { AppContext, Caller } from './app-context.js';
import { requireEnabledService } from './carrier-services.js';

export const MAX_SERVICE_TAGS = 100;
export const MAX_TAG_LENGTH = 100;

/** Trimmed, 1-100 characters, no control characters, at most 100, duplicates merged case-insensitively (first spelling kept). */
export function readServiceTags(tags: readonly string[]): string[] {
  const problems: ErrorDetail[] = [];
  if (tags.length > MAX_SERVICE_TAGS) throw validationFailed([{ Code: 'TooMany', Target: 'body', Message: `body must have at most ${MAX_SERVICE_TAGS} tags` }]);
  const seen = new Set<string>();
  const out: string[] = [];
  tags.forEach((t, i) => {
    const tag = t.trim();
    if (!tag || tag.length > MAX_TAG_LENGTH || /[\u0000-\u001f\u007f]/.test(tag)) {
      problems.push({ Code: 'Invalid', Target: `[${i}]`, Message: `[${i}] must be 1 to ${MAX_TAG_LENGTH} characters without control characters` });
    } else if (!seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      out.push(tag);
    }
  });
  if (problems.length) throw validationFailed(problems);
  return out;
}

/** The tags allocation uses for the service: the subscription's own when set, else the catalogue's. */
export async function getServiceTags(ctx: AppContext, caller: Caller, serviceReference: string): Promise<string[]> {
  const service = requireEnabledService(ctx, caller, serviceReference);
  return (await ctx.serviceTags.find(caller.subscriptionId, service.reference.toLowerCase())) ?? [...service.capabilities.tags];
}

export async function setServiceTags(ctx: AppContext, caller: Caller, serviceReference: string, input: readonly string[]): Promise<string[]> {
  const service = requireEnabledService(ctx, caller, serviceReference);
  const tags = readServiceTags(input);
  await ctx.serviceTags.set(caller.subscriptionId, service.reference.toLowerCase(), tags);
  ctx.policies.invalidate(caller.subscriptionId);
  return tags;
}

/** Drops the subscription's own tags; the catalogue's apply again and are returned. */
export async function clearServiceTags(ctx: AppContext, caller: Caller, serviceReference: string): Promise<string[]> {
  const service = requireEnabledService(ctx, caller, serviceReference);
  await ctx.serviceTags.clear(caller.subscriptionId, service.reference.toLowerCase());
  ctx.policies.invalidate(caller.subscriptionId);
  return [...service.capabilities.tags];
}
