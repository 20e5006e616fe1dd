/**
 * The operator console in a real browser (Debian's Chromium driven by playwright-core) against a
 * real server with the demo data, on the database the run is for: what an operator does on a
 * first day, checked against what the API then holds.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, launchBrowser } from '../support/browser.js';
import { builtConsole } from '../support/console-build.js';
import { consignmentRequest, createSubscription } from '../support/consignments.js';
import { isPdf, pdfPageImages, readCode128 } from '../support/document-checks.js';
import { ADMIN_TOKEN, api, databaseUnderTest, DEFAULT_NOW, DEMO_KEY, skipReason, startServer, type TestServer } from '../support/test-server.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The reference of the demo consignment with this customer reference. */
async function demo(server: TestServer, name: string): Promise<string> {
  const res = await api<string[]>(server, 'GET', `/consignments/getConsignmentReferences?referenceProvidedByCustomer=${name}`);
  assert.equal(res.body.length, 1, name);
  return res.body[0];
}

/** The page's violations of WCAG 2 A and AA that axe-core finds, as "rule: what" lines. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  // Through the DevTools protocol, which the page's Content-Security-Policy does not govern (an inline script would be refused).
  await page.evaluate(AXE);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
}

/** Until the page has shown what it was loading: nothing busy, nothing "Loading…". */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]') && !/Loading…/.test(document.body.innerText));
}

