/**
 * Labels as one black-and-white PNG at 203 dpi, the labels stacked top to bottom (812 dots wide,
 * 1218 tall each), drawn from the label layout.
 *
 * Each label is rasterised by us into one byte per dot: rules and barcodes are rectangles, and
 * text is set glyph by glyph (by grapheme, so that a letter and its combining accents stay
 * together) from bitmaps that @napi-rs/canvas (Skia) draws once per glyph and size in the
 * embedded DejaVu fonts and that are kept for the next label. Reading a whole 812 × 1218 canvas
 * back from Skia costs 12–17 ms and its PNG encoder another 35 ms (32-bit RGBA); this way a label
 * costs a few milliseconds, and the PNG is written by bilevel-png.ts with zlib off the main thread.
 */
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import type { LabelView } from '../domain/documents/label.js';
import { code128, code128Bars, dataMatrix, dataMatrixRuns } from './barcodes.js';
import { BilevelPngWriter } from './bilevel-png.js';
import { FONT_FILES, outlineFont, textWidth } from './fonts.js';
import { LABEL_DPI, LABEL_HEIGHT_DOTS, LABEL_WIDTH_DOTS, layoutLabel, type LabelElement } from './label-layout.js';

/** A family name of our own, so that no installed font is ever used instead (or as a fallback). */
const FAMILY = 'Switchyard DejaVu Sans';
let registered = false;

function registerFonts(): void {
  if (registered) return;
  if (!GlobalFonts.registerFromPath(FONT_FILES.regular, FAMILY) || !GlobalFonts.registerFromPath(FONT_FILES.bold, FAMILY)) {
    throw new Error('the label fonts could not be registered with the canvas');
  }
  registered = true;
}

/** A glyph's dark dots, placed relative to the pen on the baseline. */
interface GlyphBitmap {
  left: number;
  top: number;
  width: number;
  height: number;
  dots: Uint8Array;
}

/** Bitmaps by weight, size and grapheme; cleared when it grows past any label's needs. */
const glyphs = new Map<string, GlyphBitmap>();
const MAX_GLYPHS = 20_000;

function glyphBitmap(grapheme: string, size: number, bold: boolean): GlyphBitmap {
  const key = `${bold ? 'b' : 'r'}${size}:${grapheme}`;
  let glyph = glyphs.get(key);
  if (glyph) return glyph;
  registerFonts();
  const pad = Math.ceil(size * 0.6);
  const advance = Math.ceil(textWidth(outlineFont(bold ? 'bold' : 'regular'), grapheme, size));
  const width = advance + 2 * pad;
  const height = Math.ceil(size * 1.4) + 2 * pad;
  const baseline = pad + Math.ceil(size * 1.05);
  const canvas = createCanvas(width, height);
  const g = canvas.getContext('2d');
  g.lang = 'en';
  g.font = `${bold ? 'bold ' : ''}${size}px "${FAMILY}"`;
  g.fillStyle = '#000000';
  g.fillText(grapheme, pad, baseline);
  const rgba = canvas.data();
  // The dark dots' bounding box, then the dots inside it (a dot is dark when at least half covered).
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (rgba[(y * width + x) * 4 + 3] >= 128) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) glyph = { left: 0, top: 0, width: 0, height: 0, dots: new Uint8Array(0) };
  else {
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    const dots = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) dots[y * w + x] = rgba[((y + y0) * width + x + x0) * 4 + 3] >= 128 ? 1 : 0;
    glyph = { left: x0 - pad, top: y0 - baseline, width: w, height: h, dots };
  }
  if (glyphs.size >= MAX_GLYPHS) glyphs.clear();
  glyphs.set(key, glyph);
  return glyph;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** One label's dots, one byte each (1 = black). */
class LabelRaster {
  readonly dots = new Uint8Array(LABEL_WIDTH_DOTS * LABEL_HEIGHT_DOTS);

  fill(x: number, y: number, width: number, height: number): void {
    const x0 = Math.max(0, Math.round(x));
    const x1 = Math.min(LABEL_WIDTH_DOTS, Math.round(x + width));
    const y0 = Math.max(0, Math.round(y));
    const y1 = Math.min(LABEL_HEIGHT_DOTS, Math.round(y + height));
    for (let row = y0; row < y1; row++) this.dots.fill(1, row * LABEL_WIDTH_DOTS + x0, row * LABEL_WIDTH_DOTS + x1);
  }

  glyph(glyph: GlyphBitmap, penX: number, baseline: number): void {
    const left = penX + glyph.left;
    const top = baseline + glyph.top;
    for (let y = 0; y < glyph.height; y++) {
      const row = top + y;
      if (row < 0 || row >= LABEL_HEIGHT_DOTS) continue;
      for (let x = 0; x < glyph.width; x++) {
        const column = left + x;
        if (column >= 0 && column < LABEL_WIDTH_DOTS && glyph.dots[y * glyph.width + x]) this.dots[row * LABEL_WIDTH_DOTS + column] = 1;
      }
    }
  }

  text(text: string, x: number, y: number, size: number, bold: boolean): void {
    const font = outlineFont(bold ? 'bold' : 'regular');
    // The layout places a line by its top, as PDF does: the baseline is an ascent below it.
    const baseline = Math.round(y + (font.ascent / font.unitsPerEm) * size);
    let pen = x;
    for (const { segment } of graphemes.segment(text)) {
      if (!/^\s+$/.test(segment)) this.glyph(glyphBitmap(segment, size, bold), Math.round(pen), baseline);
      pen += textWidth(font, segment, size);
    }
  }

  draw(el: LabelElement): void {
    switch (el.kind) {
      case 'text':
        return this.text(el.text, el.x, el.y, el.size, el.bold);
      case 'box':
        return this.fill(el.x, el.y, el.width, el.height);
      case 'code128':
        for (const [offset, width] of code128Bars(code128(el.content))) this.fill(el.x + offset * el.moduleWidth, el.y, width * el.moduleWidth, el.height);
        return;
      case 'dataMatrix': {
        const m = el.moduleSize;
        for (const [column, row, length] of dataMatrixRuns(dataMatrix(el.content))) this.fill(el.x + column * m, el.y + row * m, length * m, m);
        return;
      }
    }
  }
}

export function labelsPng(labels: LabelView[]): Promise<Buffer> {
  const png = new BilevelPngWriter(LABEL_WIDTH_DOTS, LABEL_DPI);
  for (const label of labels) {
    const raster = new LabelRaster();
    for (const el of layoutLabel(label)) raster.draw(el);
    png.addDots(raster.dots, LABEL_HEIGHT_DOTS);
  }
  return png.finish();
}
