import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { formatTrackingNumber, luhnDigit } from '../../src/carriers/simulated/tracking-number.js';
import type { TrackingNumberFormat } from '../../src/domain/catalogue.js';
import { ACCEPTED_NAMESPACES, XmlInputError, decodeXml, encodeXml, typed } from '../../src/http/xml-codec.js';

const NS = 'http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.';
const NS_V1 = 'http://electioapp.com/schemas/v1/MPD.Electio.SDK.DataTypes.';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const HEADER = '<?xml version="1.0" encoding="utf-8"?>\n';

/** A whole number string passes the Luhn check when its digit sum (every second digit doubled from the right) ends in 0. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((ch, i) => {
    let d = Number(ch);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  });
  return sum % 10 === 0;
}

function format(overrides: Partial<TrackingNumberFormat> = {}): TrackingNumberFormat {
  return { prefix: 'CX', digits: 10, suffix: 'GB', checkDigit: 'mod10', ...overrides };
}

describe('tracking numbers of the simulated carrier', () => {
  it('computes the Luhn check digit of known numbers', () => {
    assert.equal(luhnDigit('7992739871'), 3); // the textbook example: 79927398713
    assert.equal(luhnDigit('0'), 0);
    assert.equal(luhnDigit('1'), 8);
    assert.equal(luhnDigit('4111111111111111'.slice(0, 15)), 1);
  });

  it('writes prefix, zero-padded digits, check digit and suffix', () => {
    assert.equal(formatTrackingNumber(format(), 1), 'CX00000000018GB');
    assert.equal(formatTrackingNumber(format({ checkDigit: 'none', suffix: '' }), 42), 'CX0000000042');
    assert.equal(formatTrackingNumber(format({ prefix: '', digits: 6, checkDigit: 'none', suffix: '' }), 999_999), '999999');
  });

  it('refuses a sequence with more digits than the format has', () => {
    assert.throws(() => formatTrackingNumber(format({ digits: 6 }), 1_000_000), RangeError);
  });

  it('property: every number has the format’s shape, a valid Luhn digit, and differs for different sequences', () => {
    const fmt = fc.record({
      prefix: fc.stringMatching(/^[A-Z0-9]{0,4}$/),
      digits: fc.integer({ min: 6, max: 15 }),
      suffix: fc.stringMatching(/^[A-Z]{0,3}$/),
      checkDigit: fc.constantFrom('none' as const, 'mod10' as const),
    });
    fc.assert(
      fc.property(
        fmt.chain((f) => fc.tuple(fc.constant(f), fc.integer({ min: 0, max: 10 ** Math.min(f.digits, 15) - 1 }), fc.integer({ min: 0, max: 10 ** Math.min(f.digits, 15) - 1 }))),
        ([f, a, b]) => {
          const ta = formatTrackingNumber(f, a);
          const body = ta.slice(f.prefix.length, ta.length - f.suffix.length);
          assert.ok(ta.startsWith(f.prefix) && ta.endsWith(f.suffix));
          assert.match(body, new RegExp(`^[0-9]{${f.digits + (f.checkDigit === 'mod10' ? 1 : 0)}}$`));
          assert.equal(Number(body.slice(0, f.digits)), a);
          if (f.checkDigit === 'mod10') assert.ok(luhnValid(body), `${body} passes the Luhn check`);
          if (a !== b) assert.notEqual(formatTrackingNumber(f, b), ta);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: the Luhn digit catches every single-digit error', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{6,15}$/), fc.nat(), fc.integer({ min: 1, max: 9 }), (digits, pos, delta) => {
        const withCheck = digits + luhnDigit(digits);
        assert.ok(luhnValid(withCheck));
        const i = pos % withCheck.length;
        const wrong = withCheck.slice(0, i) + ((Number(withCheck[i]) + delta) % 10) + withCheck.slice(i + 1);
        assert.equal(luhnValid(wrong), false, `${wrong} must fail`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('XML output (decisions.md §3)', () => {
  it('names a typed object after its type and declares the namespaces on the root', () => {
    const xml = encodeXml(typed('AllocationSummary', { StatusCode: 200, IsSuccess: true, Description: 'ok' }));
    assert.equal(
      xml,
      `${HEADER}<AllocationSummary xmlns="${NS}Consignments" xmlns:i="${XSI}"><StatusCode>200</StatusCode><IsSuccess>true</IsSuccess><Description>ok</Description></AllocationSummary>`,
    );
  });

  it('writes a list of T as ArrayOfT with T children, in the area of T', () => {
    const links = [typed('ApiLink', { Rel: 'detail', Href: '/consignments/EC-000-05A-Z6S' }), typed('ApiLink', { Rel: 'label', Href: '/labels/EC-000-05A-Z6S' })];
    assert.equal(
      encodeXml(links),
      `${HEADER}<ArrayOfApiLink xmlns="${NS}Common" xmlns:i="${XSI}"><ApiLink><Rel>detail</Rel><Href>/consignments/EC-000-05A-Z6S</Href></ApiLink><ApiLink><Rel>label</Rel><Href>/labels/EC-000-05A-Z6S</Href></ApiLink></ArrayOfApiLink>`,
    );
    assert.match(encodeXml([typed('WithMessageOfString', { IsSuccess: true })]), /^<\?xml[^>]*>\n<ArrayOfWithMessageOfString xmlns="[^"]*Consignments"/);
  });

  it('writes a list of strings as ArrayOfstring with string items, at the root and inside objects', () => {
    assert.equal(encodeXml(['EC-000-05A-Z6S', 'EC-000-083-45D']), `${HEADER}<ArrayOfstring xmlns="${NS}Consignments" xmlns:i="${XSI}"><string>EC-000-05A-Z6S</string><string>EC-000-083-45D</string></ArrayOfstring>`);
    assert.match(encodeXml(typed('ConsignmentLeg', { TrackingReferences: ['A1', 'B2'] })), /<TrackingReferences><string>A1<\/string><string>B2<\/string><\/TrackingReferences>/);
  });

  it('names nested values after their property, and list items after their type', () => {
    const xml = encodeXml(
      typed('Consignment', {
        Reference: 'EC-000-05A-Z6S',
        Weight: typed('Weight', { Value: 2.5, Unit: 'Kg' }),
        ConsignmentLegs: [typed('ConsignmentLeg', { Leg: 1 })],
        Empty: [],
      }),
    );
    assert.match(xml, /<Weight><Value>2\.5<\/Value><Unit>Kg<\/Unit><\/Weight>/);
    assert.match(xml, /<ConsignmentLegs><ConsignmentLeg><Leg>1<\/Leg><\/ConsignmentLeg><\/ConsignmentLegs>/);
    assert.match(xml, /<Empty><\/Empty>/);
  });

  it('writes null as an element with i:nil="true"', () => {
    const xml = encodeXml(typed('Consignment', { CarrierReference: null, Tags: [] }));
    assert.match(xml, /<CarrierReference i:nil="true"\/>/);
    assert.equal(XMLValidator.validate(xml), true);
  });

  it('escapes &, <, > and quotes in text', () => {
    const xml = encodeXml(typed('ApiError', { Message: 'a & b < c > d "e"' }));
    assert.match(xml, /<Message>a &amp; b &lt; c &gt; d &quot;e&quot;<\/Message>/);
    assert.deepEqual(decodeXml(xml).value, { Message: 'a & b < c > d "e"' });
  });

  it('drops control characters XML 1.0 cannot carry, and keeps tab, newline and carriage return', () => {
    const xml = encodeXml(typed('ApiError', { Message: 'a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\uFFFEh\uFFFFi\tj\nk\rl' }));
    assert.match(xml, /<Message>abcdefghi\tj\nk\rl<\/Message>/);
    assert.equal(XMLValidator.validate(xml), true);
  });

  /** Any Unicode scalar value, mostly ASCII so that control characters and markup come up often. */
  const codePoint = fc
    .oneof({ arbitrary: fc.integer({ min: 0, max: 0x7f }), weight: 4 }, fc.integer({ min: 0x80, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff }))
    .map((cp) => String.fromCodePoint(cp));

  it('property: any string survives encoding and decoding, less the characters XML cannot carry', () => {
    fc.assert(
      fc.property(fc.string({ unit: codePoint, maxLength: 40 }), (s) => {
        const xml = encodeXml(typed('ApiError', { Message: s }));
        assert.equal(XMLValidator.validate(xml), true, xml);
        const expected = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/\r\n?/g, '\n');
        const decoded = decodeXml(xml).value as { Message: string } | string;
        const message = typeof decoded === 'string' ? '' : decoded.Message;
        // the decoder trims values, as XML readers of .NET data contracts do
        assert.equal(message.replace(/\r\n?/g, '\n'), expected.trim());
      }),
      { numRuns: 200 },
    );
  });
});

