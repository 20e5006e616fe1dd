import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppContext } from '../../src/use-cases/app-context.js';
import { ApiKeyAuthenticator, hashApiKey } from '../../src/use-cases/subscriptions.js';

/** A subscriptions store with a settings version the test moves, counting its reads; service reads the test may hold back. */
function fakeContext() {
  const state = { keyReads: 0, serviceReads: 0, version: 0, services: new Set(['example-carrier-service']), hold: null as Promise<void> | null };
  const subscriptions = {
    async findByKeyHash(hash: string) {
      state.keyReads++;
      return hash === hashApiKey('good') ? { id: 1, reference: 'SUB-1', name: 'One', settingsVersion: state.version } : undefined;
    },
    async enabledServiceKeys() {
      state.serviceReads++;
      const services = new Set(state.services);
      if (state.hold) await state.hold;
      return services;
    },
  };
  return { ctx: { subscriptions } as unknown as AppContext, state };
}

describe('ApiKeyAuthenticator', () => {
  it('looks the key up on every request, and the enabled services once per settings version', async () => {
    const { ctx, state } = fakeContext();
    const auth = new ApiKeyAuthenticator(ctx);
    const first = await auth.authenticate('good');
    assert.deepEqual([...first.enabledServices], ['example-carrier-service']);
    assert.equal(first.settingsVersion, 0);
    assert.equal((await auth.authenticate('good')).subscriptionReference, 'SUB-1');
    assert.deepEqual([state.keyReads, state.serviceReads], [2, 1]);
    state.version = 1; // e.g. a service disabled through another process
    state.services = new Set(['cx-economy-48']);
    const after = await auth.authenticate('good');
    assert.deepEqual([...after.enabledServices], ['cx-economy-48']);
    assert.equal(after.settingsVersion, 1);
    assert.deepEqual([state.keyReads, state.serviceReads], [3, 2]);
  });

  it('refuses a missing or unknown key as Unauthorized (401 on the wire)', async () => {
    const { ctx } = fakeContext();
    const auth = new ApiKeyAuthenticator(ctx);
    await assert.rejects(auth.authenticate(undefined), (e: any) => e.code === 'Unauthorized');
    await assert.rejects(auth.authenticate('bad'), (e: any) => e.code === 'Unauthorized');
  });

  it('does not let a reading of an older version replace a newer entry', async () => {
    const { ctx, state } = fakeContext();
    const auth = new ApiKeyAuthenticator(ctx);
    let release!: () => void;
    state.hold = new Promise<void>((r) => (release = r));
    const old = auth.authenticate('good'); // reads version 0 and waits for its services
    await new Promise((r) => setImmediate(r));
    state.hold = null;
    state.version = 1;
    state.services = new Set(['cx-economy-48']);
    assert.deepEqual([...(await auth.authenticate('good')).enabledServices], ['cx-economy-48']);
    release();
    assert.deepEqual([...(await old).enabledServices], ['example-carrier-service'], 'the old request is answered with what it read');
    const reads = state.serviceReads;
    assert.deepEqual([...(await auth.authenticate('good')).enabledServices], ['cx-economy-48'], 'the newer entry stays');
    assert.equal(state.serviceReads, reads);
  });
});
