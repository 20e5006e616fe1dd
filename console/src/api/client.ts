/**
 * The console's way to the API: the project's typed client (clients/typescript, openapi-fetch over
 * the types generated from /openapi.json), so that a route or answer the console relies on cannot
 * change without the type check noticing. Errors come back as the API's own error body.
 */
import type { ClientPathsWithMethod, MethodResponse } from 'openapi-fetch';
import { createSwitchyardClient, type SwitchyardClient } from '../../../clients/typescript/index.ts';

export type Api = SwitchyardClient;

export interface ErrorDetail {
  Code?: string;
  Target?: string;
  Message?: string;
}

/** A refusal or failure as the API described it (its ApiError body), or as close as the console can tell. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly correlationId: string | null = null,
  ) {
    super(message);
  }
}

function isErrorBody(body: unknown): body is { Code: string; Message: string; Details?: ErrorDetail[]; CorrelationId?: string } {
  return typeof body === 'object' && body !== null && typeof (body as { Code?: unknown }).Code === 'string' && typeof (body as { Message?: unknown }).Message === 'string';
}

export function apiErrorOf(response: Response, body: unknown): ApiError {
  if (isErrorBody(body)) return new ApiError(response.status, body.Code, body.Message, body.Details ?? [], body.CorrelationId ?? response.headers.get('x-correlation-id'));
  return new ApiError(response.status, `Http${response.status}`, `The server answered ${response.status} ${response.statusText}`.trim(), [], response.headers.get('x-correlation-id'));
}

/** A call's data, or its error thrown as an ApiError. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NetworkError', 'The server could not be reached; check that Switchyard is running');
  }
  if (result.response.ok) return result.data as T;
  throw apiErrorOf(result.response, result.error);
}

/**
 * A client for one API key, on the server that served the console. `onUnauthorized` hears of any
 * 401, so that a key revoked or rotated meanwhile signs the console out with the API's message.
 */
export function createApi(apiKey: string, onUnauthorized: (message: string) => void): Api {
  const api = createSwitchyardClient({ baseUrl: location.origin, apiKey });
  api.use({
    async onResponse({ response }) {
      if (response.status === 401) {
        const body: unknown = await response.clone().json().catch(() => null);
        onUnauthorized(isErrorBody(body) ? body.Message : 'The API key was refused');
      }
      return undefined;
    },
  });
  return api;
}


/** The JSON answer of an operation as the client reads it: `Answer<'get', '/consignments/{reference}'>`. */
export type Answer<M extends 'get' | 'put' | 'post' | 'delete', P extends ClientPathsWithMethod<Api, M>> = MethodResponse<Api, M, P>;
