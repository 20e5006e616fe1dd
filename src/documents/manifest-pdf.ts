/**
 * A manifest's file as an A4 PDF: the header (carrier, location, collection date), one line per
 * package of every consignment with its tracking reference, weight and destination (withdrawn
 * consignments struck through and marked), the totals, and a box for the driver's and the
 * shipper's signatures. What it says is the domain's (ManifestDocument); this decides only how it
 * looks. Rows have one fixed height, so pages are planned before drawing and each says "page n of N".
 */
import type { ManifestDocument, ManifestDocumentLine } from '../domain/manifest.js';
import { A4, renderPdf, type Pdf } from './pdf-document.js';

const MARGIN = 36;
const WIDTH = A4[0] - 2 * MARGIN;
const BOTTOM = A4[1] - MARGIN - 18;
const ROW = 11;
const TEXT = 7;
const HEADER_HEIGHT = 118;
const TABLE_TOP_NEXT = MARGIN + 30;
const CLOSING_HEIGHT = 170;

const COLUMNS: { title: string; width: number; cell: (l: ManifestDocumentLine) => string }[] = [
  // At 7 pt the widest references of every kind fit whole (an EC reference in capitals, a 20-character tracking number).
  { title: 'Consignment', width: 80, cell: (l) => l.consignmentReference },
  { title: 'Package', width: 112, cell: (l) => `${l.packageReference} (${l.packageNumber})` },
  { title: 'Tracking reference', width: 98, cell: (l) => l.trackingReference },
  { title: 'Weight', width: 46, cell: (l) => `${formatKg(l.weightKg)} kg` },
  { title: 'Destination', width: 187, cell: (l) => (l.withdrawn ? `${l.withdrawn.toUpperCase()} · ${l.destination}` : l.destination) },
];

/** One formatter for every weight: toLocaleString builds one per call, a third of a 1,000-line manifest's time. */
const KG = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 3 });

function formatKg(kg: number): string {
  return KG.format(kg);
}

/** The text cut to fit `width` at the current font and size, with an ellipsis when cut. */
function fitted(pdf: Pdf, text: string, width: number): string {
  if (pdf.widthOfString(text) <= width) return text;
  let end = text.length;
  while (end > 0 && pdf.widthOfString(`${text.slice(0, end)}…`) > width) end--;
  return `${text.slice(0, end)}…`;
}

interface PagePlan {
  /** Index of the first line on each page. */
  starts: number[];
  /** Whether the totals and signatures need a page of their own after the last line. */
  closingPageOfItsOwn: boolean;
}

function planPages(lineCount: number): PagePlan {
  const first = Math.floor((BOTTOM - (MARGIN + HEADER_HEIGHT + ROW)) / ROW);
  const next = Math.floor((BOTTOM - (TABLE_TOP_NEXT + ROW)) / ROW);
  const starts = [0];
  let capacity = first;
  let placed = 0;
  while (lineCount - placed > capacity) {
    placed += capacity;
    starts.push(placed);
    capacity = next;
  }
  const onLast = lineCount - placed;
  const lastTop = starts.length === 1 ? MARGIN + HEADER_HEIGHT : TABLE_TOP_NEXT;
  const closingPageOfItsOwn = lastTop + ROW * (onLast + 1) + CLOSING_HEIGHT > BOTTOM;
  return { starts, closingPageOfItsOwn };
}

function header(pdf: Pdf, doc: ManifestDocument): void {
  pdf.font('bold').fontSize(16).text('Collection manifest', MARGIN, MARGIN, { lineBreak: false });
  const rows: [string, string][] = [
    ['Carrier', doc.carrier],
    ['Shipping location', doc.location],
    ['Collection date', doc.collectionDay],
    ['Manifest reference', doc.reference],
    ['Carrier’s reference', doc.carrierManifestReference ?? '—'],
    ['Created', doc.created],
  ];
  rows.forEach(([label, value], i) => {
    const y = MARGIN + 26 + i * 13;
    pdf.font('bold').fontSize(9).text(label, MARGIN, y, { lineBreak: false });
    pdf.font('regular').fontSize(9).text(fitted(pdf, value, WIDTH - 110), MARGIN + 110, y, { lineBreak: false });
  });
}

