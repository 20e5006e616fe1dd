/**
 * The label renderers, read back as a printer, a scanner or a person would: the PDF through
 * poppler (pages, text, embedded fonts) and, rasterised, through zbarimg and dmtxread; the PNG's
 * own header and its barcodes; the ZPL command by command.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelViews, type LabelFacts, type LabelView } from '../../src/domain/documents/label.js';
import { layoutLabel, LABEL_HEIGHT_DOTS, LABEL_WIDTH_DOTS } from '../../src/documents/label-layout.js';
import { labelsPdf } from '../../src/documents/label-pdf.js';
import { labelsPng } from '../../src/documents/label-png.js';
import { labelsZpl, zplFieldData, ZPL_FONT } from '../../src/documents/label-zpl.js';
import { missingGlyphs, outlineFont } from '../../src/documents/fonts.js';
import { code128, code128WidthBound } from '../../src/documents/barcodes.js';
import fc from 'fast-check';
import { address, consignmentData, pkg } from '../support/domain-fixtures.js';
import { pdfFonts, pdfPageImages, pdfPages, pdfPageSize, pdfText, pngInfo, pngSlices, readCode128, readDataMatrix, zplBlocks, zplCommands } from '../support/document-checks.js';

/** Every European script the labels must print as written (decisions.md §9). */
const NAMES = ['Łódź', 'Ærø', 'Straße', 'Zürich', 'Αθήνα', 'Москва'];

function facts(): LabelFacts {
  const data = consignmentData({
    origin: address({ addressType: 'Origin', companyName: 'Ærø Trading Ltd', addressLine1: '12 Straße Court', town: 'Manchester', postcode: 'M17 1PY' }),
    destination: address({
      contact: { title: null, firstName: 'Zofia', lastName: 'Wójcik', position: null, telephone: '+48 42 000 000', mobile: null, landLine: null, email: null },
      addressLine1: 'ul. Piotrkowska 12',
      addressLine2: 'c/o Zürich Αθήνα Москва',
      town: 'Łódź',
      postcode: '90-001',
      countryCode: 'PL',
    }),
    packages: [pkg({ reference: 'EP-000-000-0B1' }), pkg({ reference: 'EP-000-000-0B2', weightKg: 7.25 })],
  });
  return {
    carrierName: 'EuroLink Road',
    serviceName: 'EU Road',
    consignmentReference: 'EC-000-05A-Z6S',
    customerReference: 'ORDER_1^2~3',
    origin: data.addresses[0],
    destination: data.addresses[1],
    packages: data.packages,
    trackingReferences: ['EL00000000001EU', 'EL00000000002EU'],
    collectionDate: '2026-11-18T14:00:00+00:00',
  };
}

const views = (): LabelView[] => labelViews(facts(), ['EP-000-000-0B1', 'EP-000-000-0B2']);
const DATE = new Date('2026-11-18T00:00:00Z');

describe('the label layout', () => {
  it('keeps every element inside the 4 × 6 in label at 203 dpi', () => {
    for (const el of layoutLabel(views()[0])) {
      assert.ok(el.x >= 0 && el.y >= 0 && el.x < LABEL_WIDTH_DOTS && el.y < LABEL_HEIGHT_DOTS, JSON.stringify(el));
      if (el.kind === 'code128') assert.ok(el.x + code128(el.content).modules * el.moduleWidth <= LABEL_WIDTH_DOTS);
    }
  });

  it('places the Code 128 by a width no encoding of it exceeds', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{1,24}$/), fc.stringMatching(/^[ -~]{1,20}$/), (ours, any) => {
        return code128(ours).modules <= code128WidthBound(ours) && code128(any).modules <= code128WidthBound(any);
      }),
      { numRuns: 300 },
    );
  });

  it('sets a long line smaller, then wraps it, and never drops a character', () => {
    const [view] = views();
    const long = 'Wielkopolska Cooperative of Łódź Ceramic Exporters and Straße Importers, Building Ærø, Floor 3';
    const texts = layoutLabel({ ...view, recipient: { ...view.recipient, lines: [long, ...view.recipient.lines] } }).filter((e) => e.kind === 'text');
    const joined = texts.map((t) => (t.kind === 'text' ? t.text : '')).join(' ');
    for (const word of long.split(' ')) assert.ok(joined.includes(word), word);
    const sizes = texts.filter((t) => t.kind === 'text' && long.includes(t.text.split(' ')[0])).map((t) => (t.kind === 'text' ? t.size : 0));
    assert.ok(Math.max(...sizes) < 30, 'the box was set smaller than its 30-dot size');
  });

  it('has a glyph in the embedded font for every character of the European names (no substitutes)', () => {
    for (const weight of ['regular', 'bold'] as const) assert.deepEqual(missingGlyphs(outlineFont(weight), NAMES.join(' ')), []);
  });
});

