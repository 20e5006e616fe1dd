/** How the docs' examples are read (test/support/doc-examples.ts): commands, their answers, and the patterns `…` makes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyMismatch, docCommands, globMatches, headingAnchors, mismatch, parsePattern, relativeLinks } from '../support/doc-examples.js';

const md = (...lines: string[]) => lines.join('\n');
const matches = (pattern: string, actual: unknown) => mismatch(parsePattern(pattern)!, actual);

describe('the docs examples: commands', () => {
  it('reads each command of a ```sh block as bash would, quotes and continuations included', () => {
    const { commands, errors } = docCommands(
      md(
        '# Title',
        '```sh',
        'SY=http://127.0.0.1:8080',
        "curl -X POST $SY/consignments -d '{",
        '  "A": "# not a comment"',
        "}'",
        'curl $SY/health \\',
        '  -H "X: y"   # a plain comment',
        '```',
      ),
      'doc.md',
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(
      commands.map((c) => [c.line, c.text]),
      [
        [3, 'SY=http://127.0.0.1:8080'],
        [4, "curl -X POST $SY/consignments -d '{\n  \"A\": \"# not a comment\"\n}'"],
        [7, 'curl $SY/health \\\n  -H "X: y"   # a plain comment'],
      ],
    );
    assert.ok(commands.every((c) => c.expect === undefined && c.notTested === undefined));
  });

  it('takes the answer from # → lines under a command or on its line: status, headers and a body that may span lines', () => {
    const { commands, errors } = docCommands(
      md(
        '```sh',
        'curl a   # → 200 ["x"]',
        'curl -i b',
        '# → 201 Location: http://127.0.0.1:8080/b/…',
        '# → {"Reference": "EC-…",',
        '#     "Items": [1, …]}',
        '# and then a plain comment',
        'curl c',
        '```',
      ),
      'doc.md',
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(commands[0].expect, { line: 2, status: 200, headers: [], body: '["x"]' });
    assert.deepEqual(commands[1].expect, {
      line: 4,
      status: 201,
      headers: [{ name: 'Location', value: 'http://127.0.0.1:8080/b/…' }],
      body: '{"Reference": "EC-…",\n    "Items": [1, …]}',
    });
    assert.equal(commands[2].expect, undefined);
  });

  it('takes a ```json answer block as the body of the last command of the ```sh block before it', () => {
    const { commands, errors } = docCommands(md('```sh', 'curl a', 'curl b', '# → 200', '```', '', 'It answers:', '', '```json answer', '{ "A": 1 }', '```'), 'doc.md');
    assert.deepEqual(errors, []);
    assert.deepEqual(commands[1].expect, { line: 4, status: 200, headers: [], body: '{ "A": 1 }' });
    assert.equal(commands[0].expect, undefined);
  });

  it('leaves out a command marked # not tested:, keeping the reason', () => {
    const { commands } = docCommands(md('```sh', 'npm start   # not tested: it serves until stopped', '```'), 'doc.md');
    assert.equal(commands[0].notTested, 'it serves until stopped');
  });

  it('reads only ```sh blocks, and refuses shell examples in other fences (they would not be run)', () => {
    const { commands, errors } = docCommands(md('```json', '{"a": 1}', '```', '```bash', 'curl x', '```'), 'doc.md');
    assert.deepEqual(commands, []);
    assert.match(errors.join('\n'), /doc\.md:4: a ```bash block/);
  });

  it('says what is wrong: an answer not under a command, an answer left open, a quote left open', () => {
    const errorsOf = (...lines: string[]) => docCommands(md(...lines), 'doc.md').errors.join('\n');
    assert.match(errorsOf('```sh', 'curl a', '', '# → 200', '```'), /doc\.md:4: an answer \(# →\) must be right under its command/);
    assert.match(errorsOf('```sh', 'curl a', '# → 200 {"A": [1,', 'curl b', '```'), /left open/);
    assert.match(errorsOf('```sh', "curl -d 'x", '```'), /left open \(an unclosed quote\?\)/);
    assert.match(errorsOf('```sh', 'curl a', '```', '```json', '{}', '```', '```json answer', '{}', '```'), /must follow the ```sh block/);
  });
});

describe('the docs examples: answers', () => {
  it('compares JSON exactly where no … is written', () => {
    assert.equal(matches('{"A": 1, "B": [true, null, "x"]}', { A: 1, B: [true, null, 'x'] }), null);
    assert.match(matches('{"A": 1}', { A: 2 })!, /\$\.A: expected 1, got 2/);
    assert.match(matches('{"A": 1}', { A: 1, B: 2 })!, /properties the answer shows but the docs do not .*: B/);
    assert.match(matches('{"A": 1, "B": 2}', { A: 1 })!, /no property B/);
    assert.match(matches('[1, 2]', [1, 2, 3])!, /1 more item/);
    assert.match(matches('[1, 2, 3]', [1, 2])!, /fewer than the docs show/);
    assert.match(matches('"abc"', 'abd')!, /expected "abc", got "abd"/);
  });

  it('lets … stand for any value, the other members of an object, any number of items, or characters in a string', () => {
    assert.equal(matches('{"A": …, …}', { A: { deep: [1] }, B: 2, C: 3 }), null);
    assert.match(matches('{"A": …}', { B: 1 })!, /no property A/);
    assert.equal(matches('[{"Code": "X", …}, …]', [{ Code: 'X', Other: 1 }, 2, 3]), null);
    assert.equal(matches('[…, {"Code": "Z"}]', [1, 2, { Code: 'Z' }]), null);
    assert.equal(matches('[…]', []), null);
    assert.match(matches('[…, {"Code": "Z"}]', [1, 2])!, /does not match|expected|fewer/);
    assert.equal(matches('"Consignment EC-… has been allocated on …"', 'Consignment EC-000-A04-0E1 has been allocated on 18/11/2026'), null);
    assert.match(matches('"EC-…"', 'EP-000-000-001')!, /expected "EC-…"/);
    assert.match(matches('{"A": "x", …}', { A: 'y', B: 1 })!, /\$\.A: expected "x", got "y"/);
  });

  it('compares text when the docs do not write JSON, whitespace runs as one, … standing for anything', () => {
    assert.equal(parsePattern('<Root a="1">…</Root>'), null);
    assert.ok(globMatches('<Root a="1">…</Root>', '<Root a="1">\n  <X/>\n</Root>'));
    assert.equal(bodyMismatch('<Root …>…</Root>', '<Root xmlns="x"><A/></Root>'), null);
    assert.match(bodyMismatch('<Root …>…</Root>', '<Other/>')!, /expected text/);
    assert.match(bodyMismatch('{"A": 1}', 'not json')!, /not JSON/);
    assert.equal(bodyMismatch('0.1.0', '0.1.0\n'), null);
  });
});

describe('the docs examples: links', () => {
  it('names headings as GitHub does', () => {
    const anchors = headingAnchors(md('# Switchyard', '## `POST /consignments/{ref}/addpackage`: add a package', '## Allocation rules: `/allocationrules` *(ours)*', '## At 1,000,000 consignments', '## Tests', '## Tests', '```sh', '# not a heading', '```'));
    assert.deepEqual([...anchors], ['switchyard', 'post-consignmentsrefaddpackage-add-a-package', 'allocation-rules-allocationrules-ours', 'at-1000000-consignments', 'tests', 'tests-1']);
  });

  it('finds relative links outside code', () => {
    const links = relativeLinks(md('See [the API](api.md#errors) and [a site](https://example.com).', '`[not](a-link.md)`', '```', '[nor](this.md)', '```', '[README](../README.md)'));
    assert.deepEqual(links, [{ line: 1, target: 'api.md#errors' }, { line: 6, target: '../README.md' }]);
  });
});
