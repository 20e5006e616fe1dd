/** The console over HTTP: / sends a browser there, its page and build files are served without a key and with a strict policy. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { builtConsole } from '../support/console-build.js';
import { databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** A GET's headers and raw body bytes (not decoded, as fetch would). */
function rawGet(url: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe(`the console over HTTP (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    dir = await builtConsole();
    server = await startServer({ env: { SWITCHYARD_CONSOLE_DIR: dir } });
  });
  after(() => server?.close());

  it('sends a browser at / to /console', async () => {
    const res = await fetch(`${server.url}/`, { redirect: 'manual', headers: { accept: HTML } });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/console');
  });

  it('serves its page at /console and at every path under it (the app routes them), without a key, never cached, under a policy that lets it load only its own files', async () => {
    for (const path of ['/console', '/console/', '/console/consignments', '/console/consignments/EC-000-05A-Z6S', '/console/no/such/page']) {
      const res = await fetch(`${server.url}${path}`, { headers: { accept: HTML } });
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/, path);
      assert.equal(res.headers.get('cache-control'), 'no-cache', path);
      assert.equal(
        res.headers.get('content-security-policy'),
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        path,
      );
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
      assert.match(res.headers.get('permissions-policy') ?? '', /camera=\(\), microphone=\(\), geolocation=\(\)/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      const page = await res.text();
      assert.match(page, /<div id="app"><\/div>/, path);
      assert.doesNotMatch(page, /https?:\/\//, 'nothing is fetched from elsewhere');
    }
  });

  it('serves every file of its build under /console/assets, with its type, to be kept for a year; any other file is a 404', async () => {
    const page = await (await fetch(`${server.url}/console`)).text();
    const linked = [...page.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(linked.map((l) => l.split('.').pop()).sort(), ['css', 'js']);
    for (const name of readdirSync(join(dir, 'assets'))) {
      const res = await fetch(`${server.url}/console/assets/${name}`);
      assert.equal(res.status, 200, name);
      assert.match(res.headers.get('content-type') ?? '', name.endsWith('.js') ? /^text\/javascript/ : /^text\/css/, name);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.ok((await res.arrayBuffer()).byteLength > 100, name);
    }
    // Sent as written (fetch would resolve the dots first): no file but the build's own is ever served.
    for (const path of ['/console/assets/nope.js', '/console/assets/..%2Findex.html', '/console/assets/', '/console/assets/../../package.json', '/console/assets/index.html']) {
      const res = await rawGet(`${server.url}${path}`, {});
      assert.equal(res.status, 404, path);
      assert.equal((JSON.parse(res.body.toString()) as { Code: string }).Code, 'RouteNotFound', path);
    }
    // Encoded dots are resolved by the router: /console/index.html, a page of the app, never a file.
    const dotted = await rawGet(`${server.url}/console/assets/%2e%2e/index.html`, {});
    assert.equal(dotted.status, 200);
    assert.match(dotted.body.toString(), /<div id="app"><\/div>/);
  });

  it('sends its page and files compressed with Brotli or gzip to a browser that takes them, as they are to one that does not', async () => {
    const page = await (await fetch(`${server.url}/console`)).text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page)![1];
    for (const path of ['/console', script]) {
      const plain = await rawGet(`${server.url}${path}`, {});
      assert.equal(plain.headers['content-encoding'], undefined, path);
      assert.equal(plain.headers.vary, 'accept-encoding', path);
      const br = await rawGet(`${server.url}${path}`, { 'accept-encoding': 'gzip, deflate, br' });
      assert.equal(br.headers['content-encoding'], 'br', path);
      assert.deepEqual(brotliDecompressSync(br.body), plain.body, path);
      const gzip = await rawGet(`${server.url}${path}`, { 'accept-encoding': 'gzip' });
      assert.equal(gzip.headers['content-encoding'], 'gzip', path);
      assert.deepEqual(gunzipSync(gzip.body), plain.body, path);
      if (path === script) assert.ok(br.body.length < plain.body.length / 2.5, `${path}: ${br.body.length} of ${plain.body.length} bytes`);
    }
    // The browser's preferences rule; among equals, the smaller; what it refuses is never sent.
    const encodingFor = async (acceptEncoding: string) => (await rawGet(`${server.url}${script}`, { 'accept-encoding': acceptEncoding })).headers['content-encoding'] ?? 'identity';
    assert.equal(await encodingFor('gzip;q=1, br;q=0.5'), 'gzip');
    assert.equal(await encodingFor('br;q=0, gzip'), 'gzip');
    assert.equal(await encodingFor('br;q=0, gzip;q=0'), 'identity');
    assert.equal(await encodingFor('*'), 'br');
    assert.equal(await encodingFor('deflate'), 'identity');
    const head = await rawGet(`${server.url}${script}`, { 'accept-encoding': 'br' }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-encoding'], 'br');
    assert.equal(head.body.length, 0);
  });

  it('is in /openapi.json under its own tag, as public pages', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { tags: string[]; security: unknown[] }>> };
    for (const path of ['/', '/console', '/console/{path}']) {
      assert.deepEqual(doc.paths[path].get.tags, ['console'], path);
      assert.deepEqual(doc.paths[path].get.security, [], path);
    }
  });
});

describe(`the console when it was never built (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  const empty = mkdtempSync(join(tmpdir(), 'switchyard-no-console-'));
  before(async () => (server = await startServer({ env: { SWITCHYARD_CONSOLE_DIR: empty } })));
  after(async () => {
    await server?.close();
    rmSync(empty, { recursive: true, force: true });
  });

  it('answers 503 ServiceUnavailable saying how to build it, while the API works', async () => {
    const res = await fetch(`${server.url}/console/consignments`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { Code: string; Message: string };
    assert.equal(body.Code, 'ServiceUnavailable');
    assert.match(body.Message, /npm run build/);
    assert.equal((await fetch(`${server.url}/health`)).status, 200);
  });
});
