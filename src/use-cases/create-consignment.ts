/**
 * POST /consignments: validates a create request into a stored, Unallocated consignment. The
 * decision about one request (its data, or the 400 it is refused with) is `decideCreate`, which
 * POST /consignments/bulk makes for each of its items too.
 */
import { utcTimestamp } from '../domain/dates.js';
import type { Consignment, ConsignmentData } from '../domain/consignment.js';
import { formatReference } from '../domain/references.js';
import type { CreateConsignmentRequest } from '../contract/consignments.js';
import type { AppContext, Caller } from './app-context.js';
import { AppError } from './errors.js';
import { readConsignment } from './input/consignment-reader.js';
import type { ReferenceLookups } from './input/reference-lookups.js';

/** What a create request comes to: the consignment's data (package references assigned), or why it is refused. */
export type CreateDecision = { kind: 'valid'; data: ConsignmentData } | { kind: 'invalid'; error: AppError };

export async function decideCreate(ctx: AppContext, subscriptionId: number, req: CreateConsignmentRequest, lookups?: ReferenceLookups): Promise<CreateDecision> {
  try {
    return { kind: 'valid', data: await readConsignment(ctx, subscriptionId, req, { lookups }) };
  } catch (e) {
    if (e instanceof AppError && e.code === 'ValidationFailed') return { kind: 'invalid', error: e };
    throw e;
  }
}

export async function createConsignment(ctx: AppContext, caller: Caller, req: CreateConsignmentRequest): Promise<Consignment> {
  const decision = await decideCreate(ctx, caller.subscriptionId, req);
  if (decision.kind === 'invalid') throw decision.error;
  const [number] = await ctx.sequences.next('EC', 1);
  return ctx.consignments.insert(caller.subscriptionId, formatReference('EC', number), decision.data, utcTimestamp(ctx.clock.now()));
}
