/**
 * Searching and counting the caller's consignments (endpoints.md P1-32, P1-33, P1-36, P1-37).
 * Only the caller's subscription is ever searched. Results are newest first, then by reference.
 */
import type { Consignment } from '../domain/consignment.js';
import type { ConsignmentSearch } from '../domain/consignment-search.js';
import { CONSIGNMENT_STATES, type ConsignmentState } from '../domain/states.js';
import type { AppContext, Caller } from './app-context.js';

export interface SearchPage {
  /** Every match, not only those on the page. */
  count: number;
  consignments: Consignment[];
}

export async function searchConsignments(ctx: AppContext, caller: Caller, search: ConsignmentSearch, take: number, skip: number): Promise<SearchPage> {
  const count = await ctx.consignmentSearch.count(caller.subscriptionId, search);
  const consignments = skip < count ? await ctx.consignmentSearch.page(caller.subscriptionId, search, take, skip, count) : [];
  return { count, consignments };
}

export async function searchReferences(ctx: AppContext, caller: Caller, search: ConsignmentSearch, take: number, skip: number): Promise<string[]> {
  return ctx.consignmentSearch.references(caller.subscriptionId, search, take, skip);
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
