/** The catalogue examples of docs/carriers.md are real: they load, and their carriers connect. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONNECTORS } from '../../src/carriers/index.js';
import { CarrierRegistry } from '../../src/carriers/registry.js';
import { DEMO_CATALOGUE_PATH, parseCatalogue } from '../../src/catalogue/load-catalogue.js';
import { CatalogueIndex } from '../../src/domain/catalogue.js';
import { fixedClock } from '../../src/domain/clock.js';

const doc = readFileSync(new URL('../../docs/carriers.md', import.meta.url), 'utf8');

/** The first ```json block after a heading (a block that is one `"Name": value` member is read as an object of it). */
function jsonAfter(heading: string): any {
  const from = doc.indexOf(`\n${heading}\n`);
  assert.ok(from >= 0, `docs/carriers.md has the heading ${heading}`);
  const block = /```json\n([\s\S]*?)```/.exec(doc.slice(from));
  assert.ok(block, `a JSON example under ${heading}`);
  const text = block[1].trim();
  return JSON.parse(text.startsWith('"') ? `{${text}}` : text);
}

const connect = (file: unknown) =>
  CarrierRegistry.connect(new CatalogueIndex(parseCatalogue(file)), CONNECTORS, { numbers: { next: async () => [1] }, clock: fixedClock('2026-11-18T09:00:00Z') });

describe('docs/carriers.md examples', () => {
  it('the catalogue file example loads, and its carriers connect', () => {
    const file = jsonAfter('## The carrier catalogue');
    const registry = connect(file);
    const catalogue = parseCatalogue(file);
    assert.equal(registry.connectorFor(catalogue.carriers[0]).timeoutMs, 10_000);
  });

  it('the rate card under "Rate cards and prices" loads as a service\'s Rates', () => {
    const { Rates } = jsonAfter('## Rate cards and prices');
    const demo = JSON.parse(readFileSync(DEMO_CATALOGUE_PATH, 'utf8'));
    demo.Services[0].Rates = Rates;
    assert.equal(parseCatalogue(demo).services[0].reference, demo.Services[0].Reference);
  });

  it('the carrier with ConnectorSettings under "Carrier connectors" takes its settings', () => {
    const carrier = jsonAfter('## Carrier connectors');
    const demo = JSON.parse(readFileSync(DEMO_CATALOGUE_PATH, 'utf8'));
    demo.Carriers = demo.Carriers.map((c: { Reference: string }) => (c.Reference === carrier.Reference ? carrier : c));
    const registry = connect(demo);
    assert.equal(registry.connectorFor(parseCatalogue(demo).carriers.find((c) => c.reference === carrier.Reference)!).timeoutMs, carrier.ConnectorSettings.TimeoutMs);
  });
});
