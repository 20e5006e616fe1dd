/**
 * Reading documents back with real tools, as a person or a scanner would: pdfinfo, pdftotext and
 * pdffonts (poppler-utils) for PDFs, pdftoppm to rasterise them, zbarimg (zbar-tools) for Code 128
 * and dmtxread (dmtx-utils) for DataMatrix, and the PNG and ZPL formats read byte by byte.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, Image } from '@napi-rs/canvas';

function withFile<T>(bytes: Uint8Array, name: string, use: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-doc-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return use(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}

/** pdfinfo's fields (Pages, Page size, Title, CreationDate, …). */
export function pdfInfo(bytes: Uint8Array): Record<string, string> {
  const text = withFile(bytes, 'doc.pdf', (path) => run('pdfinfo', [path]));
  return Object.fromEntries(text.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]));
}

export function pdfPages(bytes: Uint8Array): number {
  return Number(pdfInfo(bytes).Pages);
}

/** The page size in points, [width, height], of the first page. */
export function pdfPageSize(bytes: Uint8Array): [number, number] {
  const m = /([\d.]+) x ([\d.]+) pts/.exec(pdfInfo(bytes)['Page size'] ?? '');
  if (!m) throw new Error('no page size');
  return [Number(m[1]), Number(m[2])];
}

/** The text of every page (or of one, 1-based), in reading order. */
export function pdfText(bytes: Uint8Array, page?: number): string {
  return withFile(bytes, 'doc.pdf', (path) => run('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-enc', 'UTF-8', path, '-']));
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
}

export function pdfFonts(bytes: Uint8Array): PdfFont[] {
  const lines = withFile(bytes, 'doc.pdf', (path) => run('pdffonts', [path])).split('\n').slice(2).filter(Boolean);
  return lines.map((line) => {
    const cells = line.trim().split(/\s+/);
    // name, type (may be two words), encoding, emb, sub, uni, object id (two cells)
    const [emb, sub] = cells.slice(-5, -3);
    return { name: cells[0], type: cells.slice(1, -6).join(' '), embedded: emb === 'yes', subset: sub === 'yes' };
  });
}

/** Each page as a PNG at `dpi`, in page order. */
export function pdfPageImages(bytes: Uint8Array, dpi = 203): Buffer[] {
  return withFile(bytes, 'doc.pdf', (path, dir) => {
    run('pdftoppm', ['-r', String(dpi), '-png', path, join(dir, 'page')]);
    return readdirSync(dir)
      .filter((f) => f.startsWith('page') && f.endsWith('.png'))
      .sort()
      .map((f) => readFileSync(join(dir, f)));
  });
}

/** Every Code 128 zbarimg reads in an image, top to bottom. */
export function readCode128(png: Uint8Array): string[] {
  let out: string;
  try {
    out = withFile(png, 'image.png', (path) => run('zbarimg', ['-q', '--raw', '--nodbus', '-Sdisable', '-Scode128.enable', path]));
  } catch (e) {
    // zbarimg exits 4 when it finds no barcode.
    if ((e as { status?: number }).status === 4) return [];
    throw e;
  }
  return out.split('\n').filter(Boolean);
}

/** Every DataMatrix dmtxread reads in an image (at most `count`), as UTF-8. */
export function readDataMatrix(png: Uint8Array, count = 1): string[] {
  let out: string;
  try {
    out = withFile(png, 'image.png', (path) => run('dmtxread', ['-n', '-U', `-N${count}`, path]));
  } catch (e) {
    if ((e as { status?: number }).status === 1) return [];
    throw e;
  }
  return out.split('\n').filter(Boolean);
}

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  /** From the pHYs chunk, when it says metres. */
  dpi: number | null;
}

/** The header and resolution of a PNG, read from its chunks (checking its signature). */
export function pngInfo(bytes: Uint8Array): PngInfo {
  const b = Buffer.from(bytes);
  if (b.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  let at = 8;
  let info: PngInfo | null = null;
  while (at < b.length) {
    const length = b.readUInt32BE(at);
    const type = b.subarray(at + 4, at + 8).toString('latin1');
    const data = b.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') info = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), bitDepth: data[8], colourType: data[9], dpi: null };
    if (type === 'pHYs' && info && data[8] === 1) info.dpi = Math.round(data.readUInt32BE(0) * 0.0254);
    if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!info) throw new Error('a PNG without IHDR');
  return info;
}

/** A ZPL document's label formats: the text of each `^XA … ^XZ` block, in order. */
export function zplBlocks(zpl: string): string[] {
  return [...zpl.matchAll(/\^XA([\s\S]*?)\^XZ/g)].map((m) => m[1]);
}

/** The commands of a ZPL block, each `^XX` with its parameters, in order. */
export function zplCommands(block: string): string[] {
  return block.split(/(?=\^)/).map((c) => c.trim()).filter((c) => c.startsWith('^'));
}

/** An image cut into slices `height` pixels tall, top to bottom (a stacked PNG's labels), each a PNG of its own. */
export async function pngSlices(bytes: Uint8Array, height: number): Promise<Buffer[]> {
  const image = new Image();
  image.src = bytes;
  await image.decode();
  const slices: Buffer[] = [];
  for (let y = 0; y < image.height; y += height) {
    const canvas = createCanvas(image.width, Math.min(height, image.height - y));
    const g = canvas.getContext('2d');
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(image, 0, -y);
    slices.push(await canvas.encode('png'));
  }
  return slices;
}
