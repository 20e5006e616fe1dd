/** Quote results are kept a week after they expire (so that using one says "expired"), then the background job forgets them. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_CONSIGNMENTS } from '../../src/demo/seed-demo.js';
import { getQuoteResult, purgeExpiredQuotes, quoteConsignment } from '../../src/use-cases/quotes.js';
import { databaseUnderTest, openWorld, skipReason, type UseCaseWorld } from '../support/use-case-context.js';

describe(`Quote housekeeping (${databaseUnderTest})`, { skip: skipReason }, () => {
  let world: UseCaseWorld;
  before(async () => (world = await openWorld()));
  after(() => world.close());

  it('keeps an expired quote result for a week, saying it expired, then purges it', async () => {
    const result = await quoteConsignment(world.ctx, world.caller, DEMO_CONSIGNMENTS[0]);
    world.clock.advance({ hours: 25 });
    assert.equal(await purgeExpiredQuotes(world.ctx), 0, 'expired, but kept');
    await assert.rejects(getQuoteResult(world.ctx, world.caller, result.reference), (e: { code?: string }) => e.code === 'InvalidQuote');
    world.clock.advance({ days: 7 });
    assert.equal(await purgeExpiredQuotes(world.ctx), 1);
    await assert.rejects(getQuoteResult(world.ctx, world.caller, result.reference), (e: { code?: string }) => e.code === 'QuoteNotFound');
  });
});
