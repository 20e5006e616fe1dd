import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';

describe('configuration: processes, background jobs, rate limits', () => {
  it('reads SWITCHYARD_WORKERS as a number of processes, and a yes/no word as the background jobs’ switch it used to be', () => {
    assert.deepEqual([loadConfig({}).processes, loadConfig({}).workers], [1, true]);
    assert.deepEqual([loadConfig({ SWITCHYARD_WORKERS: '4' }).processes, loadConfig({ SWITCHYARD_WORKERS: '4' }).workers], [4, true]);
    assert.deepEqual([loadConfig({ SWITCHYARD_WORKERS: 'false' }).processes, loadConfig({ SWITCHYARD_WORKERS: 'false' }).workers], [1, false]);
    assert.equal(loadConfig({ SWITCHYARD_WORKERS: 'true', SWITCHYARD_BACKGROUND_JOBS: 'false' }).workers, false, 'the new name wins');
    assert.equal(loadConfig({ SWITCHYARD_WORKERS: '2', SWITCHYARD_BACKGROUND_JOBS: 'no' }).workers, false);
    for (const bad of ['0', '65', '1.5', 'two']) assert.throws(() => loadConfig({ SWITCHYARD_WORKERS: bad }), /SWITCHYARD_WORKERS must be a number of server processes from 1 to 64/);
  });

  it('has generous rate limits by default, 0 turning one off, and refuses nonsense', () => {
    assert.deepEqual(loadConfig({}).rateLimits, { perKey: 1_000_000, authFailuresPerAddress: 100, windowMs: 60_000 });
    assert.deepEqual(loadConfig({ SWITCHYARD_RATE_LIMIT_PER_KEY: '0', SWITCHYARD_AUTH_FAILURES_PER_ADDRESS: '5', SWITCHYARD_RATE_LIMIT_WINDOW_MS: '1000' }).rateLimits, { perKey: 0, authFailuresPerAddress: 5, windowMs: 1000 });
    assert.throws(() => loadConfig({ SWITCHYARD_RATE_LIMIT_PER_KEY: '-1' }), /SWITCHYARD_RATE_LIMIT_PER_KEY must be a whole number/);
    assert.throws(() => loadConfig({ SWITCHYARD_RATE_LIMIT_WINDOW_MS: '0' }), /SWITCHYARD_RATE_LIMIT_WINDOW_MS must be a whole number, at least 1/);
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ SWITCHYARD_TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ SWITCHYARD_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.equal(loadConfig({ SWITCHYARD_TRUST_PROXY: '10.0.0.0/8' }).trustProxy, '10.0.0.0/8');
  });
});
