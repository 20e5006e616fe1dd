/**
 * Every allocation endpoint (decisions.md §4, §4.10): validation and unknown references first
 * (400 / 404, nothing changed), then 200 with one Allocation Summary per consignment, in request
 * order; single-consignment endpoints answer a one-item array.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allocateConsignments, type AllocationOutcome, type AllocationTarget } from '../../use-cases/allocate.js';
import { defaultRulesTarget, serviceFiltersTarget, serviceGroupTarget } from '../../use-cases/allocation-targets.js';
import type { Caller } from '../../use-cases/app-context.js';
import { requireEnabledService } from '../../use-cases/carrier-services.js';
import type { ErrorDetail } from '../../use-cases/errors.js';
import { AppError, validationFailed } from '../../use-cases/errors.js';
import { allocateWithQuote } from '../../use-cases/quotes.js';
import { dueConsignments, readShipBy } from '../../use-cases/ship-by-date.js';
import { presentAllocationOutcome } from '../presenters/allocation-summary.js';
import { readReferenceList, readRequiredReference } from '../reference-list.js';
import { readBody, type ParsedBody } from '../request-body.js';
import {
  AllocateAllConsignmentsRequest,
  AllocateConsignmentsRequest,
  AllocateWithCarrierServiceRequest,
  AllocateWithServiceFiltersRequest,
  AllocateWithServiceGroupRequest,
  type AllocateWithServiceFiltersRequest as FiltersBody,
} from '../../contract/allocation.js';
import { sendList } from '../responses.js';
import { AllocationSummaries } from '../../contract/responses.js';
import { baseUrl, callerOf, type RouteDeps } from '../server.js';
import type { TSchema } from '@sinclair/typebox';
import { CONSIGNMENT_REFERENCE, documented } from '../route-docs.js';

type Body = Record<string, unknown>;

function asObject(value: unknown): Body {
  return (typeof value === 'object' && value !== null ? value : {}) as Body;
}

/**
 * Reads a body through its schema, then the rules the schema cannot say (required, non-blank,
 * de-duplicated references), one detail per problem, all found before anything changes.
 */
function readRequest<T>(schema: TSchema, req: FastifyRequest, fields: (body: Body, problems: ErrorDetail[]) => T): T {
  const rules = (value: unknown) => {
    const problems: ErrorDetail[] = [];
    fields(asObject(value), problems);
    return problems;
  };
  return fields(asObject(readBody(schema, req.body as ParsedBody, rules)), []);
}

const consignmentReferences = (body: Body, problems: ErrorDetail[]) => readReferenceList(body.ConsignmentReferences, 'ConsignmentReferences', problems);

