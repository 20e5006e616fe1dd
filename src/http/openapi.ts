/**
 * The OpenAPI 3.1 description served at GET /openapi.json, built from the same request schemas
 * that read the bodies, so that it cannot drift from what the server accepts.
 */
import type { TSchema } from '@sinclair/typebox';
import { AllocateWithCarrierServiceRequest, CreateConsignmentRequest, CreateSubscriptionRequest, ReferenceList, UpdateConsignmentRequest, UpdatePackageRequest } from './schemas.js';

interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  body?: TSchema;
  ok: [status: number, description: string];
  errors: number[];
  auth?: 'key' | 'admin' | 'none';
}

const REF = { name: 'reference', in: 'path', required: true, schema: { type: 'string' }, description: 'Consignment reference (EC-xxx-xxx-xxx), any case' };

const OPERATIONS: Operation[] = [
  { method: 'post', path: '/consignments', summary: 'Create a consignment', body: CreateConsignmentRequest, ok: [201, 'ApiLink[] to the new consignment; Location header'], errors: [400, 401, 413, 415] },
  { method: 'get', path: '/consignments/{reference}', summary: 'Get a consignment', ok: [200, 'Consignment'], errors: [401, 404] },
  { method: 'get', path: '/consignments/{reference}/status', summary: 'Get a consignment’s state and expected delivery date', ok: [200, 'ConsignmentStatusResponse'], errors: [401, 404] },
  { method: 'get', path: '/consignments/{reference}/audit', summary: 'Get a consignment’s audit trail (Switchyard)', ok: [200, 'ConsignmentAuditMessage[]'], errors: [401, 404] },
  { method: 'put', path: '/consignments/{reference}/deallocate', summary: 'Deallocate a consignment', ok: [200, 'empty'], errors: [401, 404, 409] },
  { method: 'put', path: '/consignments/deallocatelist', summary: 'Deallocate consignments', body: ReferenceList, ok: [200, 'WithMessage<string>[] in request order'], errors: [400, 401] },
  { method: 'put', path: '/consignments', summary: 'Update (replace) a consignment’s details while Unallocated or AllocationFailed', body: UpdateConsignmentRequest, ok: [200, 'ApiLink[] to the consignment'], errors: [400, 401, 404, 409] },
  { method: 'post', path: '/consignments/{reference}/addpackage', summary: 'Add a package', body: UpdatePackageRequest, ok: [201, 'Package'], errors: [400, 401, 404, 409] },
  { method: 'delete', path: '/packages/{packageReference}', summary: 'Delete a package (not the last one)', ok: [200, 'empty'], errors: [401, 404, 409] },
  { method: 'put', path: '/consignments/{reference}/cancel', summary: 'Cancel a consignment', ok: [200, 'empty'], errors: [401, 404, 409] },
  { method: 'put', path: '/consignments/cancellist', summary: 'Cancel consignments', body: ReferenceList, ok: [200, 'WithMessage<string>[] in request order'], errors: [400, 401] },
  { method: 'get', path: '/consignments/{take}/{skip}', summary: 'Search consignments (criteria in the query string), newest first', ok: [200, 'MatchingConsignmentsResponse { Count (every match), ConsignmentSummaries }'], errors: [400, 401] },
  { method: 'get', path: '/consignments/getConsignmentReferences', summary: 'Search consignments, references only (at most 10,000; pageSize/startPage page)', ok: [200, 'string[]'], errors: [400, 401] },
  { method: 'get', path: '/consignments/summary', summary: 'Consignments per state, optionally by created date (startFrom, endAt)', ok: [200, 'ConsignmentStateSummaryResponse'], errors: [400, 401] },
  { method: 'get', path: '/consignments/count', summary: 'Number of consignments (in a state, with ?state=)', ok: [200, 'int'], errors: [400, 401] },
  { method: 'get', path: '/consignments/getconsignmentwithmetadata/{reference}', summary: 'Get a consignment with its metadata', ok: [200, 'Consignment'], errors: [401, 404] },
  { method: 'get', path: '/consignments/getconsignmentonly/{reference}', summary: 'Get a consignment without metadata', ok: [200, 'Consignment (MetaData null)'], errors: [401, 404] },
  { method: 'put', path: '/allocation/allocatewithcarrierservice', summary: 'Allocate consignments to one carrier service', body: AllocateWithCarrierServiceRequest, ok: [200, 'Allocation Summary[] in request order (StatusCode 200, 409 or 422 each)'], errors: [400, 401, 404] },
  { method: 'get', path: '/carrierservices', summary: 'Carrier services enabled for the subscription, with capabilities', ok: [200, 'SubscriptionMpdCarrierServiceResponse'], errors: [401] },
  { method: 'get', path: '/carriers', summary: 'Carrier services of the subscription', ok: [200, 'SubscriptionMpdCarrierServiceResponse'], errors: [401] },
  { method: 'get', path: '/carriers/getcarriers', summary: 'All carriers', ok: [200, 'Carrier[]'], errors: [401] },
  { method: 'post', path: '/admin/subscriptions', summary: 'Create a subscription (admin)', body: CreateSubscriptionRequest, ok: [201, '{ Reference, Name, ApiKey }'], errors: [400, 401, 404], auth: 'admin' },
  { method: 'get', path: '/admin/subscriptions', summary: 'List subscriptions (admin)', ok: [200, '[{ Reference, Name }]'], errors: [401, 404], auth: 'admin' },
  { method: 'post', path: '/admin/subscriptions/{subscription}/rotatekey', summary: 'Issue a new API key (admin)', ok: [200, '{ Reference, Name, ApiKey }'], errors: [401, 404], auth: 'admin' },
  { method: 'put', path: '/admin/subscriptions/{subscription}/services/{service}', summary: 'Enable a carrier service (admin)', ok: [204, 'enabled'], errors: [401, 404], auth: 'admin' },
  { method: 'delete', path: '/admin/subscriptions/{subscription}/services/{service}', summary: 'Disable a carrier service (admin)', ok: [204, 'disabled'], errors: [401, 404], auth: 'admin' },
  { method: 'get', path: '/health', summary: 'Database reachability', ok: [200, '{ Status, Database, DatabaseKind }; 503 when unreachable'], errors: [503], auth: 'none' },
];

