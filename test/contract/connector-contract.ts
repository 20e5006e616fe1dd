/**
 * The contract every carrier connector keeps, whatever its carrier: run it for a connector with
 * `connectorContract(subject)` in a `<name>.test.ts` beside this file. It builds the connector as
 * the registry does (its settings checked, its declared operations its methods), then drives each
 * operation it declares: through its own transport for what the carrier answers, and through
 * scripted transports for a carrier that is down, slow, or answers nonsense — which must always
 * end as CarrierUnreachable (503, nothing changed), never as a booking or a refusal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CARRIER_OPERATIONS,
  CarrierUnreachable,
  type BookedShipment,
  type BookingRequest,
  type CallOptions,
  type CarrierConnector,
  type DocumentsRequest,
  type ManifestRequest,
  type ManifestShipment,
  type Shipment,
  type TrackedShipment,
} from '../../src/carriers/connector.js';
import { trackingCodeNamed } from '../../src/domain/tracking.js';
import { buildConnector, type ConnectorDependencies, type ConnectorFactory, type NumberSource } from '../../src/carriers/registry.js';
import type { CarrierHttpRequest, CarrierHttpResponse, CarrierTransport } from '../../src/carriers/transport.js';
import type { Carrier, JourneyLeg } from '../../src/domain/catalogue.js';
import { fixedClock } from '../../src/domain/clock.js';
import type { CustomsDeclaration } from '../../src/domain/documents/customs-forms.js';
import { isPdf, pdfPageImages, pdfPages, pdfPageSize, pdfText, pngInfo, pngSlices, readCode128, zplBlocks } from '../support/document-checks.js';

export interface ContractSubject {
  factory: ConnectorFactory;
  /** A carrier served by the connector, with the settings it needs. */
  carrier: Carrier;
  leg: JourneyLeg;
  /** A shipment the carrier books. */
  shipment: Shipment;
  /** A carrier (settings) and shipment it refuses, where the connector's carrier can be made to refuse. */
  refusal?: { carrier: Carrier; shipment: Shipment };
  /** What the carrier answers to calls the contract scripts (a status it means as success, to send nonsense with). */
  successStatus: number;
  /** A recorded answer of the carrier to a booking of `shipment`, and to a cancellation: replayed by a recording transport. */
  recorded: { booked: CarrierHttpResponse; cancelled: CarrierHttpResponse };
  /** For a connector that makes documents: a customs declaration its forms are made with (the shipment crosses a customs border). */
  customs?: CustomsDeclaration;
  /**
   * For a connector that manifests: a recorded answer to a manifest of `shipment`, and whether its
   * carrier refuses a shipment whose cut-off has passed (by the clock it is given, 2026-11-18T09:00Z).
   */
  manifest?: { manifested: CarrierHttpResponse; refusesPassedCutOff: boolean };
  /**
   * For a connector that tracks: a moment by which its carrier reports every package of a shipment
   * booked for `shipment.collectionDate` and `latestDeliveryDate` delivered (a simulated carrier's
   * made-up history; omit for a real carrier, whose answers the contract cannot foresee).
   */
  track?: { latestDeliveryDate: string; deliveredBy: string };
}

/** Numbers as the store's sequences hand them out: unique, increasing. */
function numbers(): NumberSource {
  let next = 1;
  return { next: async (_name, count) => Array.from({ length: count }, () => next++) };
}

function build(factory: ConnectorFactory, carrier: Carrier, transport?: CarrierTransport): CarrierConnector {
  const dependencies: ConnectorDependencies = { numbers: numbers(), clock: fixedClock('2026-11-18T09:00:00Z'), transport };
  const built = buildConnector(factory, carrier, dependencies);
  if ('problems' in built) throw new Error(built.problems.join('; '));
  return built.connector;
}

const options = (): CallOptions => ({ signal: new AbortController().signal });

