/** Quotes (endpoints.md P1-17..P1-20). */
import type { FastifyInstance } from 'fastify';
import { QuoteResult, ServiceGroupQuoteResults } from '../../contract/responses.js';
import { getQuoteResult, quoteAdHoc, quoteConsignment, quoteServiceGroups } from '../../use-cases/quotes.js';
import { presentGroupQuotes, presentQuoteResult } from '../presenters/quote.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { CreateConsignmentRequest } from '../../contract/consignments.js';
import { noRoute } from '../error-mapper.js';
import { send } from '../responses.js';
import { callerOf, type RouteDeps } from '../server.js';
import { CONSIGNMENT_REFERENCE, documented } from '../route-docs.js';

export function registerQuoteRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  app.post('/quotes', documented({
    summary: 'Quotes for a consignment not yet created', body: CreateConsignmentRequest, ok: [201, 'QuoteResult'], response: QuoteResult, errors: [400, 401],
  }), async (req, reply) => {
    const result = await quoteAdHoc(ctx, callerOf(req), readBody(CreateConsignmentRequest, req.body as ParsedBody));
    return send(req, reply, 201, presentQuoteResult(result, ctx.catalogue));
  });

  app.post('/quotes/serviceGroups', documented({
    summary: 'Quotes per enabled service group', body: CreateConsignmentRequest, ok: [200, 'service-group quote results'], response: ServiceGroupQuoteResults, errors: [400, 401],
  }), async (req, reply) => {
    const answers = await quoteServiceGroups(ctx, callerOf(req), readBody(CreateConsignmentRequest, req.body as ParsedBody));
    return send(req, reply, 200, answers.map((a) => presentGroupQuotes(a.group, a.result, ctx.catalogue)), 'ArrayOfServiceGroupQuoteResult');
  });

  app.get<{ Params: { reference: string } }>('/quotes/consignment/:reference', documented({
    summary: 'Quotes for a stored consignment', params: CONSIGNMENT_REFERENCE, ok: [200, 'QuoteResult'], response: QuoteResult, errors: [401, 404],
  }), async (req, reply) => {
    const result = await quoteConsignment(ctx, callerOf(req), req.params.reference);
    return send(req, reply, 200, presentQuoteResult(result, ctx.catalogue));
  });

  app.get<{ Params: { reference: string } }>('/quotes/:reference', documented({
    summary: 'A stored quote result while it is valid', params: { reference: { name: 'quoteRequest' } }, ok: [200, 'QuoteResult'], response: QuoteResult, errors: [400, 401, 404],
  }), async (req, reply) => {
    if (req.params.reference.toLowerCase() === 'servicegroups' || req.params.reference.toLowerCase() === 'consignment') throw noRoute(req);
    const result = await getQuoteResult(ctx, callerOf(req), req.params.reference.trim());
    return send(req, reply, 200, presentQuoteResult(result, ctx.catalogue));
  });
}
