/** Searching, counting and the other consignment reads (endpoints.md P1-32 to P1-37). */
import type { FastifyInstance } from 'fastify';
import { Consignment, ConsignmentWithoutMetaData, Count, MatchingConsignments, References, StateSummary } from '../../contract/responses.js';
import { getConsignment } from '../../use-cases/get-consignment.js';
import { countConsignments, searchConsignments, searchReferences, summariseStates } from '../../use-cases/search-consignments.js';
import { createdBounds, readReferencesRequest, readSearchCriteria, readSearchRequest } from '../consignment-search-query.js';
import { presentConsignment } from '../presenters/consignment.js';
import { presentMatchingConsignments, presentStateSummary } from '../presenters/consignment-summary.js';
import { presentConsignmentWithoutMetaData } from '../presenters/consignment-without-metadata.js';
import { send } from '../responses.js';
import { baseUrl, callerOf, type RouteDeps } from '../server.js';
import type { RefParams } from './consignments.js';
import { CONSIGNMENT_REFERENCE, documented } from '../route-docs.js';

export function registerConsignmentSearchRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  app.get<{ Params: { take: string; skip: string } }>('/consignments/:take/:skip', documented({
    summary: 'Search consignments (criteria in the query string), newest first',
    ok: [200, 'MatchingConsignmentsResponse { Count (every match), ConsignmentSummaries }'],
    response: MatchingConsignments,
    errors: [400, 401],
  }), async (req, reply) => {
    const { search, take, skip } = readSearchRequest(req.params.take, req.params.skip, req.query);
    const page = await searchConsignments(ctx, callerOf(req), search, take, skip);
    return send(req, reply, 200, presentMatchingConsignments(page.count, page.consignments, baseUrl(req, options)));
  });

  app.get('/consignments/getConsignmentReferences', documented({
    summary: 'Search consignments, references only (at most 10,000; pageSize/startPage page)', ok: [200, 'string[]'], response: References, errors: [400, 401],
  }), async (req, reply) => {
    const { search, take, skip } = readReferencesRequest(req.query);
    return send(req, reply, 200, await searchReferences(ctx, callerOf(req), search, take, skip), 'ArrayOfstring');
  });

  app.get('/consignments/summary', documented({
    summary: 'Consignments per state, optionally by created date (startFrom, endAt)', ok: [200, 'ConsignmentStateSummaryResponse'], response: StateSummary, errors: [400, 401],
  }), async (req, reply) => {
    const search = readSearchCriteria(req.query);
    const { from, to } = createdBounds(search);
    return send(req, reply, 200, presentStateSummary(await summariseStates(ctx, callerOf(req), search), from, to));
  });

  app.get('/consignments/count', documented({
    summary: 'Number of consignments (in a state, with ?state=)', ok: [200, 'int'], response: Count, errors: [400, 401],
  }), async (req, reply) => {
    return send(req, reply, 200, await countConsignments(ctx, callerOf(req), readSearchCriteria(req.query)));
  });

  app.get<RefParams>('/consignments/getconsignmentwithmetadata/:reference', documented({
    summary: 'Get a consignment with its metadata', params: CONSIGNMENT_REFERENCE, ok: [200, 'Consignment'], response: Consignment, errors: [401, 404],
  }), async (req, reply) => {
    return send(req, reply, 200, presentConsignment(await getConsignment(ctx, callerOf(req), req.params.reference)));
  });

  app.get<RefParams>('/consignments/getconsignmentonly/:reference', documented({
    summary: 'Get a consignment without metadata', params: CONSIGNMENT_REFERENCE, ok: [200, 'Consignment (MetaData null)'], response: ConsignmentWithoutMetaData, errors: [401, 404],
  }), async (req, reply) => {
    return send(req, reply, 200, presentConsignmentWithoutMetaData(await getConsignment(ctx, callerOf(req), req.params.reference)));
  });
}