/** A transport whose every answer is `answer`'s. */
function scripted(answer: (request: CarrierHttpRequest, signal: AbortSignal) => Promise<CarrierHttpResponse>): CarrierTransport {
  return { send: answer };
}

const isUnreachable = (e: unknown) => e instanceof CarrierUnreachable;

/** Each test at most this long: a connector that ignores its signal fails rather than hangs the suite. */
const LIMIT = { timeout: 5_000 };

let attempts = 0;

export function connectorContract(subject: ContractSubject): void {
  const { factory, carrier, leg, shipment } = subject;
  const booking = (legNumber = 1, s = shipment, c = carrier) => ({ carrier: c, leg, legNumber, bookingReference: `${s.consignmentReference}-${legNumber}-T${++attempts}`, shipment: s });
  const cancellation = (trackingReferences: string[], bookingReference: string | null = null, carrierBookingReference: string | null = null) => ({
    carrier,
    legNumber: 1,
    carrierServiceReference: leg.carrierServiceReference,
    consignmentReference: shipment.consignmentReference,
    bookingReference,
    carrierBookingReference,
    trackingReferences,
  });
  /** A transport that keeps what it is sent and answers with `answer`. */
  const recording = (answer: CarrierHttpResponse) => {
    const sent: CarrierHttpRequest[] = [];
    return { sent, transport: scripted(async (request) => (sent.push(request), answer)) };
  };

  describe(`connector contract: ${factory.name}`, () => {
    it('declares exactly the operations it offers, and a time limit', () => {
      const connector = build(factory, carrier);
      for (const op of CARRIER_OPERATIONS) assert.equal(typeof connector[op] === 'function', connector.capabilities.has(op), `${op}: declared iff offered`);
      assert.ok(Number.isInteger(connector.timeoutMs) && connector.timeoutMs > 0, 'timeoutMs is a positive whole number of milliseconds');
      assert.equal(typeof connector.keepsBookings, 'boolean', 'it says whether its carrier keeps bookings');
    });

    it('refuses settings that do not fit its schema, naming them', () => {
      const wrong = { ...carrier, connectorSettings: { ...carrier.connectorSettings, NoSuchSetting: true } };
      const built = buildConnector(factory, wrong, { numbers: numbers(), clock: fixedClock('2026-11-18T09:00:00Z') });
      assert.ok('problems' in built && built.problems.some((p) => p.includes(carrier.reference)), JSON.stringify(built));
    });

    const connector = build(factory, carrier);
    if (connector.capabilities.has('book')) {
      it('books a shipment: one tracking reference per package, in package order, none shared with another booking', LIMIT, async () => {
        const first = await connector.book!(booking(), options());
        const second = await connector.book!(booking(), options());
        for (const outcome of [first, second]) {
          assert.equal(outcome.kind, 'booked', JSON.stringify(outcome));
          assert.ok(outcome.kind === 'booked');
          assert.equal(outcome.trackingReferences.length, shipment.packages.length);
          for (const t of outcome.trackingReferences) assert.ok(typeof t === 'string' && t.trim().length > 0 && t.length <= 100, `tracking reference ${t}`);
          for (const m of outcome.messages) assert.ok(['info', 'warning', 'error'].includes(m.severity) && typeof m.text === 'string');
          for (const d of outcome.documents) assert.ok(d.content instanceof Uint8Array && d.content.length > 0 && d.contentType.length > 0);
        }
        const all = [first, second].flatMap((o) => (o.kind === 'booked' ? o.trackingReferences : []));
        assert.equal(new Set(all).size, all.length, 'tracking references are unique');
      });

      if (subject.refusal) {
        const { refusal } = subject;
        it('answers a shipment its carrier will not take as refused, with a reason a user can act on', LIMIT, async () => {
          const refusing = build(factory, refusal.carrier);
          const outcome = await refusing.book!(booking(1, refusal.shipment, refusal.carrier), options());
          assert.equal(outcome.kind, 'refused');
          assert.ok(outcome.kind === 'refused');
          assert.ok(outcome.refusal.code.length > 0);
          assert.ok(outcome.refusal.message.trim().length > 0);
        });
      }

      it('throws CarrierUnreachable when the carrier cannot be reached', LIMIT, async () => {
        const down = build(factory, carrier, scripted(async () => {
          throw new CarrierUnreachable(carrier.reference, 'connection refused', { mayHaveActed: false });
        }));
        await assert.rejects(down.book!(booking(), options()), isUnreachable);
      });

      for (const status of [500, 502, 503]) {
        it(`throws CarrierUnreachable when the carrier answers HTTP ${status}`, LIMIT, async () => {
          const failing = build(factory, carrier, scripted(async () => ({ status, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' })));
          await assert.rejects(failing.book!(booking(), options()), isUnreachable);
        });
      }

      for (const [what, body] of [
        ['an empty answer', ''],
        ['HTML', '<html>maintenance</html>'],
        ['an empty object', {}],
        ['null', null],
        ['a list', []],
      ] as const) {
        it(`throws CarrierUnreachable when a successful status comes with ${what} instead of a booking`, LIMIT, async () => {
          const nonsense = build(factory, carrier, scripted(async () => ({ status: subject.successStatus, headers: { 'content-type': 'application/json' }, body })));
          await assert.rejects(nonsense.book!(booking(), options()), isUnreachable);
        });
      }

      it('passes its signal to the transport: an aborted call ends, and ends as CarrierUnreachable', LIMIT, async () => {
        const hanging = build(factory, carrier, scripted((_request, signal) => new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new CarrierUnreachable(carrier.reference, 'aborted')), { once: true });
        })));
        const controller = new AbortController();
        const call = hanging.book!(booking(), { signal: controller.signal });
        controller.abort();
        await assert.rejects(call, isUnreachable);
      });
    }

    if (connector.capabilities.has('book')) {
      it('gives the carrier our booking reference, and returns the carrier’s own reference for the booking', LIMIT, async () => {
        const { sent, transport } = recording(subject.recorded.booked);
        const request = booking();
        const outcome = await build(factory, carrier, transport).book!(request, options());
        assert.ok(sent.length >= 1);
        assert.ok(JSON.stringify(sent).includes(request.bookingReference), 'the booking reference reaches the carrier');
        assert.ok(outcome.kind === 'booked');
        assert.ok(outcome.carrierBookingReference === null || (typeof outcome.carrierBookingReference === 'string' && outcome.carrierBookingReference.length > 0));
      });
    }

    if (connector.capabilities.has('documents')) documentsContract(subject, connector, booking);

    if (connector.capabilities.has('cancel')) {
      it('cancels what it booked, and cancelling again is still cancelled', LIMIT, async () => {
        const request = booking();
        const outcome = await connector.book!(request, options());
        assert.ok(outcome.kind === 'booked');
        const cancel = cancellation(outcome.trackingReferences, request.bookingReference, outcome.carrierBookingReference);
        assert.equal((await connector.cancel!(cancel, options())).kind, 'cancelled');
        assert.equal((await connector.cancel!(cancel, options())).kind, 'cancelled');
      });

      it('cancels a booking whose answer was lost by its booking reference alone (no tracking references), and tells the carrier that reference', LIMIT, async () => {
        assert.equal((await connector.cancel!(cancellation([], 'EC-000-0CT-001-1-LOST'), options())).kind, 'cancelled');
        const { sent, transport } = recording(subject.recorded.cancelled);
        await build(factory, carrier, transport).cancel!(cancellation([], 'EC-000-0CT-001-1-LOST'), options());
        assert.ok(JSON.stringify(sent).includes('EC-000-0CT-001-1-LOST'), 'the booking reference reaches the carrier');
      });

      it('throws CarrierUnreachable when a cancellation cannot reach the carrier', LIMIT, async () => {
        const down = build(factory, carrier, scripted(async () => ({ status: 503, headers: {}, body: '' })));
        await assert.rejects(down.cancel!(cancellation(['X']), options()), isUnreachable);
      });
    }

    if (connector.capabilities.has('manifest')) manifestContract(subject, booking);

    if (connector.capabilities.has('track')) trackContract(subject, booking);
  });
}

