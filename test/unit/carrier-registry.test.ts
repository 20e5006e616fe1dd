/** Connecting a catalogue's carriers to their connectors, and the HTTP transport real connectors use. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { CarrierUnreachable, type CarrierConnector } from '../../src/carriers/connector.js';
import { CONNECTORS } from '../../src/carriers/index.js';
import { CarrierRegistry, type ConnectorFactory } from '../../src/carriers/registry.js';
import { httpTransport } from '../../src/carriers/transport.js';
import { fixedClock } from '../../src/domain/clock.js';
import { carrier, catalogueIndex, service } from '../support/domain-fixtures.js';

const dependencies = { numbers: { next: async (_: string, n: number) => Array.from({ length: n }, (_x, i) => i + 1) }, clock: fixedClock('2026-11-18T09:00:00Z') };

describe('CarrierRegistry.connect', () => {
  it('gives every carrier its own connector, built with its own settings', () => {
    const index = catalogueIndex({
      carriers: [carrier({ reference: 'FAST', connectorSettings: { TimeoutMs: 2_000 } }), carrier({ reference: 'SLOW', connectorSettings: { LatencyMs: 5 } })],
      services: [],
    });
    const registry = CarrierRegistry.connect(index, CONNECTORS, dependencies);
    const fast = registry.connectorFor(index.carrier('FAST')!);
    const slow = registry.connectorFor(index.carrier('slow')!);
    assert.notEqual(fast, slow);
    assert.equal(fast.timeoutMs, 2_000);
    assert.equal(slow.timeoutMs, 10_000, 'the default');
  });

  it('refuses, listing every problem at once: an unknown connector, wrong settings, a journey leg whose connector cannot book', () => {
    const trackOnly: ConnectorFactory = {
      name: 'track-only',
      settings: Type.Object({}),
      create: (): CarrierConnector => ({ capabilities: new Set(['track']), timeoutMs: 1000, keepsBookings: false, track: async () => ({ events: [], messages: [] }) }),
    };
    const index = catalogueIndex({
      carriers: [
        carrier({ reference: 'NOWHERE', connector: 'carrier-pigeon' }),
        carrier({ reference: 'MISSPELT', connectorSettings: { TimeOutMs: 5, LatencyMs: -1 } }),
        carrier({ reference: 'TRACKER', connector: 'track-only' }),
      ],
      services: [service({ reference: 'VIA-TRACKER', carrierReference: 'TRACKER', journey: [{ carrierReference: 'TRACKER', carrierServiceReference: 'T', carrierServiceName: 'T' }] })],
    });
    assert.throws(
      () => CarrierRegistry.connect(index, [...CONNECTORS, trackOnly], dependencies),
      (e: Error) => {
        assert.match(e.message, /carrier NOWHERE: no connector "carrier-pigeon" \(known: simulated, track-only\)/);
        assert.match(e.message, /carrier MISSPELT: ConnectorSettings/);
        assert.match(e.message, /carrier MISSPELT: ConnectorSettings\.LatencyMs Expected integer to be greater or equal to 0/);
        assert.match(e.message, /service VIA-TRACKER: carrier TRACKER's connector cannot book/);
        return true;
      },
    );
  });

  it('refuses a journey of several legs through a carrier whose connector cannot cancel: it could not be undone', () => {
    const bookOnly: ConnectorFactory = {
      name: 'book-only',
      settings: Type.Object({}),
      create: () => ({ capabilities: new Set(['book']), timeoutMs: 1000, keepsBookings: true, book: async () => ({ kind: 'booked', carrierBookingReference: null, trackingReferences: [], documents: [], messages: [] }) }),
    };
    const legs = [
      { carrierReference: 'A', carrierServiceReference: 'A1', carrierServiceName: 'A1' },
      { carrierReference: 'B', carrierServiceReference: 'B1', carrierServiceName: 'B1' },
    ];
    const index = catalogueIndex({
      carriers: [carrier({ reference: 'A' }), carrier({ reference: 'B', connector: 'book-only' })],
      services: [service({ reference: 'SINGLE', carrierReference: 'B', journey: [legs[1]] }), service({ reference: 'TWO-LEGS', carrierReference: 'A', journey: legs })],
    });
    assert.throws(() => CarrierRegistry.connect(index, [...CONNECTORS, bookOnly], dependencies), (e: Error) => {
      assert.match(e.message, /service TWO-LEGS: carrier B's connector cannot cancel/);
      assert.doesNotMatch(e.message, /SINGLE/, 'one leg needs no undoing of others');
      return true;
    });
  });

  it('refuses a connector that declares operations it does not offer', () => {
    const liar: ConnectorFactory = { name: 'liar', settings: Type.Object({}), create: () => ({ capabilities: new Set(['book', 'cancel']), timeoutMs: 1000, keepsBookings: true, book: async () => ({ kind: 'booked', carrierBookingReference: null, trackingReferences: [], documents: [], messages: [] }) }) };
    const index = catalogueIndex({ carriers: [carrier({ reference: 'L', connector: 'liar' })], services: [] });
    assert.throws(() => CarrierRegistry.connect(index, [liar], dependencies), /connector liar declares book, cancel but offers book/);
  });
});

describe('httpTransport', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/echo') {
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, key: req.headers['x-api-key'], got: JSON.parse(body) }));
        } else if (req.url === '/broken') {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"half":');
        } else if (req.url === '/html') {
          res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
        } // '/slow' never answers
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('sends JSON with its headers and reads any status as an answer', async () => {
    const transport = httpTransport({ carrierReference: 'HTTP', baseUrl: `${base}/`, headers: { 'x-api-key': 'k' } });
    const echo = await transport.send({ method: 'POST', path: '/echo', body: { a: 1 } }, new AbortController().signal);
    assert.equal(echo.status, 201);
    assert.deepEqual(echo.body, { method: 'POST', key: 'k', got: { a: 1 } });
    const html = await transport.send({ method: 'GET', path: '/html' }, new AbortController().signal);
    assert.deepEqual([html.status, html.body], [502, '<html>bad gateway</html>']);
  });

  it('throws CarrierUnreachable for malformed JSON, for a timeout (the booking may exist) and for a refused connection (it cannot)', async () => {
    const transport = httpTransport({ carrierReference: 'HTTP', baseUrl: base });
    await assert.rejects(transport.send({ method: 'GET', path: '/broken' }, new AbortController().signal), (e: unknown) => e instanceof CarrierUnreachable && /malformed JSON/.test(e.message));
    await assert.rejects(transport.send({ method: 'POST', path: '/slow', body: {} }, AbortSignal.timeout(50)), (e: unknown) => e instanceof CarrierUnreachable && e.mayHaveActed && /did not answer in time/.test(e.message));
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const freed = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const closed = httpTransport({ carrierReference: 'HTTP', baseUrl: `http://127.0.0.1:${freed}` });
    await assert.rejects(closed.send({ method: 'GET', path: '/' }, new AbortController().signal), (e: unknown) => e instanceof CarrierUnreachable && !e.mayHaveActed && /ECONNREFUSED/.test(e.message));
  });
});
