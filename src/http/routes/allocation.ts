import type { FastifyInstance } from 'fastify';
import { allocateWithCarrierService } from '../../use-cases/allocate.js';
import { requireEnabledService } from '../../use-cases/carrier-services.js';
import { readReferenceList } from '../../use-cases/reference-list.js';
import { validationFailed, type ErrorDetail } from '../../use-cases/errors.js';
import { presentAllocationOutcome } from '../presenters/allocation-summary.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { AllocateWithCarrierServiceRequest } from '../schemas.js';
import { baseUrl, callerOf, sendList, type RouteDeps } from '../server.js';

function readServiceReference(value: unknown, problems: ErrorDetail[]): string {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    problems.push({ Code: 'Required', Target: 'MpdCarrierServiceReference', Message: 'MpdCarrierServiceReference is required' });
    return '';
  }
  if (typeof value !== 'string') {
    problems.push({ Code: 'Invalid', Target: 'MpdCarrierServiceReference', Message: 'MpdCarrierServiceReference must be a string' });
    return '';
  }
  return value.trim();
}

export function registerAllocationRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  app.put('/allocation/allocatewithcarrierservice', async (req, reply) => {
    const body = readBody(AllocateWithCarrierServiceRequest, req.body as ParsedBody);
    const problems: ErrorDetail[] = [];
    const serviceReference = readServiceReference(body.MpdCarrierServiceReference, problems);
    const references = readReferenceList(body.ConsignmentReferences, 'ConsignmentReferences', problems);
    if (problems.length) throw validationFailed(problems);
    const caller = callerOf(req);
    const service = requireEnabledService(ctx, caller, serviceReference);
    const outcomes = allocateWithCarrierService(ctx, caller, service, references);
    const base = baseUrl(req, options);
    return sendList(req, reply, 200, outcomes, (o) => presentAllocationOutcome(o, base), 'ArrayOfAllocationSummary');
  });
}
