import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FixedWindowCounter } from '../../src/http/rate-limits.js';

describe('FixedWindowCounter', () => {
  it('allows the limit within a window, refuses the next with the time left, and starts again in the next window', () => {
    const c = new FixedWindowCounter<string>(2, 1000);
    assert.equal(c.hit('a', 10_100), 0);
    assert.equal(c.exceeded('a', 10_100), 0);
    assert.equal(c.hit('a', 10_200), 0);
    assert.equal(c.exceeded('a', 10_250), 750);
    assert.equal(c.hit('a', 10_300), 700);
    assert.equal(c.hit('b', 10_300), 0, 'another key has its own count');
    assert.equal(c.hit('a', 11_000), 0, 'a new window');
    assert.equal(c.exceeded('a', 11_999), 0);
  });

  it('keeps at most maxKeys counts in a window, forgetting the oldest first', () => {
    const c = new FixedWindowCounter<number>(1, 1000, 3);
    for (const k of [1, 2, 3]) c.hit(k, 0);
    assert.ok(c.exceeded(1, 0));
    c.hit(4, 0);
    assert.equal(c.exceeded(1, 0), 0, 'the oldest was forgotten');
    for (const k of [2, 3, 4]) assert.ok(c.exceeded(k, 0));
  });
});
