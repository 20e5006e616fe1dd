/**
 * Ready to ship, manifest, dispatch and the customer's manifests (endpoints.md P2-10 … P2-16,
 * decisions.md §11). The list endpoints answer one WithMessage<string> per reference in request
 * order, after unknown references have been answered 404 with nothing changed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Base64Pdf, ManifestFileInfos, ManifestFromQueryResult, WithMessages } from '../../contract/responses.js';
import { DispatchConsignmentsRequest, ManifestConsignmentsRequest, ManifestFromQueryRequest } from '../../contract/manifests.js';
import { ReferenceList } from '../../contract/consignments.js';
import { listManifests, manifestFile } from '../../use-cases/customer-manifests.js';
import { dispatchConsignments } from '../../use-cases/dispatch.js';
import type { ErrorDetail } from '../../use-cases/errors.js';
import { readManifestQuery } from '../../use-cases/input/manifest-query-reader.js';
import { Problems } from '../../use-cases/input/problems.js';
import { manifestConsignments, type ManifestOutcome } from '../../use-cases/manifest-consignments.js';
import { manifestFromQuery } from '../../use-cases/manifest-from-query.js';
import { setNotReadyToShip, setReadyToShip } from '../../use-cases/ready-to-ship.js';
import type { ListTransitionOutcome } from '../../use-cases/transition-list.js';
import { apiLink, consignmentHref } from '../presenters/api-link.js';
import { presentManifestFileInfo } from '../presenters/manifest-file-info.js';
import { withMessage } from '../presenters/with-message.js';
import { readReferenceList } from '../reference-list.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { send } from '../responses.js';
import { documented } from '../route-docs.js';
import { baseUrl, callerOf, type RouteDeps } from '../server.js';
import { typed } from '../xml-codec.js';
import type { TSchema } from '@sinclair/typebox';

const LIST_ROOT = 'ArrayOfWithMessageOfString';

/** The references of a body through its schema, every problem found before anything changes; `pick` finds the list in the body. */
function readReferences(schema: TSchema, req: FastifyRequest, pick: (body: unknown) => { value: unknown; target: string }): string[] {
  const rules = (value: unknown) => {
    const problems: ErrorDetail[] = [];
    const { value: list, target } = pick(value);
    readReferenceList(list, target, problems);
    return problems;
  };
  const { value, target } = pick(readBody(schema, req.body as ParsedBody, rules));
  return readReferenceList(value, target, []);
}

const bareList = (body: unknown) => ({ value: body, target: 'body' });
const inRequest = (body: unknown) => ({ value: (body as { ConsignmentReferences?: unknown } | null)?.ConsignmentReferences, target: 'ConsignmentReferences' });
/** Either form: a bare list, or `{ ConsignmentReferences }`. */
const eitherForm = (body: unknown) => (Array.isArray(body) ? bareList(body) : inRequest(body));

/**
 * In XML the two forms of a dispatch look alike once parsed (an object either way): a bare
 * `ArrayOfstring` has `string` children, the request a `ConsignmentReferences` element. The bare
 * one is handed on as the list it is.
 */
function unwrapXmlList(req: FastifyRequest): void {
  const body = req.body as ParsedBody | undefined;
  if (body?.format !== 'xml' || typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) return;
  const keys = Object.keys(body.value);
  if (keys.length === 1 && keys[0].toLowerCase() === 'string') {
    const items = (body.value as Record<string, unknown>)[keys[0]];
    req.body = { ...body, value: Array.isArray(items) ? items : [items] } satisfies ParsedBody;
  }
}

function transitionEntries(results: ListTransitionOutcome[], success: string, rel: string, base: string): object[] {
  return results.map((r) =>
    r.kind === 'changed' ? withMessage(true, success, r.reference, [apiLink(rel, consignmentHref(base, r.reference))]) : withMessage(false, r.message, r.reference),
  );
}

function manifestEntry(o: ManifestOutcome, base: string): object {
  if (o.kind === 'manifested') return withMessage(true, `Consignment ${o.reference} has been manifested successfully.`, o.reference, [apiLink('Link', consignmentHref(base, o.reference))]);
  return withMessage(false, o.message, o.reference);
}

