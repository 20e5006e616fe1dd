/**
 * Labels as ZPL II for 203-dpi thermal printers, written by us from the label layout: one
 * `^XA … ^XZ` block per label, 4 × 6 in (`^PW812`, `^LL1218`), text in UTF-8 (`^CI28`) in the
 * printer's Unicode font, and the barcodes as the printer's own `^BC` (Code 128) and `^BX`
 * (DataMatrix, ECC 200), so that the printer encodes and draws them at its own resolution.
 */
import type { LabelView } from '../domain/documents/label.js';
import { LABEL_HEIGHT_DOTS, LABEL_WIDTH_DOTS, layoutLabel, type LabelElement } from './label-layout.js';

/**
 * Zebra's resident scalable Unicode font (Swiss 721, WGL4: Latin with every accent, Greek,
 * Cyrillic): the built-in font 0 has Latin-1 only and would print Ł, Α or Ж as something else.
 */
export const ZPL_FONT = 'E:TT0003M_.FNT';

/**
 * A field's data, safe inside `^FD … ^FS`: `^FH` makes `_` the hex escape, so `^`, `~` and `_`
 * themselves are written as `_5E`, `_7E` and `_5F`; control characters are dropped. Everything
 * else is UTF-8 as written.
 */
export function zplFieldData(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[\^~_]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function command(el: LabelElement): string {
  switch (el.kind) {
    case 'text': {
      const field = `^A@N,${el.size},${el.size},${ZPL_FONT}^FH^FD${zplFieldData(el.text)}^FS`;
      // The font has no bold: bold text is the field twice, the second two dots to the right.
      return `^FO${el.x},${el.y}${field}${el.bold ? `\n^FO${el.x + 2},${el.y}${field}` : ''}`;
    }
    case 'box':
      return `^FO${el.x},${el.y}^GB${el.width},${el.height},${Math.min(el.width, el.height)}^FS`;
    case 'code128':
      // Automatic mode (A) picks code sets as the printer sees fit; the text is printed by the layout, not here.
      return `^FO${el.x},${el.y}^BY${el.moduleWidth}^BCN,${el.height},N,N,N,A^FH^FD${zplFieldData(el.content)}^FS`;
    case 'dataMatrix':
      return `^FO${el.x},${el.y}^BXN,${el.moduleSize},200^FH^FD${zplFieldData(el.content)}^FS`;
  }
}

/** One label's block. */
export function labelZpl(label: LabelView): string {
  const lines = ['^XA', '^CI28', `^PW${LABEL_WIDTH_DOTS}`, `^LL${LABEL_HEIGHT_DOTS}`, '^LH0,0'];
  for (const el of layoutLabel(label)) lines.push(command(el));
  lines.push('^XZ');
  return `${lines.join('\n')}\n`;
}

/** The labels' blocks one after another, as UTF-8 bytes. */
export function labelsZpl(labels: LabelView[]): Buffer {
  return Buffer.from(labels.map(labelZpl).join(''), 'utf8');
}
