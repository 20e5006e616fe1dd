/**
 * Manifests in the pure domain (src/domain/manifest.ts) and their PDF (src/documents/manifest-pdf.ts):
 * how legs are grouped, the cut-off a carrier is told, the lines a manifest keeps, what its file
 * says (withdrawn consignments marked, totals of what is still on it), and the PDF read back with
 * poppler: its text, its embedded font, its pages, the same bytes every time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AllocationRecord, Consignment, ConsignmentLegRecord } from '../../src/domain/consignment.js';
import { collectionDayOf, manifestCutOff, manifestDocument, manifestGroups, manifestLine, type Manifest, type ManifestMember } from '../../src/domain/manifest.js';
import { renderManifestPdf } from '../../src/documents/manifest-pdf.js';
import { calendar, consignmentData, pkg } from '../support/domain-fixtures.js';
import { pdfFonts, pdfPageImage, pdfPages, pdfText } from '../support/pdf-inspection.js';

function leg(n: number, carrierReference: string, trackingReferences: string[]): ConsignmentLegRecord {
  return { leg: n, carrierReference, carrierName: carrierReference, carrierServiceReference: `${carrierReference}-SVC`, trackingReferences };
}

let counter = 0;
function consignment(options: { location?: string | null; collectionDate?: string; legs?: ConsignmentLegRecord[]; packages?: number } = {}): Consignment {
  counter++;
  const packages = Array.from({ length: options.packages ?? 1 }, (_, i) => pkg({ reference: `EP-000-${String(counter).padStart(3, '0')}-00${i}`, weightKg: 1.5 + i }));
  const data = consignmentData({
    origin: { shippingLocationReference: options.location === undefined ? 'WH-MAN-01' : options.location },
    destination: { contact: { title: null, firstName: 'Zoë', lastName: 'Łukasiewicz', position: null, telephone: null, mobile: null, landLine: null, email: null }, town: 'Łódź', postcode: '90-001', countryCode: 'PL' },
    packages,
  });
  const legs = options.legs ?? [leg(1, 'CARRIER_X', packages.map((_, i) => `CX${counter}${i}`))];
  const allocation: AllocationRecord = {
    mpdCarrierServiceReference: 'Example-Carrier-Service',
    mpdCarrierServiceName: 'Next Day',
    carrierReference: legs[0].carrierReference,
    carrierName: legs[0].carrierName,
    carrierServiceGroupReference: '',
    mpdCarrierServiceGroupName: null,
    allocationDate: '2026-11-18T09:00:00+00:00',
    collectionDate: options.collectionDate ?? '2026-11-18T17:30:00+00:00',
    earliestDeliveryDate: '2026-11-19T09:00:00+00:00',
    latestDeliveryDate: '2026-11-19T18:00:00+00:00',
    legs,
    price: null,
  };
  return {
    id: counter,
    subscriptionId: 1,
    reference: `EC-000-000-${String(counter).padStart(3, '0')}`,
    state: 'Allocated',
    version: 2,
    createdAt: '2026-11-18T08:00:00+00:00',
    updatedAt: '2026-11-18T09:00:00+00:00',
    data,
    allocation,
    failedAllocation: null,
    failedManifest: null,
    dispatchedAt: null,
    dateCollected: null,
    dateDelivered: null,
    labelsFirstPrintedAt: null,
  };
}

const manifest: Manifest = {
  id: 1,
  reference: '0123456789abcdef0123456789abcdef',
  carrierReference: 'CARRIER_X',
  carrierName: 'Carrier X',
  shippingLocationReference: 'WH-MAN-01',
  shippingLocationName: 'Manchester Warehouse',
  collectionDay: '2026-11-18',
  timeZone: 'Europe/London',
  createdAt: '2026-11-18T09:00:00.000+00:00',
  carrierManifestReference: 'SIM-M7',
  bookingsCount: 2,
};

describe('manifest groups', () => {
  it('puts legs of one carrier, shipping location and collection day on one manifest, and separates every other combination', () => {
    const a = consignment();
    const b = consignment({ location: 'wh-man-01' });
    const c = consignment({ location: 'LDS-DC1' });
    const d = consignment({ collectionDate: '2026-11-19T17:30:00+00:00' });
    const e = consignment({ legs: [leg(1, 'NORTHERN_PARCELS', ['NP1'])] });
    const f = consignment({ location: null });
    const groups = manifestGroups([a, b, c, d, e, f].map((x) => ({ consignment: x, leg: x.allocation!.legs[0] })));
    assert.deepEqual(
      groups.map((g) => [g.key.carrierReference, g.key.shippingLocationReference, g.key.collectionDay, g.legs.map((l) => l.consignment.reference)]),
      [
        ['CARRIER_X', 'WH-MAN-01', '2026-11-18', [a.reference, b.reference]],
        ['CARRIER_X', 'LDS-DC1', '2026-11-18', [c.reference]],
        ['CARRIER_X', 'WH-MAN-01', '2026-11-19', [d.reference]],
        ['NORTHERN_PARCELS', 'WH-MAN-01', '2026-11-18', [e.reference]],
        ['CARRIER_X', null, '2026-11-18', [f.reference]],
      ],
    );
  });

  it('hands each leg of a journey to its own carrier', () => {
    const x = consignment({ legs: [leg(1, 'NORTHERN_PARCELS', ['NP1']), leg(2, 'EUROLINK', ['EL1'])] });
    const groups = manifestGroups(x.allocation!.legs.map((l) => ({ consignment: x, leg: l })));
    assert.deepEqual(groups.map((g) => [g.key.carrierReference, g.legs[0].leg.leg]), [['NORTHERN_PARCELS', 1], ['EUROLINK', 2]]);
  });

  it('reads the collection day in the collection date’s own offset, and the cut-off on that day in it', () => {
    assert.equal(collectionDayOf('2026-11-19T00:30:00+01:00'), '2026-11-19');
    assert.equal(manifestCutOff('2026-11-18T17:30:00+00:00', calendar({ cutOffTime: '17:00' })), '2026-11-18T17:00:00+00:00');
    assert.equal(manifestCutOff('2026-07-01T17:30:00+01:00', calendar({ cutOffTime: '16:45' })), '2026-07-01T16:45:00+01:00');
  });
});

describe('a manifest’s lines and file', () => {
  it('keeps each package with the leg’s tracking reference, its weight and the destination as written', () => {
    const x = consignment({ packages: 2, legs: [leg(1, 'NORTHERN_PARCELS', ['NP-A', 'NP-B']), leg(2, 'EUROLINK', ['EL-A', 'EL-B'])] });
    const line = manifestLine(x, x.allocation!.legs[1]);
    assert.equal(line.leg, 2);
    assert.deepEqual(line.packages.map((p) => [p.trackingReference, p.weightKg]), [['EL-A', 1.5], ['EL-B', 2.5]]);
    assert.deepEqual(line.destination, { name: 'Zoë Łukasiewicz', town: 'Łódź', postcode: '90-001', countryCode: 'PL' });
  });

  it('prints every package line, marks a withdrawn consignment with when it left, and totals only what is still on it', () => {
    const x = consignment({ packages: 2 });
    const y = consignment();
    const members: ManifestMember[] = [
      { line: manifestLine(x, x.allocation!.legs[0]), withdrawnAt: null },
      { line: manifestLine(y, y.allocation!.legs[0]), withdrawnAt: '2026-11-18T11:15:00+00:00' },
    ];
    const doc = manifestDocument(manifest, members);
    assert.equal(doc.lines.length, 3);
    assert.deepEqual(doc.lines.map((l) => [l.consignmentReference, l.packageNumber, l.withdrawn]), [
      [x.reference, '1 of 2', null],
      [x.reference, '2 of 2', null],
      [y.reference, '1 of 1', 'Withdrawn 18/11/2026 11:15'],
    ]);
    assert.deepEqual(doc.totals, { consignments: 1, packages: 2, weightKg: 4 });
    assert.deepEqual(doc.withdrawn, { consignments: 1, packages: 1 });
    assert.equal(doc.location, 'Manchester Warehouse (WH-MAN-01)');
    assert.equal(doc.collectionDay, '18/11/2026');
    // Times in the location's zone: 12:00 UTC in July is 13:00 in London.
    const summer = manifestDocument({ ...manifest, createdAt: '2026-07-01T12:00:00+00:00' }, members);
    assert.equal(summer.created, '01/07/2026 13:00');
  });

  it('is an A4 PDF with the header, one line per package with tracking reference, weight and destination, the totals and a signature box, in an embedded font', async () => {
    const x = consignment({ packages: 2 });
    const y = consignment();
    const doc = manifestDocument(manifest, [
      { line: manifestLine(x, x.allocation!.legs[0]), withdrawnAt: null },
      { line: manifestLine(y, y.allocation!.legs[0]), withdrawnAt: '2026-11-18T11:15:00+00:00' },
    ]);
    const pdf = await renderManifestPdf(doc);
    const text = pdfText(pdf);
    for (const expected of ['Collection manifest', 'Carrier X (CARRIER_X)', 'Manchester Warehouse (WH-MAN-01)', '18/11/2026', manifest.reference, 'SIM-M7']) assert.ok(text.includes(expected), `${expected} in:\n${text}`);
    const rows = text.split('\n').filter((l) => l.includes(x.reference) || l.includes(y.reference));
    assert.equal(rows.length, 3, text);
    assert.match(rows[0], new RegExp(`${x.reference}\\s+${x.data.packages[0].reference} \\(1 of 2\\)\\s+${x.allocation!.legs[0].trackingReferences[0]}\\s+1\\.50 kg\\s+Zoë Łukasiewicz, Łódź 90-001, PL`));
    assert.match(rows[1], /2\.50 kg/);
    assert.match(rows[2], /WITHDRAWN 18\/11\/2026 11:15/);
    assert.match(text, /Totals: 1 consignment\(s\), 2 package\(s\), 4\.00 kg/);
    assert.match(text, /Withdrawn: 1 consignment\(s\), 1 package\(s\), not to be collected/);
    for (const word of ['Collected by (carrier)', 'Handed over by (shipper)', 'Signature', 'Date and time']) assert.ok(text.includes(word), word);
    assert.match(text, /page 1 of 1/);
    const fonts = pdfFonts(pdf);
    assert.ok(fonts.length > 0 && fonts.every((f) => f.embedded && f.subset && f.name.includes('DejaVuSans')), JSON.stringify(fonts));
    const png = pdfPageImage(pdf);
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    // A4 (210 × 297 mm) at 50 dpi: 414 × 585 pixels, pdftoppm rounding up.
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [414, 585]);
    assert.deepEqual(await renderManifestPdf(doc), pdf, 'the same manifest gives the same bytes');
  });

  it('runs over as many A4 pages as its lines need, each numbered "page n of N", the totals and signatures after the last line', async () => {
    const members = Array.from({ length: 250 }, () => {
      const x = consignment();
      return { line: manifestLine(x, x.allocation!.legs[0]), withdrawnAt: null };
    });
    const pdf = await renderManifestPdf(manifestDocument(manifest, members));
    const pages = pdfPages(pdf);
    assert.ok(pages >= 4 && pages <= 6, `${pages} pages`);
    const text = pdfText(pdf).split('\f').filter((p) => p.trim());
    assert.equal(text.length, pages);
    text.forEach((page, i) => assert.match(page, new RegExp(`page ${i + 1} of ${pages}`)));
    const printed = text.join('\n').split('\n').filter((l) => /^\s*EC-000-/.test(l));
    assert.equal(printed.length, 250, 'every line printed once');
    assert.match(text[pages - 1], /Totals: 250 consignment\(s\), 250 package\(s\), 375\.00 kg[\s\S]*Collected by \(carrier\)/);
  });
});
