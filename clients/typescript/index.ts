/**
 * A typed client of the Switchyard API: openapi-fetch over the paths of `schema.d.ts`, which
 * openapi-typescript generates from the server's own /openapi.json (`npm run client:generate` in
 * the Switchyard checkout; a test fails when it is out of date). Paths, path parameters, request
 * bodies, answers and errors are typed, and the answers' objects are named (`components['schemas']['Consignment']`);
 * every call sends the API key.
 *
 *   const api = createSwitchyardClient({ baseUrl: 'http://127.0.0.1:8080', apiKey: 'switchyard-demo-key' });
 *   const { data, error, response } = await api.GET('/consignments/{reference}', { params: { path: { reference: 'EC-000-05A-Z6S' } } });
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { components, paths } from './schema.js';

export interface SwitchyardClientOptions {
  /** The server, e.g. http://127.0.0.1:8080 (no trailing slash). */
  baseUrl: string;
  /** The subscription's API key, sent as ocp-apim-subscription-key. */
  apiKey: string;
  /** Another fetch (a test's, a proxy's); the global one by default. */
  fetch?: typeof globalThis.fetch;
}

/** The client reads the API's JSON answers (its default); a file's bytes are asked for per call with `parseAs`. */
export type SwitchyardClient = Client<paths, 'application/json'>;

export function createSwitchyardClient({ baseUrl, apiKey, fetch }: SwitchyardClientOptions): SwitchyardClient {
  return createClient<paths, 'application/json'>({ baseUrl, headers: { 'ocp-apim-subscription-key': apiKey }, ...(fetch ? { fetch } : {}) });
}
