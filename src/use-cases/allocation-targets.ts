/**
 * Which services each allocation endpoint chooses from (decisions.md §4.10): all the caller's
 * enabled services (default rules), those matching filters, or an enabled service group's.
 * Rules and tags then apply to every candidate as eligibility checks.
 */
import type { CarrierService, ServiceDirection } from '../domain/catalogue.js';
import type { ServiceGroup } from '../domain/service-group.js';
import type { AllocationTarget } from './allocate.js';
import type { AppContext, Caller } from './app-context.js';
import { enabledServices } from './carrier-services.js';
import { AppError } from './errors.js';

export function defaultRulesTarget(ctx: AppContext, caller: Caller): AllocationTarget {
  return { kind: 'cheapest', services: enabledServices(ctx, caller), group: null, scope: 'by the default rules' };
}

export interface ServiceFilters {
  direction: ServiceDirection | null;
  /** false leaves pick-up services out; true or null keeps them. */
  includePickUp: boolean | null;
  /** false leaves drop-off services out; true or null keeps them. */
  includeDropOff: boolean | null;
}

function matchesFilters(service: CarrierService, f: ServiceFilters): boolean {
  if (f.direction && !service.capabilities.directions.includes(f.direction)) return false;
  if (f.includePickUp === false && service.types.includes('PickUp')) return false;
  if (f.includeDropOff === false && service.types.includes('DropOff')) return false;
  return true;
}

function describeFilters(f: ServiceFilters): string {
  const parts = [
    f.direction && `direction ${f.direction}`,
    f.includePickUp === false && 'no pick-up services',
    f.includeDropOff === false && 'no drop-off services',
  ].filter(Boolean);
  return parts.length ? `with service filters (${parts.join(', ')})` : 'with service filters';
}

export function serviceFiltersTarget(ctx: AppContext, caller: Caller, filters: ServiceFilters): AllocationTarget {
  const services = enabledServices(ctx, caller).filter((s) => matchesFilters(s, filters));
  return { kind: 'cheapest', services, group: null, scope: describeFilters(filters) };
}

/** The caller's enabled services of a group, in the group's order; services it no longer has are left out. */
export function groupServices(ctx: AppContext, caller: Caller, group: ServiceGroup): CarrierService[] {
  return group.serviceReferences
    .map((r) => ctx.catalogue.service(r))
    .filter((s): s is CarrierService => s !== undefined && caller.enabledServices.has(s.reference.toLowerCase()));
}

/** An enabled group of the caller's; otherwise 404, as a service not enabled is (decisions.md §4.2). */
export async function requireServiceGroup(ctx: AppContext, caller: Caller, reference: string): Promise<ServiceGroup> {
  const group = reference.includes('\u0000') ? undefined : await ctx.serviceGroups.find(caller.subscriptionId, reference);
  if (!group || !group.isEnabled) {
    const why = group ? `Service group ${group.reference} is disabled` : `No service group ${reference} exists for this subscription`;
    throw new AppError('ServiceGroupNotFound', `Service group ${reference} not found`, [{ Code: group ? 'Disabled' : 'NotFound', Target: reference, Message: why }]);
  }
  return group;
}

export async function serviceGroupTarget(ctx: AppContext, caller: Caller, reference: string): Promise<AllocationTarget> {
  const group = await requireServiceGroup(ctx, caller, reference);
  return { kind: 'cheapest', services: groupServices(ctx, caller, group), group, scope: `with service group ${group.reference} (${group.name})` };
}
