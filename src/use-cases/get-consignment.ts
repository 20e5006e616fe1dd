/** Reading one consignment of the caller's: another subscription's is as absent as an unknown one. */
import type { Consignment } from '../domain/consignment.js';
import { canonicalReference } from '../domain/references.js';
import type { ConsignmentEventRow } from '../store/consignments.repository.js';
import type { AppContext, Caller } from './app-context.js';
import { AppError } from './errors.js';

export async function getConsignment(ctx: AppContext, caller: Caller, reference: string): Promise<Consignment> {
  const ref = canonicalReference(reference);
  const consignment = await ctx.consignments.findByReference(caller.subscriptionId, ref);
  if (!consignment) {
    throw new AppError('ConsignmentNotFound', `Consignment ${ref} not found`, [
      { Code: 'NotFound', Target: 'consignmentReference', Message: `No consignment ${ref} exists for this subscription` },
    ]);
  }
  return consignment;
}

/** The consignment's audit trail, oldest first. */
export async function getConsignmentAudit(ctx: AppContext, caller: Caller, reference: string): Promise<{ consignment: Consignment; events: ConsignmentEventRow[] }> {
  const consignment = await getConsignment(ctx, caller, reference);
  return { consignment, events: await ctx.consignments.events(consignment.id) };
}
