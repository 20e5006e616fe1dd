import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Available, ShippingLocation, ShippingLocations } from '../../contract/responses.js';
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
import { documented } from '../route-docs.js';

type RefParams = { Params: { reference: string } };

/** Paths match case-insensitively (decisions.md §2), so `/shippinglocations` and `/shippingLocations` are one route. */
export function registerShippingLocationRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  const list = async (req: FastifyRequest, reply: FastifyReply) => {
    const caller = callerOf(req);
    const locations = await listShippingLocations(ctx, caller);
    return send(req, reply, 200, locations.map((l) => presentShippingLocation(l, caller.subscriptionReference)), 'ArrayOfShippingLocation');
  };
  app.get('/shippingLocations', documented({
    summary: 'The subscription’s shipping locations, by name', ok: [200, 'ShippingLocation[]'], response: ShippingLocations, errors: [401],
  }), list);
  // We link no locations to accounts: every location of the subscription is assigned to every key of it.
  app.get('/shippingLocations/assigned', documented({
    summary: 'Shipping locations assigned to the caller (all of the subscription’s)', ok: [200, 'ShippingLocation[]'], response: ShippingLocations, errors: [401],
  }), list);

  app.get<RefParams>('/shippingLocations/:reference', documented({
    summary: 'Get a shipping location', params: { reference: { name: 'shippingLocationReference' } }, ok: [200, 'ShippingLocation'], response: ShippingLocation, errors: [401, 404],
  }), async (req, reply) => {
    const caller = callerOf(req);
    return send(req, reply, 200, presentShippingLocation(await getShippingLocation(ctx, caller, req.params.reference), caller.subscriptionReference));
  });

  app.get<RefParams>('/shippingLocations/:reference/available', documented({
    summary: 'Whether a new shipping location could take this reference',
    params: { reference: { name: 'shippingLocationReference' } },
    ok: [200, 'boolean'],
    response: Available,
    errors: [401],
  }), async (req, reply) =>
    send(req, reply, 200, await isLocationReferenceAvailable(ctx, callerOf(req), req.params.reference)),
  );

  app.post('/shippingLocations', documented({
    summary: 'Create a shipping location (Switchyard)', body: ShippingLocationRequest, ok: [201, 'ShippingLocation; Location header'], response: ShippingLocation, errors: [400, 401, 409],
  }), async (req, reply) => {
    const caller = callerOf(req);
    const location = await createShippingLocation(ctx, caller, readBody(ShippingLocationRequest, req.body as ParsedBody));
    reply.header('location', `${baseUrl(req, options)}/shippingLocations/${encodeURIComponent(location.reference)}`);
    return send(req, reply, 201, presentShippingLocation(location, caller.subscriptionReference));
  });

  app.put<RefParams>('/shippingLocations/:reference', documented({
    summary: 'Replace a shipping location (Switchyard)',
    body: ShippingLocationRequest,
    params: { reference: { name: 'shippingLocationReference' } },
    ok: [200, 'ShippingLocation'],
    response: ShippingLocation,
    errors: [400, 401, 404],
  }), async (req, reply) => {
    const caller = callerOf(req);
    const location = await replaceShippingLocation(ctx, caller, req.params.reference, readBody(ShippingLocationRequest, req.body as ParsedBody));
    return send(req, reply, 200, presentShippingLocation(location, caller.subscriptionReference));
  });

  app.delete<RefParams>('/shippingLocations/:reference', documented({
    summary: 'Delete a shipping location no consignment awaiting allocation uses (Switchyard)',
    params: { reference: { name: 'shippingLocationReference' } },
    ok: [204, 'deleted'],
    errors: [401, 404, 409],
  }), async (req, reply) => {
    await deleteShippingLocation(ctx, callerOf(req), req.params.reference);
    return reply.code(204).send();
  });
}