/**
 * What every connector that tracks must do (decisions.md §12): say how often it is to be asked;
 * answer events only of the tracking references asked about, in the published vocabulary, at
 * valid moments after `since` and not after `now`; and end as CarrierUnreachable when its
 * carrier is down, failing, answering nonsense or the call is aborted.
 */
function trackContract(subject: ContractSubject, booking: (legNumber?: number, s?: Shipment) => BookingRequest): void {
  const { factory, carrier, leg, shipment } = subject;
  const latestDeliveryDate = subject.track?.latestDeliveryDate ?? `${shipment.collectionDate.slice(0, 10)}T23:59:00+00:00`;
  const tracked = async (connector: CarrierConnector, since: string | null = null): Promise<TrackedShipment> => {
    const request = booking(1, shipment);
    const outcome = connector.book ? await connector.book(request, options()) : null;
    return {
      ...shipment,
      legNumber: 1,
      carrierServiceReference: leg.carrierServiceReference,
      bookingReference: request.bookingReference,
      carrierBookingReference: outcome?.kind === 'booked' ? outcome.carrierBookingReference : null,
      trackingReferences: outcome?.kind === 'booked' ? outcome.trackingReferences : shipment.packages.map((_, i) => `${shipment.consignmentReference}-${i}`),
      latestDeliveryDate,
      since,
    };
  };
  const now = subject.track?.deliveredBy ?? '2026-11-25T12:00:00+00:00';

  it('says how often the tracker is to ask it', () => {
    const connector = build(factory, carrier);
    assert.ok(connector.trackingIntervalMs === undefined || (Number.isInteger(connector.trackingIntervalMs) && connector.trackingIntervalMs > 0));
  });

  it('answers events only of the tracking references asked about, in the published vocabulary, after since and not after now', LIMIT, async () => {
    const connector = build(factory, carrier);
    const asked = await tracked(connector);
    const result = await connector.track!({ carrier, shipments: [asked], now }, options());
    for (const e of result.events) {
      assert.ok(asked.trackingReferences.includes(e.trackingReference), `${e.trackingReference} was asked about`);
      assert.ok(trackingCodeNamed(e.code), `${e.code} is in the vocabulary`);
      const at = Date.parse(e.timeStamp);
      assert.ok(Number.isFinite(at) && at <= Date.parse(now), `${e.timeStamp} is a moment not after now`);
      assert.equal(typeof e.description, 'string');
    }
    for (const m of result.messages) assert.ok(['info', 'warning', 'error'].includes(m.severity) && typeof m.text === 'string');
    if (subject.track) {
      for (const t of asked.trackingReferences) assert.ok(result.events.some((e) => e.trackingReference === t && e.code === 'DELIVERED'), `${t} delivered by ${now}`);
      // Asked again after its events, it reports none of them again.
      const last = result.events.map((e) => Date.parse(e.timeStamp)).sort((a, b) => a - b).at(-1)!;
      const since = new Date(last).toISOString();
      const again = await connector.track!({ carrier, shipments: [{ ...asked, since }], now }, options());
      assert.ok(again.events.every((e) => Date.parse(e.timeStamp) > last), JSON.stringify(again.events));
      // Before the collection, nothing has happened yet.
      const early = await connector.track!({ carrier, shipments: [asked], now: new Date(Date.parse(shipment.collectionDate) - 60_000).toISOString() }, options());
      assert.deepEqual(early.events, []);
    }
  });

  const unreachableBy = async (transport: CarrierTransport, signal?: AbortSignal) => {
    const asked = await tracked(build(factory, carrier));
    return build(factory, carrier, transport).track!({ carrier, shipments: [asked], now }, signal ? { signal } : options());
  };

  it('throws CarrierUnreachable when a tracking request cannot reach the carrier', LIMIT, async () => {
    await assert.rejects(unreachableBy(scripted(async () => {
      throw new CarrierUnreachable(carrier.reference, 'connection refused', { mayHaveActed: false });
    })), isUnreachable);
  });

  for (const status of [500, 502, 503]) {
    it(`throws CarrierUnreachable when the carrier answers a tracking request with HTTP ${status}`, LIMIT, async () => {
      await assert.rejects(unreachableBy(scripted(async () => ({ status, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' }))), isUnreachable);
    });
  }

  for (const [what, body] of [['an empty answer', ''], ['an empty object', {}], ['null', null], ['a list', []]] as const) {
    it(`throws CarrierUnreachable when a successful status comes with ${what} instead of events`, LIMIT, async () => {
      await assert.rejects(unreachableBy(scripted(async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body }))), isUnreachable);
    });
  }

  it('passes its signal to the transport on a tracking request: an aborted call ends as CarrierUnreachable', LIMIT, async () => {
    const controller = new AbortController();
    const hanging = scripted((_request, signal) => new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(new CarrierUnreachable(carrier.reference, 'aborted')), { once: true });
      controller.abort();
    }));
    await assert.rejects(unreachableBy(hanging, controller.signal), isUnreachable);
  });
}

