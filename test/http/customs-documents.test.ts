/**
 * Customs documents over real HTTP (decisions.md §10, endpoints.md P2-7 … P2-9): which documents
 * a consignment has (none, or a commercial invoice and a CN22 or CN23 per package), the UPU
 * fields they carry, each document by its own path, raw PDFs on Accept, XML, refusals, tenancy,
 * and no /consignments/docs/... path ever read as a search.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, databaseUnderTest, DEMO_KEY, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { assertError } from '../support/assertions.js';
import { allocate, createConsignment, createSubscription, getConsignment } from '../support/consignments.js';
import { isPdf, pdfPageSize, pdfText } from '../support/document-checks.js';

const item = (description: string, quantity: number, amount: number, kg: number, hs: string) => ({
  Description: description,
  Quantity: quantity,
  Value: { Amount: amount, Currency: { IsoCode: 'GBP' } },
  Weight: { Value: kg, Unit: 'Kg' },
  HarmonisationCode: hs,
  CountryOfOrigin: { IsoCode: { TwoLetterCode: 'GB' } },
});

/** To Zürich by Worldwide Air: a light, cheap parcel (a CN22) and a heavy one (a CN23), with a declaration. */
const TO_ZURICH = {
  destination: { country: 'CH', postcode: '8001', town: 'Zürich', line1: 'Bahnhofstrasse 1' },
  packages: [
    { kg: 1.2, items: [item('Wool scarf', 2, 25, 0.3, '6117100000')] },
    { kg: 6, items: [item('Walking boots', 1, 180, 2.4, '6403910000'), item('Ærø wool socks', 4, 12.5, 0.1, '6115950000')] },
  ],
  extra: {
    CustomsDocumentation: { CategoryType: 'SaleOfGoods', ShippingTerms: 'DAP', ImportersVatNumber: 'CHE-123.456.789', ReasonForExport: 'Sale', InvoiceDate: '2026-11-17T00:00:00', DesignatedPersonResponsible: 'Dispatch Team' },
    MetaData: [{ KeyValue: 'ShippersEORI', StringValue: 'GB123456789000' }],
  },
};

