import type { FastifyInstance } from 'fastify';
import { PackageSize, PackageSizes } from '../../contract/responses.js';
import {
  createPackageSize,
  deletePackageSize,
  getDefaultPackageSize,
  getPackageSize,
  listPackageSizes,
  makeDefaultPackageSize,
  replacePackageSize,
} from '../../use-cases/package-sizes.js';
import { presentPackageSize } from '../presenters/package-size.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { PackageSizeRequest } from '../../contract/locations.js';
import { send } from '../responses.js';
import { baseUrl, callerOf, type RouteDeps } from '../server.js';
import { documented } from '../route-docs.js';

type RefParams = { Params: { reference: string } };

/** Paths match case-insensitively (decisions.md §2), so `/packagesizes` and `/packageSizes` are one route. */
export function registerPackageSizeRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  app.get('/packageSizes', documented({
    summary: 'The subscription’s package sizes, by reference', ok: [200, 'PackageSize[]'], response: PackageSizes, errors: [401],
  }), async (req, reply) => {
    const caller = callerOf(req);
    const sizes = await listPackageSizes(ctx, caller);
    return send(req, reply, 200, sizes.map((s) => presentPackageSize(s, caller.subscriptionReference)), 'ArrayOfPackageSize');
  });

  app.get('/packageSizes/default', documented({ summary: 'The default package size', ok: [200, 'PackageSize'], response: PackageSize, errors: [401, 404] }), async (req, reply) => {
    const caller = callerOf(req);
    return send(req, reply, 200, presentPackageSize(await getDefaultPackageSize(ctx, caller), caller.subscriptionReference));
  });

  app.get<RefParams>('/packageSizes/:reference', documented({
    summary: 'Get a package size', params: { reference: { name: 'packageSizeReference' } }, ok: [200, 'PackageSize'], response: PackageSize, errors: [401, 404],
  }), async (req, reply) => {
    const caller = callerOf(req);
    return send(req, reply, 200, presentPackageSize(await getPackageSize(ctx, caller, req.params.reference), caller.subscriptionReference));
  });

  app.post('/packageSizes', documented({
    summary: 'Create a package size (Switchyard)', body: PackageSizeRequest, ok: [201, 'PackageSize; Location header'], response: PackageSize, errors: [400, 401, 409],
  }), async (req, reply) => {
    const caller = callerOf(req);
    const size = await createPackageSize(ctx, caller, readBody(PackageSizeRequest, req.body as ParsedBody));
    reply.header('location', `${baseUrl(req, options)}/packageSizes/${encodeURIComponent(size.reference)}`);
    return send(req, reply, 201, presentPackageSize(size, caller.subscriptionReference));
  });

  app.put<RefParams>('/packageSizes/:reference', documented({
    summary: 'Replace a package size (Switchyard)',
    body: PackageSizeRequest,
    params: { reference: { name: 'packageSizeReference' } },
    ok: [200, 'PackageSize'],
    response: PackageSize,
    errors: [400, 401, 404],
  }), async (req, reply) => {
    const caller = callerOf(req);
    const size = await replacePackageSize(ctx, caller, req.params.reference, readBody(PackageSizeRequest, req.body as ParsedBody));
    return send(req, reply, 200, presentPackageSize(size, caller.subscriptionReference));
  });

  app.put<RefParams>('/packageSizes/:reference/default', documented({
    summary: 'Make a package size the default (Switchyard)',
    params: { reference: { name: 'packageSizeReference' } },
    ok: [200, 'PackageSize'],
    response: PackageSize,
    errors: [401, 404],
  }), async (req, reply) => {
    const caller = callerOf(req);
    return send(req, reply, 200, presentPackageSize(await makeDefaultPackageSize(ctx, caller, req.params.reference), caller.subscriptionReference));
  });

  app.delete<RefParams>('/packageSizes/:reference', documented({
    summary: 'Delete a package size (Switchyard)', params: { reference: { name: 'packageSizeReference' } }, ok: [204, 'deleted'], errors: [401, 404],
  }), async (req, reply) => {
    await deletePackageSize(ctx, callerOf(req), req.params.reference);
    return reply.code(204).send();
  });
}
