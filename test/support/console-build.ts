/**
 * The console as `npm run build` makes it, built from console/ into a folder of this test
 * process's own (about a second), for the test servers to serve with SWITCHYARD_CONSOLE_DIR: the
 * tests check the console's current code, never a stale dist/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

let built: Promise<string> | undefined;

export function builtConsole(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-console-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await build({ configFile: fileURLToPath(new URL('../../console/vite.config.ts', import.meta.url)), build: { outDir: dir, emptyOutDir: true }, logLevel: 'warn' });
    return dir;
  })();
  return built;
}
