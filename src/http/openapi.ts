/**
 * The OpenAPI 3.1 description served at GET /openapi.json, built from the same request schemas
 * that read the bodies, so that it cannot drift from what the server accepts.
 */
import type { TSchema } from '@sinclair/typebox';
import { AllocateAllConsignmentsRequest, AllocateConsignmentsRequest, AllocateWithCarrierServiceRequest, AllocateWithServiceFiltersRequest, AllocateWithServiceGroupRequest } from '../contract/allocation.js';
import { CreateConsignmentRequest, ReferenceList, UpdateConsignmentRequest, UpdatePackageRequest } from '../contract/consignments.js';
import { PackageSizeRequest, ShippingLocationRequest } from '../contract/locations.js';
import { AllocationRuleRequest, ServiceGroupRequest, TagList } from '../contract/rules.js';
import { CreateSubscriptionRequest } from '../contract/subscriptions.js';

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
  { method: 'put', path: '/allocation/allocate', summary: 'Allocate consignments by the default rules (cheapest qualifying service)', body: AllocateConsignmentsRequest, ok: [200, 'Allocation Summary[] in request order'], errors: [400, 401, 404] },
  { method: 'put', path: '/allocation/allocateConsignmentsWithServiceFilters', summary: 'Allocate consignments to the cheapest service matching filters', body: AllocateWithServiceFiltersRequest, ok: [200, 'Allocation Summary[] in request order'], errors: [400, 401, 404] },
  { method: 'put', path: '/allocation/allocateWithServiceGroup', summary: 'Allocate consignments to the cheapest service of a group', body: AllocateWithServiceGroupRequest, ok: [200, 'Allocation Summary[] in request order'], errors: [400, 401, 404] },
  { method: 'put', path: '/allocation/allocate/{shipByDate}', summary: 'Allocate every Unallocated consignment due to ship by the date (default rules; the SDK writes the date unencoded, slashes included)', ok: [200, 'Allocation Summary[], oldest first'], errors: [400, 401] },
  { method: 'put', path: '/allocation/allocateWithCarrierService/{shipByDate}', summary: 'Allocate every consignment due to ship by the date to one service', body: AllocateAllConsignmentsRequest, ok: [200, 'Allocation Summary[], oldest first'], errors: [400, 401, 404] },
  { method: 'put', path: '/allocation/allocateWithServiceGroup/{shipByDate}', summary: 'Allocate every consignment due to ship by the date within a service group', body: AllocateAllConsignmentsRequest, ok: [200, 'Allocation Summary[], oldest first'], errors: [400, 401, 404] },
  { method: 'put', path: '/allocation/{reference}/allocatewithcheapestquote', summary: 'Allocate one consignment to the cheapest qualifying service', ok: [200, 'Allocation Summary[] (one item)'], errors: [400, 401, 404] },
  { method: 'put', path: '/allocation/{reference}/allocatewithservicegroup/{group}', summary: 'Allocate one consignment to the cheapest service of a group', ok: [200, 'Allocation Summary[] (one item)'], errors: [400, 401, 404] },
  { method: 'put', path: '/allocation/{reference}/allocatewithquote/{quote}', summary: 'Allocate one consignment with a quote, at the quoted price', ok: [200, 'Allocation Summary[] (one item)'], errors: [400, 401, 404] },
  { method: 'post', path: '/quotes', summary: 'Quotes for a consignment not yet created', body: CreateConsignmentRequest, ok: [201, 'QuoteResult'], errors: [400, 401] },
  { method: 'post', path: '/quotes/serviceGroups', summary: 'Quotes per enabled service group', body: CreateConsignmentRequest, ok: [200, 'service-group quote results'], errors: [400, 401] },
  { method: 'get', path: '/quotes/consignment/{reference}', summary: 'Quotes for a stored consignment', ok: [200, 'QuoteResult'], errors: [401, 404] },
  { method: 'get', path: '/quotes/{quoteRequest}', summary: 'A stored quote result while it is valid', ok: [200, 'QuoteResult'], errors: [400, 401, 404] },
  { method: 'get', path: '/carrierservices', summary: 'Carrier services enabled for the subscription, with capabilities', ok: [200, 'SubscriptionMpdCarrierServiceResponse'], errors: [401] },
  { method: 'get', path: '/carriers', summary: 'Carrier services of the subscription', ok: [200, 'SubscriptionMpdCarrierServiceResponse'], errors: [401] },
  { method: 'get', path: '/carriers/getcarriers', summary: 'All carriers', ok: [200, 'Carrier[]'], errors: [401] },
  { method: 'get', path: '/shippingLocations', summary: 'The subscription’s shipping locations, by name', ok: [200, 'ShippingLocation[]'], errors: [401] },
  { method: 'get', path: '/shippingLocations/assigned', summary: 'Shipping locations assigned to the caller (all of the subscription’s)', ok: [200, 'ShippingLocation[]'], errors: [401] },
  { method: 'get', path: '/shippingLocations/{shippingLocationReference}', summary: 'Get a shipping location', ok: [200, 'ShippingLocation'], errors: [401, 404] },
  { method: 'get', path: '/shippingLocations/{shippingLocationReference}/available', summary: 'Whether a new shipping location could take this reference', ok: [200, 'boolean'], errors: [401] },
  { method: 'post', path: '/shippingLocations', summary: 'Create a shipping location (Switchyard)', body: ShippingLocationRequest, ok: [201, 'ShippingLocation; Location header'], errors: [400, 401, 409] },
  { method: 'put', path: '/shippingLocations/{shippingLocationReference}', summary: 'Replace a shipping location (Switchyard)', body: ShippingLocationRequest, ok: [200, 'ShippingLocation'], errors: [400, 401, 404] },
  { method: 'delete', path: '/shippingLocations/{shippingLocationReference}', summary: 'Delete a shipping location no consignment awaiting allocation uses (Switchyard)', ok: [204, 'deleted'], errors: [401, 404, 409] },
  { method: 'get', path: '/packageSizes', summary: 'The subscription’s package sizes, by reference', ok: [200, 'PackageSize[]'], errors: [401] },
  { method: 'get', path: '/packageSizes/default', summary: 'The default package size', ok: [200, 'PackageSize'], errors: [401, 404] },
  { method: 'get', path: '/packageSizes/{packageSizeReference}', summary: 'Get a package size', ok: [200, 'PackageSize'], errors: [401, 404] },
  { method: 'post', path: '/packageSizes', summary: 'Create a package size (Switchyard)', body: PackageSizeRequest, ok: [201, 'PackageSize; Location header'], errors: [400, 401, 409] },
  { method: 'put', path: '/packageSizes/{packageSizeReference}', summary: 'Replace a package size (Switchyard)', body: PackageSizeRequest, ok: [200, 'PackageSize'], errors: [400, 401, 404] },
  { method: 'put', path: '/packageSizes/{packageSizeReference}/default', summary: 'Make a package size the default (Switchyard)', ok: [200, 'PackageSize'], errors: [401, 404] },
  { method: 'delete', path: '/packageSizes/{packageSizeReference}', summary: 'Delete a package size (Switchyard)', ok: [204, 'deleted'], errors: [401, 404] },
  { method: 'post', path: '/admin/subscriptions', summary: 'Create a subscription (admin)', body: CreateSubscriptionRequest, ok: [201, '{ Reference, Name, ApiKey }'], errors: [400, 401, 404], auth: 'admin' },
  { method: 'get', path: '/admin/subscriptions', summary: 'List subscriptions (admin)', ok: [200, '[{ Reference, Name }]'], errors: [401, 404], auth: 'admin' },
  { method: 'post', path: '/admin/subscriptions/{subscription}/rotatekey', summary: 'Issue a new API key (admin)', ok: [200, '{ Reference, Name, ApiKey }'], errors: [401, 404], auth: 'admin' },
  { method: 'put', path: '/admin/subscriptions/{subscription}/services/{service}', summary: 'Enable a carrier service (admin)', ok: [204, 'enabled'], errors: [401, 404], auth: 'admin' },
  { method: 'delete', path: '/admin/subscriptions/{subscription}/services/{service}', summary: 'Disable a carrier service (admin)', ok: [204, 'disabled'], errors: [401, 404], auth: 'admin' },
  { method: 'get', path: '/health', summary: 'Database reachability', ok: [200, '{ Status, Database, DatabaseKind }; 503 when unreachable'], errors: [503], auth: 'none' },
  { method: 'get', path: '/allocationrules', summary: 'The subscription’s allocation rules, by reference (Switchyard)', ok: [200, 'AllocationRule[]'], errors: [401] },
  { method: 'post', path: '/allocationrules', summary: 'Create an allocation rule (Switchyard)', body: AllocationRuleRequest, ok: [201, 'AllocationRule; Location header'], errors: [400, 401, 409] },
  { method: 'get', path: '/allocationrules/{rule}', summary: 'Get an allocation rule (Switchyard)', ok: [200, 'AllocationRule'], errors: [401, 404] },
  { method: 'put', path: '/allocationrules/{rule}', summary: 'Replace an allocation rule (Switchyard)', body: AllocationRuleRequest, ok: [200, 'AllocationRule'], errors: [400, 401, 404] },
  { method: 'delete', path: '/allocationrules/{rule}', summary: 'Delete an allocation rule (Switchyard)', ok: [200, 'empty'], errors: [401, 404] },
  { method: 'get', path: '/carrierservices/{service}/tags', summary: 'A service’s allocation-filtering tags for the subscription (Switchyard)', ok: [200, 'string[]'], errors: [401, 404] },
  { method: 'put', path: '/carrierservices/{service}/tags', summary: 'Set the subscription’s own tags for a service (Switchyard)', body: TagList, ok: [200, 'string[] as stored'], errors: [400, 401, 404] },
  { method: 'delete', path: '/carrierservices/{service}/tags', summary: 'Restore the catalogue’s tags for a service (Switchyard)', ok: [200, 'string[]: the catalogue’s tags'], errors: [401, 404] },
  { method: 'get', path: '/serviceGroups', summary: 'Service groups', ok: [200, 'MpdCarrierServiceGroup[]'], errors: [401] },
  { method: 'get', path: '/serviceGroups/summaries', summary: 'Service groups without restriction lists', ok: [200, 'MpdCarrierServiceGroup[]'], errors: [401] },
  { method: 'post', path: '/serviceGroups', summary: 'Create a service group', body: ServiceGroupRequest, ok: [201, 'MpdCarrierServiceGroup; Location header'], errors: [400, 401, 409] },
  { method: 'get', path: '/serviceGroups/{group}', summary: 'Get a service group', ok: [200, 'MpdCarrierServiceGroup'], errors: [401, 404] },
  { method: 'get', path: '/serviceGroups/summary/{group}', summary: 'Get a service group without restriction lists', ok: [200, 'MpdCarrierServiceGroup'], errors: [401, 404] },
  { method: 'get', path: '/serviceGroups/{group}/available', summary: 'Whether a group reference is free to use', ok: [200, 'boolean'], errors: [401] },
  { method: 'put', path: '/serviceGroups/{group}', summary: 'Replace a service group', body: ServiceGroupRequest, ok: [200, 'MpdCarrierServiceGroup'], errors: [400, 401, 404] },
  { method: 'put', path: '/serviceGroups/{group}/enable', summary: 'Switch a service group on', ok: [200, 'MpdCarrierServiceGroup'], errors: [401, 404] },
  { method: 'put', path: '/serviceGroups/{group}/disable', summary: 'Switch a service group off', ok: [200, 'MpdCarrierServiceGroup'], errors: [401, 404] },
  { method: 'delete', path: '/serviceGroups/{group}', summary: 'Delete a service group', ok: [200, 'empty'], errors: [401, 404] },
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
