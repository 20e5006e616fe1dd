/**
 * The simulated carrier's manifest mapping against its recorded request and answers
 * (src/carriers/simulated/fixtures/manifest.json), and its in-process carrier judging cut-offs by
 * the clock it is given.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CarrierUnreachable, type ManifestRequest } from '../../src/carriers/connector.js';
import { SimulatedCarrierBackend } from '../../src/carriers/simulated/backend.js';
import { inThreadRenderer } from '../../src/documents/renderer.js';
import { manifestRequest, manifestResult } from '../../src/carriers/simulated/manifest.js';
import { DEMO_CATALOGUE_PATH, loadCatalogueFile } from '../../src/catalogue/load-catalogue.js';
import { fixedClock } from '../../src/domain/clock.js';
import { consignmentData } from '../support/domain-fixtures.js';

const fixture = JSON.parse(readFileSync(new URL('../../src/carriers/simulated/fixtures/manifest.json', import.meta.url), 'utf8'));
const carrier = loadCatalogueFile(DEMO_CATALOGUE_PATH).carriers.find((c) => c.reference === 'CARRIER_X')!;
const data = consignmentData();
const shipmentParts = {
  customerReference: 'ORDER-1',
  origin: data.addresses.find((a) => a.addressType === 'Origin')!,
  destination: data.addresses.find((a) => a.addressType === 'Destination')!,
  packages: data.packages,
};
const request: ManifestRequest = { ...fixture.manifest, carrier, shipments: fixture.manifest.shipments.map((s: object) => ({ ...shipmentParts, ...s })) };
const settings = { TimeoutMs: 10_000, RefuseDestinations: [], Unreachable: false, LatencyMs: 0, TrackingIntervalMs: 5_000 };
const counting = (from: number) => ({ next: async (_name: string, count: number) => Array.from({ length: count }, (_, i) => from + i) });
const signal = () => new AbortController().signal;

describe('simulated carrier: manifesting', () => {
  it('maps our manifest to POST /v1/manifests: the site, the day, and each shipment by booking reference, shipment id, cut-off and parcels', () => {
    assert.deepEqual(manifestRequest(request), fixture.request);
  });

  it('reads a 201 into the carrier’s manifest reference and its refusals, with the carrier’s words', () => {
    assert.deepEqual(manifestResult(fixture.manifested, request), {
      carrierManifestReference: 'SIM-M7',
      refused: [
        {
          consignmentReference: 'EC-000-0CT-003',
          refusal: { code: 'CarrierRefused', message: "Carrier X's collection on 17/11/2026 closed at 17:00; deallocate and allocate again for a later collection (COLLECTION_CLOSED)" },
        },
      ],
      documents: [],
      messages: [],
    });
  });

  it('reads a 422 as every shipment refused, and a 5xx or an answer that leaves a shipment out as no answer', () => {
    const all = manifestResult(fixture.refused, request);
    assert.deepEqual(all.refused.map((r) => r.consignmentReference), ['EC-000-0CT-001', 'EC-000-0CT-003']);
    assert.equal(all.refused[0].refusal.message, 'a manifest needs at least one shipment (NO_SHIPMENTS)');
    assert.throws(() => manifestResult({ status: 503, headers: {}, body: '' }, request), (e: unknown) => e instanceof CarrierUnreachable && e.mayHaveActed);
    const partial = { ...fixture.manifested, body: { ...fixture.manifested.body, rejected: [] } };
    assert.throws(() => manifestResult(partial, request), (e: unknown) => e instanceof CarrierUnreachable && /every shipment/.test(e.message));
    assert.throws(() => manifestResult({ status: 201, headers: {}, body: [] }, request), CarrierUnreachable);
  });

  it('the in-process carrier answers the recorded request with the recorded answer, judging cut-offs by its clock', async () => {
    const backend = new SimulatedCarrierBackend(carrier, settings, counting(7), inThreadRenderer, fixedClock('2026-11-18T09:00:00Z'));
    assert.deepEqual(await backend.send(fixture.request, signal()), fixture.manifested);
  });

  it('takes a shipment until its cut-off and refuses it one moment after, saying to deallocate and allocate again', async () => {
    const one = { ...fixture.request, body: { ...fixture.request.body, shipments: fixture.request.body.shipments.slice(0, 1) } };
    const at = (iso: string) => new SimulatedCarrierBackend(carrier, settings, counting(1), inThreadRenderer, fixedClock(iso)).send(one, signal());
    assert.deepEqual(((await at('2026-11-18T17:00:00Z')).body as any).accepted, ['EC-000-0CT-001'], 'at the cut-off itself it is still taken');
    const late = (await at('2026-11-18T17:00:01Z')).body as any;
    assert.deepEqual(late.accepted, []);
    assert.equal(late.manifestId, null, 'no manifest when nothing was taken');
    assert.equal(late.rejected[0].code, 'COLLECTION_CLOSED');
    assert.match(late.rejected[0].text, /closed at 17:00; deallocate and allocate again/);
    // The cut-off is in the location's own offset: 17:00 in London in summer is 16:00 UTC.
    const summer = { ...one, body: { ...one.body, shipments: [{ ...one.body.shipments[0], cutOff: '2026-07-01T17:00:00+01:00' }] } };
    const backend = new SimulatedCarrierBackend(carrier, settings, counting(1), inThreadRenderer, fixedClock('2026-07-01T16:00:01Z'));
    assert.deepEqual(((await backend.send(summer, signal())).body as any).accepted, []);
  });

  it('refuses parcels that are not its own, and a manifest of nothing', async () => {
    const backend = new SimulatedCarrierBackend(carrier, settings, counting(1), inThreadRenderer, fixedClock('2026-11-18T09:00:00Z'));
    const foreign = { ...fixture.request, body: { ...fixture.request.body, shipments: [{ ...fixture.request.body.shipments[0], trackingNumbers: ['NP0000000041GB'] }] } };
    const answer = (await backend.send(foreign, signal())).body as any;
    assert.equal(answer.rejected[0].code, 'UNKNOWN_PARCEL');
    assert.deepEqual(await backend.send({ ...fixture.request, body: { ...fixture.request.body, shipments: [] } }, signal()), fixture.refused);
  });
});
