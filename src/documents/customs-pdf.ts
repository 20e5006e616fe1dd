/**
 * Customs documents as PDFs: the commercial invoice and the CN23 on A4, the CN22 on a 4 × 6 in
 * page to stick on the parcel beside its label. Each shows the fields of its UPU form from the
 * customs view (src/domain/documents/customs-forms.ts), in the embedded DejaVu fonts; a list of
 * goods longer than a page continues on the next, under its column headings again.
 */
import type { AddressLines } from '../domain/documents/address-lines.js';
import type { CustomsDocumentView, CustomsLineView, Reference } from '../domain/documents/customs-forms.js';
import { A4, LABEL_4X6, renderPdf, type Pdf } from './pdf-document.js';

/** The UPU's declaration, as the CN22 and CN23 print it. */
const DECLARATION =
  'I, the undersigned, whose name and address are given on the item, certify that the particulars given in this declaration are correct and that this item does not contain any dangerous article or articles prohibited by legislation or by postal or customs regulations.';
const INVOICE_DECLARATION = 'I declare that the information on this invoice is true and correct, and that the contents of this shipment are as stated above.';

/** The categories of item the forms offer, as customs-forms.ts names them. */
const CATEGORIES = ['Gift', 'Commercial sample', 'Documents', 'Returned goods', 'Sale of goods', 'Other'];

interface Page {
  width: number;
  height: number;
  margin: number;
  /** The size of body text. */
  text: number;
}

interface Column {
  title: string;
  width: number;
  value: (line: CustomsLineView) => string;
  align?: 'left' | 'right';
}

class FormWriter {
  y: number;

  constructor(
    private readonly pdf: Pdf,
    private readonly page: Page,
  ) {
    this.y = page.margin;
  }

  get width(): number {
    return this.page.width - 2 * this.page.margin;
  }

  /** Starts a new page when less than `needed` points are left on this one. */
  room(needed: number): void {
    if (this.y + needed <= this.page.height - this.page.margin) return;
    this.pdf.addPage({ size: [this.page.width, this.page.height], margin: 0 });
    this.y = this.page.margin;
  }

  /** Text wrapped to a width at (x, y); answers its height. */
  text(text: string, x: number, y: number, width: number, size = this.page.text, bold = false, align: 'left' | 'right' = 'left'): number {
    this.pdf.font(bold ? 'bold' : 'regular').fontSize(size);
    this.pdf.text(text, x, y, { width, align, lineGap: 1 });
    return this.pdf.heightOfString(text, { width, lineGap: 1 });
  }

  title(title: string, subtitle: string | null): void {
    const m = this.page.margin;
    this.y += this.text(title.toUpperCase(), m, this.y, this.width, this.page.text * 2, true);
    if (subtitle) this.y += this.text(subtitle, m, this.y, this.width, this.page.text);
    this.y += 6;
  }

  /** Pairs of label and value, two to a row. */
  facts(pairs: Reference[]): void {
    const m = this.page.margin;
    const half = this.width / 2;
    for (let i = 0; i < pairs.length; i += 2) {
      this.room(this.page.text * 2.5);
      const heights = pairs.slice(i, i + 2).map((p, j) => this.labelled(p, m + j * half, this.y, half - 8));
      this.y += Math.max(...heights) + 2;
    }
  }

  private labelled(pair: Reference, x: number, y: number, width: number): number {
    const h = this.text(pair.label, x, y, width, this.page.text * 0.8, true);
    return h + this.text(pair.value, x, y + h, width);
  }

  /** Boxes side by side, each a caption over lines; as tall as the tallest. */
  boxes(boxes: { caption: string; lines: string[] }[]): void {
    const m = this.page.margin;
    const gap = 8;
    const width = (this.width - gap * (boxes.length - 1)) / boxes.length;
    const measure = (b: { caption: string; lines: string[] }) => {
      this.pdf.font('regular').fontSize(this.page.text);
      return this.page.text * 1.4 + b.lines.reduce((h, l) => h + this.pdf.heightOfString(l, { width: width - 8, lineGap: 1 }), 0) + 6;
    };
    const height = Math.max(...boxes.map(measure));
    this.room(height + 4);
    boxes.forEach((b, i) => {
      const x = m + i * (width + gap);
      this.pdf.lineWidth(0.6).rect(x, this.y, width, height).stroke();
      let y = this.y + 3;
      y += this.text(b.caption, x + 4, y, width - 8, this.page.text * 0.8, true);
      for (const line of b.lines) y += this.text(line, x + 4, y, width - 8);
    });
    this.y += height + 6;
  }

