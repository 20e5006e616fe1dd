/**
 * POST /consignments/bulk: many create requests at once, each decided exactly as POST /consignments
 * decides one (`decideCreate`), the valid ones stored whatever becomes of the others. They are
 * stored a slice at a time, each slice one transaction of multi-row inserts with its references
 * taken from the same sequences in one step, so that a 10,000-item request costs a few dozen
 * statements rather than 40,000. Named shipping locations and package sizes are looked up once per
 * request.
 */
import { utcTimestamp } from '../domain/dates.js';
import type { ConsignmentData } from '../domain/consignment.js';
import { formatReference } from '../domain/references.js';
import type { CreateConsignmentRequest } from '../contract/consignments.js';
import type { AppContext, Caller } from './app-context.js';
import { decideCreate } from './create-consignment.js';
import { validationFailed, type ErrorCode, type ErrorDetail } from './errors.js';
import { cachedLookups } from './input/reference-lookups.js';

/** Consignments stored per transaction: long enough to amortise the commit, short enough to keep locks and memory small. */
export const BULK_CREATE_SLICE = 500;

/** An item as the edge read it: a create request, or the schema problems it already has. */
export type BulkCreateItem = { kind: 'request'; request: CreateConsignmentRequest } | { kind: 'unreadable'; problems: ErrorDetail[] };

export type BulkCreateOutcome =
  | { kind: 'created'; reference: string; packageReferences: string[] }
  | { kind: 'refused'; code: ErrorCode; message: string; details: ErrorDetail[] };

/** The answer of a valid item that was not stored because a slice could not be written (the database failed). */
const NOT_STORED: BulkCreateOutcome = {
  kind: 'refused',
  code: 'InternalError',
  message: 'Not stored: the consignments could not be written; nothing of this one was stored, so send it again',
  details: [],
};

/**
 * `items` is read one at a time as it is decided, so that a caller can hand them over as it reads
 * them. When a slice cannot be written (the database fails), nothing more is stored: if an earlier
 * slice had committed, the answer still names what was stored, each valid item not stored answered
 * 500 on its own; if none had, the failure is the request's (a 500, nothing stored).
 */
export async function bulkCreateConsignments(ctx: AppContext, caller: Caller, items: Iterable<BulkCreateItem>): Promise<BulkCreateOutcome[]> {
  const lookups = cachedLookups(ctx, caller.subscriptionId);
  const outcomes: BulkCreateOutcome[] = [];
  let slice: { index: number; data: ConsignmentData }[] = [];
  let committed = 0;
  let failure: { error: unknown } | null = null;
  const notStored = (unstored: typeof slice) => unstored.forEach(({ index }) => (outcomes[index] = NOT_STORED));
  // The next slice is decided while the last one is written (on PostgreSQL, by another process);
  // never more than one in flight, so slices commit in order and memory stays bounded.
  let writing: Promise<void> = Promise.resolve();
  const store = async (full: typeof slice) => {
    await writing;
    if (failure) return notStored(full);
    writing = storeSlice(ctx, caller.subscriptionId, full, outcomes).then(
      () => void (committed += full.length),
      (error: unknown) => {
        failure = { error };
        notStored(full);
      },
    );
  };
  for (const item of items) {
    const decision = item.kind === 'unreadable' ? { kind: 'invalid' as const, error: validationFailed(item.problems) } : await decideCreate(ctx, caller.subscriptionId, item.request, lookups);
    if (decision.kind === 'invalid') {
      outcomes.push({ kind: 'refused', code: decision.error.code, message: decision.error.message, details: decision.error.details });
      continue;
    }
    slice.push({ index: outcomes.length, data: decision.data });
    // A placeholder until its slice is stored; only committed consignments are answered as created.
    outcomes.push({ kind: 'created', reference: '', packageReferences: [] });
    if (slice.length === BULK_CREATE_SLICE) {
      await store(slice);
      slice = [];
    }
  }
  if (slice.length) await store(slice);
  await writing;
  // Set by the writes' callbacks, which the compiler's narrowing does not see.
  const failed = failure as { error: unknown } | null;
  if (failed) {
    const { error } = failed;
    if (committed === 0) throw error;
    ctx.logger.error({ err: error, stored: committed }, 'bulk create: a slice could not be stored; the rest of the request was not stored');
  }
  return outcomes;
}

async function storeSlice(ctx: AppContext, subscriptionId: number, slice: { index: number; data: ConsignmentData }[], outcomes: BulkCreateOutcome[]): Promise<void> {
  const numbers = await ctx.sequences.next('EC', slice.length);
  const consignments = slice.map(({ data }, i) => ({ reference: formatReference('EC', numbers[i]), data }));
  await ctx.consignments.insertMany(subscriptionId, consignments, utcTimestamp(ctx.clock.now()));
  slice.forEach(({ index, data }, i) => {
    outcomes[index] = { kind: 'created', reference: consignments[i].reference, packageReferences: data.packages.map((p) => p.reference) };
  });
}
