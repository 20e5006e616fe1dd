import type { FastifyInstance } from 'fastify';
import { allocateWithCarrierService } from '../../use-cases/allocate.js';
import { requireEnabledService } from '../../use-cases/carrier-services.js';
import type { ErrorDetail } from '../../use-cases/errors.js';
import { presentAllocationOutcome } from '../presenters/allocation-summary.js';
import { readReferenceList, readRequiredReference } from '../reference-list.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { AllocateWithCarrierServiceRequest } from '../schemas.js';
import { baseUrl, callerOf, sendList, type RouteDeps } from '../server.js';

/** The allocation body's service reference and de-duplicated consignment references, with every problem found. */
function readAllocationRequest(value: unknown): { serviceReference: string; references: string[]; problems: ErrorDetail[] } {
  const body = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const problems: ErrorDetail[] = [];
  const serviceReference = readRequiredReference(body.MpdCarrierServiceReference, 'MpdCarrierServiceReference', problems);
  const references = readReferenceList(body.ConsignmentReferences, 'ConsignmentReferences', problems);
  return { serviceReference, references, problems };
}

export function registerAllocationRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  app.put('/allocation/allocatewithcarrierservice', async (req, reply) => {
    const body = readBody(AllocateWithCarrierServiceRequest, req.body as ParsedBody, (value) => readAllocationRequest(value).problems);
    const { serviceReference, references } = readAllocationRequest(body);
    const caller = callerOf(req);
    const service = requireEnabledService(ctx, caller, serviceReference);
    const outcomes = allocateWithCarrierService(ctx, caller, service, references);
    const base = baseUrl(req, options);
    return sendList(req, reply, 200, outcomes, (o) => presentAllocationOutcome(o, base), 'ArrayOfAllocationSummary');
  });
}
