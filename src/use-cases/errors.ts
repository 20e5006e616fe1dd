/**
 * The one error every layer throws for an expected failure (a use-case refusing, bad input at the
 * edge): a code, a message and details, nothing about HTTP. The HTTP error mapper
 * (src/http/error-mapper.ts) turns it into the API's error body and status.
 */
import type { ErrorCode, ErrorDetail } from '../contract/errors.js';

export type { ErrorCode, ErrorDetail } from '../contract/errors.js';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export function validationFailed(details: ErrorDetail[]): AppError {
  const message = details.length === 1 ? details[0].Message : `The request has ${details.length} problems`;
  return new AppError('ValidationFailed', message, details);
}

/** 409 ConsignmentBusy: it kept changing under concurrent requests while being `doing` ("allocated"); trying again later will do. */
export function consignmentBusy(reference: string, doing: string): AppError {
  const message = `Consignment ${reference} kept changing while it was being ${doing}; try again`;
  return new AppError('ConsignmentBusy', message, [{ Code: 'ConsignmentBusy', Target: reference, Message: message }]);
}
