/** Which representation a client gets (decisions.md §2): JSON unless it asks for XML; 406 if it accepts neither. */
import Negotiator from 'negotiator';
import { AppError } from '../use-cases/errors.js';

export type ResponseFormat = 'json' | 'xml';

const OFFERED = ['application/json', 'application/xml', 'text/xml'];

export interface Negotiated {
  format: ResponseFormat;
  contentType: string;
}

const JSON_RESPONSE: Negotiated = { format: 'json', contentType: 'application/json; charset=utf-8' };

export function negotiate(accept: string | undefined): Negotiated {
  if (!accept || !accept.trim()) return JSON_RESPONSE;
  const chosen = new Negotiator({ headers: { accept } }).mediaType(OFFERED);
  if (!chosen) {
    throw new AppError('NotAcceptable', `None of the accepted media types (${accept.slice(0, 200)}) can be produced; use application/json, application/xml or text/xml`);
  }
  return chosen === 'application/json' ? JSON_RESPONSE : { format: 'xml', contentType: `${chosen}; charset=utf-8` };
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
