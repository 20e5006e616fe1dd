import type { FastifyInstance } from 'fastify';
import { canonicalReference } from '../../domain/references.js';
import { createConsignment } from '../../use-cases/create-consignment.js';
import { deallocateConsignment, deallocateList } from '../../use-cases/deallocate.js';
import { readReferenceList } from '../../use-cases/reference-list.js';
import { ApiError, validationFailed, type ErrorDetail } from '../api-error.js';
import { apiLink, consignmentHref } from '../presenters/api-link.js';
import { presentConsignment, presentStatus } from '../presenters/consignment.js';
import { withMessage } from '../presenters/with-message.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { CreateConsignmentRequest, ReferenceList } from '../schemas.js';
import { baseUrl, callerOf, send, type RouteDeps } from '../server.js';
import type { AppContext, Caller } from '../../use-cases/app-context.js';

type RefParams = { Params: { reference: string } };

async function findConsignment(ctx: AppContext, caller: Caller, reference: string) {
  const ref = canonicalReference(reference);
  const consignment = await ctx.consignments.findByReference(caller.subscriptionId, ref);
  if (!consignment) {
    throw new ApiError('ConsignmentNotFound', `Consignment ${ref} not found`, [{ Code: 'NotFound', Target: 'consignmentReference', Message: `No consignment ${ref} exists for this subscription` }]);
  }
  return consignment;
}

export function registerConsignmentRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  app.post('/consignments', async (req, reply) => {
    const body = readBody(CreateConsignmentRequest, req.body as ParsedBody);
    const consignment = await createConsignment(ctx, callerOf(req), body);
    const href = consignmentHref(baseUrl(req, options), consignment.reference);
    reply.header('location', href);
    return send(req, reply, 201, [apiLink('Link', href)]);
  });

  app.put('/consignments/deallocatelist', async (req, reply) => {
    const body = readBody(ReferenceList, req.body as ParsedBody);
    const problems: ErrorDetail[] = [];
    const references = readReferenceList(body, 'body', problems);
    if (problems.length) throw validationFailed(problems);
    const results = await deallocateList(ctx, callerOf(req), references);
    return send(
      req,
      reply,
      200,
      results.map((r) => withMessage(r.ok, r.ok ? 'Consignment deallocation completed successfully' : r.message, r.reference)),
      'ArrayOfWithMessageOfString',
    );
  });

  app.get<RefParams>('/consignments/:reference', async (req, reply) => {
    const consignment = await findConsignment(ctx, callerOf(req), req.params.reference);
    return send(req, reply, 200, presentConsignment(consignment));
  });

  app.get<RefParams>('/consignments/:reference/status', async (req, reply) => {
    const consignment = await findConsignment(ctx, callerOf(req), req.params.reference);
    return send(req, reply, 200, presentStatus(consignment, baseUrl(req, options)));
  });

  app.get<RefParams>('/consignments/:reference/audit', async (req, reply) => {
    const consignment = await findConsignment(ctx, callerOf(req), req.params.reference);
    const events = await ctx.consignments.events(consignment.id);
    return send(
      req,
      reply,
      200,
      events.map((e) => ({ Timestamp: e.at, ConsignmentReference: consignment.reference, Action: e.action, FromState: e.from_state, ToState: e.to_state, Message: e.message })),
      'ArrayOfConsignmentAuditMessage',
    );
  });

  app.put<RefParams>('/consignments/:reference/deallocate', async (req, reply) => {
    await deallocateConsignment(ctx, callerOf(req), canonicalReference(req.params.reference));
    return reply.code(200).send();
  });
}
