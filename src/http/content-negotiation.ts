/**
 * Which representation a client gets (decisions.md §2): JSON unless it asks for XML; 406 if it
 * accepts neither. A route that answers a file (a label) also offers the file's own media types,
 * for a client that wants the bytes themselves (decisions.md §9).
 */
import Negotiator from 'negotiator';
import { AppError } from '../use-cases/errors.js';

export type ResponseFormat = 'json' | 'xml' | 'file';

const OFFERED = ['application/json', 'application/xml', 'text/xml'];

export interface Negotiated {
  format: ResponseFormat;
  contentType: string;
}

const JSON_RESPONSE: Negotiated = { format: 'json', contentType: 'application/json; charset=utf-8' };

/**
 * The media type chosen for an Accept header among `offered`: a pure function of the two, and
 * parsing the header costs more than the rest of a small request's routing, while clients send
 * the same few headers again and again. So each answer is remembered, for headers of a usual
 * length, in a map emptied whenever it fills.
 */
const chosenFor = new Map<string, string | null>();
const REMEMBERED_HEADERS = 1_000;
const REMEMBERED_LENGTH = 300;

function chooseMediaType(accept: string, offered: string[]): string | null {
  if (accept.length > REMEMBERED_LENGTH) return new Negotiator({ headers: { accept } }).mediaType(offered) ?? null;
  const key = offered === OFFERED ? accept : `${offered.join(',')}\n${accept}`;
  let chosen = chosenFor.get(key);
  if (chosen === undefined) {
    chosen = new Negotiator({ headers: { accept } }).mediaType(offered) ?? null;
    if (chosenFor.size >= REMEMBERED_HEADERS) chosenFor.clear();
    chosenFor.set(key, chosen);
  }
  return chosen;
}

/** `files`: the media types of the file the route answers, offered after JSON and XML (so that accepting anything still gives JSON). */
export function negotiate(accept: string | undefined, files: readonly string[] = []): Negotiated {
  if (!accept || !accept.trim()) return JSON_RESPONSE;
  const offered = files.length ? [...OFFERED, ...files] : OFFERED;
  const chosen = chooseMediaType(accept, offered);
  if (!chosen) {
    throw new AppError('NotAcceptable', `None of the accepted media types (${accept.slice(0, 200)}) can be produced; use ${offered.join(', ')}`);
  }
  if (chosen === 'application/json') return JSON_RESPONSE;
  return files.includes(chosen) ? { format: 'file', contentType: chosen } : { format: 'xml', contentType: `${chosen}; charset=utf-8` };
}

export function defaultNegotiation(): Negotiated {
  return JSON_RESPONSE;
}

const API_VERSIONS = new Set(['1', '1.0', '1.1']);

/** electio-api-version: absent, 1, 1.0 or 1.1 all mean 1.1. */
export function checkApiVersion(header: string | string[] | undefined): void {
  if (header === undefined) return;
  const value = Array.isArray(header) ? header[0] : header;
  if (!API_VERSIONS.has(value.trim())) {
    throw new AppError('UnsupportedApiVersion', `API version ${value.slice(0, 50)} is not supported; this server speaks 1.1`, [
      { Code: 'Unsupported', Target: 'electio-api-version', Message: 'Supported versions are 1, 1.0 and 1.1' },
    ]);
  }
}
