/** POST /consignments/bulk (Switchyard): a list of create requests, each the body POST /consignments takes. */
import { Type } from '@sinclair/typebox';
import { MAX_BULK_CREATE } from '../domain/limits.js';
import { CreateConsignmentRequest } from './consignments.js';

export const BulkCreateRequest = Type.Array(CreateConsignmentRequest, {
  maxItems: MAX_BULK_CREATE,
  description: 'Create requests in the order their results are answered; in XML, the root element (ArrayOfCreateConsignmentRequest) holds one CreateConsignmentRequest element per item',
});