export function registerAllocationRoutes(app: FastifyInstance, { ctx, options, metrics }: RouteDeps): void {
  const answer = (req: FastifyRequest, reply: FastifyReply, outcomes: AsyncIterable<AllocationOutcome> | Iterable<AllocationOutcome>) => {
    const base = baseUrl(req, options);
    return sendList(req, reply, 200, unlessNothingChanged(outcomes, (o) => metrics.allocation(o.kind)), (o) => presentAllocationOutcome(o, base), 'ArrayOfAllocationSummary');
  };
  const allocate = (req: FastifyRequest, reply: FastifyReply, caller: Caller, target: AllocationTarget, references: string[]) =>
    answer(req, reply, allocateConsignments(ctx, caller, target, references));

  app.put('/allocation/allocatewithcarrierservice', documented({
    summary: 'Allocate consignments to one carrier service',
    body: AllocateWithCarrierServiceRequest,
    ok: [200, 'Allocation Summary[] in request order (StatusCode 200, 409, 422 or 503 each)'],
    response: AllocationSummaries,
    errors: [400, 401, 404, 503],
  }), async (req, reply) => {
    const { service, references } = readRequest(AllocateWithCarrierServiceRequest, req, (body, problems) => ({
      service: readRequiredReference(body.MpdCarrierServiceReference, 'MpdCarrierServiceReference', problems),
      references: consignmentReferences(body, problems),
    }));
    const caller = callerOf(req);
    return allocate(req, reply, caller, { kind: 'service', service: requireEnabledService(ctx, caller, service) }, references);
  });

  app.put('/allocation/allocate', documented({
    summary: 'Allocate consignments by the default rules (cheapest qualifying service)',
    body: AllocateConsignmentsRequest,
    ok: [200, 'Allocation Summary[] in request order'],
    response: AllocationSummaries,
    errors: [400, 401, 404, 503],
  }), async (req, reply) => {
    const references = readRequest(AllocateConsignmentsRequest, req, consignmentReferences);
    const caller = callerOf(req);
    return allocate(req, reply, caller, defaultRulesTarget(ctx, caller), references);
  });

  app.put('/allocation/allocateConsignmentsWithServiceFilters', documented({
    summary: 'Allocate consignments to the cheapest service matching filters',
    body: AllocateWithServiceFiltersRequest,
    ok: [200, 'Allocation Summary[] in request order'],
    response: AllocationSummaries,
    errors: [400, 401, 404, 503],
  }), async (req, reply) => {
    const { references, filters } = readRequest(AllocateWithServiceFiltersRequest, req, (body, problems) => {
      const f = asObject(body.Filters) as NonNullable<FiltersBody['Filters']>;
      return {
        references: consignmentReferences(body, problems),
        filters: { direction: f.ServiceDirection ?? null, includePickUp: f.IsPickup ?? null, includeDropOff: f.IsDropOff ?? null },
      };
    });
    const caller = callerOf(req);
    return allocate(req, reply, caller, serviceFiltersTarget(ctx, caller, filters), references);
  });

  app.put('/allocation/allocateWithServiceGroup', documented({
    summary: 'Allocate consignments to the cheapest service of a group',
    body: AllocateWithServiceGroupRequest,
    ok: [200, 'Allocation Summary[] in request order'],
    response: AllocationSummaries,
    errors: [400, 401, 404, 503],
  }), async (req, reply) => {
    const { group, references } = readRequest(AllocateWithServiceGroupRequest, req, (body, problems) => ({
      group: readRequiredReference(body.MpdCarrierServiceGroupReference, 'MpdCarrierServiceGroupReference', problems),
      references: consignmentReferences(body, problems),
    }));
    const caller = callerOf(req);
    return allocate(req, reply, caller, await serviceGroupTarget(ctx, caller, group), references);
  });

  // The SDK's "allocate everything due" variants: {ShipByDate} is the rest of the path, slashes included.
  type Due = { Params: { '*': string } };
  const dueBody = (req: FastifyRequest) =>
    readRequest(AllocateAllConsignmentsRequest, req, (body) => ({
      shipBy: body.ShipByDate,
      location: typeof body.ShippingLocationReference === 'string' && body.ShippingLocationReference.trim() ? body.ShippingLocationReference.trim() : null,
      service: body.MpdCarrierServiceReference,
      group: body.MpdCarrierServiceGroupReference,
    }));

  app.put<Due>('/allocation/allocate/*', documented({
    summary: 'Allocate every Unallocated consignment due to ship by the date (default rules; the SDK writes the date unencoded, slashes included)',
    params: { '*': { name: 'shipByDate' } },
    ok: [200, 'Allocation Summary[], oldest first'],
    response: AllocationSummaries,
    errors: [400, 401, 503],
  }), async (req, reply) => {
    const problems: ErrorDetail[] = [];
    const shipBy = readShipBy(req.params['*'], undefined, problems);
    if (problems.length) throw validationFailed(problems);
    const caller = callerOf(req);
    const references = await dueConsignments(ctx, caller, shipBy, null);
    return allocate(req, reply, caller, defaultRulesTarget(ctx, caller), references);
  });

  app.put<Due>('/allocation/allocateWithCarrierService/*', documented({
    summary: 'Allocate every consignment due to ship by the date to one service',
    body: AllocateAllConsignmentsRequest,
    params: { '*': { name: 'shipByDate' } },
    ok: [200, 'Allocation Summary[], oldest first'],
    response: AllocationSummaries,
    errors: [400, 401, 404, 503],
  }), async (req, reply) => {
    const body = dueBody(req);
    const problems: ErrorDetail[] = [];
    const serviceReference = readRequiredReference(body.service, 'MpdCarrierServiceReference', problems);
    const shipBy = readShipBy(req.params['*'], body.shipBy, problems);
    if (problems.length) throw validationFailed(problems);
    const caller = callerOf(req);
    const service = requireEnabledService(ctx, caller, serviceReference);
    const references = await dueConsignments(ctx, caller, shipBy, body.location);
    return allocate(req, reply, caller, { kind: 'service', service }, references);
  });

  app.put<Due>('/allocation/allocateWithServiceGroup/*', documented({
    summary: 'Allocate every consignment due to ship by the date within a service group',
    body: AllocateAllConsignmentsRequest,
    params: { '*': { name: 'shipByDate' } },
    ok: [200, 'Allocation Summary[], oldest first'],
    response: AllocationSummaries,
    errors: [400, 401, 404, 503],
  }), async (req, reply) => {
    const body = dueBody(req);
    const problems: ErrorDetail[] = [];
    const groupReference = readRequiredReference(body.group, 'MpdCarrierServiceGroupReference', problems);
    const shipBy = readShipBy(req.params['*'], body.shipBy, problems);
    if (problems.length) throw validationFailed(problems);
    const caller = callerOf(req);
    const target = await serviceGroupTarget(ctx, caller, groupReference);
    const references = await dueConsignments(ctx, caller, shipBy, body.location);
    return allocate(req, reply, caller, target, references);
  });

  type One = { Params: { reference: string } };
  type InGroup = { Params: { reference: string; group: string } };
  type WithQuote = { Params: { reference: string; quote: string } };

  app.put<One>('/allocation/:reference/allocatewithcheapestquote', documented({
    summary: 'Allocate one consignment to the cheapest qualifying service',
    params: CONSIGNMENT_REFERENCE,
    ok: [200, 'Allocation Summary[] (one item)'],
    response: AllocationSummaries,
    errors: [400, 401, 404, 503],
  }), async (req, reply) => {
    const caller = callerOf(req);
    return allocate(req, reply, caller, defaultRulesTarget(ctx, caller), [oneReference(req.params.reference)]);
  });

  app.put<InGroup>('/allocation/:reference/allocatewithservicegroup/:group', documented({
    summary: 'Allocate one consignment to the cheapest service of a group',
    params: CONSIGNMENT_REFERENCE,
    ok: [200, 'Allocation Summary[] (one item)'],
    response: AllocationSummaries,
    errors: [400, 401, 404, 503],
  }), async (req, reply) => {
    const reference = oneReference(req.params.reference);
    const caller = callerOf(req);
    return allocate(req, reply, caller, await serviceGroupTarget(ctx, caller, req.params.group), [reference]);
  });

  app.put<WithQuote>('/allocation/:reference/allocatewithquote/:quote', documented({
    summary: 'Allocate one consignment with a quote, at the quoted price',
    params: CONSIGNMENT_REFERENCE,
    ok: [200, 'Allocation Summary[] (one item)'],
    response: AllocationSummaries,
    errors: [400, 401, 404, 503],
  }), async (req, reply) => {
    const outcomes = await allocateWithQuote(ctx, callerOf(req), oneReference(req.params.reference), req.params.quote.trim());
    return answer(req, reply, outcomes);
  });
}

