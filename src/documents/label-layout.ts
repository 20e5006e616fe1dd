/**
 * The 4 × 6 in label, laid out once for every format: where each part of the label view goes, as
 * positioned text, rules and barcodes in printer dots at 203 dpi (812 × 1218 dots). The PDF, PNG
 * and ZPL renderers only translate these elements into their own drawing commands, so the three
 * formats look alike and adding a format is adding a renderer of this layout.
 *
 * Text is never cut: a line that is too long for its place is set smaller (down to a floor),
 * then wrapped at spaces, measured with the embedded font's own glyph widths.
 */
import type { LabelView } from '../domain/documents/label.js';
import type { AddressLines } from '../domain/documents/address-lines.js';
import { code128WidthBound } from './barcodes.js';
import { outlineFont, textWidth } from './fonts.js';

export const LABEL_DPI = 203;
export const LABEL_WIDTH_DOTS = 812;
export const LABEL_HEIGHT_DOTS = 1218;

export type LabelElement =
  /** `y` is the top of the text's line box; `size` its em size, in dots. */
  | { kind: 'text'; x: number; y: number; size: number; bold: boolean; text: string }
  /** A filled rectangle: the rules between the label's parts. */
  | { kind: 'box'; x: number; y: number; width: number; height: number }
  /** Placed by its width bound (barcodes.ts); a renderer encodes it, or has the printer encode it (ZPL). */
  | { kind: 'code128'; x: number; y: number; height: number; moduleWidth: number; content: string }
  /** `moduleSize` in dots; the symbol's own size follows from its content. */
  | { kind: 'dataMatrix'; x: number; y: number; moduleSize: number; content: string };

const M = 24;
const WIDTH = LABEL_WIDTH_DOTS - 2 * M;
const MIN_SIZE = 16;
/** Lines are this much taller than their em size. */
const LEADING = 1.18;

type Text = Extract<LabelElement, { kind: 'text' }>;

function width(text: string, size: number, bold: boolean): number {
  return textWidth(outlineFont(bold ? 'bold' : 'regular'), text, size);
}

/** A line broken at spaces into pieces no wider than `max` (a word wider than `max` on its own line). */
function wrap(text: string, size: number, bold: boolean, max: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && width(candidate, size, bold) > max) {
      out.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) out.push(line);
  return out;
}

/**
 * Lines set in a box: at `size`, or smaller until every line fits the width and all of them the
 * height; at the floor, long lines wrap (and may run past the box rather than lose a character).
 */
function block(lines: string[], x: number, y: number, boxWidth: number, boxHeight: number, size: number, bold = false): Text[] {
  // Widths grow with the size: measured once at size 1, the largest size that fits follows.
  const widest = Math.max(0, ...lines.map((l) => width(l, 1, bold)));
  const fitting = Math.floor(Math.min(size, widest > 0 ? boxWidth / widest : size, boxHeight / (Math.max(1, lines.length) * LEADING)));
  const s = Math.max(MIN_SIZE, fitting);
  const set = s === fitting ? lines : lines.flatMap((l) => wrap(l, s, bold, boxWidth));
  return set.map((text, i) => ({ kind: 'text', x, y: Math.round(y + i * s * LEADING), size: s, bold, text }));
}

function addressLinesOf(a: AddressLines, withTelephone: boolean): string[] {
  return [...a.lines, ...(withTelephone && a.telephone ? [`Tel ${a.telephone}`] : [])];
}

export function layoutLabel(label: LabelView): LabelElement[] {
  const e: LabelElement[] = [];
  const rule = (y: number) => e.push({ kind: 'box', x: M, y, width: WIDTH, height: 4 });

  // The carrier and its product; which package of how many, and its weight.
  e.push(...block([label.carrierName], M, 24, 520, 56, 44, true));
  e.push(...block([label.serviceName], M, 82, 520, 40, 30));
  e.push({ kind: 'text', x: 576, y: 24, size: 20, bold: false, text: 'Package' });
  e.push(...block([label.packageOf], 576, 48, WIDTH + M - 576, 48, 40, true));
  e.push(...block([label.weight], 576, 98, WIDTH + M - 576, 34, 28));
  rule(138);

  e.push({ kind: 'text', x: M, y: 150, size: 20, bold: true, text: 'FROM' });
  e.push(...block(addressLinesOf(label.sender, false), M, 176, WIDTH, 150, 22));
  const senderPlace = [label.sender.postcode, label.sender.country].filter(Boolean).join('  ');
  e.push(...block([senderPlace], M, 330, WIDTH, 28, 22, true));
  rule(362);

  e.push({ kind: 'text', x: M, y: 374, size: 22, bold: true, text: 'TO' });
  e.push(...block(addressLinesOf(label.recipient, true), M, 402, WIDTH, 248, 30));
  e.push(...block([label.recipient.postcode ?? ''], M, 654, WIDTH, 68, 56, true));
  e.push(...block([label.recipient.country.toUpperCase()], M, 718, WIDTH, 40, 32, true));
  rule(764);

  const references = [
    `Consignment ${label.consignmentReference}`,
    `Package ${label.packageReference}`,
    ...(label.customerReference ? [`Reference ${label.customerReference}`] : []),
    `Collection ${label.collectionDay}`,
  ];
  e.push(...block(references, M, 778, 560, 170, 26));
  e.push({ kind: 'dataMatrix', x: 612, y: 776, moduleSize: 7, content: label.dataMatrix });
  rule(962);

  // The tracking reference: as wide modules as fit, 3 dots where they do.
  const modules = code128WidthBound(label.trackingReference);
  const moduleWidth = modules * 3 <= WIDTH - 40 ? 3 : 2;
  const x = Math.max(M, Math.round((LABEL_WIDTH_DOTS - modules * moduleWidth) / 2));
  e.push({ kind: 'code128', x, y: 980, height: 160, moduleWidth, content: label.trackingReference });
  const tracking = block([label.trackingReference], M, 1148, WIDTH, 44, 36, true)[0];
  e.push({ ...tracking, x: Math.round((LABEL_WIDTH_DOTS - width(tracking.text, tracking.size, true)) / 2) });
  return e;
}
