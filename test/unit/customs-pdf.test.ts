/** The customs documents as PDFs, read back with poppler: the UPU forms' fields, where they belong. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commercialInvoiceView, customsFormView, type CustomsFacts } from '../../src/domain/documents/customs-forms.js';
import { customsDocumentPdf } from '../../src/documents/customs-pdf.js';
import { readCustomsDeclaration } from '../../src/use-cases/input/customs-declaration-reader.js';
import type { Consignment } from '../../src/domain/consignment.js';
import { address, consignmentData, customsDeclaration, item, pkg } from '../support/domain-fixtures.js';
import { pdfFonts, pdfInfo, pdfPages, pdfPageSize, pdfText } from '../support/document-checks.js';

const scarf = (i: number) => item({ description: `Wool scarf Ærø ${i}`, quantity: 2, weightKg: 0.2, value: { amount: 15, currency: 'GBP' }, harmonisationCode: '6117100000', countryOfOrigin: 'GB' });
const data = consignmentData({
  origin: address({ addressType: 'Origin', companyName: 'Straße Knitwear Ltd', town: 'Manchester', postcode: 'M17 1PY' }),
  destination: address({ contact: { title: null, firstName: 'Jürg', lastName: 'Müller', position: null, telephone: null, mobile: null, landLine: null, email: null }, town: 'Zürich', postcode: '8001', countryCode: 'CH' }),
  packages: [pkg({ reference: 'EP-1', weightKg: 1.5, items: [scarf(1), scarf(2)] }), pkg({ reference: 'EP-2', weightKg: 9, items: Array.from({ length: 60 }, (_, i) => scarf(i)) })],
});
const facts: CustomsFacts = {
  consignmentReference: 'EC-000-05A-Z6S',
  customerReference: 'ORDER-1',
  carrierName: 'Skyway Express',
  serviceName: 'Worldwide Air',
  sender: data.addresses[0],
  addressee: data.addresses[1],
  packages: data.packages,
  trackingReferences: ['SW0000000011XA', 'SW0000000029XA'],
  declaration: customsDeclaration({ importerVatNumber: 'CHE-123.456.789', designatedPersonResponsible: 'Dispatch Team', comments: 'Hand knitted' }),
};

describe('customs PDFs', () => {
  it('prints the commercial invoice on A4 with sender, addressee, importer reference, every line, totals, category, number and date', async () => {
    const pdf = await customsDocumentPdf(commercialInvoiceView(facts));
    assert.deepEqual(pdfPageSize(pdf).map(Math.round), [595, 842]);
    assert.ok(pdfPages(pdf) >= 2, 'sixty-two lines run on to a second page');
    const text = pdfText(pdf);
    for (const field of ['COMMERCIAL INVOICE', 'INV-1001', '2026-11-18', 'Straße Knitwear Ltd', 'Jürg Müller', 'Zürich', 'Switzerland', 'EORI: GB123456789000', 'VAT number: CHE-123.456.789', 'Wool scarf Ærø 59', '6117100000', 'Sale of goods', '1860.00 GBP', '24.8 kg', '10.5 kg', 'DAP', 'Skyway Express']) {
      assert.ok(text.includes(field), `${field} in the invoice`);
    }
    assert.ok(pdfText(pdf, 2).includes('Detailed description of contents'), 'the headings again on the next page');
    for (const f of pdfFonts(pdf)) assert.ok(f.embedded && f.subset && f.name.includes('DejaVuSans'), JSON.stringify(f));
  });

  it('prints a CN22 on a 4 × 6 in page for the parcel, with the UPU declaration', async () => {
    const pdf = await customsDocumentPdf(customsFormView(facts, 'CN22', 'EP-1'));
    assert.deepEqual(pdfPageSize(pdf), [288, 432]);
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    for (const field of ['CUSTOMS DECLARATION CN 22', 'May be opened officially', 'Skyway Express', 'Package 1 of 2', 'EP-1', '2 × Wool scarf Ærø 1', '0.4 kg', '30.00 GBP', '60.00 GBP', '1.5 kg', 'certify that the particulars given in this declaration are correct']) {
      assert.ok(text.includes(field), `${field} in the CN22`);
    }
    assert.ok(!text.includes('Wool scarf Ærø 59'), 'only its own package');
  });

  it('prints a CN23 on A4 with its comments, the signatory and the date', async () => {
    const pdf = await customsDocumentPdf(customsFormView(facts, 'CN23', 'EP-2'));
    assert.deepEqual(pdfPageSize(pdf).map(Math.round), [595, 842]);
    const text = pdfText(pdf);
    for (const field of ['CUSTOMS DECLARATION CN 23', 'Package 2 of 2', 'SW0000000029XA', 'Hand knitted', 'Dispatch Team', 'Date 2026-11-18', '1800.00 GBP']) assert.ok(text.includes(field), `${field} in the CN23`);
  });

  it('is dated by the declaration, so that a reprint is the same file', async () => {
    const a = await customsDocumentPdf(customsFormView(facts, 'CN23', 'EP-2'));
    const b = await customsDocumentPdf(customsFormView(facts, 'CN23', 'EP-2'));
    assert.ok(a.equals(b));
    assert.match(pdfInfo(a).CreationDate, /Nov 18 .*2026/);
  });
});

describe('reading the stored CustomsDocumentation', () => {
  const consignment = (overrides: Partial<Consignment> = {}): Consignment => ({
    id: 1,
    subscriptionId: 1,
    reference: 'EC-000-05A-Z6S',
    state: 'Allocated',
    version: 2,
    createdAt: '2026-11-10T08:00:00.000+00:00',
    updatedAt: '2026-11-18T09:00:00.000+00:00',
    data: consignmentData(),
    allocation: null,
    failedAllocation: null,
    labelsFirstPrintedAt: null,
    failedManifest: null,
    dispatchedAt: null,
    dateCollected: null,
    dateDelivered: null,
    ...overrides,
  });

  it('takes the invoice number from the first attached invoice, else the consignment’s reference; its date as given, else the day of allocation', () => {
    const given = consignment({ data: consignmentData({ customsDocumentation: { ReferencesOfAttachedInvoices: ['INV-77', 'INV-78'], InvoiceDate: '2026-11-02T00:00:00', CategoryType: 'Gift' } }) });
    assert.deepEqual([readCustomsDeclaration(given).invoiceNumber, readCustomsDeclaration(given).invoiceDate, readCustomsDeclaration(given).category], ['INV-77', '2026-11-02', 'Gift']);
    const allocated = consignment({ allocation: { allocationDate: '2026-11-17T16:00:00.000+00:00' } as Consignment['allocation'] });
    assert.deepEqual([readCustomsDeclaration(allocated).invoiceNumber, readCustomsDeclaration(allocated).invoiceDate, readCustomsDeclaration(allocated).category], ['EC-000-05A-Z6S', '2026-11-17', 'Other']);
    assert.equal(readCustomsDeclaration(allocated).declarationDate, '2026-11-17');
  });

  it('finds the shipper’s EORI in the ShippersEORI metadata and the importer in the Importer address', () => {
    const importer = address({ addressType: 'Importer', companyName: 'Müller Import AG', countryCode: 'CH' });
    const c = consignment({
      data: {
        ...consignmentData({ customsDocumentation: { ImportersVatNumber: ' CHE-1 ', ShippersVatNumber: 'GB9' } }),
        metaData: [{ KeyValue: 'ShippersEORI', StringValue: 'GB123', IntValue: null, DecimalValue: null, DateTimeValue: null, BoolValue: null }],
        addresses: [...consignmentData().addresses, importer],
      },
    });
    const d = readCustomsDeclaration(c);
    assert.equal(d.shipperEori, 'GB123');
    assert.equal(d.shipperVatNumber, 'GB9');
    assert.equal(d.importerVatNumber, 'CHE-1');
    assert.equal(d.importer?.companyName, 'Müller Import AG');
  });
});
