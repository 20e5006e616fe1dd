/**
 * Rate limits over HTTP (docs/api.md, "Rate limits"): requests per API key and failed authentications
 * per client address, counted in fixed windows of the injected clock, which the tests move on
 * instead of waiting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, api, databaseUnderTest, DEFAULT_NOW, DEMO_KEY, movableClock, skipReason, startServer, type TestServer } from '../support/test-server.js';

const admin = { key: null, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

describe(`Rate limits over HTTP (${databaseUnderTest})`, { skip: skipReason }, () => {
  describe('per API key', () => {
    let server: TestServer;
    const clock = movableClock(DEFAULT_NOW); // on a minute: the window ends 60 s later
    before(async () => (server = await startServer({ clock, env: { SWITCHYARD_RATE_LIMIT_PER_KEY: '3', SWITCHYARD_AUTH_FAILURES_PER_ADDRESS: '0' } })));
    after(() => server.close());

    it('answers the 4th request within a window 429 TooManyRequests with Retry-After, in JSON and XML; another key goes on; the next window serves again', async () => {
      const other = (await api(server, 'POST', '/admin/subscriptions', { ...admin, body: { Name: 'Other Ltd' } })).body.ApiKey as string;
      for (let i = 0; i < 3; i++) assert.equal((await api(server, 'GET', '/carrierservices')).status, 200, `request ${i + 1}`);
      clock.advance(15_000);
      const refused = await api(server, 'GET', '/carrierservices');
      assert.equal(refused.status, 429, refused.text);
      assert.equal(refused.headers.get('retry-after'), '45');
      assert.equal(refused.body.Code, 'TooManyRequests');
      assert.match(refused.body.Message, /More than 3 requests with this API key in 60 s; try again in 45 s/);
      assert.deepEqual(refused.body.Details, [{ Code: 'TooManyRequests', Target: 'request', Message: refused.body.Message }]);
      assert.ok(refused.body.CorrelationId);
      const xml = await api(server, 'GET', '/carrierservices', { headers: { accept: 'application/xml' } });
      assert.equal(xml.status, 429);
      assert.equal(xml.headers.get('retry-after'), '45');
      assert.match(xml.headers.get('content-type') ?? '', /xml/);
      assert.match(xml.text, /<ApiError [^>]*>.*<Code>TooManyRequests<\/Code>/s);

      for (let i = 0; i < 3; i++) assert.equal((await api(server, 'GET', '/carrierservices', { key: other })).status, 200, `the other key's request ${i + 1}`);
      assert.equal((await api(server, 'GET', '/carrierservices', { key: other })).status, 429);
      assert.equal((await api(server, 'GET', '/health', { key: null })).status, 200, 'health is not limited');

      clock.advance(45_000);
      assert.equal((await api(server, 'GET', '/carrierservices')).status, 200, 'a new window');
      assert.equal((await api(server, 'GET', '/carrierservices', { key: other })).status, 200);
    });
  });

  describe('failed authentications per address', () => {
    let server: TestServer;
    const clock = movableClock(DEFAULT_NOW);
    before(async () => (server = await startServer({ clock, env: { SWITCHYARD_AUTH_FAILURES_PER_ADDRESS: '2', SWITCHYARD_RATE_LIMIT_PER_KEY: '0' } })));
    after(() => server.close());

    it('refuses an address with 429 after its failures, before even checking a good key, and serves it again in the next window', async () => {
      for (let i = 0; i < 50; i++) assert.equal((await api(server, 'GET', '/carrierservices')).status, 200, 'successes are not counted against the address');
      assert.equal((await api(server, 'GET', '/carrierservices', { key: 'wrong-key' })).status, 401);
      assert.equal((await api(server, 'GET', '/carrierservices')).status, 200, 'one failure of two allowed');
      assert.equal((await api(server, 'GET', '/admin/subscriptions', { key: null, headers: { authorization: 'Bearer wrong' } })).status, 401, 'a wrong admin token is a failure too');
      clock.advance(59_000);
      const refused = await api(server, 'GET', '/carrierservices');
      assert.equal(refused.status, 429, 'the good key is not even looked at');
      assert.equal(refused.headers.get('retry-after'), '1');
      assert.equal(refused.body.Code, 'TooManyRequests');
      assert.match(refused.body.Message, /Too many failed authentications from this address/);
      assert.equal((await api(server, 'GET', '/admin/subscriptions', admin)).status, 429, 'nor the admin token');
      const xml = await api(server, 'GET', '/carrierservices', { key: 'wrong-key', headers: { accept: 'application/xml' } });
      assert.equal(xml.status, 429);
      assert.match(xml.text, /<Code>TooManyRequests<\/Code>/);
      assert.equal((await api(server, 'GET', '/health', { key: null })).status, 200);

      clock.advance(1_000);
      assert.equal((await api(server, 'GET', '/carrierservices', { key: DEMO_KEY })).status, 200, 'a new window');
      assert.equal((await api(server, 'GET', '/admin/subscriptions', admin)).status, 200);
    });
  });

  describe('behind a proxy (SWITCHYARD_TRUST_PROXY)', () => {
    let server: TestServer;
    before(async () => (server = await startServer({ env: { SWITCHYARD_TRUST_PROXY: 'true', SWITCHYARD_AUTH_FAILURES_PER_ADDRESS: '1' } })));
    after(() => server.close());

    it('counts failures against the client address X-Forwarded-For gives, not the proxy’s', async () => {
      const from = (address: string) => ({ 'x-forwarded-for': address });
      assert.equal((await api(server, 'GET', '/carrierservices', { key: 'wrong', headers: from('203.0.113.7') })).status, 401);
      assert.equal((await api(server, 'GET', '/carrierservices', { headers: from('203.0.113.7') })).status, 429);
      assert.equal((await api(server, 'GET', '/carrierservices', { headers: from('198.51.100.9') })).status, 200, 'another client behind the same proxy');
    });
  });

  describe('the defaults', () => {
    let server: TestServer;
    before(async () => (server = await startServer()));
    after(() => server.close());

    it('do not limit 500 requests of one key', async () => {
      for (let i = 0; i < 500; i++) {
        const res = await api(server, 'GET', '/carrierservices');
        if (res.status !== 200) assert.fail(`request ${i + 1}: ${res.status} ${res.text}`);
      }
    });
  });
});
