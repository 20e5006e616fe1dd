/**
 * The console's way to the API: the project's typed client (clients/typescript, openapi-fetch over
 * the types generated from /openapi.json), so that a route or answer the console relies on cannot
 * change without the type check noticing. Errors come back as the API's own error body.
 */
import type { ClientPathsWithMethod, MethodResponse } from 'openapi-fetch';
import { createSwitchyardClient, type components, type SwitchyardClient } from '../../../clients/typescript/index.ts';

export type Api = SwitchyardClient;

type ApiErrorBody = components['schemas']['ApiError'];
export type ErrorDetail = ApiErrorBody['Details'][number];

/** A refusal or failure as the API described it (its ApiError body), or as close as the console can tell. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly correlationId: string | null = null,
    /** Seconds to wait before asking again, from a 429's Retry-After. */
    readonly retryAfter: number | null = null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as { Code?: unknown }).Code === 'string' && typeof (body as { Message?: unknown }).Message === 'string';
}

export function apiErrorOf(response: Response, body: unknown): ApiError {
  const correlationId = response.headers.get('x-correlation-id');
  const retryAfter = Number(response.headers.get('retry-after')) || null;
  if (isErrorBody(body)) return new ApiError(response.status, body.Code, body.Message, body.Details ?? [], body.CorrelationId ?? correlationId, retryAfter);
  return new ApiError(response.status, `Http${response.status}`, `The server answered ${response.status} ${response.statusText}`.trim(), [], correlationId, retryAfter);
}

/** A call's data, or its error thrown as an ApiError. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    // fetch rejects (a TypeError) only when no answer came: the server is down or unreachable.
    if (e instanceof TypeError) throw new ApiError(0, 'NetworkError', 'The server could not be reached; check that Switchyard is running', [], null, null, { cause: e });
    throw e;
  }
  if (result.response.ok) return result.data as T;
  throw apiErrorOf(result.response, result.error);
}

/**
 * A client for one API key, on the server that served the console. `onUnauthorized`, when given,
 * hears of any 401, so that a key revoked or rotated meanwhile signs the console out with the
 * API's message.
 */
export function createApi(apiKey: string, onUnauthorized?: (message: string) => void): Api {
  const api = createSwitchyardClient({ baseUrl: location.origin, apiKey });
  if (onUnauthorized) {
    api.use({
      async onResponse({ response }) {
        if (response.status === 401) {
          const body: unknown = await response.clone().json().catch(() => null);
          onUnauthorized(isErrorBody(body) ? body.Message : 'The API key was refused');
        }
        return undefined;
      },
    });
  }
  return api;
}

/** The JSON answer of an operation as the client reads it: `Answer<'get', '/consignments/{reference}'>`. */
export type Answer<M extends 'get' | 'put' | 'post' | 'delete', P extends ClientPathsWithMethod<Api, M>> = MethodResponse<Api, M, P>;
