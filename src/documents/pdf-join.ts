/**
 * Joins PDFs page after page into one file: the labels of a journey whose legs several carriers
 * label come back as one document. Read are files with a classic cross-reference table (as pdfkit
 * and most label services write them); a file with a cross-reference stream (PDF 1.5 object
 * streams) is refused with an error rather than joined wrongly. Each file's objects keep their
 * bytes (stream data untouched) and are renumbered after the previous file's; its pages are
 * gathered in order under one new page tree, each given what it inherited from its old tree.
 */

interface PdfObject {
  number: number;
  generation: number;
  /** The object's dictionary or value, without the `N G obj` header; stream data excluded. */
  head: string;
  /** `stream … endstream` with the data as it was, or '' for an object without a stream. */
  stream: string;
}

interface ParsedPdf {
  objects: Map<number, PdfObject>;
  root: number;
  info: number | null;
  size: number;
}

const INHERITED = ['Resources', 'MediaBox', 'CropBox', 'Rotate'];

function refused(why: string): Error {
  return new Error(`cannot join these PDFs: ${why}`);
}

function parse(bytes: Uint8Array): ParsedPdf {
  // Latin-1 maps every byte to one character, so offsets and stream data survive the round trip.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text);
  if (!start) throw refused('a file has no startxref');
  const xrefAt = Number(start[1]);
  if (!text.startsWith('xref', xrefAt)) throw refused('a file uses a cross-reference stream');
  const trailerAt = text.indexOf('trailer', xrefAt);
  if (trailerAt < 0) throw refused('a file has no trailer');
  const offsets: [number, number][] = [];
  const sections = text.slice(xrefAt + 4, trailerAt).trim().split(/\r?\n|\r/);
  for (let i = 0; i < sections.length; ) {
    const [first, count] = sections[i++].trim().split(/\s+/).map(Number);
    for (let k = 0; k < count; k++, i++) {
      const entry = /^(\d{10}) (\d{5}) ([nf])/.exec(sections[i].trim());
      if (!entry) throw refused('a cross-reference entry is malformed');
      if (entry[3] === 'n') offsets.push([first + k, Number(entry[1])]);
    }
  }
  const sorted = [...offsets].sort((a, b) => a[1] - b[1]);
  const objects = new Map<number, PdfObject>();
  sorted.forEach(([number, offset], i) => {
    const end = i + 1 < sorted.length ? sorted[i + 1][1] : xrefAt;
    const span = text.slice(offset, end);
    const header = /^(\d+)\s+(\d+)\s+obj\b/.exec(span);
    const close = span.lastIndexOf('endobj');
    if (!header || Number(header[1]) !== number || close < 0) throw refused(`object ${number} is not where the table says`);
    const body = span.slice(header[0].length, close);
    const streamAt = /\bstream\r?\n/.exec(body);
    const head = streamAt ? body.slice(0, streamAt.index) : body;
    objects.set(number, { number, generation: Number(header[2]), head: head.trim(), stream: streamAt ? body.slice(streamAt.index).trimEnd() : '' });
  });
  const trailer = text.slice(trailerAt);
  const root = /\/Root\s+(\d+)\s+\d+\s+R/.exec(trailer);
  const info = /\/Info\s+(\d+)\s+\d+\s+R/.exec(trailer);
  if (!root) throw refused('a file has no /Root');
  return { objects, root: Number(root[1]), info: info ? Number(info[1]) : null, size: Math.max(0, ...objects.keys()) + 1 };
}

/** The value of `/Key` in a dictionary's text (a reference, an array, a dictionary or a plain token), or null. */
function valueOf(dict: string, key: string): string | null {
  const at = new RegExp(`/${key}(?![A-Za-z0-9])\\s*`).exec(dict);
  if (!at) return null;
  const from = at.index + at[0].length;
  const ref = /^\d+\s+\d+\s+R/.exec(dict.slice(from));
  if (ref) return ref[0];
  const open = dict.startsWith('<<', from) ? ['<<', '>>'] : dict[from] === '[' ? ['[', ']'] : null;
  if (!open) return /^[^\s/<>[\]()]+|^\/[^\s/<>[\]()]+/.exec(dict.slice(from))?.[0] ?? null;
  let depth = 0;
  for (let i = from; i < dict.length; i++) {
    if (dict.startsWith(open[0], i)) depth++, (i += open[0].length - 1);
    else if (dict.startsWith(open[1], i) && --depth === 0) return dict.slice(from, i + open[1].length);
  }
  return null;
}

function refNumber(value: string | null): number | null {
  const m = value && /^(\d+)\s+\d+\s+R$/.exec(value.trim());
  return m ? Number(m[1]) : null;
}

