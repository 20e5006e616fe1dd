/** GET /docs: the interactive API reference (Swagger UI from npm), served by the server itself, of its own /openapi.json. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchBrowser } from '../support/browser.js';
import { databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';

describe(`GET /docs (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  it('serves a page, without a key, whose every script and stylesheet is served here, and that reads /openapi.json', async () => {
    const res = await fetch(`${server.url}/docs`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const page = await res.text();
    assert.match(page, /url: '\/openapi\.json'/);
    assert.doesNotMatch(page, /https?:\/\//, 'nothing is fetched from elsewhere');
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(assets.sort(), ['/docs/favicon-32x32.png', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css']);
    for (const asset of assets) {
      const file = await fetch(`${server.url}${asset}`);
      assert.equal(file.status, 200, asset);
      const type = file.headers.get('content-type') ?? '';
      assert.match(type, asset.endsWith('.js') ? /^text\/javascript/ : asset.endsWith('.css') ? /^text\/css/ : /^image\/png/, asset);
      assert.ok((await file.arrayBuffer()).byteLength > 100, asset);
    }
    const bundle = await (await fetch(`${server.url}/docs/swagger-ui-bundle.js`)).text();
    assert.match(bundle, /SwaggerUIBundle/);
  });

  it('answers 404 RouteNotFound for any other file, the package’s other files and paths out of it included', async () => {
    for (const path of ['/docs/index.html', '/docs/package.json', '/docs/..%2F..%2Fpackage.json', '/docs/swagger-initializer.js', '/docs/swagger-ui-standalone-preset.js']) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(((await res.json()) as { Code: string }).Code, 'RouteNotFound', path);
    }
  });
});

describe(`GET /docs in a real browser (${databaseUnderTest})`, { skip: skipReason || browserSkipReason }, () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows every documented operation, asking nothing of another host, with no script error', async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) elsewhere.push(request.url());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/docs`);
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    const documented = Object.values(((await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, object> }).paths).flatMap((p) => Object.keys(p)).length;
    assert.equal(await page.locator('.opblock').count(), documented, 'one block per operation');
    assert.ok(await page.getByText('Allocate consignments to one carrier service').first().isVisible());
    assert.deepEqual(elsewhere, []);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
