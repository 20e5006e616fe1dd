import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleAppliesTo, type AllocationRule } from '../../src/domain/allocation-rules/index.js';
import { AllocationPolicies } from '../../src/use-cases/allocation-policies.js';
import type { Caller } from '../../src/use-cases/app-context.js';

const caller = (subscriptionId: number): Caller => ({ subscriptionId, subscriptionReference: `SUB-${subscriptionId}`, enabledServices: new Set() });

function ruleNamed(reference: string): AllocationRule {
  return {
    reference,
    name: reference,
    isEnabled: true,
    action: 'Exclude',
    serviceReferences: [],
    conditions: {
      destinationCountries: [],
      destinationPostcodes: [],
      minWeightKg: null,
      maxWeightKg: null,
      minPackageLengthCm: null,
      maxPackageLengthCm: null,
      minValue: null,
      maxValue: null,
      currency: 'GBP',
      directions: [],
      tags: [],
    },
  };
}

/** Stores whose reads the test can hold back and make fail, counting them; a clock the test moves. */
function fakes() {
  const state = { rules: new Map<number, AllocationRule[]>(), tags: new Map<number, Map<string, string[]>>(), loads: 0, now: 1_000, fail: false, hold: null as Promise<void> | null };
  const rules = {
    async list(subscriptionId: number, onlyEnabled?: boolean) {
      assert.equal(onlyEnabled, true, 'only enabled rules are loaded');
      state.loads++;
      const snapshot = [...(state.rules.get(subscriptionId) ?? [])];
      if (state.hold) await state.hold;
      if (state.fail) throw new Error('database down');
      return snapshot;
    },
  };
  const tags = {
    async all(subscriptionId: number) {
      return new Map(state.tags.get(subscriptionId) ?? []);
    },
  };
  const policies = new AllocationPolicies(rules, tags, 5_000, () => state.now);
  return { state, policies };
}

describe('the allocation policy cache', () => {
  it('loads a subscription’s rules and tags once, and again after the entry expires', async () => {
    const { state, policies } = fakes();
    state.rules.set(1, [ruleNamed('A')]);
    state.tags.set(1, new Map([['example-carrier-service', ['Fragile']]]));
    const first = await policies.forCaller(caller(1));
    assert.deepEqual(first.rules.map((r) => r.rule.reference), ['A']);
    assert.deepEqual(first.serviceTags.get('example-carrier-service'), ['Fragile']);
    state.rules.set(1, [ruleNamed('B')]);
    state.now += 4_999;
    assert.equal(await policies.forCaller(caller(1)), first, 'still cached');
    assert.equal(state.loads, 1);
    state.now += 1;
    assert.deepEqual((await policies.forCaller(caller(1))).rules.map((r) => r.rule.reference), ['B'], 'another process’s change is seen once the entry expires');
    assert.equal(state.loads, 2);
  });

  it('reloads at once after invalidate(), for that subscription only', async () => {
    const { state, policies } = fakes();
    await policies.forCaller(caller(1));
    await policies.forCaller(caller(2));
    state.rules.set(1, [ruleNamed('NEW')]);
    policies.invalidate(1);
    assert.deepEqual((await policies.forCaller(caller(1))).rules.map((r) => r.rule.reference), ['NEW']);
    await policies.forCaller(caller(2));
    assert.equal(state.loads, 3, 'subscription 2 stayed cached');
  });

  it('shares one load between concurrent requests', async () => {
    const { state, policies } = fakes();
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    const a = policies.forCaller(caller(1));
    const b = policies.forCaller(caller(1));
    release();
    assert.equal(await a, await b);
    assert.equal(state.loads, 1);
  });

  it('never keeps a policy read before an invalidation', async () => {
    const { state, policies } = fakes();
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    const stale = policies.forCaller(caller(1));
    state.rules.set(1, [ruleNamed('WRITTEN')]);
    policies.invalidate(1);
    state.hold = null;
    const fresh = await policies.forCaller(caller(1));
    release();
    assert.deepEqual((await stale).rules, [], 'the earlier read saw the earlier rules');
    assert.deepEqual(fresh.rules.map((r) => r.rule.reference), ['WRITTEN']);
    assert.equal(await policies.forCaller(caller(1)), fresh);
  });

  it('prepares each rule once, when the policy is loaded: its services lower-cased for asking', async () => {
    const { state, policies } = fakes();
    state.rules.set(1, [{ ...ruleNamed('SOME'), serviceReferences: ['Example-Carrier-Service', 'SW-WORLD-AIR'] }, ruleNamed('ALL')]);
    const [some, all] = (await policies.forCaller(caller(1))).rules;
    assert.deepEqual(some.serviceKeys && [...some.serviceKeys], ['example-carrier-service', 'sw-world-air']);
    assert.equal(all.serviceKeys, null, 'a rule naming no service applies to every one');
    assert.ok(ruleAppliesTo(some, 'EXAMPLE-carrier-service') && !ruleAppliesTo(some, 'OTHER') && ruleAppliesTo(all, 'OTHER'));
  });

  it('does not keep a failed load', async () => {
    const { state, policies } = fakes();
    state.fail = true;
    await assert.rejects(policies.forCaller(caller(1)), /database down/);
    state.fail = false;
    assert.deepEqual((await policies.forCaller(caller(1))).rules, []);
    assert.equal(state.loads, 2);
  });

  it('keeps a policy while the caller’s settings version holds, however long, and loads it again when the version moved on (a change in another process)', async () => {
    const { state, policies } = fakes();
    const at = (settingsVersion: number): Caller => ({ ...caller(1), settingsVersion });
    state.rules.set(1, [ruleNamed('A')]);
    const first = await policies.forCaller(at(3));
    state.now += 3_600_000;
    state.rules.set(1, [ruleNamed('B')]); // written by another process, which bumped the version
    assert.equal(await policies.forCaller(at(3)), first, 'same version: the same policy, no expiry');
    assert.equal(state.loads, 1);
    const next = await policies.forCaller(at(4));
    assert.deepEqual(next.rules.map((r) => r.rule.reference), ['B']);
    assert.equal(await policies.forCaller(at(3)), next, 'a request that read the older version gets the newer policy');
    assert.equal(state.loads, 2);
  });
});
