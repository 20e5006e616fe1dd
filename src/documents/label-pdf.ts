/**
 * Labels as a PDF: one 4 × 6 in page per label, or four labels to an A4 page (the SDK's PageSize
 * A4), each drawn from the label layout in vectors: text in the embedded DejaVu font (subset),
 * the Code 128 as bars and the DataMatrix as modules, both rectangles, never images.
 */
import type { LabelPageSize, LabelView } from '../domain/documents/label.js';
import { code128, code128Bars, dataMatrix, dataMatrixRuns } from './barcodes.js';
import { LABEL_DPI, LABEL_HEIGHT_DOTS, LABEL_WIDTH_DOTS, layoutLabel, type LabelElement } from './label-layout.js';
import { A4, LABEL_4X6, renderPdf, type Pdf } from './pdf-document.js';

/** PDF points per printer dot. */
const POINTS_PER_DOT = 72 / LABEL_DPI;

/**
 * Bold text is the regular font filled and stroked: a second embedded subset (the bold font) costs
 * about 40 % more time per label, and labels are printed by the thousand.
 */
const BOLD_STROKE = 0.035;

function drawElement(pdf: Pdf, el: LabelElement): void {
  switch (el.kind) {
    case 'text':
      pdf.fontSize(el.size);
      if (el.bold) pdf.lineWidth(el.size * BOLD_STROKE);
      pdf.text(el.text, el.x, el.y, { lineBreak: false, fill: true, stroke: el.bold });
      return;
    case 'box':
      pdf.rect(el.x, el.y, el.width, el.height).fill();
      return;
    case 'code128':
      for (const [offset, width] of code128Bars(code128(el.content))) pdf.rect(el.x + offset * el.moduleWidth, el.y, width * el.moduleWidth, el.height);
      pdf.fill();
      return;
    case 'dataMatrix': {
      const m = el.moduleSize;
      for (const [column, row, length] of dataMatrixRuns(dataMatrix(el.content))) pdf.rect(el.x + column * m, el.y + row * m, length * m, m);
      pdf.fill();
      return;
    }
  }
}

/** One label in the current page at (x, y) points, `scale` times its natural size. */
function drawLabel(pdf: Pdf, label: LabelView, x: number, y: number, scale: number): void {
  pdf.save();
  pdf.translate(x, y).scale(POINTS_PER_DOT * scale);
  pdf.fillColor('black').strokeColor('black');
  for (const el of layoutLabel(label)) drawElement(pdf, el);
  pdf.restore();
}

/** The labels' PDF, dated `date` (the consignment's collection day), so that a reprint is byte for byte the same. */
export function labelsPdf(labels: LabelView[], pageSize: LabelPageSize, date: Date): Promise<Buffer> {
  const size = pageSize === 'A4' ? A4 : LABEL_4X6;
  return renderPdf({ size, title: `Labels ${labels[0]?.consignmentReference ?? ''}`.trim(), date }, (pdf) => {
    pdf.font('regular');
    if (pageSize === 'A6') {
      labels.forEach((label, i) => {
        if (i > 0) pdf.addPage({ size, margin: 0 });
        drawLabel(pdf, label, 0, 0, 1);
      });
      return;
    }
    // Four to a page, two by two, each shrunk just enough to fit its quarter of the sheet.
    const [pageWidth, pageHeight] = A4;
    const labelWidth = LABEL_WIDTH_DOTS * POINTS_PER_DOT;
    const labelHeight = LABEL_HEIGHT_DOTS * POINTS_PER_DOT;
    const scale = Math.min(1, pageWidth / 2 / labelWidth, pageHeight / 2 / labelHeight);
    const cellWidth = pageWidth / 2;
    const cellHeight = pageHeight / 2;
    labels.forEach((label, i) => {
      if (i > 0 && i % 4 === 0) pdf.addPage({ size, margin: 0 });
      const column = i % 2;
      const row = Math.floor((i % 4) / 2);
      const x = column * cellWidth + (cellWidth - labelWidth * scale) / 2;
      const y = row * cellHeight + (cellHeight - labelHeight * scale) / 2;
      drawLabel(pdf, label, x, y, scale);
    });
  });
}
