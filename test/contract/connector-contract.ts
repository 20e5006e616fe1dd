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
import { CARRIER_OPERATIONS, CarrierUnreachable, type CallOptions, type CarrierConnector, type Shipment } from '../../src/carriers/connector.js';
import { buildConnector, type ConnectorDependencies, type ConnectorFactory, type NumberSource } from '../../src/carriers/registry.js';
import type { CarrierHttpRequest, CarrierHttpResponse, CarrierTransport } from '../../src/carriers/transport.js';
import type { Carrier, JourneyLeg } from '../../src/domain/catalogue.js';
import { fixedClock } from '../../src/domain/clock.js';

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
  });
}
