/**
 * The one text rule readBody holds every string of every body to (src/http/request-body.ts):
 * at most MAX_TEXT characters (or the schema's own maxLength), no NUL, no unpaired surrogate;
 * a breach is a 400 ValidationFailed naming the field, wherever the string is in the body.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Type, type TSchema } from '@sinclair/typebox';
import { readBody, type ParsedBody } from '../../src/http/request-body.js';
import { AppError } from '../../src/use-cases/errors.js';
import { CreateConsignmentRequest } from '../../src/contract/consignments.js';
import { MAX_TEXT } from '../../src/domain/limits.js';

const body = (schema: TSchema, value: unknown, format: 'json' | 'xml' = 'json'): ParsedBody => ({ format, value, declared: schema });

function targetsOf(schema: TSchema, value: unknown): string[] | null {
  try {
    readBody(schema, body(schema, value));
    return null;
  } catch (e) {
    assert.ok(e instanceof AppError && e.code === 'ValidationFailed', String(e));
    return e.details.map((d) => d.Target);
  }
}

const acceptable = (s: string) => !s.includes('\u0000') && !/\p{Cs}/u.test(s) && s.length <= MAX_TEXT;

describe('the text rule of readBody', () => {
  const Box = Type.Object({ Description: Type.Optional(Type.String()), Lines: Type.Optional(Type.Array(Type.Object({ Text: Type.String() }))) });

  it('accepts a string exactly when it is at most MAX_TEXT characters of Unicode text without NUL', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.string({ unit: 'binary', minLength: MAX_TEXT - 2, maxLength: MAX_TEXT + 2 }),
      fc.constantFrom('\u0000', 'a\u0000', '\ud800', 'x\udc00y', '𝄞', ''),
    );
    fc.assert(
      fc.property(text, fc.boolean(), (s, nested) => {
        const value = nested ? { Lines: [{ Text: 'ok' }, { Text: s }] } : { Description: s };
        const target = nested ? 'Lines[1].Text' : 'Description';
        assert.deepEqual(targetsOf(Box, value), acceptable(s) ? null : [target]);
      }),
      { seed: 9, numRuns: 500 },
    );
  });

  it("honours a schema's own tighter maxLength", () => {
    const Named = Type.Object({ Name: Type.String({ maxLength: 5 }) });
    assert.equal(targetsOf(Named, { Name: 'abcde' }), null);
    assert.deepEqual(targetsOf(Named, { Name: 'abcdef' }), ['Name']);
  });

  it('finds a NUL anywhere in a consignment, under any case of the field names, in JSON and XML alike', () => {
    const consignment = (town: string) => ({
      packages: [{ DESCRIPTION: 'ok', items: [{ description: 'ok', metadata: [{ keyvalue: 'k', stringvalue: town }] }] }],
      Addresses: [],
    });
    assert.deepEqual(targetsOf(CreateConsignmentRequest, consignment('a\u0000')), ['Packages[0].Items[0].MetaData[0].StringValue']);
    assert.throws(() => readBody(CreateConsignmentRequest, body(CreateConsignmentRequest, consignment('x'.repeat(MAX_TEXT + 1)), 'xml')), /StringValue must be at most 1000 characters/);
    assert.equal(targetsOf(CreateConsignmentRequest, consignment('fine')), null);
  });

  it('walks only as deep as the schema, however deep the body nests', () => {
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.deepEqual(targetsOf(Box, { Description: deep }), ['Description']);
  });
});