describe(`Customs documents (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;

  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function allocated(spec = {}, service = 'SW-WORLD-AIR'): Promise<string> {
    const ref = await createConsignment(server, spec);
    const res = await allocate(server, service, [ref]);
    assert.equal(res.body[0].StatusCode, 200, res.text);
    return ref;
  }

  const packagesOf = async (ref: string) => (await getConsignment(server, ref)).Packages.map((p: any) => p.Reference) as string[];
  const pdfOf = (base64: string) => Buffer.from(base64, 'base64');

  it('lists a commercial invoice and, per package, a CN22 or CN23, each { Key: file name, Value: base64 }', async () => {
    const ref = await allocated(TO_ZURICH);
    const [light, heavy] = await packagesOf(ref);
    const res = await api(server, 'GET', `/consignments/docs/${ref}`);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.deepEqual(Object.keys(res.body), ['CommercialInvoiceDocuments', 'CN22Documents', 'CN23Documents']);
    assert.deepEqual(res.body.CommercialInvoiceDocuments.map((d: any) => d.Key), [`CommercialInvoice-${ref}.pdf`]);
    assert.deepEqual(res.body.CN22Documents.map((d: any) => d.Key), [`CN22-${ref}-${light}.pdf`]);
    assert.deepEqual(res.body.CN23Documents.map((d: any) => d.Key), [`CN23-${ref}-${heavy}.pdf`]);
    for (const d of [...res.body.CommercialInvoiceDocuments, ...res.body.CN22Documents, ...res.body.CN23Documents]) {
      assert.deepEqual(Object.keys(d), ['Key', 'Value']);
      assert.ok(isPdf(pdfOf(d.Value)));
    }
    const invoice = pdfText(pdfOf(res.body.CommercialInvoiceDocuments[0].Value));
    for (const field of ['COMMERCIAL INVOICE', ref, '2026-11-17', 'Switchyard Demo Ltd', 'Sam Tester', 'Zürich', 'Switzerland', 'EORI: GB123456789000', 'VAT number: CHE-123.456.789', 'Wool scarf', 'Walking boots', 'Ærø wool socks', '6403910000', '50.00 GBP', '280.00 GBP', 'Sale of goods', 'DAP', 'Skyway Express']) {
      assert.ok(invoice.includes(field), `${field} on the invoice`);
    }
    const cn22 = pdfOf(res.body.CN22Documents[0].Value);
    assert.deepEqual(pdfPageSize(cn22), [288, 432]);
    assert.match(pdfText(cn22), /CUSTOMS DECLARATION CN 22[\s\S]*Wool scarf[\s\S]*6117100000/);
    const cn23 = pdfOf(res.body.CN23Documents[0].Value);
    assert.deepEqual(pdfPageSize(cn23).map(Math.round), [595, 842]);
    const text = pdfText(cn23);
    for (const field of ['CUSTOMS DECLARATION CN 23', 'Walking boots', 'Ærø wool socks', '230.00 GBP', '6 kg', 'Dispatch Team']) assert.ok(text.includes(field), `${field} on the CN23`);
    assert.ok(!text.includes('Wool scarf'), 'a package’s form declares that package only');
  });

  it('answers each document by its own path as a base64 string, the PDF itself on Accept application/pdf, and base64Binary in XML', async () => {
    const ref = await allocated(TO_ZURICH);
    const [light, heavy] = await packagesOf(ref);
    const all = (await api(server, 'GET', `/consignments/docs/${ref}`)).body;
    const invoice = await api(server, 'GET', `/consignments/docs/commercialinvoice/${ref.toLowerCase()}`);
    assert.equal(invoice.status, 200);
    assert.equal(invoice.body, all.CommercialInvoiceDocuments[0].Value, 'the same document, a reprint byte for byte');
    assert.equal((await api(server, 'GET', `/consignments/docs/CommercialInvoice/${ref}/${light}`)).body, invoice.body);
    assert.equal((await api(server, 'GET', `/consignments/docs/CN22/${ref}/${light}`)).body, all.CN22Documents[0].Value);
    assert.equal((await api(server, 'GET', `/consignments/docs/cn23/${ref}/${heavy.toLowerCase()}`)).body, all.CN23Documents[0].Value);
    const raw = await fetch(`${server.url}/consignments/docs/CN23/${ref}/${heavy}`, { headers: { 'ocp-apim-subscription-key': DEMO_KEY, accept: 'application/pdf' } });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get('content-type'), 'application/pdf');
    assert.ok(Buffer.from(await raw.arrayBuffer()).equals(pdfOf(all.CN23Documents[0].Value)));
    const xml = await api(server, 'GET', `/consignments/docs/commercialinvoice/${ref}`, { headers: { accept: 'application/xml' } });
    assert.match(xml.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<base64Binary xmlns="[^"]+" xmlns:i="[^"]+">/);
    assert.ok(xml.text.endsWith(`>${invoice.body}</base64Binary>`));
    const list = await api(server, 'GET', `/consignments/docs/${ref}`, { headers: { accept: 'application/xml' } });
    assert.match(list.text, /<GetCustomsDocumentationResponse [^>]+><CommercialInvoiceDocuments><KeyValuePairOfstringbase64Binary><Key>CommercialInvoice-/);
  });

  it('needs customs from Great Britain into the EU too, judging CN22 or CN23 on the value in GBP at the catalogue’s rates', async () => {
    const spec = (amount: number) => ({
      destination: { country: 'FR', postcode: '75001', town: 'Paris' },
      packages: [{ kg: 1, value: amount, currency: 'EUR' }],
    });
    // 313.95 EUR is 270.00 GBP at 0.86; 314 EUR is 270.04 GBP.
    const under = (await api(server, 'GET', `/consignments/docs/${await allocated(spec(313.95), 'EL-EU-ROAD')}`)).body;
    assert.deepEqual([under.CommercialInvoiceDocuments.length, under.CN22Documents.length, under.CN23Documents.length], [1, 1, 0]);
    const over = (await api(server, 'GET', `/consignments/docs/${await allocated(spec(314), 'EL-EU-ROAD')}`)).body;
    assert.deepEqual([over.CommercialInvoiceDocuments.length, over.CN22Documents.length, over.CN23Documents.length], [1, 0, 1]);
  });

  it('has no customs documents for a consignment within Great Britain: empty lists, and 404 DocumentNotFound for each', async () => {
    const ref = await allocated({}, 'Example-Carrier-Service');
    const [pkg] = await packagesOf(ref);
    const res = await api(server, 'GET', `/consignments/docs/${ref}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { CommercialInvoiceDocuments: [], CN22Documents: [], CN23Documents: [] });
    assertError(await api(server, 'GET', `/consignments/docs/commercialinvoice/${ref}`), 404, 'DocumentNotFound');
    assertError(await api(server, 'GET', `/consignments/docs/CN22/${ref}/${pkg}`), 404, 'DocumentNotFound');
  });

  it('answers 404 DocumentNotFound for the form a package does not have, PackageNotFound for another package, 400 for an unknown type', async () => {
    const ref = await allocated(TO_ZURICH);
    const [light] = await packagesOf(ref);
    assert.match(assertError(await api(server, 'GET', `/consignments/docs/CN23/${ref}/${light}`), 404, 'DocumentNotFound').Message, /CN23/);
    assertError(await api(server, 'GET', `/consignments/docs/CN22/${ref}/EP-ZZZ-ZZZ-ZZZ`), 404, 'PackageNotFound');
    const body = assertError(await api(server, 'GET', `/consignments/docs/CN99/${ref}/${light}`), 400, 'ValidationFailed');
    assert.deepEqual(body.Details.map((d: any) => d.Target), ['customsDocumentType']);
  });

  it('refuses before allocation and once cancelled with 409 naming the state, and finds no other subscription’s consignment', async () => {
    const unallocated = await createConsignment(server, TO_ZURICH);
    const [pkg] = await packagesOf(unallocated);
    for (const path of [`/consignments/docs/${unallocated}`, `/consignments/docs/commercialinvoice/${unallocated}`, `/consignments/docs/CN22/${unallocated}/${pkg}`]) {
      assert.match(assertError(await api(server, 'GET', path), 409, 'InvalidState').Message, /Unallocated/);
    }
    const cancelled = await allocated(TO_ZURICH);
    assert.equal((await api(server, 'PUT', `/consignments/${cancelled}/cancel`)).status, 200);
    assert.match(assertError(await api(server, 'GET', `/consignments/docs/${cancelled}`), 409, 'InvalidState').Message, /Cancelled/);
    const ref = await allocated(TO_ZURICH);
    const stranger = await createSubscription(server, 'Customs stranger');
    const [light] = await packagesOf(ref);
    for (const path of [`/consignments/docs/${ref}`, `/consignments/docs/commercialinvoice/${ref}`, `/consignments/docs/CN22/${ref}/${light}`]) {
      assertError(await api(server, 'GET', path, { key: stranger.ApiKey }), 404, 'ConsignmentNotFound');
    }
  });

  it('never reads a /consignments/docs/... path as the search /consignments/{take}/{skip}', async () => {
    await allocated(TO_ZURICH);
    for (const path of [
      '/consignments/docs/10', '/consignments/docs/10/0', '/consignments/DOCS/5', '/consignments/Docs/5/0', '/consignments/docs/', '/consignments/docs',
      '/consignments/%64ocs/10', '/consignments/docs/commercialinvoice', '/consignments/docs/CN22', '/consignments/docs/cn23/10', '/consignments/docs/10?state=Allocated',
    ]) {
      const res = await api(server, 'GET', path);
      assert.notEqual(res.status, 200, `${path} answered ${res.text.slice(0, 200)}`);
      assert.ok(!('ConsignmentSummaries' in (res.body ?? {})), `${path} was read as a search`);
      assert.ok(['RouteNotFound', 'ConsignmentNotFound'].includes(res.body.Code), `${path}: ${res.body.Code}`);
    }
    assert.equal((await api(server, 'GET', '/consignments/10/0')).status, 200, 'the search itself still answers');
  });
});
