/**
 * Operations over real HTTP: GET /metrics in Prometheus's format (requests by route and status,
 * allocations by outcome, labels by format, the database's connections, Node's event-loop lag),
 * without a key, switched off by SWITCHYARD_METRICS=false; and one log line per request with its
 * correlation id, route, status and time, never its API key (even one given in the query string).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { DEMO_CONSIGNMENTS } from '../../src/demo/seed-demo.js';
import { api, databaseUnderTest, DEMO_KEY, skipReason, startServer, type TestServer } from '../support/test-server.js';

/** The value of one sample of the exposition text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).startsWith('{') ? line.slice(name.length + 1, line.indexOf('}')) : '';
    if (wanted.every((w) => labelText.split(',').includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe(`Metrics and request logs (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  const lines: Record<string, unknown>[] = [];
  before(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    server = await startServer({ logger });
  });
  after(() => server.close());

  const metrics = async () => {
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    return res.text();
  };

  it('counts requests by route and status, allocations by outcome and labels by format, without a key', async () => {
    const before = await metrics();
    const route = { method: 'GET', route: '/carriers/getcarriers', status: '200' };
    const count = (text: string) => sample(text, 'switchyard_http_request_duration_seconds_count', route) ?? 0;
    for (let i = 0; i < 3; i++) assert.equal((await api(server, 'GET', '/carriers/getcarriers')).status, 200);
    assert.equal((await api(server, 'GET', '/no/such/route')).status, 404);
    const allocated = await api(server, 'PUT', '/allocation/allocatewithcarrierservice', { body: { MpdCarrierServiceReference: 'Example-Carrier-Service', ConsignmentReferences: [DEMO_CONSIGNMENTS[0], DEMO_CONSIGNMENTS[1]] } });
    assert.equal(allocated.status, 200);
    assert.equal((await api(server, 'GET', `/labels/${DEMO_CONSIGNMENTS[0]}/PDF`)).status, 200);
    const after = await metrics();
    assert.equal(count(after) - count(before), 3);
    assert.ok((sample(after, 'switchyard_http_request_duration_seconds_count', { route: 'unmatched', status: '404' }) ?? 0) >= 1, 'an unknown path counts as unmatched, not by its path');
    assert.equal((sample(after, 'switchyard_allocations_total', { outcome: 'allocated' }) ?? 0) - (sample(before, 'switchyard_allocations_total', { outcome: 'allocated' }) ?? 0), 2);
    assert.equal((sample(after, 'switchyard_labels_rendered_total', { format: 'PDF' }) ?? 0) - (sample(before, 'switchyard_labels_rendered_total', { format: 'PDF' }) ?? 0), 1);
    assert.ok((sample(after, 'switchyard_database_connections', { state: 'total' }) ?? 0) >= 1);
    assert.notEqual(sample(after, 'nodejs_eventloop_lag_seconds'), undefined, 'event-loop lag');
    assert.doesNotMatch(after, new RegExp(DEMO_KEY), 'never a key');
  });

  it('answers a scraper that accepts only text/plain', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { accept: 'text/plain' } });
    assert.equal(res.status, 200);
  });

  it('logs one line per request with its correlation id, route, status and time, and never the API key', async () => {
    const correlationId = 'metrics-test-correlation';
    const res = await fetch(`${server.url}/consignments/${DEMO_CONSIGNMENTS[2]}?subscription-key=${DEMO_KEY}`, { headers: { 'x-correlation-id': correlationId } });
    assert.equal(res.status, 200);
    await new Promise((r) => setTimeout(r, 50));
    const mine = lines.filter((l) => l.correlationId === correlationId);
    assert.equal(mine.length, 1, JSON.stringify(mine));
    const [line] = mine;
    assert.equal(line.msg, 'request');
    assert.equal(line.method, 'GET');
    assert.equal(line.route, '/consignments/:reference');
    assert.equal(line.path, `/consignments/${DEMO_CONSIGNMENTS[2]}`);
    assert.equal(line.status, 200);
    assert.equal(typeof line.ms, 'number');
    assert.ok(!lines.some((l) => JSON.stringify(l).includes(DEMO_KEY)), 'no log line holds the key');
  });
});

describe(`Metrics switched off (${databaseUnderTest})`, { skip: skipReason }, () => {
  it('answers 404 at /metrics with SWITCHYARD_METRICS=false', async () => {
    const server = await startServer({ env: { SWITCHYARD_METRICS: 'false' } });
    try {
      assert.equal((await fetch(`${server.url}/metrics`)).status, 404);
    } finally {
      await server.close();
    }
  });
});
