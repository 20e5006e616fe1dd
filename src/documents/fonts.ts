/**
 * The fonts every document embeds: DejaVu Sans (the dejavu-fonts-ttf package), which covers every
 * European script (Latin with all its accents, Greek, Cyrillic), so that names and addresses
 * print as written (Łódź, Ærø, Straße, Αθήνα, Москва) and never with a substitute glyph.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);

export const FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const;

export type FontWeight = keyof typeof FONT_FILES;

const loaded = new Map<FontWeight, Buffer>();

/** The font file's bytes, read once per process (fonts are immutable package files). */
export function fontBytes(weight: FontWeight): Buffer {
  let bytes = loaded.get(weight);
  if (!bytes) {
    bytes = readFileSync(FONT_FILES[weight]);
    loaded.set(weight, bytes);
  }
  return bytes;
}

/** What Switchyard uses of a parsed font (fontkit's Font, which pdfkit embeds): its metrics. */
export interface OutlineFont {
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  hasGlyphForCodePoint(codePoint: number): boolean;
  glyphForCodePoint(codePoint: number): { advanceWidth: number };
  /** The object itself is also what pdfkit's `registerFont` accepts. */
  layout(text: string): unknown;
}

const parsed = new Map<FontWeight, OutlineFont>();

/**
 * The font parsed once per process. Parsing DejaVu takes about 15 ms, which pdfkit would spend
 * again on every document given the file's bytes; given the parsed font (pdfkit's own fontkit
 * object, taken from a document that loaded it) it only subsets it. The parsed font keeps caches
 * of decoded glyphs, which change no output.
 */
export function outlineFont(weight: FontWeight): OutlineFont {
  let font = parsed.get(weight);
  if (!font) {
    const loader = new PDFDocument({ font: null as unknown as string }).font(fontBytes(weight));
    font = (loader as unknown as { _font: { font: OutlineFont } })._font.font;
    parsed.set(weight, font);
  }
  return font;
}

/** Each font's glyph advances by code point, kept: asking fontkit for a glyph each time costs a lookup in its tables. */
const advances = new WeakMap<OutlineFont, Map<number, number>>();

/** The width of a text in the font at a size (in the size's unit), from the glyphs' advances; kerning is ignored. */
export function textWidth(font: OutlineFont, text: string, size: number): number {
  let known = advances.get(font);
  if (!known) advances.set(font, (known = new Map()));
  let units = 0;
  for (let i = 0; i < text.length; i++) {
    const codePoint = text.codePointAt(i)!;
    if (codePoint > 0xffff) i++;
    let advance = known.get(codePoint);
    if (advance === undefined) known.set(codePoint, (advance = font.glyphForCodePoint(codePoint).advanceWidth));
    units += advance;
  }
  return (units * size) / font.unitsPerEm;
}

/** The characters of a text that the font has no glyph for (which would print as a substitute). */
export function missingGlyphs(font: OutlineFont, text: string): string[] {
  return [...new Set([...text].filter((ch) => !/\s/.test(ch) && !font.hasGlyphForCodePoint(ch.codePointAt(0)!)))];
}
