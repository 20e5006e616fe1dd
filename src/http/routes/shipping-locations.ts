import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  createShippingLocation,
  deleteShippingLocation,
  getShippingLocation,
  isLocationReferenceAvailable,
  listShippingLocations,
  replaceShippingLocation,
} from '../../use-cases/shipping-locations.js';
import { presentShippingLocation } from '../presenters/shipping-location.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { ShippingLocationRequest } from '../../contract/locations.js';
import { send } from '../responses.js';
import { baseUrl, callerOf, type RouteDeps } from '../server.js';

type RefParams = { Params: { reference: string } };

/** Paths match case-insensitively (decisions.md §2), so `/shippinglocations` and `/shippingLocations` are one route. */
export function registerShippingLocationRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  const list = async (req: FastifyRequest, reply: FastifyReply) => {
    const caller = callerOf(req);
    const locations = await listShippingLocations(ctx, caller);
    return send(req, reply, 200, locations.map((l) => presentShippingLocation(l, caller.subscriptionReference)), 'ArrayOfShippingLocation');
  };
  app.get('/shippingLocations', list);
  // We link no locations to accounts: every location of the subscription is assigned to every key of it.
  app.get('/shippingLocations/assigned', list);

  app.get<RefParams>('/shippingLocations/:reference', async (req, reply) => {
    const caller = callerOf(req);
    return send(req, reply, 200, presentShippingLocation(await getShippingLocation(ctx, caller, req.params.reference), caller.subscriptionReference));
  });

  app.get<RefParams>('/shippingLocations/:reference/available', async (req, reply) =>
    send(req, reply, 200, await isLocationReferenceAvailable(ctx, callerOf(req), req.params.reference)),
  );

  app.post('/shippingLocations', async (req, reply) => {
    const caller = callerOf(req);
    const location = await createShippingLocation(ctx, caller, readBody(ShippingLocationRequest, req.body as ParsedBody));
    reply.header('location', `${baseUrl(req, options)}/shippingLocations/${encodeURIComponent(location.reference)}`);
    return send(req, reply, 201, presentShippingLocation(location, caller.subscriptionReference));
  });

  app.put<RefParams>('/shippingLocations/:reference', async (req, reply) => {
    const caller = callerOf(req);
    const location = await replaceShippingLocation(ctx, caller, req.params.reference, readBody(ShippingLocationRequest, req.body as ParsedBody));
    return send(req, reply, 200, presentShippingLocation(location, caller.subscriptionReference));
  });

  app.delete<RefParams>('/shippingLocations/:reference', async (req, reply) => {
    await deleteShippingLocation(ctx, callerOf(req), req.params.reference);
    return reply.code(204).send();
  });
}