/**
 * The outcomes as they come; but when every one of them is a carrier that could not be reached,
 * the request changed nothing and answers 503 CarrierUnavailable (one detail per consignment), so
 * that a client treats it as the retryable failure it is. Otherwise each item says its own.
 * `counted` sees each outcome (for /metrics).
 */
async function* unlessNothingChanged(outcomes: AsyncIterable<AllocationOutcome> | Iterable<AllocationOutcome>, counted: (outcome: AllocationOutcome) => void): AsyncGenerator<AllocationOutcome> {
  const unavailable: Extract<AllocationOutcome, { kind: 'carrierUnavailable' }>[] = [];
  let others = 0;
  for await (const outcome of outcomes) {
    counted(outcome);
    if (outcome.kind === 'carrierUnavailable' && unavailable.length < MAX_DETAILS) unavailable.push(outcome);
    else if (outcome.kind !== 'carrierUnavailable') others++;
    yield outcome;
  }
  if (others === 0 && unavailable.length > 0) {
    const carriers = [...new Set(unavailable.map((o) => o.carrierName))].join(', ');
    const message = unavailable.length === 1 ? unavailable[0].description : `No consignment could be allocated: ${carriers} unavailable; nothing was changed, try again later`;
    throw new AppError('CarrierUnavailable', message, unavailable.map((o) => ({ Code: 'CarrierUnavailable', Target: o.reference, Message: o.description })));
  }
}

/** The most consignments a 503 names one by one. */
const MAX_DETAILS = 100;

/** A consignment reference from the path, read as a one-item list would be. */
function oneReference(value: string): string {
  const problems: ErrorDetail[] = [];
  const [reference] = readReferenceList([value], 'consignmentReference', problems);
  if (problems.length) throw validationFailed(problems);
  return reference;
}
