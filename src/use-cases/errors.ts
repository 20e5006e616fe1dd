/** The one error type every layer throws for an expected failure (a use-case refusing, bad input at the edge); the HTTP error mapper turns it into the API's error body and status. */

export const ERROR_CODES = [
  'Unauthorized',
  'MalformedBody',
  'MalformedUrl',
  'ValidationFailed',
  'UnsupportedApiVersion',
  'UnsupportedMediaType',
  'NotAcceptable',
  'PayloadTooLarge',
  'RouteNotFound',
  'ConsignmentNotFound',
  'CarrierServiceNotFound',
  'SubscriptionNotFound',
  'QuoteNotFound',
  'InvalidQuote',
  'InvalidState',
  'TooManyRequests',
  'ServiceUnavailable',
  'InternalError',
  'ShippingLocationNotFound',
  'PackageSizeNotFound',
  'DuplicateReference',
  'ShippingLocationInUse',
  'RuleNotFound',
  'ServiceGroupNotFound',
  'PackageNotFound',
  'CannotDeleteLastPackage',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetail {
  Code: string;
  Target: string;
  Message: string;
}

const STATUS: Record<ErrorCode, number> = {
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
};

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

/** 400 MalformedBody, with its one problem as the detail (every 400 lists its problems). */
export function malformedBody(message: string): ApiError {
  return new ApiError('MalformedBody', message, [{ Code: 'MalformedBody', Target: 'body', Message: message }]);
}

export function validationFailed(details: ErrorDetail[]): ApiError {
  const message = details.length === 1 ? details[0].Message : `The request has ${details.length} problems`;
  return new ApiError('ValidationFailed', message, details);
}