function tableHeader(pdf: Pdf, y: number): void {
  pdf.font('bold').fontSize(TEXT);
  let x = MARGIN;
  for (const c of COLUMNS) {
    pdf.text(c.title, x, y, { lineBreak: false });
    x += c.width;
  }
  pdf.moveTo(MARGIN, y + ROW - 2).lineTo(MARGIN + WIDTH, y + ROW - 2).lineWidth(0.5).stroke();
  pdf.font('regular');
}

function row(pdf: Pdf, line: ManifestDocumentLine, y: number): void {
  pdf.fillColor(line.withdrawn ? '#777777' : '#000000');
  let x = MARGIN;
  for (const c of COLUMNS) {
    pdf.text(fitted(pdf, c.cell(line), c.width - 4), x, y, { lineBreak: false });
    x += c.width;
  }
  if (line.withdrawn) pdf.moveTo(MARGIN, y + 4).lineTo(MARGIN + COLUMNS[0].width + COLUMNS[1].width + COLUMNS[2].width + COLUMNS[3].width - 4, y + 4).lineWidth(0.5).strokeColor('#777777').stroke().strokeColor('#000000');
  pdf.fillColor('#000000');
}

function closing(pdf: Pdf, doc: ManifestDocument, top: number): void {
  const t = doc.totals;
  pdf.font('bold').fontSize(10).text(`Totals: ${t.consignments} consignment(s), ${t.packages} package(s), ${formatKg(t.weightKg)} kg`, MARGIN, top, { lineBreak: false });
  let y = top + 14;
  if (doc.withdrawn.consignments > 0) {
    const w = doc.withdrawn;
    pdf.font('regular').fontSize(9).text(`Withdrawn: ${w.consignments} consignment(s), ${w.packages} package(s), not to be collected`, MARGIN, y, { lineBreak: false });
  }
  y += 20;
  const box = { x: MARGIN, y, width: WIDTH, height: 120 };
  pdf.lineWidth(0.8).rect(box.x, box.y, box.width, box.height).stroke();
  pdf.moveTo(box.x + box.width / 2, box.y).lineTo(box.x + box.width / 2, box.y + box.height).stroke();
  for (const [i, title] of ['Collected by (carrier)', 'Handed over by (shipper)'].entries()) {
    const x = box.x + i * (box.width / 2) + 8;
    pdf.font('bold').fontSize(9).text(title, x, box.y + 8, { lineBreak: false });
    for (const [k, field] of ['Name', 'Signature', 'Date and time'].entries()) {
      const fy = box.y + 38 + k * 27;
      pdf.font('regular').fontSize(8).text(field, x, fy, { lineBreak: false });
      pdf.moveTo(x + 62, fy + 9).lineTo(x + box.width / 2 - 16, fy + 9).lineWidth(0.4).stroke();
    }
  }
}

function footer(pdf: Pdf, doc: ManifestDocument, page: number, pages: number): void {
  pdf.font('regular').fontSize(7).fillColor('#000000').text(`Manifest ${doc.reference} · page ${page} of ${pages}`, MARGIN, A4[1] - MARGIN - 8, { lineBreak: false });
}

export function renderManifestPdf(doc: ManifestDocument): Promise<Buffer> {
  return renderPdf({ size: A4, title: doc.title, date: doc.date }, (pdf) => {
    const plan = planPages(doc.lines.length);
    const pages = plan.starts.length + (plan.closingPageOfItsOwn ? 1 : 0);
    let y = 0;
    plan.starts.forEach((start, p) => {
      if (p > 0) pdf.addPage({ size: A4, margin: 0 });
      if (p === 0) header(pdf, doc);
      y = p === 0 ? MARGIN + HEADER_HEIGHT : TABLE_TOP_NEXT;
      tableHeader(pdf, y);
      y += ROW;
      pdf.fontSize(TEXT);
      const end = plan.starts[p + 1] ?? doc.lines.length;
      for (let i = start; i < end; i++, y += ROW) row(pdf, doc.lines[i], y);
      footer(pdf, doc, p + 1, pages);
    });
    if (plan.closingPageOfItsOwn) {
      pdf.addPage({ size: A4, margin: 0 });
      y = TABLE_TOP_NEXT;
      footer(pdf, doc, pages, pages);
    }
    closing(pdf, doc, y + 10);
  });
}
