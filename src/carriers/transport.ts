/**
 * How a connector talks to its carrier, injected so that the mapping functions stay pure and a
 * test can script the carrier: a request in, a response out. `httpTransport` speaks HTTP with
 * JSON bodies to a carrier's base URL (for real carriers); the simulated carrier has an in-process
 * one (src/carriers/simulated/backend.ts).
 */
import { CarrierUnreachable } from './connector.js';

export interface CarrierHttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below the carrier's base URL, starting with a slash. */
  path: string;
  headers?: Record<string, string>;
  /** Sent as JSON when present. */
  body?: unknown;
}

export interface CarrierHttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the carrier answered JSON, otherwise the text. */
  body: unknown;
}

export interface CarrierTransport {
  send(request: CarrierHttpRequest, signal: AbortSignal): Promise<CarrierHttpResponse>;
}

/** Answers are read up to this size; a carrier's answer is never bigger unless something is wrong. */
const MAX_ANSWER_BYTES = 20 * 1024 * 1024;

export interface HttpTransportOptions {
  carrierReference: string;
  baseUrl: string;
  /** Sent with every request (an API key header, say). */
  headers?: Record<string, string>;
}

/**
 * A transport over fetch. A network failure, an abort (the caller's timeout) or an unreadable
 * answer throws CarrierUnreachable; any HTTP status is an answer, for the connector to map.
 */
export function httpTransport(options: HttpTransportOptions): CarrierTransport {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    async send(request, signal) {
      const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...request.headers };
      let body: string | undefined;
      if (request.body !== undefined) {
        body = JSON.stringify(request.body);
        headers['content-type'] = 'application/json';
      }
      let res: Response;
      try {
        res = await fetch(`${base}${request.path}`, { method: request.method, headers, body, signal, redirect: 'error' });
      } catch (e) {
        const code = ((e as Error).cause as { code?: string } | undefined)?.code;
        const why = signal.aborted ? 'did not answer in time' : `could not be reached (${code ?? (e as Error).message})`;
        const neverArrived = !signal.aborted && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN');
        throw new CarrierUnreachable(options.carrierReference, `carrier ${options.carrierReference} ${why}`, { cause: e, mayHaveActed: !neverArrived });
      }
      let text: string;
      try {
        const declared = Number(res.headers.get('content-length') ?? 0);
        if (declared > MAX_ANSWER_BYTES) throw new Error(`the answer is ${declared} bytes`);
        const bytes = await res.arrayBuffer();
        if (bytes.byteLength > MAX_ANSWER_BYTES) throw new Error(`the answer is ${bytes.byteLength} bytes`);
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch (e) {
        throw new CarrierUnreachable(options.carrierReference, `carrier ${options.carrierReference} sent an unreadable answer (${(e as Error).message})`, { cause: e });
      }
      const responseHeaders = Object.fromEntries(res.headers.entries());
      const isJson = (responseHeaders['content-type'] ?? '').includes('json');
      let parsed: unknown = text;
      if (isJson && text) {
        try {
          parsed = JSON.parse(text);
        } catch (e) {
          throw new CarrierUnreachable(options.carrierReference, `carrier ${options.carrierReference} sent malformed JSON`, { cause: e });
        }
      }
      return { status: res.status, headers: responseHeaders, body: parsed };
    },
  };
}
