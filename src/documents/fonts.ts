/**
 * The fonts every document embeds: DejaVu Sans (the dejavu-fonts-ttf package), which covers every
 * European script (Latin with all its accents, Greek, Cyrillic), so that names and addresses
 * print as written (Łódź, Ærø, Straße, Αθήνα, Москва) and never with a substitute glyph.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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
