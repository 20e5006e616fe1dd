/** Updating, adding and deleting packages, and cancelling (endpoints.md P1-12 to P1-16). */
import type { FastifyInstance } from 'fastify';
import { ApiLinks, Package, WithMessages } from '../../contract/responses.js';
import { cancelConsignment, cancelList } from '../../use-cases/cancel-consignment.js';
import { addPackage, deletePackage, updateConsignment } from '../../use-cases/edit-consignment.js';
import type { ErrorDetail } from '../../use-cases/errors.js';
import { apiLink, consignmentHref } from '../presenters/api-link.js';
import { presentPackage } from '../presenters/consignment.js';
import { withMessage } from '../presenters/with-message.js';
import { readReferenceList, readRequiredReference } from '../reference-list.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { ReferenceList, UpdateConsignmentRequest, UpdatePackageRequest } from '../../contract/consignments.js';
import { send } from '../responses.js';
import { baseUrl, callerOf, type RouteDeps } from '../server.js';
import { consignmentReference, type RefParams } from './consignments.js';
import { CONSIGNMENT_REFERENCE, documented } from '../route-docs.js';

/** The update's Reference: required, and a string. */
function readUpdateReference(value: unknown, problems: ErrorDetail[]): string {
  const body = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return readRequiredReference(body.Reference, 'Reference', problems);
}

export function registerConsignmentChangeRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  app.put('/consignments', documented({
    summary: 'Update (replace) a consignment’s details while Unallocated or AllocationFailed',
    body: UpdateConsignmentRequest,
    ok: [200, 'ApiLink[] to the consignment'],
    response: ApiLinks,
    errors: [400, 401, 404, 409],
  }), async (req, reply) => {
    const body = readBody(UpdateConsignmentRequest, req.body as ParsedBody, (value) => {
      const problems: ErrorDetail[] = [];
      readUpdateReference(value, problems);
      return problems;
    });
    const consignment = await updateConsignment(ctx, callerOf(req), { ...body, Reference: readUpdateReference(body, []) });
    return send(req, reply, 200, [apiLink('Link', consignmentHref(baseUrl(req, options), consignment.reference))]);
  });

  app.post<RefParams>('/consignments/:reference/addpackage', documented({
    summary: 'Add a package', body: UpdatePackageRequest, params: CONSIGNMENT_REFERENCE, ok: [201, 'Package'], response: Package, errors: [400, 401, 404, 409],
  }), async (req, reply) => {
    const reference = consignmentReference(req);
    const body = readBody(UpdatePackageRequest, req.body as ParsedBody);
    const { consignment, package: added } = await addPackage(ctx, callerOf(req), reference, body);
    return send(req, reply, 201, presentPackage(added, consignment.data.packages.length - 1, []));
  });

  app.delete<{ Params: { packageReference: string } }>('/packages/:packageReference', documented({
    summary: 'Delete a package (not the last one)', ok: [200, 'empty'], errors: [401, 404, 409],
  }), async (req, reply) => {
    await deletePackage(ctx, callerOf(req), req.params.packageReference);
    return reply.code(200).send();
  });

  app.put<RefParams>('/consignments/:reference/cancel', documented({
    summary: 'Cancel a consignment', params: CONSIGNMENT_REFERENCE, ok: [200, 'empty'], errors: [401, 404, 409],
  }), async (req, reply) => {
    await cancelConsignment(ctx, callerOf(req), consignmentReference(req));
    return reply.code(200).send();
  });

  app.put('/consignments/cancellist', documented({
    summary: 'Cancel consignments', body: ReferenceList, ok: [200, 'WithMessage<string>[] in request order'], response: WithMessages, errors: [400, 401],
  }), async (req, reply) => {
    const listProblems = (value: unknown) => {
      const problems: ErrorDetail[] = [];
      readReferenceList(value, 'body', problems);
      return problems;
    };
    const references = readReferenceList(readBody(ReferenceList, req.body as ParsedBody, listProblems), 'body', []);
    const results = await cancelList(ctx, callerOf(req), references);
    const entries = results.map((r) => (r.kind === 'cancelled' ? withMessage(true, 'Consignment cancellation completed successfully', r.reference) : withMessage(false, r.message, r.reference)));
    return send(req, reply, 200, entries, 'ArrayOfWithMessageOfString');
  });
}
