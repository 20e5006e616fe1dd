/**
 * Editing a consignment: Update Consignment, Add Package and Delete Package (endpoints.md P1-14
 * to P1-16). Only while Unallocated or AllocationFailed (states.md, decisions.md §5). Each edit is
 * one transaction, conditional on the version it was decided on, so an edit and a concurrent
 * allocation never both win: the loser re-reads and decides again (an edit then finds the
 * consignment allocated and is refused). Every edit is in the audit trail.
 */
import { utcTimestamp } from '../domain/dates.js';
import type { Consignment, ConsignmentData, PackageData } from '../domain/consignment.js';
import { canonicalReference } from '../domain/references.js';
import { allowedStates, canPerform } from '../domain/states.js';
import type { UpdateConsignmentRequest, UpdatePackageRequest } from '../contract/consignments.js';
import type { ConsignmentEvent } from '../store/consignments.repository.js';
import type { AppContext, Caller } from './app-context.js';
import { MAX_PACKAGES } from '../domain/limits.js';
import { RACE_RETRIES } from './concurrency.js';
import { AppError, consignmentBusy, validationFailed } from './errors.js';
import { readAddedPackage } from './input/added-package-reader.js';
import { readConsignment } from './input/consignment-reader.js';
import { getConsignment } from './get-consignment.js';

interface Edit {
  data: ConsignmentData;
  event: ConsignmentEvent;
}

function invalidState(consignment: Consignment, refused: string): AppError {
  const message = `Consignment ${consignment.reference} ${refused}: it is ${consignment.state}`;
  return new AppError('InvalidState', message, [{ Code: 'InvalidState', Target: consignment.reference, Message: message }]);
}

/**
 * Applies an edit decided on the consignment as read, re-reading and deciding again while someone
 * else changes it first. `refused` completes "Consignment EC-… ___: it is Allocated".
 */
async function applyEdit(ctx: AppContext, caller: Caller, initial: Consignment, refused: string, decide: (c: Consignment) => Promise<Edit>): Promise<Consignment> {
  let consignment = initial;
  for (let attempt = 0; attempt < RACE_RETRIES; attempt++) {
    if (!canPerform('edit', consignment.state)) throw invalidState(consignment, refused);
    const { data, event } = await decide(consignment);
    const saved = await ctx.consignments.replaceDocument(consignment, data, { fromStates: allowedStates('edit'), at: utcTimestamp(ctx.clock.now()), event });
    if (saved) return saved;
    const fresh = await ctx.consignments.findByReference(caller.subscriptionId, consignment.reference);
    if (!fresh) throw new Error(`consignment ${consignment.reference} vanished while being edited`);
    consignment = fresh;
  }
  throw consignmentBusy(initial.reference, 'edited');
}

/** PUT /consignments: replaces the consignment's details as models.md §4.7 says (see readConsignment). */
export async function updateConsignment(ctx: AppContext, caller: Caller, req: UpdateConsignmentRequest & { Reference: string }): Promise<Consignment> {
  const consignment = await getConsignment(ctx, caller, req.Reference);
  return applyEdit(ctx, caller, consignment, 'cannot be updated', async (c) => ({
    data: await readConsignment(ctx, caller.subscriptionId, req, { current: c.data }),
    event: { action: 'Updated', message: `Consignment ${c.reference} updated` },
  }));
}

/** POST /consignments/{ref}/addpackage: the consignment as saved, and the new package. */
export async function addPackage(ctx: AppContext, caller: Caller, reference: string, req: UpdatePackageRequest): Promise<{ consignment: Consignment; package: PackageData }> {
  const consignment = await getConsignment(ctx, caller, reference);
  // Read once: a retry after a lost race adds the same package, with the same reference.
  let added: PackageData | undefined;
  const saved = await applyEdit(ctx, caller, consignment, 'cannot have a package added', async (c) => {
    if (c.data.packages.length >= MAX_PACKAGES) {
      throw validationFailed([{ Code: 'TooMany', Target: 'consignmentReference', Message: `Consignment ${c.reference} already has ${MAX_PACKAGES} packages, the most it may have` }]);
    }
    added ??= await readAddedPackage(ctx, caller.subscriptionId, req);
    return {
      data: { ...c.data, packages: [...c.data.packages, added] },
      event: { action: 'PackageAdded', message: `Package ${added.reference} added to consignment ${c.reference}` },
    };
  });
  return { consignment: saved, package: added! };
}

function packageNotFound(reference: string): AppError {
  return new AppError('PackageNotFound', `Package ${reference} not found`, [
    { Code: 'NotFound', Target: 'packageReference', Message: `No package ${reference} exists for this subscription` },
  ]);
}

/** DELETE /packages/{packageReference}: 404 PackageNotFound, 409 InvalidState, or 409 CannotDeleteLastPackage. */
export async function deletePackage(ctx: AppContext, caller: Caller, packageReference: string): Promise<void> {
  const reference = canonicalReference(packageReference);
  const consignment = await ctx.consignments.findByPackageReference(caller.subscriptionId, reference);
  if (!consignment) throw packageNotFound(reference);
  await applyEdit(ctx, caller, consignment, 'cannot have a package deleted', async (c) => {
    const remaining = c.data.packages.filter((p) => canonicalReference(p.reference) !== reference);
    // Deleted meanwhile by a concurrent request.
    if (remaining.length === c.data.packages.length) throw packageNotFound(reference);
    if (remaining.length === 0) {
      const message = `Package ${reference} is the only package of consignment ${c.reference}; a consignment needs at least one. Add another first, or cancel the consignment`;
      throw new AppError('CannotDeleteLastPackage', message, [{ Code: 'CannotDeleteLastPackage', Target: 'packageReference', Message: message }]);
    }
    const deleted = c.data.packages.find((p) => canonicalReference(p.reference) === reference)!;
    return {
      data: { ...c.data, packages: remaining },
      event: { action: 'PackageDeleted', message: `Package ${deleted.reference} deleted from consignment ${c.reference}` },
    };
  });
}
