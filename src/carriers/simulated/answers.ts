/** Reading the simulated carrier's answers: what every operation's response mapping shares. */
import { CarrierUnreachable, type CarrierMessage, type CarrierRefusal } from '../connector.js';
import type { CarrierHttpResponse } from '../transport.js';
import type { SimNotice, SimRejection } from './api.js';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A 5xx, or any status the API does not document, means the carrier is not answering properly.
 * A 4xx other than a timeout or throttling says it turned the request away, so it did nothing.
 */
export function unexpected(carrierReference: string, response: CarrierHttpResponse, doing: string): CarrierUnreachable {
  const turnedAway = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
  return new CarrierUnreachable(carrierReference, `carrier ${carrierReference} answered ${doing} with HTTP ${response.status}`, { mayHaveActed: !turnedAway });
}

/** The messages of a 422, as one refusal. */
export function refusalOf(body: unknown): CarrierRefusal {
  const errors = isObject(body) && Array.isArray((body as unknown as SimRejection).errors) ? (body as unknown as SimRejection).errors : [];
  const texts = errors.filter(isObject).map((e) => `${String(e.text ?? '')}${e.code ? ` (${String(e.code)})` : ''}`);
  return { code: 'CarrierRefused', message: texts.length ? texts.join('; ') : 'the carrier refused without saying why' };
}

export function messagesOf(notices: unknown): CarrierMessage[] {
  if (!Array.isArray(notices)) return [];
  return (notices as SimNotice[]).filter(isObject).map((n) => ({
    severity: n.level === 'warning' ? 'warning' : 'info',
    code: typeof n.code === 'string' ? n.code : null,
    text: String(n.text ?? ''),
  }));
}