  categories(selected: string, explanation: string | null): void {
    this.room(this.page.text * 4);
    const m = this.page.margin;
    this.y += this.text('Category of item', m, this.y, this.width, this.page.text * 0.8, true) + 2;
    const perRow = this.page.width > 400 ? 6 : 3;
    const cell = this.width / perRow;
    const known = CATEGORIES.includes(selected) ? selected : 'Other';
    CATEGORIES.forEach((category, i) => {
      const x = m + (i % perRow) * cell;
      const y = this.y + Math.floor(i / perRow) * (this.page.text * 1.6);
      const s = this.page.text;
      this.pdf.lineWidth(0.6).rect(x, y, s, s).stroke();
      if (category === known) this.pdf.moveTo(x, y).lineTo(x + s, y + s).moveTo(x + s, y).lineTo(x, y + s).stroke();
      this.text(category, x + s + 3, y, cell - s - 4);
    });
    this.y += Math.ceil(CATEGORIES.length / perRow) * (this.page.text * 1.6) + 2;
    const note = [selected !== known ? selected : null, explanation].filter(Boolean).join(': ');
    if (note) this.y += this.text(`Explanation: ${note}`, m, this.y, this.width) + 2;
    this.y += 4;
  }

  /** The goods, with their column headings again on every page they run on to, then the totals. */
  table(columns: Column[], lines: CustomsLineView[], totals: string[]): void {
    const m = this.page.margin;
    const scale = this.width / columns.reduce((w, c) => w + c.width, 0);
    const widths = columns.map((c) => c.width * scale);
    const xs = widths.map((_, i) => m + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const row = (cells: string[], bold: boolean) => {
      this.pdf.font(bold ? 'bold' : 'regular').fontSize(this.page.text);
      const height = Math.max(...cells.map((c, i) => this.pdf.heightOfString(c || ' ', { width: widths[i] - 4, lineGap: 1 }))) + 4;
      return {
        height,
        draw: () => {
          cells.forEach((c, i) => this.text(c, xs[i] + 2, this.y + 2, widths[i] - 4, this.page.text, bold, columns[i].align ?? 'left'));
          this.pdf.lineWidth(0.4).moveTo(m, this.y + height).lineTo(m + this.width, this.y + height).stroke();
          this.y += height;
        },
      };
    };
    const heading = () => row(columns.map((c) => c.title), true);
    this.room(heading().height * 2);
    heading().draw();
    for (const line of lines) {
      const r = row(columns.map((c) => c.value(line)), false);
      if (this.y + r.height > this.page.height - this.page.margin) {
        this.room(Number.POSITIVE_INFINITY);
        heading().draw();
      }
      r.draw();
    }
    const total = row(totals, true);
    this.room(total.height);
    total.draw();
    this.y += 6;
  }

  paragraph(text: string, bold = false): void {
    this.room(this.page.text * 3);
    this.y += this.text(text, this.page.margin, this.y, this.width, this.page.text, bold) + 4;
  }

  signature(person: string | null, date: string): void {
    this.room(this.page.text * 5);
    const m = this.page.margin;
    const half = this.width / 2;
    this.y += this.page.text * 2;
    this.pdf.lineWidth(0.6).moveTo(m, this.y).lineTo(m + half - 12, this.y).stroke();
    this.pdf.moveTo(m + half, this.y).lineTo(m + this.width, this.y).stroke();
    this.text(`Signature${person ? ` (${person})` : ''}`, m, this.y + 2, half - 12, this.page.text * 0.8);
    this.text(`Date ${date}`, m + half, this.y + 2, half, this.page.text * 0.8);
    this.y += this.page.text * 2;
  }
}

function addressBlock(a: AddressLines): string[] {
  return [...a.lines, [a.postcode, a.country].filter(Boolean).join(' '), ...(a.telephone ? [`Tel ${a.telephone}`] : [])];
}

function withReferences(a: AddressLines, references: Reference[]): string[] {
  return [...addressBlock(a), ...references.map((r) => `${r.label}: ${r.value}`)];
}

const GOODS: Column[] = [
  { title: 'Detailed description of contents', width: 34, value: (l) => l.description },
  { title: 'Quantity', width: 9, value: (l) => l.quantity, align: 'right' },
  { title: 'Net weight', width: 12, value: (l) => l.netWeight, align: 'right' },
  { title: 'Value', width: 14, value: (l) => l.value, align: 'right' },
  { title: 'HS tariff number', width: 14, value: (l) => l.hsCode },
  { title: 'Country of origin', width: 11, value: (l) => l.origin },
];

/** The A4 forms: the commercial invoice and the CN23. */
function drawA4(w: FormWriter, v: CustomsDocumentView): void {
  const invoice = v.kind === 'CommercialInvoice';
  w.title(v.title, invoice ? null : 'May be opened officially');
  w.facts([
    { label: invoice ? 'Invoice number' : 'Invoice number (attached)', value: v.invoiceNumber },
    { label: 'Date', value: v.date },
    { label: 'Consignment', value: v.consignmentReference },
    { label: invoice ? 'Packages' : `Package ${v.packages}`, value: invoice ? v.packages : (v.packageReference ?? '') },
    ...(v.customerReference ? [{ label: 'Customer reference', value: v.customerReference }] : []),
    { label: 'Designated operator', value: `${v.carrierName} — ${v.serviceName}` },
    ...(v.trackingReferences.length ? [{ label: 'Tracking', value: v.trackingReferences.join(', ') }] : []),
  ]);
  w.boxes([
    { caption: invoice ? 'Exporter (sender)' : 'From (sender)', lines: withReferences(v.sender, v.senderReferences) },
    { caption: invoice ? 'Consignee (addressee)' : 'To (addressee)', lines: withReferences(v.addressee, v.addresseeReferences) },
  ]);
  if (v.importer || v.importerReferences.length) {
    const lines = [...(v.importer ? addressBlock(v.importer) : []), ...v.importerReferences.map((r) => `${r.label}: ${r.value}`)];
    w.boxes([{ caption: "Importer's reference and contact", lines }]);
  }
  w.categories(v.category, v.categoryExplanation);
  w.table(GOODS, v.lines, ['Total', '', v.totalNetWeight, v.totalValue, '', '']);
  w.facts([{ label: 'Total gross weight', value: v.totalGrossWeight }, ...v.details]);
  w.paragraph(invoice ? INVOICE_DECLARATION : DECLARATION);
  w.signature(v.designatedPersonResponsible, v.date);
}

const CN22_GOODS: Column[] = [
  { title: 'Quantity and detailed description', width: 36, value: (l) => `${l.quantity} × ${l.description}` },
  { title: 'Weight', width: 14, value: (l) => l.netWeight, align: 'right' },
  { title: 'Value', width: 17, value: (l) => l.value, align: 'right' },
  { title: 'HS no.', width: 20, value: (l) => l.hsCode },
  { title: 'Origin', width: 10, value: (l) => l.origin },
];

/** The CN22: a small form for the parcel itself. */
function drawCn22(w: FormWriter, v: CustomsDocumentView): void {
  w.title(v.title, `May be opened officially — designated operator ${v.carrierName}`);
  w.facts([
    { label: 'Consignment', value: v.consignmentReference },
    { label: `Package ${v.packages}`, value: v.packageReference ?? '' },
    { label: 'Invoice number', value: v.invoiceNumber },
    ...(v.trackingReferences.length ? [{ label: 'Tracking', value: v.trackingReferences.join(', ') }] : []),
  ]);
  w.boxes([
    { caption: 'From', lines: withReferences(v.sender, v.senderReferences) },
    { caption: 'To', lines: withReferences(v.addressee, [...v.addresseeReferences, ...v.importerReferences]) },
  ]);
  w.categories(v.category, v.categoryExplanation);
  w.table(CN22_GOODS, v.lines, ['Total', v.totalGrossWeight, v.totalValue, '', '']);
  w.paragraph(DECLARATION);
  w.signature(v.designatedPersonResponsible, v.date);
}

/** The document's PDF, dated by its own date (from stored data), so that a reprint is byte for byte the same. */
export function customsDocumentPdf(view: CustomsDocumentView): Promise<Buffer> {
  const cn22 = view.kind === 'CN22';
  const [width, height] = cn22 ? LABEL_4X6 : A4;
  const page: Page = cn22 ? { width, height, margin: 12, text: 6.5 } : { width, height, margin: 36, text: 9 };
  const date = new Date(`${view.date}T00:00:00Z`);
  const title = `${view.title} ${view.consignmentReference}${view.packageReference ? ` ${view.packageReference}` : ''}`;
  return renderPdf({ size: [width, height], title, date: Number.isNaN(date.getTime()) ? new Date(0) : date }, (pdf) => {
    pdf.fillColor('black').strokeColor('black');
    const w = new FormWriter(pdf, page);
    if (cn22) drawCn22(w, view);
    else drawA4(w, view);
  });
}
