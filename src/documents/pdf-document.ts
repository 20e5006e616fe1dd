/**
 * Making PDFs with pdfkit: the embedded fonts registered by name (subset to the characters used),
 * and every date the file records fixed to the document's own date, so that the same document
 * gives the same bytes every time (a reprint is identical).
 */
import PDFDocument from 'pdfkit';
import { outlineFont } from './fonts.js';

export type Pdf = InstanceType<typeof PDFDocument>;

export interface PdfOptions {
  /** Page size in PDF points (1/72 in): [width, height]. */
  size: [number, number];
  margin?: number;
  title: string;
  /** What the document is dated: written as its creation date, so that it does not change on a reprint. */
  date: Date;
}

/** Points per millimetre. */
export const MM = 72 / 25.4;
export const A4: [number, number] = [210 * MM, 297 * MM];
export const LABEL_4X6: [number, number] = [4 * 72, 6 * 72];

/** Draws with `draw` into a new document and answers its bytes; `draw` adds any pages after the first. */
export async function renderPdf(options: PdfOptions, draw: (pdf: Pdf) => void): Promise<Buffer> {
  const pdf = new PDFDocument({
    size: options.size,
    margin: options.margin ?? 0,
    autoFirstPage: true,
    // No default font: pdfkit would otherwise load Helvetica's metrics into every document.
    font: null as unknown as string,
    info: { Title: options.title, Producer: 'Switchyard', Creator: 'Switchyard', CreationDate: options.date, ModDate: options.date },
  });
  // The parsed fonts (fonts.ts), which pdfkit accepts in place of a file's bytes.
  pdf.registerFont('regular', outlineFont('regular') as unknown as Buffer);
  pdf.registerFont('bold', outlineFont('bold') as unknown as Buffer);
  pdf.font('regular');
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  draw(pdf);
  pdf.end();
  return done;
}
