/**
 * Searching and counting the caller's consignments (endpoints.md P1-32, P1-33, P1-36, P1-37).
 * Only the caller's subscription is ever searched. Results are newest first, then by reference,
 * unless the search names another order.
 */
import type { Consignment } from '../domain/consignment.js';
import { NEWEST_FIRST, type ConsignmentSearch, type SearchOrder } from '../domain/consignment-search.js';
import { CONSIGNMENT_STATES, type ConsignmentState } from '../domain/states.js';
import type { AppContext, Caller } from './app-context.js';

export interface SearchPage {
  /** Every match, not only those on the page. */
  count: number;
  consignments: Consignment[];
}

export async function searchConsignments(ctx: AppContext, caller: Caller, search: ConsignmentSearch, take: number, skip: number, order: SearchOrder = NEWEST_FIRST): Promise<SearchPage> {
  const count = await ctx.consignmentSearch.count(caller.subscriptionId, search);
  const consignments = skip < count ? await ctx.consignmentSearch.page(caller.subscriptionId, search, take, skip, count, order) : [];
  return { count, consignments };
}

export async function searchReferences(ctx: AppContext, caller: Caller, search: ConsignmentSearch, take: number, skip: number, order: SearchOrder = NEWEST_FIRST): Promise<string[]> {
  return ctx.consignmentSearch.references(caller.subscriptionId, search, take, skip, order);
}

export async function countConsignments(ctx: AppContext, caller: Caller, search: ConsignmentSearch): Promise<number> {
  return ctx.consignmentSearch.count(caller.subscriptionId, search);
}

export interface StateSummary {
  total: number;
  /** The states that have consignments, in the SDK's order of states, with their counts. */
  byState: [ConsignmentState, number][];
}

export async function summariseStates(ctx: AppContext, caller: Caller, search: ConsignmentSearch): Promise<StateSummary> {
  const counts = await ctx.consignmentSearch.countByState(caller.subscriptionId, search);
  const byState = [...counts].sort(([a], [b]) => CONSIGNMENT_STATES[a] - CONSIGNMENT_STATES[b]);
  return { total: byState.reduce((sum, [, n]) => sum + n, 0), byState };
}

/** One carrier's share of a carriers summary. */
export interface CarrierSummary {
  /** Null (with the name) only for a service the catalogue no longer has and no stored allocation names any more. */
  reference: string | null;
  name: string | null;
  total: number;
  /** The states that have consignments, in the SDK's order of states, with their counts. */
  byState: [ConsignmentState, number][];
}

export interface CarriersSummary {
  total: number;
  /** By name (then reference); an unknown carrier last. */
  carriers: CarrierSummary[];
}

/**
 * The carrier a service belongs to: the catalogue's; for a service the catalogue no longer has,
 * the carrier its stored allocations name (they record it), so that its consignments still count
 * under their own carrier.
 */
async function carrierOfService(ctx: AppContext, caller: Caller, serviceKey: string): Promise<{ reference: string; name: string } | null> {
  const service = ctx.catalogue.service(serviceKey);
  const carrier = service && ctx.catalogue.carrier(service.carrierReference);
  if (carrier) return { reference: carrier.reference, name: carrier.name };
  return ctx.consignmentSearch.storedCarrierOf(caller.subscriptionId, serviceKey);
}

/**
 * The matching consignments that have an allocation, counted per carrier and state (Switchyard):
 * the database counts per service and state, the catalogue says whose each service is.
 */
export async function summariseCarriers(ctx: AppContext, caller: Caller, search: ConsignmentSearch): Promise<CarriersSummary> {
  const counts = await ctx.consignmentSearch.countByServiceAndState(caller.subscriptionId, search);
  const carriers = new Map<string, { reference: string | null; name: string | null; states: Map<ConsignmentState, number> }>();
  const carrierOf = new Map<string, { reference: string; name: string } | null>();
  for (const { service, state, count } of counts) {
    if (!carrierOf.has(service)) carrierOf.set(service, await carrierOfService(ctx, caller, service));
    const carrier = carrierOf.get(service)!;
    const key = carrier ? carrier.reference.toLowerCase() : '';
    let entry = carriers.get(key);
    if (!entry) carriers.set(key, (entry = { reference: carrier?.reference ?? null, name: carrier?.name ?? null, states: new Map() }));
    entry.states.set(state, (entry.states.get(state) ?? 0) + count);
  }
  const summaries = [...carriers.values()].map((c): CarrierSummary => {
    const byState = [...c.states].sort(([a], [b]) => CONSIGNMENT_STATES[a] - CONSIGNMENT_STATES[b]);
    return { reference: c.reference, name: c.name, total: byState.reduce((sum, [, n]) => sum + n, 0), byState };
  });
  summaries.sort((a, b) => (a.name === null ? 1 : b.name === null ? -1 : a.name.localeCompare(b.name, 'en') || a.reference!.localeCompare(b.reference!, 'en')));
  return { total: summaries.reduce((sum, c) => sum + c.total, 0), carriers: summaries };
}