describe('XML input', () => {
  const request = (rootAttributes: string) =>
    `<?xml version="1.0" encoding="utf-8"?>
<AllocateConsignmentsWithCarrierServiceRequest ${rootAttributes}>
  <ConsignmentReferences><string>EC-000-05A-Z6S</string><string>EC-000-083-45D</string></ConsignmentReferences>
  <MpdCarrierServiceReference>Example-Carrier-Service</MpdCarrierServiceReference>
</AllocateConsignmentsWithCarrierServiceRequest>`;

  function refused(text: string, pattern: RegExp): void {
    assert.throws(() => decodeXml(text), (e: unknown) => e instanceof XmlInputError && pattern.test(e.message));
  }

  it('reads the seed request in the v1.1 namespace into plain values', () => {
    const doc = decodeXml(request(`xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="${XSI}" xmlns="${NS}Consignments"`));
    assert.equal(doc.root, 'AllocateConsignmentsWithCarrierServiceRequest');
    assert.equal(doc.namespace, `${NS}Consignments`);
    assert.deepEqual(doc.value, {
      ConsignmentReferences: { string: ['EC-000-05A-Z6S', 'EC-000-083-45D'] },
      MpdCarrierServiceReference: 'Example-Carrier-Service',
    });
  });

  it('accepts the v1 namespace, the v1.1 namespace and no namespace, in Consignments and Common', () => {
    for (const ns of [`${NS}Consignments`, `${NS_V1}Consignments`, `${NS}Common`, `${NS_V1}Common`]) {
      assert.ok(ACCEPTED_NAMESPACES.has(ns));
      assert.equal(decodeXml(request(`xmlns="${ns}"`)).namespace, ns);
    }
    assert.equal(decodeXml(request('')).namespace, '');
  });

  it('accepts an accepted namespace bound to a prefix on the root', () => {
    const xml = `<c:Request xmlns:c="${NS_V1}Consignments"><c:MpdCarrierServiceReference>X</c:MpdCarrierServiceReference></c:Request>`;
    const doc = decodeXml(xml);
    assert.equal(doc.namespace, `${NS_V1}Consignments`);
    assert.deepEqual(doc.value, { MpdCarrierServiceReference: 'X' });
  });

  it('refuses an unknown namespace, as a default or bound to the root’s prefix', () => {
    refused(request('xmlns="http://example.com/not-electio"'), /unsupported XML namespace http:\/\/example\.com\/not-electio/);
    refused(request(`xmlns="${NS}Consignments2"`), /unsupported XML namespace/);
    refused(`<x:Request xmlns:x="urn:other" xmlns="${NS}Consignments"><x:A>1</x:A></x:Request>`, /unsupported XML namespace urn:other/);
  });

  it('reads i:nil as null and trims text', () => {
    const doc = decodeXml(`<Request xmlns:i="${XSI}"><A i:nil="true"/><B>  x  </B><C/></Request>`);
    assert.deepEqual(doc.value, { A: null, B: 'x', C: '' });
  });

  it('decodes the predefined entities and character references', () => {
    const doc = decodeXml('<Request><A>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;</A><B>Orl&#xE9;ans &#38; &#x26;</B><C>&amp;#38;</C></Request>');
    assert.deepEqual(doc.value, { A: `a & b <c> "d" 'e'`, B: 'Orléans & &', C: '&#38;' });
  });

  it('refuses a DOCTYPE or an entity declaration without expanding it', () => {
    refused('<!DOCTYPE r [<!ENTITY x "boom">]><r>&x;</r>', /DOCTYPE or entity declaration/);
    refused('<?xml version="1.0"?>\n<!doctype r SYSTEM "file:///etc/passwd"><r/>', /DOCTYPE or entity declaration/);
    refused('<r><!ENTITY x "y"></r>', /DOCTYPE or entity declaration/);
  });

  it('refuses malformed XML', () => {
    for (const bad of ['<Request><A>1</A>', '<Request><A>1</B></Request>', 'not xml at all', '<Request a="1" a="2"/>', '<Request><A>1</A></Request><Other/>']) {
      assert.throws(() => decodeXml(bad), XmlInputError, bad);
    }
  });

  it('property: what encodeXml writes, decodeXml reads back', () => {
    const text = fc.string({ unit: 'grapheme-ascii', maxLength: 20 }).map((s) => s.trim()).filter((s) => s.length > 0);
    fc.assert(
      fc.property(text, fc.array(text, { minLength: 2, maxLength: 5 }), fc.boolean(), (reference, refs, flag) => {
        const xml = encodeXml(typed('AllocateConsignmentsWithCarrierServiceRequest', { MpdCarrierServiceReference: reference, ConsignmentReferences: refs, Flag: flag, Missing: null }));
        const doc = decodeXml(xml);
        assert.equal(doc.root, 'AllocateConsignmentsWithCarrierServiceRequest');
        assert.deepEqual(doc.value, { MpdCarrierServiceReference: reference, ConsignmentReferences: { string: refs }, Flag: String(flag), Missing: null });
      }),
      { numRuns: 200 },
    );
  });
});