describe('PDF labels', () => {
  it('has a 4 × 6 in page per label, every name as written, and only the embedded, subset DejaVu font', async () => {
    const pdf = await labelsPdf(views(), 'A6', DATE);
    assert.equal(pdfPages(pdf), 2);
    assert.deepEqual(pdfPageSize(pdf), [288, 432]);
    const text = pdfText(pdf);
    for (const name of NAMES) assert.ok(text.includes(name), `${name} in ${text}`);
    for (const t of ['EuroLink Road', 'EU Road', '1 of 2', '2 of 2', '7.25 kg', 'EC-000-05A-Z6S', 'EP-000-000-0B2', 'Collection 2026-11-18', '90-001', 'POLAND', 'Tel +48 42 000 000']) {
      assert.ok(text.includes(t), t);
    }
    const fonts = pdfFonts(pdf);
    assert.ok(fonts.length > 0);
    for (const f of fonts) {
      assert.match(f.name, /^[A-Z]{6}\+DejaVuSans/);
      assert.ok(f.embedded && f.subset, JSON.stringify(f));
    }
  });

  it('draws the Code 128 and the DataMatrix as vectors that scan back (no image in the file)', async () => {
    const pdf = await labelsPdf(views(), 'A6', DATE);
    assert.doesNotMatch(pdf.toString('latin1'), /\/Subtype\s*\/Image/);
    const pages = pdfPageImages(pdf);
    assert.deepEqual(readCode128(pages[0]), ['EL00000000001EU']);
    assert.deepEqual(readCode128(pages[1]), ['EL00000000002EU']);
    assert.deepEqual(readDataMatrix(pages[1]), ['EL00000000002EU|90-001|PL']);
  });

  it('puts four labels on each A4 page, each whole', async () => {
    const five = labelViews(facts(), ['EP-000-000-0B1', 'EP-000-000-0B2', 'EP-000-000-0B1', 'EP-000-000-0B2', 'EP-000-000-0B1']);
    const pdf = await labelsPdf(five, 'A4', DATE);
    assert.equal(pdfPages(pdf), 2);
    const [width, height] = pdfPageSize(pdf);
    assert.ok(Math.abs(width - 595.28) < 0.5 && Math.abs(height - 841.89) < 0.5);
    assert.equal(pdfText(pdf, 1).match(/Consignment EC-000-05A-Z6S/g)?.length, 4);
    assert.equal(pdfText(pdf, 2).match(/Consignment EC-000-05A-Z6S/g)?.length, 1);
    assert.deepEqual(new Set(readCode128(pdfPageImages(pdf, 300)[0])), new Set(['EL00000000001EU', 'EL00000000002EU']));
  });

  it('is the same file every time it is made from the same label', async () => {
    assert.ok((await labelsPdf(views(), 'A6', DATE)).equals(await labelsPdf(views(), 'A6', DATE)));
    assert.ok((await labelsPdf(views(), 'A4', DATE)).equals(await labelsPdf(views(), 'A4', DATE)));
  });
});

describe('PNG labels', () => {
  it('is one black-and-white image at 203 dpi, the labels stacked top to bottom, each scanning back', async () => {
    const png = await labelsPng(views());
    assert.deepEqual(pngInfo(png), { width: 812, height: 2436, bitDepth: 1, colourType: 0, dpi: 203 });
    const [first, second] = await pngSlices(png, 1218);
    assert.deepEqual(readCode128(first), ['EL00000000001EU']);
    assert.deepEqual(readCode128(second), ['EL00000000002EU']);
    assert.deepEqual(readDataMatrix(first), ['EL00000000001EU|90-001|PL']);
  });

  it('is the same file every time', async () => {
    assert.ok((await labelsPng(views())).equals(await labelsPng(views())));
  });
});

describe('ZPL labels', () => {
  const zpl = () => labelsZpl(views()).toString('utf8');

  it('is one ^XA … ^XZ block per label, each UTF-8 (^CI28), 4 × 6 in at 203 dpi', () => {
    const blocks = zplBlocks(zpl());
    assert.equal(blocks.length, 2);
    for (const block of blocks) {
      const commands = zplCommands(block);
      assert.deepEqual(commands.slice(0, 4), ['^CI28', '^PW812', '^LL1218', '^LH0,0']);
    }
    assert.ok(zpl().startsWith('^XA'));
    assert.ok(zpl().trimEnd().endsWith('^XZ'));
  });

  it('writes every name as UTF-8 text in a field of the printer’s Unicode font', () => {
    const commands = zplCommands(zplBlocks(zpl())[0]);
    const fields = commands.filter((c) => c.startsWith('^FD')).map((c) => c.slice(3));
    for (const name of NAMES) assert.ok(fields.some((f) => f.includes(name)), name);
    const fonts = commands.filter((c) => c.startsWith('^A@'));
    assert.ok(fonts.length > 10);
    for (const f of fonts) assert.match(f, new RegExp(`^\\^A@N,\\d+,\\d+,${ZPL_FONT.replace('.', '\\.')}$`));
    assert.ok(Buffer.from(zpl(), 'utf8').includes(Buffer.from('Łódź', 'utf8')), 'the bytes are UTF-8');
  });

  it('has the tracking reference as a native ^BC Code 128 and the DataMatrix as a native ^BX', () => {
    const commands = zplCommands(zplBlocks(zpl())[1]);
    const bc = commands.findIndex((c) => c.startsWith('^BC'));
    assert.match(commands[bc - 1], /^\^BY[23]$/);
    assert.match(commands[bc], /^\^BCN,160,N,N,N,A$/);
    assert.deepEqual(commands.slice(bc + 1, bc + 3), ['^FH', '^FDEL00000000002EU']);
    const bx = commands.findIndex((c) => c.startsWith('^BX'));
    assert.match(commands[bx], /^\^BXN,7,200$/);
    assert.deepEqual(commands.slice(bx + 1, bx + 3), ['^FH', '^FDEL00000000002EU|90-001|PL']);
  });

  it('escapes ^, ~ and _ in field data (^FH), so that text can never end a field or start a command', () => {
    assert.equal(zplFieldData('ORDER_1^2~3'), 'ORDER_5F1_5E2_7E3');
    assert.equal(zplFieldData('a\u0000b\nc'), 'abc');
    assert.ok(zpl().includes('^FDReference ORDER_5F1_5E2_7E3^FS'));
  });

  it('is the same bytes every time', () => {
    assert.ok(labelsZpl(views()).equals(labelsZpl(views())));
  });
});
