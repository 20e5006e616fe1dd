/** The demo catalogue file with changes, written to a temporary file (removed when the process exits): for a server or a world with other carrier settings. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CATALOGUE_PATH } from '../../src/catalogue/load-catalogue.js';

/** The demo catalogue's JSON, changed by `change`, as a file; returns its path. */
export function demoCatalogueVariant(change: (file: any) => void): string {
  const file = JSON.parse(readFileSync(DEMO_CATALOGUE_PATH, 'utf8'));
  change(file);
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-catalogue-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'catalogue.json');
  writeFileSync(path, JSON.stringify(file));
  return path;
}

/** Sets a carrier's ConnectorSettings in a catalogue file's JSON. */
export function withConnectorSettings(file: any, carrierReference: string, settings: Record<string, unknown>): void {
  const carrier = file.Carriers.find((c: { Reference: string }) => c.Reference === carrierReference);
  if (!carrier) throw new Error(`no carrier ${carrierReference} in the catalogue`);
  carrier.ConnectorSettings = settings;
}