describe(`the console in a browser (${databaseUnderTest})`, { skip: skipReason || browserSkipReason }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every URL the page asked for, and every script error it had. */
  let requested: string[];
  let errors: string[];

  before(async () => {
    server = await startServer({ env: { SWITCHYARD_CONSOLE_DIR: await builtConsole(), SWITCHYARD_DEMO_STORIES: 'true' } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    // The browser's today is the server's (the test clock's), so that "today" means one day to both.
    await page.clock.setFixedTime(new Date(DEFAULT_NOW));
    requested = [];
    errors = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterEach(async () => {
    assert.deepEqual(errors, [], 'no script error');
    assert.deepEqual(requested.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:') && !u.startsWith('blob:')), [], 'nothing asked of another host');
    assert.deepEqual(requested.filter((u) => u.includes(DEMO_KEY)), [], 'the key is never in a URL');
    await context.close();
  });

  async function signIn(): Promise<void> {
    await page.goto(`${server.url}/`);
    await page.getByLabel('API key').fill(DEMO_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  }

  it('refuses a wrong key with the API’s own message, then signs in with the demo key and shows the counts per state', async () => {
    await page.goto(`${server.url}/`);
    assert.equal(new URL(page.url()).pathname, '/console');
    await page.getByLabel('API key').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refusal = await api(server, 'GET', '/carrierservices', { key: 'not-a-key' });
    assert.equal(refusal.status, 401);
    // The API's own words, and nothing else (not a "signed out" for someone never signed in).
    await page.getByRole('alert').getByText(refusal.body.Message).waitFor();
    assert.equal((await page.getByRole('alert').locator('p').first().innerText()).trim(), `${refusal.body.Message} (Unauthorized)`);

    await page.getByLabel('API key').fill(DEMO_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const summary = (await api(server, 'GET', '/consignments/summary')).body as { NumberOfConsignments: number; Summary: { Key: string; Value: number }[] };
    await page.getByText(`${summary.NumberOfConsignments} consignments in all`).waitFor();
    const cards = page.locator('.cards .card');
    assert.equal(await cards.count(), summary.Summary.length);
    for (const { Key, Value } of summary.Summary) {
      const card = page.locator('.cards .card', { has: page.locator(`text=/^${Key.replace(/([a-z])([A-Z])/g, '$1 $2')}$/i`) });
      assert.equal((await card.locator('.count').innerText()).trim(), String(Value), Key);
    }
    assert.equal(await page.evaluate(() => sessionStorage.getItem('switchyard.apiKey')), DEMO_KEY, 'kept for this tab');

    // Today's collections, per carrier, as the API counts them.
    const today = DEFAULT_NOW.slice(0, 10);
    const collections = (await api(server, 'GET', `/consignments/summary/carriers?collectionDateFrom=${today}&collectionDateTo=${today}`)).body as { Carriers: { CarrierName: string; NumberOfConsignments: number }[] };
    assert.ok(collections.Carriers.length > 0, 'the demo has collections today');
    const table = page.getByRole('region', { name: /Today’s collections/ }).getByRole('table');
    await table.waitFor();
    for (const carrier of collections.Carriers) {
      const row = table.getByRole('row', { name: new RegExp(`^${carrier.CarrierName}`) });
      assert.equal((await row.locator('td.num').innerText()).trim(), String(carrier.NumberOfConsignments), carrier.CarrierName);
    }
    assert.equal(await table.locator('tbody tr').count(), collections.Carriers.length);
  });

  it('sorts the list by a column, both ways, as the API orders it, and pages through it', async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ ...consignmentRequest({ destination: { town: `Town ${String.fromCharCode(65 + ((i * 7) % 26))}` } }), ConsignmentReferenceProvidedByCustomer: `SORT-${String((i * 13) % 30).padStart(2, '0')}` }));
    assert.equal((await api(server, 'POST', '/consignments/bulk', { body: items })).status, 200);
    await signIn();
    await page.goto(`${server.url}/console/consignments?searchTerm=sort-&size=25`);
    await page.getByText('30 consignments').waitFor();
    const shown = () => page.locator('table.consignments tbody tr td:nth-child(3)').allInnerTexts();
    const header = page.getByRole('columnheader', { name: /Customer reference/ });
    // The sort button says what it does, and the status what the list now shows.
    assert.match((await header.getByRole('button').textContent()) ?? '', /Customer reference: sort by it/);
    await header.getByRole('button').click();
    await page.getByRole('status').getByText('30 consignments, 1–25 shown, by customer reference, ascending').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('orderBy'), 'customerReference');
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    const ascending = (await api<string[]>(server, 'GET', '/consignments/getConsignmentReferences?searchTerm=sort-&orderBy=customerReference')).body;
    assert.deepEqual(await shown(), Array.from({ length: 25 }, (_, i) => `SORT-${String(i).padStart(2, '0')}`));
    assert.deepEqual(await page.locator('table.consignments tbody th').allInnerTexts(), ascending.slice(0, 25), 'in the API’s order');
    await header.getByRole('button').click();
    await page.getByRole('status').getByText('30 consignments, 1–25 shown, by customer reference, descending').waitFor();
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    assert.equal((await shown())[0], 'SORT-29');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('status').getByText('30 consignments, 26–30 shown, by customer reference, descending').waitFor();
    assert.deepEqual(await shown(), ['SORT-04', 'SORT-03', 'SORT-02', 'SORT-01', 'SORT-00']);
    // At the last page Next stays where the keyboard left it, and does nothing.
    const next = page.getByRole('button', { name: 'Next' });
    await next.focus();
    await page.keyboard.press('Enter');
    assert.equal(await next.getAttribute('aria-disabled'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Next');
    assert.equal(new URL(page.url()).searchParams.get('page'), '2');
  });

  it('takes a failed allocation through its reasons and a quote to a printed label and a manifest', async () => {
    const failed = await demo(server, 'DEMO-FAILED');
    await signIn();
    // The dashboard points at what needs attention.
    await page.getByRole('region', { name: 'Needs attention' }).getByRole('link', { name: '1 allocation failed' }).click();
    await page.getByRole('heading', { name: 'Not shipped', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('state'), 'AllocationFailed');
    await page.getByText('1 consignment').first().waitFor();
    await page.getByRole('link', { name: failed }).click();

    // Every failed check, with its numbers.
    const reasons = page.getByRole('region', { name: 'Why the allocation failed' });
    await reasons.waitFor();
    const stored = (await api(server, 'GET', `/consignments/${failed}`)).body.FailedAllocation.Reasons as { Code: string; Message: string }[];
    assert.ok(stored.length > 0);
    for (const reason of stored) await reasons.locator('li', { hasText: `${reason.Code} ${reason.Message}` }).waitFor();
    assert.match(await reasons.innerText(), /PackageTooHeavy[\s\S]*45 kg[\s\S]*30 kg/);

    // The quotes: the one service that can carry it, and why every other cannot.
    await page.getByRole('button', { name: 'Get quotes' }).click();
    const unqualified = page.getByRole('region', { name: 'Services that cannot carry it' });
    await unqualified.waitFor();
    assert.match(await unqualified.innerText(), /Carrier X Next Day[\s\S]*PackageTooHeavy/);
    await page.getByRole('button', { name: 'Allocate with Northern Parcels Heavy Freight' }).click();
    await page.locator('.title-row .badge', { hasText: 'Allocated' }).waitFor();
    // The quotes are gone with the state: the focus is on what happened, in the API's words.
    assert.match(await page.evaluate(() => document.activeElement?.closest('.notice-area')?.textContent ?? 'focus elsewhere'), /successfully allocated with Northern Parcels Heavy Freight/);
    const allocated = (await api(server, 'GET', `/consignments/${failed}`)).body;
    assert.equal(allocated.ConsignmentState, 'Allocated');
    assert.equal(allocated.Allocation.MpdCarrierServiceReference, 'NP-HEAVY-FREIGHT');

    // Its label: a real PDF whose barcode reads back as the tracking reference.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Print labels (PDF)' }).click()]);
    assert.equal(download.suggestedFilename(), `labels-${failed}.pdf`);
    const pdf = readFileSync((await download.path())!);
    assert.ok(isPdf(pdf));
    const tracking = allocated.ConsignmentLegs[0].TrackingReferences[0] as string;
    assert.ok(readCode128(pdfPageImages(pdf)[0]).includes(tracking), `the label's barcode reads ${tracking}`);
    await page.getByText('Printed', { exact: false }).first().waitFor();

    // Manifested with its carrier, and the manifest listed and downloadable.
    await page.getByRole('button', { name: 'Manifest', exact: true }).click();
    await page.locator('.title-row .badge', { hasText: 'Manifested' }).waitFor();
    assert.equal((await api(server, 'GET', `/consignments/${failed}`)).body.ConsignmentState, 'Manifested');
    await page.getByRole('link', { name: 'Manifests' }).click();
    const row = page.getByRole('row', { name: /Northern Parcels/ });
    await row.waitFor();
    const [manifest] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /^Download PDF/ }).click()]);
    const manifestPdf = readFileSync((await manifest.path())!);
    assert.ok(isPdf(manifestPdf));
    assert.match(manifest.suggestedFilename(), /^manifest-.*NORTHERN_PARCELS.*\.pdf$/);
  });

  it('allocates a selection of 500 in steps, showing its progress, then every consignment’s outcome', async () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ ...consignmentRequest(), ConsignmentReferenceProvidedByCustomer: `BULK-${String(i).padStart(3, '0')}` }));
    const created = await api(server, 'POST', '/consignments/bulk', { body: items });
    assert.equal(created.status, 200);
    await signIn();
    await page.goto(`${server.url}/console/consignments?state=Unallocated&searchTerm=bulk-&size=100`);
    await page.getByText('500 consignments').waitFor();
    await page.getByRole('checkbox', { name: 'Select every consignment on this page' }).check();
    await page.getByRole('button', { name: 'Select all 500 matching' }).click();
    await page.getByText('500 selected').waitFor();

    // Every value the progress bar takes, as the page sets it.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('progress');
        if (bar && seen[seen.length - 1] !== bar.value) seen.push(bar.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
    });
    await page.getByRole('button', { name: 'Allocate by default rules' }).click();
    await page.getByText('Done: 500 succeeded, 0 failed.').waitFor({ timeout: 120_000 });
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    assert.ok(seen.some((v) => v > 0 && v < 500), `the bar moved through the run: ${seen.join(', ')}`);
    assert.equal(seen[seen.length - 1], 500);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'it only moves forward');

    const states = await api(server, 'GET', '/consignments/count?searchTerm=bulk-&state=Allocated');
    assert.equal(states.body, 500, 'the API holds all 500 allocated');
    // The list, read again, no longer holds them.
    await page.getByText('No consignment matches these filters.').waitFor();
  });

  it('prints a selection’s labels as one PDF, saying which could not be printed and why', async () => {
    const labelled = await demo(server, 'DEMO-LABELLED');
    const zurich = await demo(server, 'DEMO-ZURICH');
    const unallocated = await demo(server, 'DEMO-ORDER-1003');
    await signIn();
    await page.goto(`${server.url}/console/consignments?searchTerm=DEMO-`);
    for (const reference of [labelled, zurich, unallocated]) await page.getByRole('checkbox', { name: `Select ${reference}` }).check();
    await page.getByText('3 selected').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Print labels (PDF)' }).click()]);
    await page.getByText('Done: 2 succeeded, 1 failed.').waitFor();
    const pdf = readFileSync((await download.path())!);
    assert.ok(isPdf(pdf));
    const pages = pdfPageImages(pdf);
    assert.equal(pages.length, 2, 'one label each for the two allocated ones');
    for (const [i, reference] of [labelled, zurich].entries()) {
      const tracking = (await api(server, 'GET', `/consignments/${reference}`)).body.ConsignmentLegs[0].TrackingReferences[0] as string;
      assert.ok(readCode128(pages[i]).includes(tracking), `page ${i + 1} is ${reference}'s label`);
    }
    const refused = await api(server, 'GET', `/labels/${unallocated}`);
    const failed = page.getByRole('table', { name: 'Failed (1)' });
    await failed.getByRole('row', { name: new RegExp(unallocated) }).getByText(refused.body.Message).waitFor();
  });

  it('stops a bulk run after the step in flight, and cancels a selection only once the operator confirms', async () => {
    const items = Array.from({ length: 120 }, (_, i) => ({ ...consignmentRequest(), ConsignmentReferenceProvidedByCustomer: `STOP-${String(i).padStart(3, '0')}` }));
    assert.equal((await api(server, 'POST', '/consignments/bulk', { body: items })).status, 200);
    await signIn();
    await page.goto(`${server.url}/console/consignments?state=Unallocated&searchTerm=stop-&size=200`);
    await page.getByText('120 consignments', { exact: false }).first().waitFor();
    await page.getByRole('checkbox', { name: 'Select every consignment on this page' }).check();
    // The first step is held until Stop is pressed, so that Stop lands while it is in flight.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let steps = 0;
    await page.route('**/allocation/allocate', async (route) => {
      if (++steps === 1) await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Allocate by default rules' }).click();
    await page.getByRole('button', { name: 'Stop after this step' }).click();
    release();
    await page.getByText('Done: 50 succeeded, 0 failed, 70 not tried (Stopped).').waitFor();
    assert.equal(steps, 1);
    assert.equal((await api(server, 'GET', '/consignments/count?searchTerm=stop-&state=Allocated')).body, 50);
    // While it ran the selection could not change under it; now it can be cancelled, once confirmed.
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Cancel 120 consignments? A cancelled consignment cannot be changed again.').waitFor();
    await dialog.getByRole('button', { name: 'Keep them as they are' }).click();
    assert.equal((await api(server, 'GET', '/consignments/count?searchTerm=stop-&state=Cancelled')).body, 0);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel 120' }).click();
    await page.getByText('Done: 120 succeeded, 0 failed.').waitFor();
    assert.equal((await api(server, 'GET', '/consignments/count?searchTerm=stop-&state=Cancelled')).body, 120);
  });

  it('shows a refused edit as the API words it, changing nothing; a valid edit is saved', async () => {
    const reference = await demo(server, 'DEMO-ORDER-1001');
    const before = (await api(server, 'GET', `/consignments/${reference}`)).body;
    await signIn();
    await page.goto(`${server.url}/console/consignments/${reference}`);
    await page.getByRole('button', { name: 'Edit consignment' }).click();
    const weight = page.getByLabel('Weight (kg)').first();
    await weight.fill('-3');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Not saved' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /ValidationFailed/);
    assert.match(await alert.innerText(), /Packages\[0\]\.Weight/);
    assert.deepEqual((await api(server, 'GET', `/consignments/${reference}`)).body, before, 'nothing changed');

    await weight.fill('4.5');
    await page.getByLabel('Town').fill('Harrogate');
    await page.getByLabel('Tags (comma-separated)').fill('Fragile');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved. Allocate it again to use the changes.').waitFor();
    const after = (await api(server, 'GET', `/consignments/${reference}`)).body;
    assert.equal(after.Packages[0].Weight.Value, 4.5);
    assert.equal(after.Addresses.find((a: { AddressType: string }) => a.AddressType === 'Destination').Town, 'Harrogate');
    assert.deepEqual(after.Tags, ['Fragile']);
    // Everything the form does not show is kept.
    assert.deepEqual(after.Packages[0].Dimensions, before.Packages[0].Dimensions);
    assert.deepEqual(after.Addresses.find((a: { AddressType: string }) => a.AddressType === 'Origin'), before.Addresses.find((a: { AddressType: string }) => a.AddressType === 'Origin'));
    assert.equal(after.ConsignmentReferenceProvidedByCustomer, before.ConsignmentReferenceProvidedByCustomer);
  });

  it('cancels only once the operator confirms, and shows what the API then says', async () => {
    const reference = await demo(server, 'DEMO-ORDER-1002');
    await signIn();
    await page.goto(`${server.url}/console/consignments/${reference}`);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Keep it as it is' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel', 'the focus is back on the button that asked');
    assert.equal((await api(server, 'GET', `/consignments/${reference}`)).body.ConsignmentState, 'Unallocated');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: `Cancel ${reference}` }).click();
    await page.locator('.title-row .badge', { hasText: 'Cancelled' }).waitFor();
    assert.equal((await api(server, 'GET', `/consignments/${reference}`)).body.ConsignmentState, 'Cancelled');
  });

  it('shows a consignment’s tracking, customs documents and audit trail', async () => {
    await signIn();
    await page.goto(`${server.url}/console/consignments/${await demo(server, 'DEMO-DELIVERED')}`);
    await page.getByRole('region', { name: 'Tracking' }).getByText('Delivered', { exact: true }).waitFor();
    await page.getByRole('region', { name: 'Audit trail' }).getByRole('row', { name: /Dispatched.*dispatched/ }).waitFor();

    await page.goto(`${server.url}/console/consignments/${await demo(server, 'DEMO-ZURICH')}`);
    const customs = page.getByRole('region', { name: 'Customs documents' });
    const invoice = customs.getByRole('button', { name: /^CommercialInvoice-.*\.pdf$/ });
    await invoice.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), invoice.click()]);
    assert.ok(isPdf(readFileSync((await download.path())!)));
    await page.getByRole('button', { name: 'Preview label' }).click();
    const label = page.getByRole('img', { name: /The labels of/ });
    await label.waitFor();
    assert.ok(await label.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 400), 'the PNG label is shown');
  });

  it('meets WCAG 2.1 A and AA on every main page (axe-core), and can be used from the keyboard', async () => {
    await page.goto(`${server.url}/console`);
    assert.deepEqual(await accessibilityProblems(page), [], 'sign-in page');
    await signIn();
    const pages = ['/console', '/console/consignments', `/console/consignments/${await demo(server, 'DEMO-LABELLED')}`, '/console/manifests', '/console/catalogue'];
    for (const path of pages) {
      await page.goto(`${server.url}${path}`);
      await page.locator('main h1').waitFor();
      await settled(page);
      assert.deepEqual(await accessibilityProblems(page), [], path);
    }
    // The first Tab reaches "Skip to content", which moves the focus into the page's content.
    await page.goto(`${server.url}/console/consignments`);
    await page.locator('main h1').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.querySelector('main')!.contains(document.activeElement)), 'the next Tab is in the content');
    // Filters are applied from the keyboard alone.
    await page.getByLabel('Search').focus();
    await page.keyboard.type('DEMO-LABELLED');
    await page.keyboard.press('Enter');
    await page.getByText('1 consignment', { exact: false }).first().waitFor();
    assert.equal(new URL(page.url()).searchParams.get('searchTerm'), 'DEMO-LABELLED');
  });

  it('fits a tablet: no page wider than the screen', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await signIn();
    for (const path of ['/console', '/console/consignments', `/console/consignments/${await demo(server, 'DEMO-ZURICH')}`, '/console/catalogue']) {
      await page.goto(`${server.url}${path}`);
      await page.locator('main h1').waitFor();
      await settled(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the screen`);
    }
  });

  it('signs out with the API’s words when the key stops working (rotated meanwhile), even on a reload', async () => {
    const other = await createSubscription(server, 'Console key test');
    await page.goto(`${server.url}/console`);
    await page.getByLabel('API key').fill(other.ApiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const rotated = await api(server, 'POST', `/admin/subscriptions/${other.Reference}/rotatekey`, { key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(rotated.status, 200);
    await page.goto(`${server.url}/console/consignments`);
    const refusal = await api(server, 'GET', '/carrierservices', { key: other.ApiKey });
    await page.getByRole('alert').getByText(`Signed out: ${refusal.body.Message}`).waitFor();
    await page.getByLabel('API key').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('switchyard.apiKey')), null);
    assert.deepEqual(requested.filter((u) => u.includes(other.ApiKey)), [], 'this key is never in a URL either');
  });

  it('signs out: the key is gone from the tab, and a reload asks for it again', async () => {
    await signIn();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('switchyard.apiKey')), null);
    await page.reload();
    await page.getByLabel('API key').waitFor();
  });
});
