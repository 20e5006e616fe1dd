/** Document files Switchyard writes or joins itself: black-and-white PNGs, joined PDFs, and one label file from several legs' files. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCanvas, Image } from '@napi-rs/canvas';
import { BilevelPngWriter, pixelsPerMetre } from '../../src/documents/bilevel-png.js';
import { joinPdfs } from '../../src/documents/pdf-join.js';
import { joinLabelFiles } from '../../src/documents/label-files.js';
import { renderPdf, LABEL_4X6, A4 } from '../../src/documents/pdf-document.js';
import { pdfFonts, pdfInfo, pdfPages, pdfText, pngInfo } from '../support/document-checks.js';

async function pixels(png: Uint8Array): Promise<{ width: number; height: number; dark: (x: number, y: number) => boolean }> {
  const image = new Image();
  image.src = png;
  await image.decode();
  const canvas = createCanvas(image.width, image.height);
  canvas.getContext('2d').drawImage(image, 0, 0);
  const rgba = canvas.data();
  return { width: image.width, height: image.height, dark: (x, y) => rgba[(y * image.width + x) * 4] < 128 };
}

const DATE = new Date('2026-11-18T00:00:00Z');
const pdfOf = (pages: string[], size = LABEL_4X6) =>
  renderPdf({ size, title: pages[0], date: DATE }, (pdf) => {
    pages.forEach((text, i) => {
      if (i > 0) pdf.addPage({ size, margin: 0 });
      pdf.font(i % 2 ? 'bold' : 'regular').fontSize(14).text(text, 20, 20);
    });
  });

describe('black-and-white PNGs', () => {
  it('writes one bit a pixel, 0 black, rows as added, with its resolution in pHYs', async () => {
    const writer = new BilevelPngWriter(11, 203);
    const dots = new Uint8Array(11 * 3);
    dots[0] = 1; // top left
    dots[11 + 10] = 1; // second row, last column (the row's second byte)
    writer.addDots(dots, 2);
    writer.addDots(new Uint8Array(11).fill(1), 1);
    const png = await writer.finish();
    assert.deepEqual(pngInfo(png), { width: 11, height: 3, bitDepth: 1, colourType: 0, dpi: 203 });
    const p = await pixels(png);
    assert.equal(p.dark(0, 0), true);
    assert.equal(p.dark(1, 0), false);
    assert.equal(p.dark(10, 1), true);
    assert.equal(p.dark(9, 1), false);
    for (let x = 0; x < 11; x++) assert.equal(p.dark(x, 2), true);
    assert.equal(pixelsPerMetre(203), 7992);
  });
});

describe('joining PDFs', () => {
  it('puts every page of every file one after another, each with its own embedded fonts', async () => {
    const joined = joinPdfs([await pdfOf(['Leg one Łódź']), await pdfOf(['Leg two Ærø', 'Leg two Москва'], A4)]);
    assert.equal(pdfPages(joined), 3);
    assert.match(pdfText(joined, 1), /Leg one Łódź/);
    assert.match(pdfText(joined, 2), /Leg two Ærø/);
    assert.match(pdfText(joined, 3), /Leg two Москва/);
    assert.equal(pdfInfo(joined).Title, 'Leg one Łódź');
    assert.ok(pdfFonts(joined).every((f) => f.embedded && f.subset));
    assert.ok(joinPdfs([await pdfOf(['a']), await pdfOf(['b'])]).equals(joinPdfs([await pdfOf(['a']), await pdfOf(['b'])])), 'the same files join to the same bytes');
  });

  it('gives a page what it inherited from its old page tree', async () => {
    // A page tree that keeps MediaBox on the Pages node, as some producers write it.
    const src = await pdfOf(['inherits']);
    const text = src.toString('latin1').replace(/\/MediaBox \[[^\]]+\]\n/, '').replace('/Type /Pages', '/Type /Pages\n/MediaBox [0 0 200 300]');
    const joined = joinPdfs([Buffer.from(rebuildXref(text), 'latin1'), await pdfOf(['other'])]);
    assert.match(pdfInfo(joined)['Page size'], /^200 x 300 pts/);
    assert.equal(pdfPages(joined), 2);
  });

  it('refuses a file it cannot read (a cross-reference stream) rather than join it wrongly', async () => {
    const broken = Buffer.from('%PDF-1.5\n1 0 obj\n<< /Type /XRef >>\nstream\nx\nendstream\nendobj\nstartxref\n9\n%%EOF\n', 'latin1');
    assert.throws(() => joinPdfs([broken, broken]), /cannot join these PDFs/);
  });
});

/** The same PDF text with its cross-reference table recomputed, after an edit moved the objects. */
function rebuildXref(text: string): string {
  const body = text.slice(0, text.indexOf('xref\n'));
  const offsets = [...body.matchAll(/(\d+) 0 obj/g)].map((m) => [Number(m[1]), m.index!] as const);
  const size = Math.max(...offsets.map(([n]) => n)) + 1;
  const at = new Map(offsets);
  const rows = ['0000000000 65535 f '];
  for (let n = 1; n < size; n++) rows.push(at.has(n) ? `${String(at.get(n)).padStart(10, '0')} 00000 n ` : '0000000000 65535 f ');
  const trailer = text.slice(text.indexOf('trailer'), text.indexOf('startxref'));
  return `${body}xref\n0 ${size}\n${rows.join('\n')}\n${trailer}startxref\n${body.length}\n%%EOF\n`;
}

describe('one label file from several legs', () => {
  it('joins ZPL blocks, PDF pages and PNG images in leg order', async () => {
    const zpl = await joinLabelFiles('ZPL', [Buffer.from('^XA^FDone^FS^XZ\n'), Buffer.from('^XA^FDtwo^FS^XZ\n')]);
    assert.equal(Buffer.from(zpl).toString(), '^XA^FDone^FS^XZ\n^XA^FDtwo^FS^XZ\n');
    assert.equal(pdfPages(await joinLabelFiles('PDF', [await pdfOf(['one']), await pdfOf(['two', 'three'])])), 3);
    const png = (width: number, height: number, dark: boolean) => {
      const canvas = createCanvas(width, height);
      const g = canvas.getContext('2d');
      g.fillStyle = dark ? '#000' : '#fff';
      g.fillRect(0, 0, width, height);
      return canvas.encode('png');
    };
    const stacked = await joinLabelFiles('PNG', [await png(812, 100, true), await png(600, 50, false)]);
    assert.deepEqual(pngInfo(stacked), { width: 812, height: 150, bitDepth: 1, colourType: 0, dpi: 203 });
    const p = await pixels(stacked);
    assert.equal(p.dark(5, 5), true);
    assert.equal(p.dark(5, 120), false);
    assert.equal(p.dark(700, 120), false, 'a narrower image is padded white');
    const one = Buffer.from('only');
    assert.equal(await joinLabelFiles('ZPL', [one]), one);
  });
});
