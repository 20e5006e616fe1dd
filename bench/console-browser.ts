/**
 * The console itself in Chromium (part of BENCH_PARTS=console, when /usr/bin/chromium is there):
 * what its first load weighs on the wire, and how long the "Not shipped" list takes to show its
 * rows, from the browser's click or navigation to the rows on the screen, the API's answer included.
 * Medians of `runs` (after one uncounted), with the share of the host's CPU stolen meanwhile.
 */
import type { Page } from 'playwright-core';
import { browserSkipReason, launchBrowser } from '../test/support/browser.js';
import { cpuStat, fmt, stealShare } from './host-figures.js';

const NOT_SHIPPED = 'Unallocated,AllocationFailed,Allocated,ReadyToShip,Manifested,ManifestFailed';

/** Waits until the list has answered and shows its rows (or says none match). */
async function listShown(page: Page): Promise<void> {
  await page.locator('table.consignments[aria-busy="false"]').waitFor();
}

/**
 * Times, inside the page, from the click that `act` makes to the moment the list shows the new
 * rows (its table's aria-busy back to false, seen by a MutationObserver): what the operator waits,
 * without the test driver's own round trips.
 */
async function clickToRows(page: Page, act: () => Promise<void>): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { clickedAt?: number; shownAt?: number };
    w.clickedAt = undefined;
    w.shownAt = undefined;
    document.addEventListener('click', () => (w.clickedAt = performance.now()), { capture: true, once: true });
    const table = document.querySelector('table.consignments')!;
    let busy = false;
    const observer = new MutationObserver(() => {
      const now = table.getAttribute('aria-busy') === 'true';
      if (busy && !now) {
        w.shownAt = performance.now();
        observer.disconnect();
      }
      busy = now;
    });
    observer.observe(table, { attributes: true, attributeFilter: ['aria-busy'] });
  });
  await act();
  await page.waitForFunction(() => (window as unknown as { shownAt?: number }).shownAt !== undefined);
  return page.evaluate(() => {
    const w = window as unknown as { clickedAt: number; shownAt: number };
    return w.shownAt - w.clickedAt;
  });
}

async function median(runs: number, once: () => Promise<number>): Promise<{ median: number; min: number; max: number }> {
  await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], min: times[0], max: times[runs - 1] };
}

export async function timeConsoleInBrowser(url: string, key: string, runs: number, stored: number): Promise<void> {
  if (browserSkipReason) {
    console.log(`  console in a browser: skipped (${browserSkipReason})`);
    return;
  }
  const browser = await launchBrowser();
  try {
    // The first load: a browser that has never seen the console, as it comes over the wire (compressed).
    const fresh = await browser.newContext();
    const first = await fresh.newPage();
    const sized: Promise<number>[] = [];
    first.on('response', (response) => {
      if (!response.url().startsWith(`${url}/console`)) return;
      sized.push(response.request().sizes().then((sizes) => sizes.responseBodySize + sizes.responseHeadersSize));
    });
    const loadStarted = performance.now();
    await first.goto(`${url}/console`);
    await first.getByLabel('API key').waitFor();
    const loadMs = performance.now() - loadStarted;
    await first.waitForLoadState('networkidle');
    const bytes = (await Promise.all(sized)).reduce((a, b) => a + b, 0);
    console.log(`  console first load: ${fmt(bytes / 1024, 1)} kB over the wire (page, script and stylesheet, headers included), sign-in page shown in ${fmt(loadMs)} ms`);
    await fresh.close();

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${url}/console`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

    const cases: [name: string, path: string][] = [
      // A navigation: the page loaded from the browser's cache, the session restored, then the list asked for.
      ['open Not shipped (newest first)', `/console/consignments`],
      ['open Not shipped, page 101 (skip 5,000)', `/console/consignments?page=101`],
      ['open Not shipped by shipping date', `/console/consignments?orderBy=shippingDate`],
      ['open Not shipped by destination, descending', `/console/consignments?orderBy=-destinationCountry`],
      ['open Not shipped, 200 a page by service', `/console/consignments?orderBy=service&size=200`],
      ['open Not shipped + free text', `/console/consignments?searchTerm=fairweather`],
    ];
    const stat = cpuStat();
    const figures: string[] = [];
    let worst = 0;
    for (const [name, path] of cases) {
      const t = await median(runs, async () => {
        const started = performance.now();
        await page.goto(`${url}${path}${path.includes('?') ? '&' : '?'}state=${NOT_SHIPPED}`);
        await listShown(page);
        return performance.now() - started;
      });
      worst = Math.max(worst, t.median);
      figures.push(`  ${name.padEnd(46)} p50 ${fmt(t.median).padStart(5)} ms (min ${fmt(t.min)}, max ${fmt(t.max)})`);
    }
    // Within the page: the order changed from the header, the next page; only the API call and the rows.
    await page.goto(`${url}/console/consignments`);
    await listShown(page);
    // Each click turns the order round: ascending, descending, ascending…
    const sort = await median(runs, () => clickToRows(page, () => page.getByRole('button', { name: 'Shipping date' }).click()));
    figures.push(`  ${'click a column to sort (shipping date)'.padEnd(46)} p50 ${fmt(sort.median).padStart(5)} ms (min ${fmt(sort.min)}, max ${fmt(sort.max)}), in the page`);
    worst = Math.max(worst, sort.median);
    const next = await median(runs, () => clickToRows(page, () => page.getByRole('button', { name: 'Next' }).click()));
    figures.push(`  ${'click Next'.padEnd(46)} p50 ${fmt(next.median).padStart(5)} ms (min ${fmt(next.min)}, max ${fmt(next.max)}), in the page`);
    worst = Math.max(worst, next.median);
    console.log(figures.join('\n'));
    console.log(`  console list at ${fmt(stored)} consignments: slowest median ${fmt(worst)} ms from a navigation or a click to the rows, ${runs} runs each; ${fmt(stealShare(stat) * 100)}% of the host's CPU stolen meanwhile`);
  } finally {
    await browser.close();
  }
}
