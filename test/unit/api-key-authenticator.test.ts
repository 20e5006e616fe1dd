import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppContext } from '../../src/use-cases/app-context.js';
import { ApiKeyAuthenticator, hashApiKey } from '../../src/use-cases/subscriptions.js';

/** A subscriptions store whose lookups the test releases by hand, counting them. */
function fakeContext() {
  const pending: (() => void)[] = [];
  let lookups = 0;
  let services = new Set(['example-carrier-service']);
  const subscriptions = {
    async findByKeyHash(hash: string) {
      lookups++;
      await new Promise<void>((resolve) => pending.push(resolve));
      return hash === hashApiKey('good') ? { id: 1, reference: 'SUB-1', name: 'One' } : undefined;
    },
    async enabledServiceKeys() {
      return services;
    },
  };
  return {
    ctx: { subscriptions } as unknown as AppContext,
    release: () => pending.splice(0).forEach((r) => r()),
    lookups: () => lookups,
    setServices: (s: string[]) => (services = new Set(s)),
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('ApiKeyAuthenticator', () => {
  it('caches a key with its subscription and enabled services', async () => {
    const f = fakeContext();
    const auth = new ApiKeyAuthenticator(f.ctx);
    const first = auth.authenticate('good');
    await settle();
    f.release();
    assert.deepEqual([...(await first).enabledServices], ['example-carrier-service']);
    assert.equal((await auth.authenticate('good')).subscriptionReference, 'SUB-1');
    assert.equal(f.lookups(), 1);
  });

  it('refuses a missing or unknown key as Unauthorized (401 on the wire)', async () => {
    const f = fakeContext();
    const auth = new ApiKeyAuthenticator(f.ctx);
    await assert.rejects(auth.authenticate(undefined), (e: any) => e.code === 'Unauthorized');
    const unknown = auth.authenticate('bad');
    await settle();
    f.release();
    await assert.rejects(unknown, (e: any) => e.code === 'Unauthorized');
  });

  it('does not let a lookup begun before forget() put its stale answer back', async () => {
    const f = fakeContext();
    const auth = new ApiKeyAuthenticator(f.ctx);
    const inFlight = auth.authenticate('good');
    await settle();
    auth.forget(); // e.g. services changed through the admin API meanwhile
    f.setServices(['cx-economy-48']);
    f.release();
    await inFlight;
    const next = auth.authenticate('good');
    await settle();
    f.release();
    assert.deepEqual([...(await next).enabledServices], ['cx-economy-48']);
    assert.equal(f.lookups(), 2);
  });
});
