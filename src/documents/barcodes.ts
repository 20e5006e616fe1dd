/**
 * The two barcodes of a label as geometry, from bwip-js's encoder (its `raw` output): Code 128 as
 * the widths of its bars and spaces, DataMatrix (ECC 200) as its grid of dark modules. The PDF and
 * PNG renderers draw them as rectangles (vectors in a PDF, never an embedded image); ZPL needs
 * neither, as the printer encodes its own `^BC` and `^BX`.
 */
import bwipjs from 'bwip-js';

export interface Code128 {
  /** Widths in modules, alternating bar, space, bar, …, starting and ending with a bar. */
  widths: number[];
  /** The whole symbol's width in modules (without quiet zones). */
  modules: number;
}

export function code128(text: string): Code128 {
  const [symbol] = bwipjs.raw({ bcid: 'code128', text }) as { sbs: number[] }[];
  return { widths: symbol.sbs, modules: symbol.sbs.reduce((a, b) => a + b, 0) };
}

/**
 * At least the width in modules of the shortest Code 128 of a text (the one an encoder makes):
 * start, check and stop, eleven modules a character, two digits to a character in runs of four or
 * more (with a code set switch either side), and two characters for any one outside set B. The
 * layout places the barcode by it without encoding it, which costs a tenth of a millisecond.
 */
export function code128WidthBound(text: string): number {
  let modules = 11 + 11 + 13;
  const runs = text.match(/\d+|\D/g) ?? [];
  for (const run of runs) {
    if (/^\d/.test(run) && run.length >= 4) modules += 11 * Math.floor(run.length / 2) + 11 * (run.length % 2) + 22;
    else if (/^\d/.test(run)) modules += 11 * run.length;
    else modules += run.charCodeAt(0) >= 32 && run.charCodeAt(0) < 127 ? 11 : 22;
  }
  return modules;
}

/** Runs of bars as [offset, width] in modules, left to right. */
export function code128Bars(barcode: Code128): [offset: number, width: number][] {
  const bars: [number, number][] = [];
  let x = 0;
  barcode.widths.forEach((w, i) => {
    if (i % 2 === 0) bars.push([x, w]);
    x += w;
  });
  return bars;
}

export interface DataMatrix {
  columns: number;
  rows: number;
  /** Row-major, 1 for a dark module. */
  modules: number[];
}

export function dataMatrix(text: string): DataMatrix {
  const [symbol] = bwipjs.raw({ bcid: 'datamatrix', text }) as { pixs: number[]; pixx: number; pixy: number }[];
  return { columns: symbol.pixx, rows: symbol.pixy, modules: symbol.pixs };
}

/** The dark modules as horizontal runs [column, row, length], so that a row of them is drawn as one rectangle. */
export function dataMatrixRuns(matrix: DataMatrix): [column: number, row: number, length: number][] {
  const runs: [number, number, number][] = [];
  for (let row = 0; row < matrix.rows; row++) {
    let start = -1;
    for (let column = 0; column <= matrix.columns; column++) {
      const dark = column < matrix.columns && matrix.modules[row * matrix.columns + column] === 1;
      if (dark && start < 0) start = column;
      else if (!dark && start >= 0) {
        runs.push([start, row, column - start]);
        start = -1;
      }
    }
  }
  return runs;
}
