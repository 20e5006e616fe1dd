/**
 * A real browser for the tests: Debian's Chromium (/usr/bin/chromium, which .ci/run installs when
 * missing) driven by playwright-core. Suites that need it skip, saying so, where it is absent.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why browser suites must be skipped here, or false. */
export const browserSkipReason: string | false = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium); skipping the browser tests`;
if (browserSkipReason) console.log(`# ${browserSkipReason}`);

export function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
}
