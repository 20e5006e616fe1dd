/**
 * The one place that turns an error code into an HTTP status and the API's error body
 * `{ Code, Message, CorrelationId, Details }` (decisions.md §2), and Fastify's own errors into
 * codes. Use-cases never see a status.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode, ErrorDetail } from '../contract/errors.js';
import { AppError } from '../use-cases/errors.js';
import { send } from './responses.js';
import { typed } from './xml-codec.js';

const HTTP_STATUS: Record<ErrorCode, number> = {
  Unauthorized: 401,
  MalformedBody: 400,
  MalformedUrl: 400,
  ValidationFailed: 400,
  UnsupportedApiVersion: 400,
  UnsupportedMediaType: 415,
  NotAcceptable: 406,
  PayloadTooLarge: 413,
  RouteNotFound: 404,
  ConsignmentNotFound: 404,
  CarrierServiceNotFound: 404,
  SubscriptionNotFound: 404,
  QuoteNotFound: 404,
  InvalidQuote: 400,
  InvalidState: 409,
  TooManyRequests: 429,
  ServiceUnavailable: 503,
  InternalError: 500,
  ShippingLocationNotFound: 404,
  PackageSizeNotFound: 404,
  DuplicateReference: 409,
  ShippingLocationInUse: 409,
  RuleNotFound: 404,
  ServiceGroupNotFound: 404,
  PackageNotFound: 404,
  CannotDeleteLastPackage: 409,
  CarrierUnavailable: 503,
  ConsignmentBusy: 409,
  DocumentNotFound: 404,
  ManifestNotFound: 404,
  CarrierNotFound: 404,
  RequestTimeout: 408,
  HeadersTooLarge: 431,
  IdempotencyKeyInUse: 409,
  IdempotencyKeyReused: 422,
  WebhookNotFound: 404,
  WebhookDeliveryNotFound: 404,
  TooManyWebhooks: 409,
};

/** The HTTP status an error code answers with (also each result item's StatusCode for that code). */
export function httpStatus(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** 400 MalformedBody, with its one problem as the detail (every 400 lists its problems). */
export function malformedBody(message: string): AppError {
  return new AppError('MalformedBody', message, [{ Code: 'MalformedBody', Target: 'body', Message: message }]);
}

/** 404 RouteNotFound for this request's method and path. */
export function noRoute(req: FastifyRequest): AppError {
  return new AppError('RouteNotFound', `No route ${req.method} ${req.url.split('?')[0].slice(0, 200)}`);
}

export function errorBody(req: FastifyRequest, code: string, message: string, details: ErrorDetail[]): object {
  return typed('ApiError', {
    Code: code,
    Message: message,
    CorrelationId: String(req.id),
    Details: details.map((d) => typed('ApiErrorMessage', { ...d })),
  });
}

/** Fastify's own errors, as the API's codes; null for anything else (an unexpected error). */
export function fromFastifyError(err: { code?: string; statusCode?: number; message: string }): AppError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PayloadTooLarge', 'The request body is larger than the server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new AppError('UnsupportedMediaType', 'Send the body as application/json, application/xml or text/xml');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INSTANCE_ALREADY_STARTED':
      return malformedBody(err.message);
  }
  if (err.statusCode === 413) return new AppError('PayloadTooLarge', 'The request body is larger than the server accepts');
  if (err.statusCode === 415) return new AppError('UnsupportedMediaType', 'Send the body as application/json, application/xml or text/xml');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return malformedBody(err.message);
  return null;
}

/** Answers with the error's status and body, in the negotiated representation. */
export function sendError(req: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  return send(req, reply, httpStatus(error.code), errorBody(req, error.code, error.message, error.details), 'ApiError');
}

/**
 * Errors Node's HTTP parser raises on a connection before any request reaches Fastify, answered
 * with the API's error body (in JSON: no request was read to negotiate with) and the connection
 * closed: 408 RequestTimeout when the whole request did not arrive within the request timeout,
 * 431 HeadersTooLarge for headers over Node's limit (16 KiB), 400 MalformedBody for anything else the parser refuses.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'RequestTimeout', 'The whole request did not arrive in time (SWITCHYARD_REQUEST_TIMEOUT_MS)']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HeadersTooLarge', 'The request headers are larger than the server accepts (16 KiB in all)']
        : [400, 'MalformedBody', 'The request is not valid HTTP'];
  const correlationId = randomUUID();
  const body = JSON.stringify({ Code: code, Message: message, CorrelationId: correlationId, Details: [] });
  // A response already begun on this connection (a request that did arrive) cannot be followed by another.
  const begun = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (socket.writable && !begun) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Correlation-Id: ${correlationId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
