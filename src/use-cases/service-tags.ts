/**
 * The subscription's own allocation-filtering tags per carrier service (decisions.md §4.6), which
 * replace the catalogue's for TagsNotMatched. Writes invalidate the cached allocation policy.
 */
import { validationFailed, type ErrorDetail } from './errors.js';
import type { AppContext, Caller } from './app-context.js';
import { requireEnabledService } from './carrier-services.js';
import { MAX_TAGS, MAX_TAG_LENGTH } from '../domain/limits.js';

function validTag(tag: string): boolean {
  return tag.length > 0 && tag.length <= MAX_TAG_LENGTH && !/[\u0000-\u001f\u007f]/.test(tag);
}

/** The problems of a tag list: at most 100 tags, each 1-100 characters (trimmed) without control characters. */
export function serviceTagProblems(tags: readonly string[]): ErrorDetail[] {
  if (tags.length > MAX_TAGS) return [{ Code: 'TooMany', Target: 'body', Message: `body must have at most ${MAX_TAGS} tags` }];
  const problems: ErrorDetail[] = [];
  tags.forEach((t, i) => {
    if (!validTag(t.trim())) problems.push({ Code: 'Invalid', Target: `body[${i}]`, Message: `body[${i}] must be 1 to ${MAX_TAG_LENGTH} characters without control characters` });
  });
  return problems;
}

/** A valid tag list trimmed, duplicates merged case-insensitively (the first spelling kept); 400 listing every problem otherwise. */
export function readServiceTags(tags: readonly string[]): string[] {
  const problems = serviceTagProblems(tags);
  if (problems.length) throw validationFailed(problems);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of tags) {
    const tag = t.trim();
    if (!seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      out.push(tag);
    }
  }
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
