import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { codeBlocks } from '../support/doc-examples.js';

describe('The webhook receiver of docs/api/webhooks.md', () => {
  it('is examples/webhook-receiver.ts, word for word (the file the tests’ receiver verifies with)', () => {
    const doc = readFileSync(new URL('../../docs/api/webhooks.md', import.meta.url), 'utf8');
    const file = readFileSync(new URL('../../examples/webhook-receiver.ts', import.meta.url), 'utf8');
    const ts = codeBlocks(doc).filter((b) => b.lang === 'ts');
    assert.equal(ts.length, 1);
    assert.equal(ts[0].content.trimEnd(), file.trimEnd());
  });

  it('shows in the README lines of that file only, in its order', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const file = readFileSync(new URL('../../examples/webhook-receiver.ts', import.meta.url), 'utf8').split('\n');
    const [ts] = codeBlocks(readme).filter((b) => b.lang === 'ts');
    let at = 0;
    for (const line of ts.content.split('\n').filter((l) => l.trim() !== '')) {
      const found = file.indexOf(line, at);
      assert.ok(found >= 0, `README line not in examples/webhook-receiver.ts (in order): ${line}`);
      at = found + 1;
    }
  });
});
