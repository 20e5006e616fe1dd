/**
 * The simulated carrier's mapping functions against recorded requests and answers
 * (src/carriers/simulated/fixtures/), and its in-process carrier answering them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CarrierUnreachable, type BookingRequest, type CancelRequest } from '../../src/carriers/connector.js';
import { SimulatedCarrierBackend } from '../../src/carriers/simulated/backend.js';
import { bookingOutcome, bookingRequest } from '../../src/carriers/simulated/book.js';
import { cancelOutcome, cancelRequest } from '../../src/carriers/simulated/cancel.js';
import { isTrackingNumber } from '../../src/carriers/simulated/tracking-number.js';
import type { CarrierHttpResponse } from '../../src/carriers/transport.js';
import { DEMO_CATALOGUE_PATH, loadCatalogueFile } from '../../src/catalogue/load-catalogue.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../src/carriers/simulated/fixtures/${name}.json`, import.meta.url), 'utf8'));
const book = fixture('book');
const cancel = fixture('cancel');
const carrier = loadCatalogueFile(DEMO_CATALOGUE_PATH).carriers.find((c) => c.reference === 'CARRIER_X')!;
const booking: BookingRequest = { ...book.booking, carrier };
const cancellation: CancelRequest = { ...cancel.cancellation, carrier };
const settings = { TimeoutMs: 10_000, RefuseDestinations: ['FR'], Unreachable: false, LatencyMs: 0, TrackingIntervalMs: 5_000 };
const counting = (from: number) => ({ next: async (_name: string, count: number) => Array.from({ length: count }, (_, i) => from + i) });
const signal = () => new AbortController().signal;

describe('simulated carrier: booking', () => {
  it('maps our booking to the carrier’s POST /v1/shipments: our booking reference, its product code, grams and millimetres', () => {
    assert.deepEqual(bookingRequest(booking), book.request);
  });

  it('reads a 201 into one tracking number per package in our package order, whatever order the carrier lists them in', () => {
    const reversed: CarrierHttpResponse = { ...book.booked, body: { ...book.booked.body, parcels: [...book.booked.body.parcels].reverse() } };
    for (const answer of [book.booked, reversed]) {
      assert.deepEqual(bookingOutcome(answer, booking), {
        kind: 'booked',
        carrierBookingReference: 'SIM-CX00000000414GB',
        trackingReferences: ['CX00000000414GB', 'CX00000000422GB'],
        documents: [],
        messages: [],
      });
    }
  });

  it('keeps the carrier’s notices as messages', () => {
    const noticed = { ...book.booked, body: { ...book.booked.body, notices: [{ level: 'warning', code: 'LATE', text: 'collection after 18:00' }] } };
    const outcome = bookingOutcome(noticed, booking);
    assert.ok(outcome.kind === 'booked');
    assert.deepEqual(outcome.messages, [{ severity: 'warning', code: 'LATE', text: 'collection after 18:00' }]);
  });

  it('reads a 422 as a refusal with the carrier’s words', () => {
    assert.deepEqual(bookingOutcome(book.refused, { ...booking, shipment: book.refusedShipment }), {
      kind: 'refused',
      refusal: { code: 'CarrierRefused', message: 'Carrier X does not deliver to FR (DESTINATION_NOT_SERVED)' },
      messages: [],
    });
  });

  it('reads a booking that lacks a package’s tracking number as no answer at all', () => {
    const short = { ...book.booked, body: { ...book.booked.body, parcels: book.booked.body.parcels.slice(0, 1) } };
    assert.throws(() => bookingOutcome(short, booking), CarrierUnreachable);
    assert.throws(() => bookingOutcome({ status: 404, headers: {}, body: '' }, booking), (e: unknown) => e instanceof CarrierUnreachable && /answered a booking with HTTP 404/.test(e.message) && !e.mayHaveActed);
    assert.throws(() => bookingOutcome({ status: 502, headers: {}, body: '' }, booking), (e: unknown) => e instanceof CarrierUnreachable && e.mayHaveActed, 'a 5xx may have booked');
  });

  it('the in-process carrier answers the recorded request with the recorded answers', async () => {
    assert.deepEqual(await new SimulatedCarrierBackend(carrier, settings, counting(41)).send(book.request, signal()), book.booked);
    assert.deepEqual(await new SimulatedCarrierBackend(carrier, settings, counting(41)).send(book.refusedRequest, signal()), book.refused);
  });

  it('the in-process carrier is unreachable when its settings say so, and slow when they say so', async () => {
    const down = new SimulatedCarrierBackend(carrier, { ...settings, Unreachable: true }, counting(1));
    await assert.rejects(down.send(book.request, signal()), (e: unknown) => e instanceof CarrierUnreachable && !e.mayHaveActed);
    const slow = new SimulatedCarrierBackend(carrier, { ...settings, LatencyMs: 60_000 }, counting(1));
    const controller = new AbortController();
    const call = slow.send(book.request, controller.signal);
    controller.abort();
    await assert.rejects(call, (e: unknown) => e instanceof CarrierUnreachable && e.mayHaveActed);
  });
});

describe('simulated carrier: cancelling', () => {
  it('maps our cancellation to POST /v1/shipments/cancel (by booking reference and shipment id), and reads a 200 as cancelled', () => {
    assert.deepEqual(cancelRequest(cancellation), cancel.request);
    assert.equal((cancelRequest({ ...cancellation, bookingReference: null }).body as { customerReference: string }).customerReference, 'EC-000-0CT-001', 'a booking recorded before booking references is cancelled by the consignment’s');
    assert.deepEqual(cancelOutcome(cancel.cancelled, cancellation), { kind: 'cancelled', messages: [] });
  });

  it('reads the carrier not knowing a parcel as a refusal, and a 5xx as no answer', () => {
    assert.deepEqual(cancelOutcome(cancel.unknown, cancellation), {
      kind: 'refused',
      refusal: { code: 'CarrierRefused', message: 'Carrier X has no parcel CX0000000001X (UNKNOWN_PARCEL)' },
      messages: [],
    });
    assert.throws(() => cancelOutcome({ status: 503, headers: {}, body: '' }, cancellation), CarrierUnreachable);
  });

  it('the in-process carrier cancels its own parcels and refuses numbers that are not its', async () => {
    const backend = new SimulatedCarrierBackend(carrier, settings, counting(1));
    assert.deepEqual(await backend.send(cancel.request, signal()), cancel.cancelled);
    assert.deepEqual(await backend.send(cancel.unknownRequest, signal()), cancel.unknown);
  });

  it('knows its tracking numbers by format and check digit', () => {
    const format = carrier.trackingNumberFormat;
    assert.ok(isTrackingNumber(format, 'CX00000000414GB'));
    assert.ok(!isTrackingNumber(format, 'CX00000000415GB'), 'wrong check digit');
    assert.ok(!isTrackingNumber(format, 'CX0000000041GB'), 'too short');
    assert.ok(!isTrackingNumber(format, 'NP00000000414GB'), 'another prefix');
  });
});