/**
 * What every connector that manifests must do: take booked shipments whose cut-off is ahead,
 * refuse (each with a reason) only shipments it was given, tell its carrier every consignment and
 * tracking reference, and end as CarrierUnreachable, never as a manifest, when its carrier is down,
 * failing, answering nonsense or the call is aborted.
 */
function manifestContract(subject: ContractSubject, booking: (legNumber?: number, s?: Shipment) => BookingRequest): void {
  const { factory, carrier, leg, shipment } = subject;
  /** A shipment booked with the connector (when it books), as a manifest hands it over; cut-off at 17:00 on its collection day. */
  const booked = async (connector: CarrierConnector, consignmentReference: string, collectionDate: string): Promise<ManifestShipment> => {
    const s = { ...shipment, consignmentReference, collectionDate };
    const request = booking(1, s);
    const outcome = connector.book ? await connector.book(request, options()) : null;
    const trackingReferences = outcome?.kind === 'booked' ? outcome.trackingReferences : shipment.packages.map((_, i) => `${consignmentReference}-${i}`);
    return {
      ...s,
      legNumber: 1,
      carrierServiceReference: leg.carrierServiceReference,
      bookingReference: request.bookingReference,
      carrierBookingReference: outcome?.kind === 'booked' ? outcome.carrierBookingReference : null,
      trackingReferences,
      cutOff: `${collectionDate.slice(0, 10)}T17:00:00+00:00`,
    };
  };
  const manifestOf = (shipments: ManifestShipment[]): ManifestRequest => ({ carrier, shippingLocationReference: 'WH-MAN-01', collectionDay: shipments[0].collectionDate.slice(0, 10), shipments });

  it('manifests booked shipments whose cut-off is ahead, refusing none', LIMIT, async () => {
    const connector = build(factory, carrier);
    const shipments = [await booked(connector, 'EC-000-0CT-101', '2026-11-18T17:30:00+00:00'), await booked(connector, 'EC-000-0CT-102', '2026-11-18T17:30:00+00:00')];
    const result = await connector.manifest!(manifestOf(shipments), options());
    assert.deepEqual(result.refused, [], JSON.stringify(result));
    assert.ok(result.carrierManifestReference === null || (typeof result.carrierManifestReference === 'string' && result.carrierManifestReference.length > 0));
    for (const d of result.documents) assert.ok(d.kind === 'manifest' && d.content instanceof Uint8Array && d.content.length > 0 && d.contentType.length > 0);
    for (const m of result.messages) assert.ok(['info', 'warning', 'error'].includes(m.severity) && typeof m.text === 'string');
  });

  if (subject.manifest?.refusesPassedCutOff) {
    it('refuses a shipment whose cut-off has passed, with a reason a user can act on, and manifests the others', LIMIT, async () => {
      const connector = build(factory, carrier);
      const ahead = await booked(connector, 'EC-000-0CT-103', '2026-11-18T17:30:00+00:00');
      const passed = await booked(connector, 'EC-000-0CT-104', '2026-11-17T17:30:00+00:00');
      const result = await connector.manifest!(manifestOf([ahead, passed]), options());
      assert.deepEqual(result.refused.map((r) => r.consignmentReference), ['EC-000-0CT-104']);
      assert.ok(result.refused[0].refusal.code.length > 0 && result.refused[0].refusal.message.trim().length > 0);
    });
  }

  it('tells its carrier every consignment and tracking reference of the manifest', LIMIT, async () => {
    const sent: CarrierHttpRequest[] = [];
    const connector = build(factory, carrier);
    const shipments = [await booked(connector, 'EC-000-0CT-105', '2026-11-18T17:30:00+00:00')];
    const answer = subject.manifest?.manifested ?? { status: subject.successStatus, headers: {}, body: {} };
    const recording = build(factory, carrier, scripted(async (request) => (sent.push(request), answer)));
    await recording.manifest!(manifestOf(shipments), options()).catch(() => undefined);
    const text = JSON.stringify(sent);
    assert.ok(sent.length >= 1, 'the carrier was asked');
    for (const ref of ['EC-000-0CT-105', ...shipments[0].trackingReferences]) assert.ok(text.includes(ref), `${ref} reaches the carrier`);
  });

  const unreachableBy = async (transport: CarrierTransport, signal?: AbortSignal) => {
    const connector = build(factory, carrier);
    const shipments = [await booked(connector, 'EC-000-0CT-106', '2026-11-18T17:30:00+00:00')];
    return build(factory, carrier, transport).manifest!(manifestOf(shipments), signal ? { signal } : options());
  };

  it('throws CarrierUnreachable when a manifest cannot reach the carrier', LIMIT, async () => {
    await assert.rejects(unreachableBy(scripted(async () => {
      throw new CarrierUnreachable(carrier.reference, 'connection refused', { mayHaveActed: false });
    })), isUnreachable);
  });

  for (const status of [500, 502, 503]) {
    it(`throws CarrierUnreachable when the carrier answers a manifest with HTTP ${status}`, LIMIT, async () => {
      await assert.rejects(unreachableBy(scripted(async () => ({ status, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' }))), isUnreachable);
    });
  }

  for (const [what, body] of [['an empty answer', ''], ['an empty object', {}], ['null', null], ['a list', []]] as const) {
    it(`throws CarrierUnreachable when a successful status comes with ${what} instead of a manifest`, LIMIT, async () => {
      await assert.rejects(unreachableBy(scripted(async () => ({ status: subject.successStatus, headers: { 'content-type': 'application/json' }, body }))), isUnreachable);
    });
  }

  it('passes its signal to the transport on a manifest: an aborted call ends as CarrierUnreachable', LIMIT, async () => {
    const controller = new AbortController();
    // Aborted once the carrier has been asked, as the caller's deadline would.
    const hanging = scripted((_request, signal) => new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(new CarrierUnreachable(carrier.reference, 'aborted')), { once: true });
      controller.abort();
    }));
    await assert.rejects(unreachableBy(hanging, controller.signal), isUnreachable);
  });
}

/**
 * What every `documents` connector does (decisions.md §9, §10): labels as one file per request in
 * the format and page size asked (a PDF page, a 4 × 6 in label at 203 dpi in a PNG stacked top to
 * bottom, or a ZPL `^XA … ^XZ` block per label), only of the packages asked for and in that order,
 * the same bytes for the same request (a reprint), with the leg's tracking reference as a
 * Code 128 that reads back; customs documents as one PDF each, in the order asked; and, as for
 * every operation, CarrierUnreachable for a carrier that cannot be reached or answers nonsense.
 */
function documentsContract(subject: ContractSubject, connector: CarrierConnector, booking: () => { carrier: Carrier; leg: JourneyLeg; legNumber: number; bookingReference: string; shipment: Shipment }): void {
  const { factory, carrier, leg } = subject;
  /** A leg booked with the connector's own carrier, as the allocation stores it. */
  const booked = async (): Promise<BookedShipment> => {
    assert.ok(connector.book, 'a connector that makes documents books the shipments it makes them for');
    const request = booking();
    const outcome = await connector.book!(request, options());
    assert.ok(outcome.kind === 'booked', JSON.stringify(outcome));
    return {
      ...request.shipment,
      legNumber: 1,
      carrierServiceReference: leg.carrierServiceReference,
      bookingReference: request.bookingReference,
      carrierBookingReference: outcome.carrierBookingReference,
      trackingReferences: outcome.trackingReferences,
    };
  };
  const labels = (shipment: BookedShipment, format: 'PDF' | 'PNG' | 'ZPL', packageReferences = shipment.packages.map((p) => p.reference), pageSize: 'A6' | 'A4' = 'A6'): DocumentsRequest => ({
    carrier,
    leg,
    shipment,
    wanted: { kind: 'labels', packageReferences, format, pageSize },
  });
  const one = async (request: DocumentsRequest, c = connector) => {
    const result = await c.documents!(request, options());
    assert.equal(result.documents.length, 1, 'labels come as one file');
    const [document] = result.documents;
    assert.equal(document.kind, 'label');
    assert.ok(document.content instanceof Uint8Array && document.content.length > 0);
    return document;
  };

  it('makes labels as one PDF, a 4 × 6 in page per package, with each tracking reference as a Code 128 that reads back', LIMIT, async () => {
    const shipment = await booked();
    const document = await one(labels(shipment, 'PDF'));
    assert.equal(document.format, 'PDF');
    assert.equal(document.contentType, 'application/pdf');
    assert.ok(isPdf(document.content));
    assert.equal(pdfPages(document.content), shipment.packages.length);
    assert.deepEqual(pdfPageSize(document.content), [288, 432]);
    const pages = pdfPageImages(document.content);
    shipment.trackingReferences.forEach((t, i) => {
      assert.ok(readCode128(pages[i]).includes(t), `page ${i + 1} carries ${t} as a Code 128`);
      assert.ok(pdfText(document.content, i + 1).includes(t), `page ${i + 1} prints ${t}`);
    });
  });

  it('puts four labels on each A4 page when asked', LIMIT, async () => {
    const shipment = await booked();
    const five = Array.from({ length: 5 }, (_, i) => shipment.packages[i % shipment.packages.length].reference);
    const document = await one(labels(shipment, 'PDF', five, 'A4'));
    assert.equal(pdfPages(document.content), 2);
    const [width, height] = pdfPageSize(document.content);
    assert.ok(Math.abs(width - 595.28) < 1 && Math.abs(height - 841.89) < 1, `A4, not ${width} × ${height}`);
  });

  it('makes labels as one PNG at 203 dpi, 4 × 6 in labels stacked top to bottom', LIMIT, async () => {
    const shipment = await booked();
    const document = await one(labels(shipment, 'PNG'));
    assert.equal(document.contentType, 'image/png');
    const png = pngInfo(document.content);
    assert.equal(png.width, 812);
    assert.equal(png.height, 1218 * shipment.packages.length);
    assert.equal(png.dpi, 203);
    const slices = await pngSlices(document.content, 1218);
    assert.deepEqual(slices.map((slice) => readCode128(slice)), shipment.trackingReferences.map((t) => [t]), 'each label, in package order, carries its tracking reference');
  });

  it('makes labels as ZPL, one ^XA … ^XZ block per label with the tracking reference in a ^BC', LIMIT, async () => {
    const shipment = await booked();
    const document = await one(labels(shipment, 'ZPL'));
    assert.equal(document.contentType, 'application/zpl');
    const blocks = zplBlocks(Buffer.from(document.content).toString('utf8'));
    assert.equal(blocks.length, shipment.packages.length);
    blocks.forEach((block, i) => assert.match(block, new RegExp(`\\^BC[^]*?\\^FD${shipment.trackingReferences[i]}\\^FS`)));
  });

  it('labels only the packages asked for, in the order asked', LIMIT, async () => {
    const shipment = await booked();
    const last = shipment.packages.length - 1;
    const document = await one(labels(shipment, 'ZPL', [shipment.packages[last].reference, shipment.packages[0].reference]));
    const blocks = zplBlocks(Buffer.from(document.content).toString('utf8'));
    assert.equal(blocks.length, 2);
    assert.ok(blocks[0].includes(shipment.trackingReferences[last]) && blocks[1].includes(shipment.trackingReferences[0]));
  });

  it('makes the same bytes for the same request: a reprint is identical', LIMIT, async () => {
    const shipment = await booked();
    for (const format of ['PDF', 'PNG', 'ZPL'] as const) {
      const first = await one(labels(shipment, format));
      const again = await one(labels(shipment, format));
      assert.ok(Buffer.from(first.content).equals(Buffer.from(again.content)), `${format} reprint`);
    }
  });

  if (subject.customs) {
    const declaration = subject.customs;
    it('makes each customs document asked for as its own PDF, in the order asked', LIMIT, async () => {
      const shipment = await booked();
      const documents = [
        { kind: 'commercialInvoice' as const, packageReference: null },
        ...shipment.packages.map((p, i) => ({ kind: i % 2 ? ('cn23' as const) : ('cn22' as const), packageReference: p.reference })),
      ];
      const result = await connector.documents!({ carrier, leg, shipment, wanted: { kind: 'customs', documents, declaration } }, options());
      assert.deepEqual(result.documents.map((d) => [d.kind, d.packageReference, d.contentType]), documents.map((d) => [d.kind, d.packageReference, 'application/pdf']));
      for (const d of result.documents) assert.ok(isPdf(d.content));
      assert.match(pdfText(result.documents[0].content), /commercial invoice/i);
      assert.match(pdfText(result.documents[1].content), /CN ?22/);
    });
  }

  it('throws CarrierUnreachable when documents cannot be had: the carrier down, failing, answering nonsense, or the call aborted', LIMIT, async () => {
    const shipment = await booked();
    const down = build(factory, carrier, scripted(async () => {
      throw new CarrierUnreachable(carrier.reference, 'connection refused', { mayHaveActed: false });
    }));
    await assert.rejects(down.documents!(labels(shipment, 'PDF'), options()), isUnreachable);
    const failing = build(factory, carrier, scripted(async () => ({ status: 503, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' })));
    await assert.rejects(failing.documents!(labels(shipment, 'PDF'), options()), isUnreachable);
    for (const body of ['', {}, null, [], { files: [] }, { files: [{ contentType: 'application/pdf', content: '' }, { contentType: 'application/pdf', content: 'JVBERi0=' }] }]) {
      const nonsense = build(factory, carrier, scripted(async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body })));
      await assert.rejects(nonsense.documents!(labels(shipment, 'PDF'), options()), isUnreachable, JSON.stringify(body));
    }
    const hanging = build(factory, carrier, scripted((_request, signal) => new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(new CarrierUnreachable(carrier.reference, 'aborted')), { once: true });
    })));
    const controller = new AbortController();
    const call = hanging.documents!(labels(shipment, 'PDF'), { signal: controller.signal });
    controller.abort();
    await assert.rejects(call, isUnreachable);
  });
}
