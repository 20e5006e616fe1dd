/**
 * Many consignments' labels as one PDF (POST /labels/consignments, Switchyard): each consignment's
 * labels exactly as GET /labels/{ref} prints them (makeLabels), in request order, then joined page
 * after page on a render thread. Every consignment is judged before any label is made (unknown or
 * another subscription's, not in a print state); the first prints are recorded only once the file
 * exists, so a request that ends in an error has printed nothing.
 *
 * Two ways to end: `perItem` answers a result per consignment and a file of those that could be
 * printed (none: no file); `allOrNothing` (a client that asked for the bytes alone) is refused
 * unless every one can be printed, so that it never silently gets fewer labels than it asked for.
 */
import type { ErrorCode, ErrorDetail } from '../contract/errors.js';
import type { Consignment } from '../domain/consignment.js';
import type { LabelPageSize } from '../domain/documents/label.js';
import { MAX_JOINED_LABELS } from '../domain/limits.js';
import type { AppContext, Caller } from './app-context.js';
import { CarrierOutages } from './carrier-calls.js';
import { mapInOrder } from './concurrency.js';
import { AppError, validationFailed } from './errors.js';
import { cannotHaveDocuments } from './carrier-documents.js';
import { canPrintLabels, labelCountOf, makeLabels, recordFirstPrint } from './print-labels.js';

export interface ConsignmentsLabelsRequest {
  /** Canonical references, each once, in the order wanted. */
  references: string[];
  pageSize: LabelPageSize;
  mode: 'perItem' | 'allOrNothing';
}

export type ConsignmentLabelsOutcome =
  | { kind: 'printed'; reference: string; labelCount: number }
  | { kind: 'refused'; reference: string; code: ErrorCode; message: string };

export interface ConsignmentsLabels {
  /** The printed consignments' labels, one PDF in request order; null when none could be printed. */
  file: Uint8Array | null;
  outcomes: ConsignmentLabelsOutcome[];
}

type Judged = { kind: 'printable'; consignment: Consignment } | Extract<ConsignmentLabelsOutcome, { kind: 'refused' }>;
type Made = { kind: 'made'; consignment: Consignment; content: Uint8Array } | Extract<ConsignmentLabelsOutcome, { kind: 'refused' }>;

/** Consignments whose labels are asked of their carriers at once: enough to keep every render thread busy. */
const IN_FLIGHT = 8;

export async function printConsignmentsLabels(ctx: AppContext, caller: Caller, request: ConsignmentsLabelsRequest): Promise<ConsignmentsLabels> {
  const found = await ctx.consignments.findByReferences(caller.subscriptionId, request.references);
  const judged = request.references.map((reference) => judge(reference, found.get(reference)));
  checkLabelTotal(judged);
  if (request.mode === 'allOrNothing') refuseUnlessAll(judged);
  // One request: a carrier found down is not waited on again for its next consignment.
  const outages = new CarrierOutages();
  const made = await mapInOrder(judged, IN_FLIGHT, (j) => (j.kind === 'printable' ? make(ctx, j.consignment, request.pageSize, outages) : Promise.resolve(j)));
  if (request.mode === 'allOrNothing') refuseUnlessAll(made);
  const printed = made.filter((m) => m.kind === 'made');
  const file = printed.length === 0 ? null : await ctx.renderer.render({ kind: 'joinPdfs', files: printed.map((m) => m.content) });
  await mapInOrder(printed, IN_FLIGHT, (m) => recordFirstPrint(ctx, m.consignment));
  const outcomes = made.map((m): ConsignmentLabelsOutcome => (m.kind === 'made' ? { kind: 'printed', reference: m.consignment.reference, labelCount: labelCountOf(m.consignment) } : m));
  return { file, outcomes };
}

/** Whether the consignment has labels to print, judged from what is stored (its carrier is asked later). */
function judge(reference: string, consignment: Consignment | undefined): Judged {
  // Another subscription's consignment is as absent as an unknown one, in the words GET /labels/{ref} uses.
  if (!consignment) return { kind: 'refused', reference, code: 'ConsignmentNotFound', message: `Consignment ${reference} not found` };
  if (!canPrintLabels(consignment)) return refusal(reference, cannotHaveDocuments(consignment, 'labels'));
  return { kind: 'printable', consignment };
}

async function make(ctx: AppContext, consignment: Consignment, pageSize: LabelPageSize, outages: CarrierOutages): Promise<Made> {
  try {
    const file = await makeLabels(ctx, consignment, { packageReference: null, format: 'PDF', pageSize }, outages);
    return { kind: 'made', consignment, content: file.content };
  } catch (e) {
    // An expected refusal (a carrier down, or gone from the catalogue) is this consignment's result; anything else is a fault.
    if (e instanceof AppError) return refusal(consignment.reference, e);
    throw e;
  }
}

function refusal(reference: string, error: AppError): Extract<ConsignmentLabelsOutcome, { kind: 'refused' }> {
  return { kind: 'refused', reference, code: error.code, message: error.message };
}

/** One file holds at most MAX_JOINED_LABELS labels: a larger selection is refused before anything is made. */
function checkLabelTotal(judged: Judged[]): void {
  const total = judged.reduce((n, j) => n + (j.kind === 'printable' ? labelCountOf(j.consignment) : 0), 0);
  if (total <= MAX_JOINED_LABELS) return;
  const message = `The consignments have ${total} labels in all; at most ${MAX_JOINED_LABELS} can be printed in one request: ask for fewer consignments at a time`;
  throw validationFailed([{ Code: 'TooMany', Target: 'ConsignmentReferences', Message: message }]);
}

/**
 * Refuses the whole request when any consignment cannot be printed, as the list endpoints do
 * (decisions.md §11): unknown consignments first (404 ConsignmentNotFound), otherwise the first
 * refusal's own error (409 InvalidState, 503 CarrierUnavailable, …); Details name every one.
 */
function refuseUnlessAll(items: (Judged | Made)[]): void {
  const refused = items.filter((i) => i.kind === 'refused');
  if (refused.length === 0) return;
  const first = refused.find((r) => r.code === 'ConsignmentNotFound') ?? refused[0];
  const details: ErrorDetail[] = refused.slice(0, 50).map((r) => ({ Code: r.code, Target: r.reference, Message: r.message }));
  const message = `${refused.length} of the ${items.length} consignments cannot have their labels printed, so none were: ${first.message}`;
  throw new AppError(first.code, message, details);
}
