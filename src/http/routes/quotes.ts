/** Quotes (endpoints.md P1-17..P1-20). */
import type { FastifyInstance } from 'fastify';
import { getQuoteResult, quoteAdHoc, quoteConsignment, quoteServiceGroups } from '../../use-cases/quotes.js';
import { presentGroupQuotes, presentQuoteResult } from '../presenters/quote.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { CreateConsignmentRequest } from '../../contract/consignments.js';
import { noRoute } from '../error-mapper.js';
import { send } from '../responses.js';
import { callerOf, type RouteDeps } from '../server.js';

export function registerQuoteRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  app.post('/quotes', async (req, reply) => {
    const result = await quoteAdHoc(ctx, callerOf(req), readBody(CreateConsignmentRequest, req.body as ParsedBody));
    return send(req, reply, 201, presentQuoteResult(result, ctx.catalogue));
  });

  app.post('/quotes/serviceGroups', async (req, reply) => {
    const answers = await quoteServiceGroups(ctx, callerOf(req), readBody(CreateConsignmentRequest, req.body as ParsedBody));
    return send(req, reply, 200, answers.map((a) => presentGroupQuotes(a.group, a.result, ctx.catalogue)), 'ArrayOfServiceGroupQuoteResult');
  });

  app.get<{ Params: { reference: string } }>('/quotes/consignment/:reference', async (req, reply) => {
    const result = await quoteConsignment(ctx, callerOf(req), req.params.reference);
    return send(req, reply, 200, presentQuoteResult(result, ctx.catalogue));
  });

  app.get<{ Params: { reference: string } }>('/quotes/:reference', async (req, reply) => {
    if (req.params.reference.toLowerCase() === 'servicegroups' || req.params.reference.toLowerCase() === 'consignment') throw noRoute(req);
    const result = await getQuoteResult(ctx, callerOf(req), req.params.reference.trim());
    return send(req, reply, 200, presentQuoteResult(result, ctx.catalogue));
  });
}
