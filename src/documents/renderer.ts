/**
 * Rendering a document from its view: what a carrier that draws its own labels (the simulated
 * one) hands its work to. In the caller's thread (`inThreadRenderer`), or on worker threads
 * (render-threads.ts), so that a process uses every core while one thread serves HTTP. Each
 * format's renderer is loaded at its first document: PDF and PNG bring pdfkit and a native canvas
 * (60 MB of memory between them), which a process whose threads render need never load itself.
 */
import type { CustomsDocumentView } from '../domain/documents/customs-forms.js';
import type { LabelFormat, LabelPageSize, LabelView } from '../domain/documents/label.js';

/**
 * Plain data, so that it crosses to a worker thread as it is. `joinPdfs` joins finished PDFs page
 * after page (pdf-join.ts): many consignments' labels in one file, a job of a tenth of a second for
 * 500 of them that would otherwise hold the HTTP thread.
 */
export type RenderJob =
  | { kind: 'labels'; format: LabelFormat; pageSize: LabelPageSize; labels: LabelView[] }
  | { kind: 'customs'; document: CustomsDocumentView }
  | { kind: 'joinPdfs'; files: Uint8Array[] };

export interface DocumentRenderer {
  render(job: RenderJob): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A label PDF is dated by its collection day: stored data, so that a reprint is the same file. */
function labelsDate(labels: LabelView[]): Date {
  const date = new Date(`${labels[0]?.collectionDay ?? ''}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? new Date(0) : date;
}

export async function renderJob(job: RenderJob): Promise<Uint8Array> {
  if (job.kind === 'customs') return (await import('./customs-pdf.js')).customsDocumentPdf(job.document);
  if (job.kind === 'joinPdfs') return (await import('./pdf-join.js')).joinPdfs(job.files);
  switch (job.format) {
    case 'PDF':
      return (await import('./label-pdf.js')).labelsPdf(job.labels, job.pageSize, labelsDate(job.labels));
    case 'PNG':
      return (await import('./label-png.js')).labelsPng(job.labels);
    case 'ZPL':
      return (await import('./label-zpl.js')).labelsZpl(job.labels);
  }
}

export const inThreadRenderer: DocumentRenderer = { render: renderJob, close: async () => undefined };
