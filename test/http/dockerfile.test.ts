/**
 * The Dockerfile's build stage, rehearsed without Docker (no daemon runs on these machines): only
 * what its COPY lines put in the image is copied to an empty folder, the installed node_modules
 * stand in for its `npm ci`, and its `npm run build` must make the server and the console there.
 * A file the build reads that the Dockerfile does not copy fails this, as it would fail the image.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { databaseUnderTest } from '../support/test-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** The build stage's COPY lines (not `--from`), as [sources, destination]. */
function buildStageCopies(dockerfile: string): [string[], string][] {
  const stage = dockerfile.split(/^FROM /m).find((s) => /\bAS build\b/i.test(s.split('\n')[0]));
  assert.ok(stage, 'the Dockerfile has a build stage');
  return [...stage.matchAll(/^COPY (?!--)(.+)$/gm)].map((m) => {
    const parts = m[1].trim().split(/\s+/);
    return [parts.slice(0, -1), parts[parts.length - 1]];
  });
}

describe('the Dockerfile', { skip: databaseUnderTest === 'postgres' ? 'checked on SQLite runs' : false }, () => {
  it('copies everything `npm run build` reads: a folder holding only what it copies builds the server and the console', { timeout: 180_000 }, async () => {
    const copies = buildStageCopies(readFileSync(join(root, 'Dockerfile'), 'utf8'));
    assert.ok(copies.length >= 4, JSON.stringify(copies));
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-image-'));
    try {
      for (const [sources, destination] of copies) {
        // Into a folder (a destination ending in /) under its own name, else as the destination.
        for (const source of sources) cpSync(join(root, source), destination.endsWith('/') ? join(dir, destination, basename(source)) : join(dir, destination), { recursive: true });
      }
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
      await run('npm', ['run', 'build', '--silent'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
      for (const built of ['dist/main.js', 'dist/demo-catalogue.json', 'dist/console/index.html']) assert.ok(existsSync(join(dir, built)), built);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
