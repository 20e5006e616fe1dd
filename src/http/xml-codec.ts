/**
 * The one XML codec (decisions.md §3). Output follows a generic mapping: a value of type T is the
 * element <T>, a list of T is <ArrayOfT>, a list of strings is <ArrayOfstring> with <string>
 * items, null is an element with i:nil="true". Objects say their type with `typed()`. Input is
 * parsed into plain objects and then read through the same request schemas as JSON.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * Each presented object's XML type name, under a symbol key: JSON.stringify and Object.entries
 * skip symbol keys, and a plain assignment keeps objects of one literal shape on one fast hidden
 * class (Object.defineProperty, or a WeakMap of every object, cost several times more).
 */
const TYPE = Symbol('xmlType');
const NS_BASE = 'http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.';
const INSTANCE_NS = 'http://www.w3.org/2001/XMLSchema-instance';
export const ACCEPTED_NAMESPACES = new Set([
  '',
  'http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Consignments',
  'http://electioapp.com/schemas/v1/MPD.Electio.SDK.DataTypes.Consignments',
  'http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Common',
  'http://electioapp.com/schemas/v1/MPD.Electio.SDK.DataTypes.Common',
  // The SDK writes a ShippingLocation in its Profile namespace.
  'http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Profile',
  'http://electioapp.com/schemas/v1/MPD.Electio.SDK.DataTypes.Profile',
  // The SDK writes a GetLabelsRequest in its LabelGeneration namespace.
  'http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.LabelGeneration',
  'http://electioapp.com/schemas/v1/MPD.Electio.SDK.DataTypes.LabelGeneration',
]);

/** Which schema area each root type lives in; anything else is Consignments. */
const AREAS: Record<string, string> = {
  ApiLink: 'Common',
  ApiError: 'Common',
  Carrier: 'CarrierServiceDirectory',
  MpdCarrierService: 'Common',
  SubscriptionMpdCarrierServiceResponse: 'Subscription',
  Health: 'Common',
  Subscription: 'Common',
  ShippingLocation: 'Profile',
  PackageSize: 'Common',
  MpdCarrierServiceGroup: 'Common',
  GetLabelsResponse: 'LabelGeneration',
  ConsignmentsLabelsResponse: 'LabelGeneration',
  CollectionCalendar: 'ServiceAvailability',
};

/** Marks a plain object with its XML type name; JSON output is unaffected. */
export function typed<T extends object>(typeName: string, value: T): T {
  (value as Record<symbol, string>)[TYPE] = typeName;
  return value;
}

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'anyType';
  if (Array.isArray(value)) return `ArrayOf${value.length ? typeOf(value[0]) : 'anyType'}`;
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'decimal';
    default:
      return (value as Record<symbol, string>)[TYPE] ?? 'anyType';
  }
}

function escapeText(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;')).replace(
    // Characters XML 1.0 cannot carry at all are dropped rather than producing an unreadable document.
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g,
    '',
  );
}

function element(name: string, value: unknown, out: string[]): void {
  if (value === null || value === undefined) {
    out.push(`<${name} i:nil="true"/>`);
  } else if (Array.isArray(value)) {
    out.push(`<${name}>`);
    for (const item of value) element(typeOf(item), item, out);
    out.push(`</${name}>`);
  } else if (typeof value === 'object') {
    out.push(`<${name}>`);
    for (const [k, v] of Object.entries(value)) element(k, v, out);
    out.push(`</${name}>`);
  } else {
    out.push(`<${name}>${escapeText(String(value))}</${name}>`);
  }
}

/** Serialises a response value; the root element is named after its type. */
export function encodeXml(value: unknown, rootName?: string): string {
  const name = rootName ?? typeOf(value);
  // An empty list still says its item type through its root name (ArrayOfShippingLocation), so its namespace is the same as a full one's.
  const itemType = Array.isArray(value) ? (value.length ? typeOf(value[0]) : (rootName?.replace(/^ArrayOf/, '') ?? 'anyType')) : name;
  const area = AREAS[itemType] ?? 'Consignments';
  const out: string[] = [];
  element(name, value, out);
  const open = out[0];
  out[0] = open.replace(/^<([^\s/>]+)/, `<$1 xmlns="${NS_BASE}${area}" xmlns:i="${INSTANCE_NS}"`);
  return `<?xml version="1.0" encoding="utf-8"?>\n${out.join('')}`;
}

