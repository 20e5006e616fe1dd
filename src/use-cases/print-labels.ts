/**
 * Printing a consignment's labels (decisions.md §9): one label per package on each leg, made by
 * each leg's carrier through its connector and joined into one file in leg and package order.
 * The first successful print is recorded once (LabelsPrinted, DateLabelsWereFirstPrinted); a
 * reprint is the same file, since every label is made from stored data only.
 */
import type { LabelFormat, LabelPageSize } from '../domain/documents/label.js';
import { LABEL_CONTENT_TYPES } from '../domain/documents/label.js';
import { utcTimestamp } from '../domain/dates.js';
import type { Consignment } from '../domain/consignment.js';
import { allowedStates, canPerform } from '../domain/states.js';
import type { AppContext, Caller } from './app-context.js';
import { CarrierOutages } from './carrier-calls.js';
import { cannotHaveDocuments, legDocuments, packageOf } from './carrier-documents.js';
import { getConsignment } from './get-consignment.js';

export interface LabelsRequest {
  consignmentReference: string;
  /** One package's labels, or null for the whole consignment's. */
  packageReference: string | null;
  format: LabelFormat;
  pageSize: LabelPageSize;
  /** False for a look that is not a print (HTTP HEAD): the labels are made, LabelsPrinted is left as it is. */
  recordsPrint?: boolean;
}

export interface LabelsFile {
  format: LabelFormat;
  contentType: string;
  content: Uint8Array;
}

export async function printLabels(ctx: AppContext, caller: Caller, request: LabelsRequest): Promise<LabelsFile> {
  const consignment = await getConsignment(ctx, caller, request.consignmentReference);
  const file = await makeLabels(ctx, consignment, request);
  if (request.recordsPrint !== false) await recordFirstPrint(ctx, consignment);
  return file;
}

/**
 * A consignment's labels, made and joined but not yet recorded as printed: what GET /labels/{ref}
 * and POST /labels/consignments both print. 409 InvalidState outside the print states; a carrier
 * that cannot make them, 503 CarrierUnavailable. `outages`: carriers a batch already found down.
 */
export async function makeLabels(
  ctx: AppContext,
  consignment: Consignment,
  request: Pick<LabelsRequest, 'packageReference' | 'format' | 'pageSize'>,
  outages = new CarrierOutages(),
): Promise<LabelsFile> {
  if (!canPrintLabels(consignment)) throw cannotHaveDocuments(consignment, 'labels');
  const packages = request.packageReference === null ? consignment.data.packages.map((p) => p.reference) : [packageOf(consignment, request.packageReference)];
  const files: Uint8Array[] = [];
  for (const leg of consignment.allocation!.legs) {
    const [document] = await legDocuments(ctx, consignment, leg, { kind: 'labels', packageReferences: packages, format: request.format, pageSize: request.pageSize }, outages);
    files.push(document.content);
  }
  // Loaded at the first join: it brings a native canvas (for PNG) and a PDF joiner.
  const { joinLabelFiles } = await import('../documents/label-files.js');
  const content = await joinLabelFiles(request.format, files);
  return { format: request.format, contentType: LABEL_CONTENT_TYPES[request.format], content };
}

/** Whether the consignment has labels to print: allocated, in a "Print labels" state (states.md §3.2). */
export function canPrintLabels(consignment: Consignment): boolean {
  return canPerform('printLabels', consignment.state) && consignment.allocation !== null;
}

/** The labels a consignment's whole print holds: one per package on each leg. */
export function labelCountOf(consignment: Consignment): number {
  return consignment.data.packages.length * (consignment.allocation?.legs.length ?? 0);
}

/**
 * The first print, once: nothing when one is recorded; a concurrent first print, or a change of
 * the consignment meanwhile, leaves the one recorded (or none, for labels no longer its own).
 */
export async function recordFirstPrint(ctx: AppContext, consignment: Consignment): Promise<void> {
  if (consignment.labelsFirstPrintedAt !== null) return;
  const at = utcTimestamp(ctx.clock.now());
  await ctx.consignments.markLabelsPrinted(consignment, allowedStates('printLabels'), at, {
    action: 'LabelsPrinted',
    message: `Labels of consignment ${consignment.reference} printed for the first time`,
  });
}
