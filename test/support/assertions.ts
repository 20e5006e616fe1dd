/** Assertions shared by the HTTP tests. */
import assert from 'node:assert/strict';
import { ERROR_CODES } from '../../src/contract/errors.js';
import { api, type ApiResponse, type TestServer } from './test-server.js';

/** What must never leak into a response: stack frames, source paths, SQL or driver messages. */
export const LEAKS = /\n\s+at |at [\w.<>]+ \(|node_modules|\.ts:\d+|\.js:\d+|\bselect\b.+\bfrom\b|\binsert into\b|SQLITE_|sqlite3|syntax error|invalid byte sequence|violates|relation "/i;

/** Asserts the error body `{Code, Message, CorrelationId, Details}` in JSON, with the given status and code, and returns it. */
export function assertError(res: ApiResponse, status: number, code: string): any {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${res.text.slice(0, 400)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const body = res.body;
  assert.deepEqual(Object.keys(body ?? {}), ['Code', 'Message', 'CorrelationId', 'Details'], res.text.slice(0, 400));
  assert.equal(body.Code, code, res.text.slice(0, 400));
  assert.ok((ERROR_CODES as readonly string[]).includes(body.Code), `${body.Code} is one of the declared error codes`);
  assert.equal(typeof body.Message, 'string');
  assert.ok(body.Message.length > 0);
  assert.equal(typeof body.CorrelationId, 'string');
  assert.ok(body.CorrelationId.length > 0);
  assert.equal(res.headers.get('x-correlation-id'), body.CorrelationId);
  assert.ok(Array.isArray(body.Details), 'Details is an array');
  for (const d of body.Details) {
    assert.deepEqual(Object.keys(d), ['Code', 'Target', 'Message']);
    for (const v of Object.values(d)) assert.equal(typeof v, 'string');
  }
  assert.doesNotMatch(res.text, LEAKS);
  return body;
}

/** GET /health answers 200 Healthy. */
export async function assertHealthy(server: TestServer): Promise<void> {
  const res = await api(server, 'GET', '/health', { key: null });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.Status, 'Healthy');
}