/**
 * Builds a list document item by item, so that a long list (a 10,000-item allocation result) never
 * exists as objects all at once. Same mapping as encodeXml.
 */
export class XmlListWriter {
  private readonly parts: string[] = [];
  private area = 'Consignments';

  constructor(private readonly rootName: string) {}

  add(value: unknown): void {
    if (this.parts.length === 0) this.area = AREAS[typeOf(value)] ?? this.area;
    const out: string[] = [];
    element(typeOf(value), value, out);
    this.parts.push(out.join(''));
  }

  finish(): string {
    const root = this.rootName;
    return `<?xml version="1.0" encoding="utf-8"?>\n<${root} xmlns="${NS_BASE}${this.area}" xmlns:i="${INSTANCE_NS}">${this.parts.join('')}</${root}>`;
  }
}

export class XmlInputError extends Error {}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  // Also decodes character references (&#233; &#xE9;), which XML requires and which some clients
  // write for non-ASCII text; without it they reached the data verbatim. (It also reads the common
  // HTML named entities, which is harmless: a DOCTYPE, the only way to declare entities, is refused.)
  htmlEntities: true,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** A DOCTYPE or entity declaration is refused outright, never expanded (XXE, billion laughs). */
const DECLARATION = /<!(DOCTYPE|ENTITY)/i;
/** U+0000, which XML 1.0 cannot carry even as a character reference (and PostgreSQL refuses in text). */
const NUL = /\u0000|&#(0+|x0+);/i;

export interface XmlDocument {
  root: string;
  namespace: string;
  /** Children of the root as plain values: elements become objects, repeated elements arrays, text strings, i:nil null. */
  value: unknown;
}

function simplify(node: unknown): unknown {
  if (node === null || typeof node !== 'object') return node ?? '';
  if (Array.isArray(node)) return node.map(simplify);
  const obj = node as Record<string, unknown>;
  if (obj['@nil'] === 'true') return null;
  const out: Record<string, unknown> = {};
  let hasChildren = false;
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('@')) continue;
    if (k === '#text') {
      out['#text'] = v;
      continue;
    }
    hasChildren = true;
    out[k] = simplify(v);
  }
  if (!hasChildren) return '#text' in out ? String(out['#text']) : '';
  delete out['#text'];
  return out;
}

/**
 * The namespace of the root element, read from its start tag: the parser drops xmlns attributes
 * (removeNSPrefix), so they cannot be read from its output. Called only on well-formed input.
 */
function rootNamespace(text: string): string {
  const body = text.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const start = /<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(body);
  if (!start) return '';
  const colon = start[1].indexOf(':');
  const declaration = colon < 0 ? 'xmlns' : `xmlns:${start[1].slice(0, colon)}`;
  for (const m of start[2].matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (m[1] === declaration) return (m[2] ?? m[3]).trim();
  }
  return '';
}

export function decodeXml(text: string): XmlDocument {
  if (DECLARATION.test(text)) throw new XmlInputError('XML documents with a DOCTYPE or entity declaration are not accepted');
  if (NUL.test(text)) throw new XmlInputError('XML cannot carry the character U+0000, raw or as &#0;');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlInputError(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new XmlInputError(`malformed XML: ${(e as Error).message}`);
  }
  const roots = Object.keys(parsed).filter((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (roots.length !== 1) throw new XmlInputError('an XML document must have exactly one root element');
  const rootNode = parsed[roots[0]];
  const namespace = rootNamespace(text);
  if (!ACCEPTED_NAMESPACES.has(namespace)) throw new XmlInputError(`unsupported XML namespace ${namespace.slice(0, 200)}; use http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Consignments or none`);
  return { root: roots[0], namespace, value: simplify(rootNode) };
}
