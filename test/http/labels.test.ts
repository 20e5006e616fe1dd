/**
 * Labels over real HTTP (decisions.md §9, endpoints.md P2-1 … P2-6): every path and format,
 * raw bytes on Accept, JSON and XML, the first print recorded once, reprints identical, names in
 * every European script printed as written, and every kind of bad input.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, databaseUnderTest, DEMO_KEY, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { assertError } from '../support/assertions.js';
import { allocate, createConsignment, createSubscription, getConsignment } from '../support/consignments.js';
import { forceState, SettableClock } from '../support/force-state.js';
import { isPdf, pdfFonts, pdfPageImages, pdfPages, pdfPageSize, pdfText, pngInfo, pngSlices, readCode128, readDataMatrix, zplBlocks, zplCommands } from '../support/document-checks.js';

const NAMES = ['Łódź', 'Ærø', 'Straße', 'Zürich', 'Αθήνα', 'Москва'];

/** A consignment from Manchester to Łódź whose sender and recipient carry every European script. */
const EUROPEAN = {
  extra: {
    Addresses: [
      { AddressType: 'Origin', CompanyName: 'Ærø Straße Trading Ltd', AddressLine1: 'Unit 4, Westinghouse Road', Town: 'Manchester', Postcode: 'M17 1PY', Country: { IsoCode: { TwoLetterCode: 'GB' } } },
      {
        AddressType: 'Destination',
        Contact: { FirstName: 'Zofia', LastName: 'Wójcik', Telephone: '+48 42 000 000' },
        AddressLine1: 'ul. Piotrkowska 12',
        AddressLine2: 'c/o Zürich Αθήνα Москва',
        Town: 'Łódź',
        Postcode: '90-001',
        Country: { IsoCode: { TwoLetterCode: 'PL' } },
      },
    ],
  },
  packages: [{ kg: 1 }, { kg: 2.5 }],
};

