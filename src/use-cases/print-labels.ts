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
  if (!canPerform('printLabels', consignment.state) || !consignment.allocation) throw cannotHaveDocuments(consignment, 'labels');
  const packages = request.packageReference === null ? consignment.data.packages.map((p) => p.reference) : [packageOf(consignment, request.packageReference)];
  const files: Uint8Array[] = [];
  for (const leg of consignment.allocation.legs) {
    const [document] = await legDocuments(ctx, consignment, leg, { kind: 'labels', packageReferences: packages, format: request.format, pageSize: request.pageSize });
    files.push(document.content);
  }
  // Loaded at the first join: it brings a native canvas (for PNG) and a PDF joiner.
  const { joinLabelFiles } = await import('../documents/label-files.js');
  const content = await joinLabelFiles(request.format, files);
  if (consignment.labelsFirstPrintedAt === null && request.recordsPrint !== false) await recordFirstPrint(ctx, consignment);
  return { format: request.format, contentType: LABEL_CONTENT_TYPES[request.format], content };
}

/** Once: a concurrent first print, or a change of the consignment meanwhile, leaves the one recorded (or none, for labels no longer its own). */
async function recordFirstPrint(ctx: AppContext, consignment: Consignment): Promise<void> {
  const at = utcTimestamp(ctx.clock.now());
  await ctx.consignments.markLabelsPrinted(consignment, allowedStates('printLabels'), at, {
    action: 'LabelsPrinted',
    message: `Labels of consignment ${consignment.reference} printed for the first time`,
  });
}
