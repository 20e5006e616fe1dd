/**
 * Reading PDFs back with poppler's tools, as a person's PDF reader would: the text on each page
 * (pdftotext), the fonts and whether they are embedded (pdffonts), the page count (pdfinfo), and a
 * page rendered to an image (pdftoppm), which fails on a PDF a viewer could not draw.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function withFile<T>(pdf: Uint8Array, use: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    return use(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of every page, in layout order, pages separated by form feeds. */
export function pdfText(pdf: Uint8Array): string {
  return withFile(pdf, (file) => execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
}

export function pdfPages(pdf: Uint8Array): number {
  const info = withFile(pdf, (file) => execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
}

export interface PdfFont {
  name: string;
  embedded: boolean;
  subset: boolean;
}

export function pdfFonts(pdf: Uint8Array): PdfFont[] {
  const out = withFile(pdf, (file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      // name … emb sub uni object ID: the yes/no columns are the 5th, 4th and 3rd from the end.
      return { name: cols[0], embedded: cols[cols.length - 5] === 'yes', subset: cols[cols.length - 4] === 'yes' };
    });
}

/** Page `page` rendered to a PNG at `dpi`: its bytes. */
export function pdfPageImage(pdf: Uint8Array, page = 1, dpi = 50): Buffer {
  return withFile(pdf, (file, dir) => {
    execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), file, join(dir, 'page')]);
    const png = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'));
    if (!png) throw new Error('pdftoppm made no image');
    return readFileSync(join(dir, png));
  });
}
