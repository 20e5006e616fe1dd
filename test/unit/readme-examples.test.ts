/** The README's catalogue examples are real: they load, and their carriers connect. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CONNECTORS } from '../../src/carriers/index.js';
import { CarrierRegistry } from '../../src/carriers/registry.js';
import { DEMO_CATALOGUE_PATH, parseCatalogue } from '../../src/catalogue/load-catalogue.js';
import { CatalogueIndex } from '../../src/domain/catalogue.js';
import { fixedClock } from '../../src/domain/clock.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The first ```json block after a heading. */
function jsonAfter(heading: string): any {
  const from = readme.indexOf(`\n${heading}\n`);
  assert.ok(from >= 0, `README has the heading ${heading}`);
  const block = /```json\n([\s\S]*?)```/.exec(readme.slice(from));
  assert.ok(block, `a JSON example under ${heading}`);
  return JSON.parse(block[1]);
}

const connect = (file: unknown) =>
  CarrierRegistry.connect(new CatalogueIndex(parseCatalogue(file)), CONNECTORS, { numbers: { next: async () => [1] }, clock: fixedClock('2026-11-18T09:00:00Z') });

describe('README examples', () => {
  it('the catalogue file example loads, and its carriers connect', () => {
    const file = jsonAfter('## The carrier catalogue');
    const registry = connect(file);
    const catalogue = parseCatalogue(file);
    assert.equal(registry.connectorFor(catalogue.carriers[0]).timeoutMs, 10_000);
  });

  it('the carrier with ConnectorSettings under "Carrier connectors" takes its settings', () => {
    const carrier = jsonAfter('## Carrier connectors');
    const demo = JSON.parse(readFileSync(DEMO_CATALOGUE_PATH, 'utf8'));
    demo.Carriers = demo.Carriers.map((c: { Reference: string }) => (c.Reference === carrier.Reference ? carrier : c));
    const registry = connect(demo);
    assert.equal(registry.connectorFor(parseCatalogue(demo).carriers.find((c) => c.reference === carrier.Reference)!).timeoutMs, carrier.ConnectorSettings.TimeoutMs);
  });
});