const ERROR_BODY = {
  type: 'object',
  required: ['Code', 'Message', 'CorrelationId', 'Details'],
  properties: {
    Code: { type: 'string' },
    Message: { type: 'string' },
    CorrelationId: { type: 'string' },
    Details: { type: 'array', items: { type: 'object', properties: { Code: { type: 'string' }, Target: { type: 'string' }, Message: { type: 'string' } } } },
  },
};

function parameters(path: string): object[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => (name === 'reference' ? REF : { name, in: 'path', required: true, schema: { type: 'string' } }));
}

/** Plain JSON Schema: TypeBox keeps its own metadata under symbols, which JSON drops. */
const jsonSchema = (schema: TSchema): unknown => JSON.parse(JSON.stringify(schema));

export function openApiDocument(): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const op of OPERATIONS) {
    const security = op.auth === 'none' ? [] : op.auth === 'admin' ? [{ adminToken: [] }] : [{ apiKeyHeader: [] }, { apiKeyQuery: [] }];
    const content = op.body ? { 'application/json': { schema: jsonSchema(op.body) }, 'application/xml': { schema: jsonSchema(op.body) } } : undefined;
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      security,
      parameters: parameters(op.path),
      ...(content ? { requestBody: { required: true, content } } : {}),
      responses: {
        [op.ok[0]]: { description: op.ok[1] },
        ...Object.fromEntries(op.errors.map((status) => [status, { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } }])),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Switchyard (SortedPRO v1.1 Consignments API)', version: '1.1' },
    paths,
    components: {
      schemas: { ApiError: ERROR_BODY },
      securitySchemes: {
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'ocp-apim-subscription-key' },
        apiKeyQuery: { type: 'apiKey', in: 'query', name: 'subscription-key' },
        adminToken: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