describe(`Labels (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  const clock = new SettableClock('2026-11-18T09:00:00Z');

  before(async () => {
    server = await startServer({ clock });
  });
  after(() => server.close());

  async function allocated(spec = {}, service = 'Example-Carrier-Service'): Promise<string> {
    const ref = await createConsignment(server, spec);
    const res = await allocate(server, service, [ref]);
    assert.equal(res.body[0].StatusCode, 200, res.text);
    return ref;
  }

  /** A label answer's file, checked to be `{ File, ContentType }` of the type. */
  async function file(path: string, contentType: string, options: Parameters<typeof api>[3] = {}): Promise<Buffer> {
    const res = await api(server, options.body === undefined ? 'GET' : 'POST', path, options);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.deepEqual(Object.keys(res.body), ['File', 'ContentType']);
    assert.equal(res.body.ContentType, contentType);
    return Buffer.from(res.body.File, 'base64');
  }

  async function raw(path: string, accept: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
    const res = await fetch(`${server.url}${path}`, { headers: { 'ocp-apim-subscription-key': DEMO_KEY, accept } });
    return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
  }

  const packagesOf = async (ref: string) => (await getConsignment(server, ref)).Packages.map((p: any) => p.Reference) as string[];

  describe('the paths and formats', () => {
    it('answers the allocation summary’s label link with the consignment’s labels: a PDF page per package', async () => {
      const ref = await createConsignment(server, { packages: [{}, {}] });
      const summary = (await allocate(server, 'Example-Carrier-Service', [ref])).body[0];
      const link = summary.ApiLinks.find((l: any) => l.Rel === 'label');
      assert.equal(link.Href, `${server.url}/labels/${ref}`);
      const pdf = await file(link.Href.slice(server.url.length), 'application/pdf');
      assert.ok(isPdf(pdf));
      assert.equal(pdfPages(pdf), 2);
      assert.deepEqual(pdfPageSize(pdf), [288, 432]);
    });

    it('reads /labels/{ref}/{x} as a format when x is PDF, PNG, ZPL or ZPLII in any case, else as a package', async () => {
      const ref = await allocated({ packages: [{}, {}] });
      const [, second] = await packagesOf(ref);
      assert.equal(pdfPages(await file(`/labels/${ref}/pdf`, 'application/pdf')), 2);
      assert.equal(pngInfo(await file(`/labels/${ref}/PNG`, 'image/png')).height, 2436);
      assert.equal(zplBlocks((await file(`/labels/${ref}/zpl`, 'application/zpl')).toString()).length, 2);
      assert.equal(zplBlocks((await file(`/labels/${ref}/ZplII`, 'application/zpl')).toString()).length, 2);
      const one = await file(`/labels/${ref.toLowerCase()}/${second.toLowerCase()}`, 'application/pdf');
      assert.equal(pdfPages(one), 1);
      assert.match(pdfText(one), /2 of 2/);
    });

    it('answers one package’s labels at /labels/package/{ref}/{pkg}, in a format when one is named', async () => {
      const ref = await allocated({ packages: [{}, {}] });
      const [first] = await packagesOf(ref);
      const pdf = await file(`/labels/package/${ref}/${first}`, 'application/pdf');
      assert.equal(pdfPages(pdf), 1);
      assert.match(pdfText(pdf), /1 of 2/);
      const zpl = (await file(`/labels/package/${ref}/${first}/ZPL`, 'application/zpl')).toString();
      assert.equal(zplBlocks(zpl).length, 1);
      assert.ok(zpl.includes(first));
      assert.equal(pngInfo(await file(`/labels/package/${ref}/${first}/png`, 'image/png')).height, 1218);
    });

    it('answers the SDK’s POST /labels/GetLabels, PageSize 1 putting four labels on an A4 page, in JSON and XML', async () => {
      const ref = await allocated({ packages: [{}, {}, {}, {}, {}] });
      const a4 = await file('/labels/GetLabels', 'application/pdf', { body: { MpdConsignmentReference: ref, PageSize: 1, CustomerReference: 'x', AccountReference: 'y', AutoPrint: true } });
      assert.equal(pdfPages(a4), 2);
      assert.deepEqual(pdfPageSize(a4).map(Math.round), [595, 842]);
      assert.equal(pdfPages(await file('/labels/getlabels', 'application/pdf', { body: { mpdConsignmentReference: ref, pageSize: 'A6' } })), 5);
      const xml = await api(server, 'POST', '/labels/GetLabels', {
        headers: { accept: 'application/xml' },
        body: `<GetLabelsRequest xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.LabelGeneration"><MpdConsignmentReference>${ref}</MpdConsignmentReference><PageSize>A4</PageSize><LabelFormat>zpl</LabelFormat></GetLabelsRequest>`,
      });
      assert.equal(xml.status, 200, xml.text);
      assert.match(xml.text, /^<\?xml version="1.0" encoding="utf-8"\?>\n<GetLabelsResponse xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.LabelGeneration" xmlns:i="http:\/\/www.w3.org\/2001\/XMLSchema-instance"><File>[A-Za-z0-9+/=]+<\/File><ContentType>application\/zpl<\/ContentType><\/GetLabelsResponse>$/);
      const zpl = Buffer.from(/<File>([^<]+)<\/File>/.exec(xml.text)![1], 'base64').toString();
      assert.equal(zplBlocks(zpl).length, 5);
    });

    it('answers the PHP client’s GET /documents/labels/{ref} with the key Content-Type as well', async () => {
      const ref = await allocated();
      const res = await api(server, 'GET', `/documents/labels/${ref}`);
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), ['File', 'ContentType', 'Content-Type']);
      assert.equal(res.body['Content-Type'], 'application/pdf');
      assert.ok(isPdf(Buffer.from(res.body.File, 'base64')));
    });

    it('answers the bytes themselves for Accept application/pdf, image/png or application/zpl', async () => {
      const ref = await allocated();
      const pdf = await raw(`/labels/${ref}`, 'application/pdf');
      assert.equal(pdf.status, 200);
      assert.equal(pdf.type, 'application/pdf');
      assert.ok(isPdf(pdf.bytes));
      const png = await raw(`/labels/${ref}`, 'image/png');
      assert.equal(png.type, 'image/png');
      assert.equal(pngInfo(png.bytes).dpi, 203);
      const zpl = await raw(`/labels/${ref}/zplii`, 'application/zpl');
      assert.equal(zpl.type, 'application/zpl');
      assert.equal(zplBlocks(zpl.bytes.toString()).length, 1);
      const json = await raw(`/labels/${ref}/png`, '*/*');
      assert.match(json.type ?? '', /^application\/json/);
    });

    it('refuses with 406 an Accept that asks for another format than the path names, and answers errors in JSON', async () => {
      const ref = await allocated();
      const conflict = await raw(`/labels/${ref}/zpl`, 'application/pdf');
      assert.equal(conflict.status, 406);
      assert.match(conflict.type ?? '', /^application\/json/);
      assert.equal(JSON.parse(conflict.bytes.toString()).Code, 'NotAcceptable');
      const missing = await raw('/labels/EC-ZZZ-ZZZ-ZZZ', 'application/pdf');
      assert.equal(missing.status, 404);
      assert.match(missing.type ?? '', /^application\/json/);
      assert.equal(JSON.parse(missing.bytes.toString()).Code, 'ConsignmentNotFound');
      assert.equal((await raw(`/labels/${ref}`, 'text/csv')).status, 406);
    });
  });

  describe('what the labels carry', () => {
    it('prints every name and address as written, in the embedded font, with each label’s barcodes scanning back', async () => {
      const ref = await allocated(EUROPEAN, 'EL-EU-ROAD');
      const c = await getConsignment(server, ref);
      const tracking = c.ConsignmentLegs.flatMap((l: any) => l.TrackingReferences);
      const pdf = await file(`/labels/${ref}`, 'application/pdf');
      assert.equal(pdfPages(pdf), 4, 'two packages on each of two legs');
      const text = pdfText(pdf);
      for (const name of NAMES) assert.ok(text.includes(name), `${name} in the PDF`);
      for (const f of pdfFonts(pdf)) assert.ok(f.embedded && f.subset && /DejaVuSans/.test(f.name), JSON.stringify(f));
      const pages = pdfPageImages(pdf);
      assert.deepEqual(pages.map((p) => readCode128(p)), tracking.map((t: string) => [t]));
      assert.deepEqual(readDataMatrix(pages[3]), [`${tracking[3]}|90-001|PL`]);
      const png = await file(`/labels/${ref}/png`, 'image/png');
      assert.deepEqual(pngInfo(png), { width: 812, height: 4 * 1218, bitDepth: 1, colourType: 0, dpi: 203 });
      const slices = await pngSlices(png, 1218);
      assert.deepEqual(slices.map((s) => readCode128(s)), tracking.map((t: string) => [t]));
      assert.deepEqual(readDataMatrix(slices[0]), [`${tracking[0]}|90-001|PL`]);
      const zpl = (await file(`/labels/${ref}/zpl`, 'application/zpl')).toString('utf8');
      const blocks = zplBlocks(zpl);
      assert.equal(blocks.length, 4);
      for (const block of blocks) assert.ok(zplCommands(block).includes('^CI28'));
      for (const name of NAMES) assert.ok(zpl.includes(`${name}`), `${name} in the ZPL`);
    });

    it('gives the same bytes on a reprint, in every format and on A4, however much later', async () => {
      const ref = await allocated({ packages: [{}, {}] });
      const paths = [`/labels/${ref}`, `/labels/${ref}/png`, `/labels/${ref}/zpl`, `/labels/${ref}?pageSize=A4`];
      const first = await Promise.all(paths.map((p) => api(server, 'GET', p)));
      clock.set('2026-12-01T12:00:00Z');
      try {
        const again = await Promise.all(paths.map((p) => api(server, 'GET', p)));
        again.forEach((res, i) => assert.equal(res.body.File, first[i].body.File, paths[i]));
      } finally {
        clock.set('2026-11-18T09:00:00Z');
      }
    });
  });

  describe('LabelsPrinted', () => {
    it('is false with no date before the first print, and LabelCount is packages × legs', async () => {
      const ref = await allocated(EUROPEAN, 'EL-EU-ROAD');
      const c = await getConsignment(server, ref);
      assert.equal(c.LabelCount, 4);
      assert.equal(c.LabelsPrinted, false);
      assert.equal(c.HaveLabelsEverBeenPrinted, false);
      assert.equal(c.DateLabelsWereFirstPrinted, null);
      assert.equal((await getConsignment(server, await createConsignment(server))).LabelCount, 0);
    });

    it('is not set by a HEAD, which answers as a GET would with no body', async () => {
      const ref = await allocated();
      for (const path of [`/labels/${ref}`, `/labels/${ref}/zpl`, `/documents/labels/${ref}`]) {
        const head = await fetch(`${server.url}${path}`, { method: 'HEAD', headers: { 'ocp-apim-subscription-key': DEMO_KEY } });
        assert.equal(head.status, 200, path);
        assert.equal((await head.arrayBuffer()).byteLength, 0);
      }
      const c = await getConsignment(server, ref);
      assert.equal(c.LabelsPrinted, false, 'a link checker or a prefetching proxy prints nothing');
      assert.equal(c.DateLabelsWereFirstPrinted, null);
    });

    it('is set once by the first print, however many ask at once, shown on the consignment, its summary and its audit trail', async () => {
      const ref = await allocated({ packages: [{}, {}] });
      clock.set('2026-11-18T10:15:00Z');
      try {
        const answers = await Promise.all([`/labels/${ref}`, `/labels/${ref}/zpl`, `/labels/${ref}/png`, `/documents/labels/${ref}`, `/labels/${ref}`].map((p) => api(server, 'GET', p)));
        for (const a of answers) assert.equal(a.status, 200);
        clock.set('2026-11-19T08:00:00Z');
        await api(server, 'GET', `/labels/${ref}`);
      } finally {
        clock.set('2026-11-18T09:00:00Z');
      }
      const c = await getConsignment(server, ref);
      assert.equal(c.LabelsPrinted, true);
      assert.equal(c.HaveLabelsEverBeenPrinted, true);
      assert.equal(Date.parse(c.DateLabelsWereFirstPrinted), Date.parse('2026-11-18T10:15:00Z'));
      const audit = (await api(server, 'GET', `/consignments/${ref}/audit`)).body.filter((e: any) => e.Action === 'LabelsPrinted');
      assert.equal(audit.length, 1);
      assert.equal(c.ConsignmentState, 'Allocated', 'printing changes no state');
      const [summary] = (await api(server, 'GET', `/consignments/10/0?reference=${ref}`)).body.ConsignmentSummaries;
      assert.equal(summary.LabelsPrinted, true);
      assert.equal(summary.HaveLabelsEverBeenPrinted, true);
      assert.equal(summary.DateLabelsWereFirstPrinted, c.DateLabelsWereFirstPrinted);
      assert.equal((await api(server, 'GET', `/consignments/10/0?reference=${ref}&labelsPrinted=true`)).body.Count, 1);
      assert.equal((await api(server, 'GET', `/consignments/10/0?reference=${ref}&labelsPrinted=false`)).body.Count, 0);
    });
  });

  describe('refusals', () => {
    it('prints labels in every print state of states.md §3.2, and refuses the others with 409 naming the state', async () => {
      for (const state of ['ReadyToShip', 'Manifested', 'ManifestFailed', 'Dispatched', 'InTransit', 'Delivered', 'DeliveryFailed', 'ReturnToSender']) {
        const ref = await allocated();
        await forceState(server, ref, state);
        assert.equal((await api(server, 'GET', `/labels/${ref}/zpl`)).status, 200, state);
      }
      const unallocated = await createConsignment(server);
      const body = assertError(await api(server, 'GET', `/labels/${unallocated}`), 409, 'InvalidState');
      assert.match(body.Message, /Unallocated/);
      const failed = await createConsignment(server, { packages: [{ kg: 40 }] });
      await allocate(server, 'Example-Carrier-Service', [failed]);
      assert.match(assertError(await api(server, 'GET', `/labels/${failed}`), 409, 'InvalidState').Message, /AllocationFailed/);
      const cancelled = await allocated();
      assert.equal((await api(server, 'PUT', `/consignments/${cancelled}/cancel`)).status, 200);
      assert.match(assertError(await api(server, 'POST', '/labels/GetLabels', { body: { MpdConsignmentReference: cancelled } }), 409, 'InvalidState').Message, /Cancelled/);
      assert.equal((await getConsignment(server, unallocated)).LabelsPrinted, false);
    });

    it('refuses an unknown format or page size with 400 naming it', async () => {
      const ref = await allocated();
      const [pkg] = await packagesOf(ref);
      const body = assertError(await api(server, 'GET', `/labels/package/${ref}/${pkg}/gif`), 400, 'ValidationFailed');
      assert.deepEqual(body.Details.map((d: any) => d.Target), ['labelFormat']);
      assert.match(body.Details[0].Message, /gif/);
      assert.match(assertError(await api(server, 'GET', `/labels/${ref}/gif`), 400, 'ValidationFailed').Details[0].Message, /gif/);
      assert.equal(assertError(await api(server, 'GET', `/labels/${ref}?pageSize=A3`), 400, 'ValidationFailed').Details[0].Target, 'pageSize');
      assert.equal((await getConsignment(server, ref)).LabelsPrinted, false, 'a refused request prints nothing');
    });

    it('answers 404 PackageNotFound for a package that is not the consignment’s, and 404 for another subscription’s consignment', async () => {
      const ref = await allocated();
      const other = await allocated();
      const [theirs] = await packagesOf(other);
      assertError(await api(server, 'GET', `/labels/package/${ref}/${theirs}`), 404, 'PackageNotFound');
      assertError(await api(server, 'GET', `/labels/${ref}/EP-ZZZ-ZZZ-ZZZ`), 404, 'PackageNotFound');
      const stranger = await createSubscription(server, 'Stranger');
      for (const path of [`/labels/${ref}`, `/labels/${ref}/zpl`, `/labels/package/${ref}/${theirs}`, `/documents/labels/${ref}`]) {
        const body = assertError(await api(server, 'GET', path, { key: stranger.ApiKey }), 404, 'ConsignmentNotFound');
        assert.doesNotMatch(body.Message, /subscription/i);
      }
      assertError(await api(server, 'POST', '/labels/GetLabels', { key: stranger.ApiKey, body: { MpdConsignmentReference: ref } }), 404, 'ConsignmentNotFound');
      assertError(await api(server, 'GET', '/labels/EC-ZZZ-ZZZ-ZZZ'), 404, 'ConsignmentNotFound');
      assert.equal((await getConsignment(server, ref)).LabelsPrinted, false);
    });

    it('lists every problem of a GetLabels body in one 400, and refuses a malformed one', async () => {
      const body = assertError(await api(server, 'POST', '/labels/GetLabels', { body: { MpdConsignmentReference: 5, PageSize: 'A9', LabelFormat: 'gif', AutoPrint: 'maybe' } }), 400, 'ValidationFailed');
      assert.deepEqual(body.Details.map((d: any) => d.Target).sort(), ['AutoPrint', 'LabelFormat', 'MpdConsignmentReference', 'PageSize']);
      assert.deepEqual(assertError(await api(server, 'POST', '/labels/GetLabels', { body: {} }), 400, 'ValidationFailed').Details.map((d: any) => d.Target), ['MpdConsignmentReference']);
      assertError(await api(server, 'POST', '/labels/GetLabels', { body: '{"MpdConsignmentReference":', contentType: 'application/json' }), 400, 'MalformedBody');
      assertError(await api(server, 'POST', '/labels/GetLabels', { body: '', contentType: 'application/json' }), 400, 'ValidationFailed');
    });

    it('treats the other endpoints’ own words as no consignment', async () => {
      assertError(await api(server, 'GET', '/labels/package'), 404, 'RouteNotFound');
      assertError(await api(server, 'GET', '/labels/package/EC-000-05A-Z6S'), 404, 'RouteNotFound');
      assertError(await api(server, 'GET', '/labels/GetLabels'), 404, 'RouteNotFound');
    });
  });

  it('documents every label path in /openapi.json with the file types it answers', async () => {
    const doc = (await api(server, 'GET', '/openapi.json', { key: null })).body;
    for (const path of ['/labels/{reference}', '/labels/{reference}/{labelFormatOrPackage}', '/labels/package/{reference}/{packageReference}', '/labels/package/{reference}/{packageReference}/{labelFormat}', '/documents/labels/{reference}']) {
      assert.ok(doc.paths[path]?.get, path);
      assert.deepEqual(Object.keys(doc.paths[path].get.responses['200'].content), ['application/json', 'application/xml', 'application/pdf', 'image/png', 'application/zpl']);
    }
    assert.ok(doc.paths['/labels/GetLabels'].post.requestBody);
  });
});
