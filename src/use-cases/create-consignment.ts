/** POST /consignments: validates a create request into a stored, Unallocated consignment. */
import { utcTimestamp } from '../domain/dates.js';
import type { Consignment } from '../domain/consignment.js';
import { formatReference } from '../domain/references.js';
import type { CreateConsignmentRequest } from '../contract/consignments.js';
import type { AppContext, Caller } from './app-context.js';
import { readConsignment } from './input/consignment-reader.js';

export async function createConsignment(ctx: AppContext, caller: Caller, req: CreateConsignmentRequest): Promise<Consignment> {
  const data = await readConsignment(ctx, caller.subscriptionId, req);
  const [number] = await ctx.sequences.next('EC', 1);
  return ctx.consignments.insert(caller.subscriptionId, formatReference('EC', number), data, utcTimestamp(ctx.clock.now()));
}
