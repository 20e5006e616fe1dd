/** One item's answer in POST /consignments/bulk: the status the single create would have answered, with its reference or its problems. */
import type { BulkCreateOutcome } from '../../use-cases/bulk-create-consignments.js';
import { httpStatus } from '../error-mapper.js';
import { typed } from '../xml-codec.js';

/** `consignmentKey` is the CSV key the consignment was grouped under (CSV imports only). */
export function presentBulkCreateResult(outcome: BulkCreateOutcome, consignmentKey?: string): object {
  const key = consignmentKey === undefined ? {} : { ConsignmentKey: consignmentKey };
  if (outcome.kind === 'created') {
    return typed('BulkCreateResult', {
      StatusCode: 201,
      ...key,
      ConsignmentReference: outcome.reference,
      PackageReferences: outcome.packageReferences,
      Code: null,
      Message: null,
      Details: [],
    });
  }
  return typed('BulkCreateResult', {
    StatusCode: httpStatus(outcome.code),
    ...key,
    ConsignmentReference: null,
    PackageReferences: [],
    Code: outcome.code,
    Message: outcome.message,
    Details: outcome.details.map((d) => typed('ApiErrorMessage', { ...d })),
  });
}
