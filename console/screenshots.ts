/**
 * npm run console:screenshots: the pictures of docs/console.md, taken in Chromium of the console as
 * it is now, against a demo server (the test servers' fixed clock, so the dates stay put) with a
 * day's worth of consignments besides the demo's. Writes docs/console/*.png.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../test/support/browser.js';
import { builtConsole } from '../test/support/console-build.js';
import { consignmentRequest } from '../test/support/consignments.js';
import { api, DEFAULT_NOW, DEMO_KEY, startServer } from '../test/support/test-server.js';

const OUT = fileURLToPath(new URL('../docs/console/', import.meta.url));
const TOWNS: [town: string, postcode: string][] = [
  ['Leeds', 'LS1 4AP'],
  ['Bristol', 'BS1 5TT'],
  ['Glasgow', 'G1 1XQ'],
  ['Norwich', 'NR2 1NH'],
  ['Cardiff', 'CF10 1EP'],
  ['Belfast', 'BT1 5GS'],
  ['York', 'YO1 7HH'],
  ['Brighton', 'BN1 1AE'],
];

const server = await startServer({ env: { SWITCHYARD_CONSOLE_DIR: await builtConsole(), SWITCHYARD_DEMO_STORIES: 'true' } });
const browser = await launchBrowser();
try {
  mkdirSync(OUT, { recursive: true });
  const orders = Array.from({ length: 36 }, (_, i) => {
    const [town, postcode] = TOWNS[i % TOWNS.length];
    return { ...consignmentRequest({ destination: { town, postcode }, packages: [{ kg: 1 + (i % 7) * 1.5 }] }), ConsignmentReferenceProvidedByCustomer: `WEB-${41200 + i}` };
  });
  const created = await api<{ ConsignmentReference: string }[]>(server, 'POST', '/consignments/bulk', { body: orders });
  const references = created.body.map((c) => c.ConsignmentReference);
  // A day's mix: two in three allocated, some of them ready to ship, the rest still to allocate.
  const allocated = references.filter((_, i) => i % 3 !== 0);
  await api(server, 'PUT', '/allocation/allocate', { body: { ConsignmentReferences: allocated } });
  await api(server, 'PUT', '/consignments/setreadytoship', { body: allocated.filter((_, i) => i % 4 === 0) });

  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.clock.setFixedTime(new Date(DEFAULT_NOW));
  const shoot = async (name: string, fullPage = true) => {
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${OUT}${name}.png`, fullPage });
    console.log(`docs/console/${name}.png`);
  };
  await page.goto(`${server.url}/`);
  await shoot('sign-in', false);
  await page.getByLabel('API key').fill(DEMO_KEY);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await shoot('dashboard');

  await page.goto(`${server.url}/console/consignments`);
  await page.locator('tbody tr').first().waitFor();
  await shoot('not-shipped', false);

  const [failed] = (await api<string[]>(server, 'GET', '/consignments/getConsignmentReferences?referenceProvidedByCustomer=DEMO-FAILED')).body;
  await page.goto(`${server.url}/console/consignments/${failed}`);
  await page.getByRole('button', { name: 'Get quotes' }).click();
  await page.getByRole('region', { name: 'Services that cannot carry it' }).waitFor();
  await shoot('failed-allocation');

  await page.goto(`${server.url}/console/consignments?state=Unallocated`);
  await page.getByRole('checkbox', { name: 'Select every consignment on this page' }).check();
  await page.getByRole('button', { name: 'Allocate by default rules' }).click();
  await page.getByText(/^Done:/).waitFor();
  await page.locator('details summary').first().click();
  await shoot('bulk-allocation');

  const [delivered] = (await api<string[]>(server, 'GET', '/consignments/getConsignmentReferences?referenceProvidedByCustomer=DEMO-DELIVERED')).body;
  await page.goto(`${server.url}/console/consignments/${delivered}`);
  await page.getByRole('region', { name: 'Tracking' }).locator('li').first().waitFor();
  await page.getByRole('button', { name: 'Preview label' }).click();
  await page.getByRole('img', { name: /The labels of/ }).waitFor();
  await shoot('consignment');

  await page.goto(`${server.url}/console/manifests`);
  await page.locator('tbody tr').first().waitFor();
  await shoot('manifests');
  await page.goto(`${server.url}/console/catalogue`);
  await page.locator('tbody tr').first().waitFor();
  await shoot('catalogue');

  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto(`${server.url}/console/consignments`);
  await page.locator('tbody tr').first().waitFor();
  await shoot('not-shipped-tablet', false);
} finally {
  await browser.close();
  await server.close();
}
