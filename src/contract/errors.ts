/**
 * The words of the API's error body (decisions.md §2): `{ Code, Message, CorrelationId, Details }`.
 * Use-cases speak these codes; which HTTP status each one answers is the HTTP layer's alone
 * (src/http/error-mapper.ts).
 */

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
  'CarrierUnavailable',
  'ConsignmentBusy',
  'DocumentNotFound',
  'ManifestNotFound',
  'CarrierNotFound',
  'RequestTimeout',
  'HeadersTooLarge',
  'IdempotencyKeyInUse',
  'IdempotencyKeyReused',
  'WebhookNotFound',
  'WebhookDeliveryNotFound',
  'TooManyWebhooks',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem of a request, or one item a refusal is about. */
export interface ErrorDetail {
  Code: string;
  Target: string;
  Message: string;
}
