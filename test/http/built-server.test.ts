/**
 * The server as production runs it: `npm run build`, then `node dist/main.js`. The bundle finds its
 * worker threads' entries (the render and checkpoint threads) beside it, renders a label on a
 * render thread, serves the API reference's files from their package, has its SQLite WAL
 * checkpointed by the checkpoint thread, and stops cleanly on
 * SIGTERM. Everything else is tested from the TypeScript; this is what only the build can break.
 * It uses a SQLite file of its own, so it runs once, in the SQLite run.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { DEMO_CONSIGNMENTS } from '../../src/demo/seed-demo.js';
import { databaseUnderTest } from '../support/test-server.js';
import { startServerProcess } from '../support/server-process.js';

const root = new URL('../../', import.meta.url).pathname;
const KEY = 'built-demo-key';

/** How far the WAL has been copied into the database file: its -shm file's mxFrame (offset 16) and nBackfill (offset 96), little-endian. */
function walProgress(file: string): { frames: number; copied: number } {
  const shm = readFileSync(`${file}-shm`);
  return { frames: shm.readUInt32LE(16), copied: shm.readUInt32LE(96) };
}

describe('The built server (npm run build, node dist/main.js)', { skip: databaseUnderTest !== 'sqlite' && 'runs once, in the SQLite run' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-built-'));
  before(() => execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' }));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its version', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    assert.equal(execFileSync(process.execPath, ['dist/main.js', '--version'], { cwd: root, encoding: 'utf8' }).trim(), version);
  });

  it('serves from dist: a label rendered on a render thread, the WAL checkpointed by its own thread, and exit 0 on SIGTERM', async () => {
    const file = join(dir, 'built.db');
    const { child, url } = await startServerProcess(['dist/main.js', 'serve'], { DATABASE_URL: `sqlite:${file}`, SWITCHYARD_DEMO_API_KEY: KEY }, root);
    try {
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': KEY }, body: body === undefined ? undefined : JSON.stringify(body) });
      assert.equal((await call('GET', '/health')).status, 200);
      // The API reference's files come from their package, found at run time beside the bundle.
      const bundle = await fetch(`${url}/docs/swagger-ui-bundle.js`);
      assert.equal(bundle.status, 200);
      assert.match(await bundle.text(), /SwaggerUIBundle/);
      // `npm run build` built the console beside the bundle, where the server finds it by default.
      const consolePage = await fetch(`${url}/console`);
      assert.equal(consolePage.status, 200);
      const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(await consolePage.text());
      assert.ok(script, 'the page names its script');
      assert.equal((await fetch(`${url}${script[1]}`)).status, 200);
      const allocated = await call('PUT', '/allocation/allocatewithcarrierservice', { MpdCarrierServiceReference: 'Example-Carrier-Service', ConsignmentReferences: [DEMO_CONSIGNMENTS[0]] });
      assert.equal(((await allocated.json()) as { StatusCode: number }[])[0].StatusCode, 200);
      const label = await call('GET', `/labels/${DEMO_CONSIGNMENTS[0]}/PDF`);
      assert.equal(label.status, 200);
      const { File } = (await label.json()) as { File: string };
      assert.equal(Buffer.from(File, 'base64').subarray(0, 5).toString('latin1'), '%PDF-');
      // Far fewer pages than SQLite's own threshold (1,000) have been written: only the thread copies them.
      let progress = walProgress(file);
      for (let waited = 0; (progress.frames === 0 || progress.copied < progress.frames) && waited < 10_000; waited += 50) {
        await sleep(50);
        progress = walProgress(file);
      }
      assert.ok(progress.frames > 0 && progress.frames < 1_000, `${progress.frames} frames in the WAL`);
      assert.equal(progress.copied, progress.frames, 'every frame copied into the database file');
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      assert.deepEqual(await exited, [0, null]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