function kidsOf(dict: string): number[] {
  const kids = valueOf(dict, 'Kids') ?? '';
  return [...kids.matchAll(/(\d+)\s+\d+\s+R/g)].map((m) => Number(m[1]));
}

/** The file's pages in order, each with the attributes it inherits from its ancestors. */
function pagesOf(pdf: ParsedPdf): { number: number; inherited: Map<string, string> }[] {
  const catalog = pdf.objects.get(pdf.root);
  const top = refNumber(catalog ? valueOf(catalog.head, 'Pages') : null);
  if (top === null) throw refused('a catalog has no page tree');
  const pages: { number: number; inherited: Map<string, string> }[] = [];
  const visit = (number: number, inherited: Map<string, string>, depth: number) => {
    const node = pdf.objects.get(number);
    if (!node || depth > 64) throw refused('a page tree is broken');
    const own = new Map(inherited);
    for (const key of INHERITED) {
      const v = valueOf(node.head, key);
      if (v !== null) own.set(key, v);
    }
    if (/\/Type\s*\/Pages\b/.test(node.head)) for (const kid of kidsOf(node.head)) visit(kid, own, depth + 1);
    else pages.push({ number, inherited });
  };
  visit(top, new Map(), 0);
  return pages;
}

function renumber(text: string, shift: number): string {
  return text.replace(/(\d+)(\s+)(\d+)(\s+)R\b/g, (_, n: string, s1: string, g: string, s2: string) => `${Number(n) + shift}${s1}${g}${s2}R`);
}

export function joinPdfs(files: Uint8Array[]): Buffer {
  if (files.length === 1) return Buffer.from(files[0]);
  const parsed = files.map(parse);
  const out: string[] = [];
  const written: [number, number][] = [];
  let length = 0;
  const write = (s: string) => {
    out.push(s);
    length += s.length;
  };
  write('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n');
  const total = parsed.reduce((n, p) => n + p.size, 0);
  const pagesNumber = total;
  const catalogNumber = total + 1;
  const kids: number[] = [];
  let shift = 0;
  for (const pdf of parsed) {
    const pages = pagesOf(pdf);
    const leaves = new Map(pages.map((p) => [p.number, p.inherited]));
    const skipped = new Set<number>([pdf.root]);
    for (const o of pdf.objects.values()) if (/\/Type\s*\/Pages\b/.test(o.head)) skipped.add(o.number);
    for (const o of pdf.objects.values()) {
      if (skipped.has(o.number)) continue;
      let head = renumber(o.head, shift);
      const inherited = leaves.get(o.number);
      if (inherited) {
        head = head.replace(/\/Parent\s+\d+\s+\d+\s+R/, `/Parent ${pagesNumber} 0 R`);
        const missing = INHERITED.filter((k) => inherited.has(k) && valueOf(o.head, k) === null).map((k) => `/${k} ${renumber(inherited.get(k)!, shift)}`);
        if (missing.length) head = head.replace(/>>\s*$/, `${missing.join('\n')}\n>>`);
        kids.push(o.number + shift);
      }
      written.push([o.number + shift, length]);
      write(`${o.number + shift} ${o.generation} obj\n${head}\n${o.stream ? `${o.stream}\n` : ''}endobj\n`);
    }
    shift += pdf.size;
  }
  written.push([pagesNumber, length]);
  write(`${pagesNumber} 0 obj\n<<\n/Type /Pages\n/Count ${kids.length}\n/Kids [${kids.map((k) => `${k} 0 R`).join(' ')}]\n>>\nendobj\n`);
  written.push([catalogNumber, length]);
  write(`${catalogNumber} 0 obj\n<<\n/Type /Catalog\n/Pages ${pagesNumber} 0 R\n>>\nendobj\n`);
  const byNumber = new Map(written);
  const size = catalogNumber + 1;
  const xrefAt = length;
  const entries = ['0000000000 65535 f '];
  for (let n = 1; n < size; n++) {
    const at = byNumber.get(n);
    entries.push(at === undefined ? '0000000000 65535 f ' : `${String(at).padStart(10, '0')} 00000 n `);
  }
  const info = parsed[0].info === null ? '' : `/Info ${parsed[0].info} 0 R\n`;
  write(`xref\n0 ${size}\n${entries.join('\n')}\ntrailer\n<<\n/Size ${size}\n/Root ${catalogNumber} 0 R\n${info}>>\nstartxref\n${xrefAt}\n%%EOF\n`);
  return Buffer.from(out.join(''), 'latin1');
}
