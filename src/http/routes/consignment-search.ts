/** Searching, counting and the other consignment reads (endpoints.md P1-32 to P1-37). */
import type { FastifyInstance } from 'fastify';
import { CarrierSummary, Consignment, ConsignmentWithoutMetaData, Count, MatchingConsignments, References, StateSummary } from '../../contract/responses.js';
import { getConsignment } from '../../use-cases/get-consignment.js';
import { countConsignments, searchConsignments, searchReferences, summariseCarriers, summariseStates } from '../../use-cases/search-consignments.js';
import { createdBounds, ORDER_BY_DOCS, readReferencesRequest, readSearchCriteria, readSearchRequest, REFERENCES_PAGING_DOCS, SEARCH_CRITERIA_DOCS } from '../consignment-search-query.js';
import { presentConsignment } from '../presenters/consignment.js';
import { presentCarriersSummary, presentMatchingConsignments, presentStateSummary } from '../presenters/consignment-summary.js';
import { presentConsignmentWithoutMetaData } from '../presenters/consignment-without-metadata.js';
import { send } from '../responses.js';
import { baseUrl, callerOf, type RouteDeps } from '../server.js';
import type { RefParams } from './consignments.js';
import { CONSIGNMENT_REFERENCE, documented } from '../route-docs.js';

export function registerConsignmentSearchRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  app.get<{ Params: { take: string; skip: string } }>('/consignments/:take/:skip', documented({
    summary: 'Search consignments (criteria in the query string), newest first or by orderBy (Switchyard: created, shippingDate, reference, customerReference, state, destinationCountry, service; - for descending)',
    query: { ...SEARCH_CRITERIA_DOCS, ...ORDER_BY_DOCS },
    ok: [200, 'MatchingConsignmentsResponse { Count (every match), ConsignmentSummaries }'],
    response: MatchingConsignments,
    errors: [400, 401],
  }), async (req, reply) => {
    const { search, order, take, skip } = readSearchRequest(req.params.take, req.params.skip, req.query);
    const page = await searchConsignments(ctx, callerOf(req), search, take, skip, order);
    return send(req, reply, 200, presentMatchingConsignments(page.count, page.consignments, baseUrl(req, options)));
  });

  app.get('/consignments/getConsignmentReferences', documented({
    summary: 'Search consignments, references only (at most 10,000; pageSize/startPage page; orderBy as the search, Switchyard)',
    query: { ...SEARCH_CRITERIA_DOCS, ...REFERENCES_PAGING_DOCS, ...ORDER_BY_DOCS },
    ok: [200, 'string[]'], response: References, errors: [400, 401],
  }), async (req, reply) => {
    const { search, order, take, skip } = readReferencesRequest(req.query);
    return send(req, reply, 200, await searchReferences(ctx, callerOf(req), search, take, skip, order), 'ArrayOfstring');
  });

  app.get('/consignments/summary', documented({
    summary: 'Consignments per state, optionally by created date (startFrom, endAt)', query: SEARCH_CRITERIA_DOCS, ok: [200, 'ConsignmentStateSummaryResponse'], response: StateSummary, errors: [400, 401],
  }), async (req, reply) => {
    const search = readSearchCriteria(req.query);
    const { from, to } = createdBounds(search);
    return send(req, reply, 200, presentStateSummary(await summariseStates(ctx, callerOf(req), search), from, to));
  });

  // A literal path: it wins over /consignments/{take}/{skip} and /consignments/{reference}/… (decisions.md §2).
  app.get('/consignments/summary/carriers', documented({
    summary: 'Consignments with an allocation per carrier and state, any search criteria (today’s collections: collectionDateFrom and collectionDateTo) (Switchyard)',
    query: SEARCH_CRITERIA_DOCS,
    ok: [200, 'ConsignmentCarrierSummaryResponse { Carriers [{ CarrierReference, CarrierName, NumberOfConsignments, Summary }], NumberOfConsignments }'],
    response: CarrierSummary,
    errors: [400, 401],
  }), async (req, reply) => {
    return send(req, reply, 200, presentCarriersSummary(await summariseCarriers(ctx, callerOf(req), readSearchCriteria(req.query))));
  });

  app.get('/consignments/count', documented({
    summary: 'Number of consignments (in a state, with ?state=)', query: SEARCH_CRITERIA_DOCS, ok: [200, 'int'], response: Count, errors: [400, 401],
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
