/** The subscription's service groups: list, read, create, replace, switch on and off, delete. */
import type { ServiceGroupRequest } from '../contract/rules.js';
import { RESERVED_GROUP_REFERENCES, type ServiceGroup } from '../domain/service-group.js';
import { readServiceGroup } from './input/service-group-reader.js';
import { isObjectReference } from '../domain/subscription-objects.js';
import { AppError, validationFailed, type ErrorDetail } from './errors.js';
import type { AppContext, Caller } from './app-context.js';
import { enabledServiceSpelling } from './carrier-services.js';
import { MAX_GROUPS_PER_SUBSCRIPTION } from '../domain/limits.js';

function groupNotFound(reference: string): AppError {
  return new AppError('ServiceGroupNotFound', `Service group ${reference.slice(0, 200)} not found`, [
    { Code: 'NotFound', Target: 'reference', Message: `No service group ${reference.slice(0, 200)} exists for this subscription` },
  ]);
}

/** Whether a path segment could name a stored group at all (anything else is simply not found, without a query). */
function possibleGroupReference(reference: string): boolean {
  return isObjectReference(reference) && !RESERVED_GROUP_REFERENCES.has(reference.toLowerCase());
}

/** The problems of a group body beyond its schema's (the route lists both in one 400). */
export function groupProblems(ctx: AppContext, caller: Caller, draft: ServiceGroupRequest, reference?: string): ErrorDetail[] {
  return readServiceGroup(draft, enabledServiceSpelling(ctx, caller), reference).problems;
}

function read(ctx: AppContext, caller: Caller, draft: ServiceGroupRequest, reference?: string): ServiceGroup {
  const { group, problems } = readServiceGroup(draft, enabledServiceSpelling(ctx, caller), reference);
  if (problems.length) throw validationFailed(problems);
  return group;
}

export async function listGroups(ctx: AppContext, caller: Caller): Promise<ServiceGroup[]> {
  return ctx.serviceGroups.list(caller.subscriptionId);
}

export async function getGroup(ctx: AppContext, caller: Caller, reference: string): Promise<ServiceGroup> {
  const group = possibleGroupReference(reference) ? await ctx.serviceGroups.find(caller.subscriptionId, reference) : undefined;
  if (!group) throw groupNotFound(reference);
  return group;
}

/** Whether the caller could create a group with this reference: well formed, not reserved, not in use. */
export async function groupReferenceAvailable(ctx: AppContext, caller: Caller, reference: string): Promise<boolean> {
  const trimmed = reference.trim();
  return possibleGroupReference(trimmed) && (await ctx.serviceGroups.find(caller.subscriptionId, trimmed)) === undefined;
}

export async function createGroup(ctx: AppContext, caller: Caller, draft: ServiceGroupRequest): Promise<ServiceGroup> {
  const group = read(ctx, caller, draft);
  if ((await ctx.serviceGroups.count(caller.subscriptionId)) >= MAX_GROUPS_PER_SUBSCRIPTION) {
    throw validationFailed([{ Code: 'TooMany', Target: 'body', Message: `A subscription may have at most ${MAX_GROUPS_PER_SUBSCRIPTION} service groups; delete one first` }]);
  }
  if (!(await ctx.serviceGroups.create(caller.subscriptionId, group))) {
    throw new AppError('DuplicateReference', `A service group ${group.reference} already exists`, [
      { Code: 'Duplicate', Target: 'Reference', Message: `Reference ${group.reference} is already used by another service group of this subscription (references ignore case)` },
    ]);
  }
  return group;
}

/** Replaces a group's name, services and switch; the path's reference wins, and the stored spelling is kept. */
export async function replaceGroup(ctx: AppContext, caller: Caller, reference: string, draft: ServiceGroupRequest): Promise<ServiceGroup> {
  const existing = possibleGroupReference(reference) ? await ctx.serviceGroups.find(caller.subscriptionId, reference) : undefined;
  const group = read(ctx, caller, draft, existing?.reference ?? reference);
  if (!existing || !(await ctx.serviceGroups.replace(caller.subscriptionId, group))) throw groupNotFound(reference);
  return group;
}

export async function setGroupEnabled(ctx: AppContext, caller: Caller, reference: string, enabled: boolean): Promise<ServiceGroup> {
  const group = possibleGroupReference(reference) ? await ctx.serviceGroups.setEnabled(caller.subscriptionId, reference, enabled) : undefined;
  if (!group) throw groupNotFound(reference);
  return group;
}

export async function deleteGroup(ctx: AppContext, caller: Caller, reference: string): Promise<void> {
  if (!possibleGroupReference(reference) || !(await ctx.serviceGroups.delete(caller.subscriptionId, reference))) throw groupNotFound(reference);
}