export function registerManifestRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  app.put('/consignments/setreadytoship', documented({
    summary: 'Allocated → ReadyToShip', body: ReferenceList, ok: [200, 'WithMessage<string>[] in request order'], response: WithMessages, errors: [400, 401, 404],
  }), async (req, reply) => {
    const results = await setReadyToShip(ctx, callerOf(req), readReferences(ReferenceList, req, bareList));
    return send(req, reply, 200, transitionEntries(results, 'Consignment marked as Ready To Ship completed successfully', 'detail', baseUrl(req, options)), LIST_ROOT);
  });

  app.put('/consignments/setnotreadytoship', documented({
    summary: 'ReadyToShip → Allocated', body: ReferenceList, ok: [200, 'WithMessage<string>[] in request order'], response: WithMessages, errors: [400, 401, 404],
  }), async (req, reply) => {
    const results = await setNotReadyToShip(ctx, callerOf(req), readReferences(ReferenceList, req, bareList));
    return send(req, reply, 200, transitionEntries(results, 'Consignment set back to Allocated from Ready To Ship completed successfully', 'detail', baseUrl(req, options)), LIST_ROOT);
  });

  app.put('/consignments/manifest', documented({
    summary: 'Manifest consignments with their carriers (grouped by carrier, shipping location and collection day)',
    body: ManifestConsignmentsRequest,
    ok: [200, 'WithMessage<string>[] in request order'], response: WithMessages,
    errors: [400, 401, 404],
  }), async (req, reply) => {
    const outcomes = await manifestConsignments(ctx, callerOf(req), readReferences(ManifestConsignmentsRequest, req, inRequest));
    const base = baseUrl(req, options);
    return send(req, reply, 200, outcomes.map((o) => manifestEntry(o, base)), LIST_ROOT);
  });

  const fromQuery = documented({
    summary: 'Manifest every consignment matching a query (done before the answer)',
    body: ManifestFromQueryRequest,
    ok: [200, '{ Message, FailedConsignments }'],
    response: ManifestFromQueryResult,
    errors: [400, 401],
  });
  const manifestMatching = async (req: FastifyRequest, reply: FastifyReply) => {
    // The reader's checks run beside the schema's, so that one 400 lists every problem.
    const rules = (value: unknown) => {
      const problems = new Problems();
      readManifestQuery((value ?? {}) as ManifestFromQueryRequest, problems);
      return problems.list;
    };
    const query = readManifestQuery(readBody(ManifestFromQueryRequest, req.body as ParsedBody, rules), new Problems());
    const result = await manifestFromQuery(ctx, callerOf(req), query);
    const message = `Query found ${result.found} consignment(s). ${result.manifested} successfully queued to manifest. ${result.failed.length} failed to be added to the queue`;
    return send(req, reply, 200, typed('ManifestFromQueryResponse', { Message: message, FailedConsignments: result.failed }));
  };
  app.post('/consignments/manifestFromQuery', fromQuery, manifestMatching);
  app.put('/consignments/manifestFromQuery', fromQuery, manifestMatching);

  app.put('/consignments/dispatch', documented({
    summary: 'Manifested → Dispatched (a bare list of references, or { ConsignmentReferences })',
    body: DispatchConsignmentsRequest,
    ok: [200, 'WithMessage<string>[] in request order'], response: WithMessages,
    errors: [400, 401, 404],
  }), async (req, reply) => {
    unwrapXmlList(req);
    const results = await dispatchConsignments(ctx, callerOf(req), readReferences(DispatchConsignmentsRequest, req, eitherForm));
    return send(req, reply, 200, transitionEntries(results, 'Consignment dispatch completed successfully', 'Link', baseUrl(req, options)), LIST_ROOT);
  });

  app.get<{ Querystring: { shippingLocationReference?: unknown } }>('/consignments/customer/manifests', documented({
    summary: 'List manifest files (optionally of one shipping location: ?shippingLocationReference=)',
    query: { shippingLocationReference: { description: 'Only the manifests of this shipping location (any case)' } },
    ok: [200, 'ManifestFileInfo[], newest first'], response: ManifestFileInfos, errors: [401, 404],
  }), async (req, reply) => {
    const raw = Object.entries(req.query as Record<string, unknown>).find(([k]) => k.toLowerCase() === 'shippinglocationreference')?.[1];
    const location = typeof raw === 'string' && raw.trim() ? raw.trim() : null;
    const manifests = await listManifests(ctx, callerOf(req), location);
    return send(req, reply, 200, manifests.map(presentManifestFileInfo), 'ArrayOfManifestFileInfo');
  });

  app.get<{ Params: { manifestReference: string } }>('/consignments/customer/manifest/:manifestReference', documented({
    summary: 'Download a manifest file: the PDF as a base64 string (raw bytes with Accept: application/pdf)',
    params: { manifestReference: { description: 'Manifest reference (32 hex digits)' } },
    ok: [200, 'base64 string, or the PDF itself'],
    response: Base64Pdf,
    errors: [401, 404],
    files: ['application/pdf'],
  }), async (req, reply) => {
    const { pdf } = await manifestFile(ctx, callerOf(req), req.params.manifestReference);
    if (req.negotiated.format === 'file') return reply.code(200).type('application/pdf').send(pdf);
    return send(req, reply, 200, pdf.toString('base64'));
  });
}
