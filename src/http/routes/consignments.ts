import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiLinks, Consignment, ConsignmentAuditMessages, ConsignmentStatus, WithMessages } from '../../contract/responses.js';
import { createConsignment } from '../../use-cases/create-consignment.js';
import { deallocateConsignment, deallocateList } from '../../use-cases/deallocate.js';
import type { ErrorDetail } from '../../use-cases/errors.js';
import { getConsignment, getConsignmentAudit } from '../../use-cases/get-consignment.js';
import { readReferenceList } from '../reference-list.js';
import { apiLink, consignmentHref } from '../presenters/api-link.js';
import { presentAudit } from '../presenters/audit.js';
import { presentConsignment, presentStatus } from '../presenters/consignment.js';
import { withMessage } from '../presenters/with-message.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { CreateConsignmentRequest, ReferenceList } from '../../contract/consignments.js';
import { noRoute } from '../error-mapper.js';
import { send } from '../responses.js';
import { baseUrl, callerOf, type RouteDeps } from '../server.js';
import { CONSIGNMENT_REFERENCE, documented } from '../route-docs.js';

export type RefParams = { Params: { reference: string } };

/**
 * Words that name SortedPRO endpoints under /consignments/ rather than a consignment (decisions.md
 * §2: literal segments win). Those not built yet are absent routes, not unknown consignments.
 */
const LITERAL_SEGMENTS = new Set([
  'summary', 'count', 'late', 'getconsignmentreferences', 'getconsignmentwithmetadata', 'getconsignmentonly',
  'deallocatelist', 'cancellist', 'manifest', 'manifestfromquery', 'dispatch', 'setreadytoship', 'setnotreadytoship', 'docs', 'customer', 'bulk',
]);

export function consignmentReference(req: FastifyRequest<RefParams>): string {
  if (LITERAL_SEGMENTS.has(req.params.reference.toLowerCase())) throw noRoute(req);
  return req.params.reference;
}

export function registerConsignmentRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  app.post('/consignments', documented({
    summary: 'Create a consignment',
    body: CreateConsignmentRequest,
    ok: [201, 'ApiLink[] to the new consignment; Location header'],
    response: ApiLinks,
    errors: [400, 401, 413, 415],
  }), async (req, reply) => {
    const body = readBody(CreateConsignmentRequest, req.body as ParsedBody);
    const consignment = await createConsignment(ctx, callerOf(req), body);
    const href = consignmentHref(baseUrl(req, options), consignment.reference);
    reply.header('location', href);
    return send(req, reply, 201, [apiLink('Link', href)]);
  });

  app.put('/consignments/deallocatelist', documented({
    summary: 'Deallocate consignments', body: ReferenceList, ok: [200, 'WithMessage<string>[] in request order'], response: WithMessages, errors: [400, 401],
  }), async (req, reply) => {
    const listProblems = (value: unknown) => {
      const problems: ErrorDetail[] = [];
      readReferenceList(value, 'body', problems);
      return problems;
    };
    const references = readReferenceList(readBody(ReferenceList, req.body as ParsedBody, listProblems), 'body', []);
    const results = await deallocateList(ctx, callerOf(req), references);
    const entries = results.map((r) => (r.kind === 'deallocated' ? withMessage(true, 'Consignment deallocation completed successfully', r.reference) : withMessage(false, r.message, r.reference)));
    return send(req, reply, 200, entries, 'ArrayOfWithMessageOfString');
  });

  app.get<RefParams>('/consignments/:reference', documented({
    summary: 'Get a consignment', params: CONSIGNMENT_REFERENCE, ok: [200, 'Consignment'], response: Consignment, errors: [401, 404],
  }), async (req, reply) => {
    const consignment = await getConsignment(ctx, callerOf(req), consignmentReference(req));
    return send(req, reply, 200, presentConsignment(consignment));
  });

  app.get<RefParams>('/consignments/:reference/status', documented({
    summary: 'Get a consignment’s state and expected delivery date', params: CONSIGNMENT_REFERENCE, ok: [200, 'ConsignmentStatusResponse'], response: ConsignmentStatus, errors: [401, 404],
  }), async (req, reply) => {
    const consignment = await getConsignment(ctx, callerOf(req), consignmentReference(req));
    return send(req, reply, 200, presentStatus(consignment, baseUrl(req, options)));
  });

  app.get<RefParams>('/consignments/:reference/audit', documented({
    summary: 'Get a consignment’s audit trail (Switchyard)', params: CONSIGNMENT_REFERENCE, ok: [200, 'ConsignmentAuditMessage[]'], response: ConsignmentAuditMessages, errors: [401, 404],
  }), async (req, reply) => {
    const { consignment, events } = await getConsignmentAudit(ctx, callerOf(req), consignmentReference(req));
    return send(req, reply, 200, presentAudit(consignment, events), 'ArrayOfConsignmentAuditMessage');
  });

  app.put<RefParams>('/consignments/:reference/deallocate', documented({
    summary: 'Deallocate a consignment', params: CONSIGNMENT_REFERENCE, ok: [200, 'empty'], errors: [401, 404, 409],
  }), async (req, reply) => {
    await deallocateConsignment(ctx, callerOf(req), consignmentReference(req));
    return reply.code(200).send();
  });
}
