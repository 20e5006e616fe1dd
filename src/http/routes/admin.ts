import type { FastifyInstance } from 'fastify';
import { CarrierCancellations, IssuedSubscription, Subscriptions } from '../../contract/responses.js';
import { createSubscription, listSubscriptions, rotateApiKey, setServiceEnabled, type ApiKeyAuthenticator } from '../../use-cases/subscriptions.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { CreateSubscriptionRequest } from '../../contract/subscriptions.js';
import { send } from '../responses.js';
import { type RouteDeps } from '../server.js';
import { outstandingCancellations } from '../../use-cases/carrier-cancellations.js';
import { presentOutstandingCancellations } from '../presenters/carrier-cancellation.js';
import { presentSubscription } from '../presenters/subscription.js';
import { documented } from '../route-docs.js';

type SubParams = { Params: { reference: string } };
type ServiceParams = { Params: { reference: string; service: string } };

export function registerAdminRoutes(app: FastifyInstance, { ctx }: RouteDeps, authenticator: ApiKeyAuthenticator): void {
  app.post('/admin/subscriptions', documented({
    access: 'admin',
    summary: 'Create a subscription (admin)',
    body: CreateSubscriptionRequest,
    ok: [201, '{ Reference, Name, ApiKey }'],
    response: IssuedSubscription,
    errors: [400, 401, 404],
  }), async (req, reply) => {
    const body = readBody(CreateSubscriptionRequest, req.body as ParsedBody);
    return send(req, reply, 201, presentSubscription(await createSubscription(ctx, body.Name)));
  });

  app.get('/admin/subscriptions', documented({
    access: 'admin', summary: 'List subscriptions (admin)', ok: [200, '[{ Reference, Name }]'], response: Subscriptions, errors: [401, 404],
  }), async (req, reply) =>
    send(req, reply, 200, (await listSubscriptions(ctx)).map(presentSubscription), 'ArrayOfSubscription'),
  );

  app.get('/admin/carriercancellations', documented({
    access: 'admin',
    summary: 'Carrier bookings not yet cancelled: abandoned (cancel them by hand), refused, then pending (admin)',
    ok: [200, '{ Counts: { Pending, Refused, Abandoned }, Cancellations: [...] } (at most 1,000)'],
    response: CarrierCancellations,
    errors: [401, 404],
  }), async (req, reply) => send(req, reply, 200, presentOutstandingCancellations(await outstandingCancellations(ctx))));

  app.post<SubParams>('/admin/subscriptions/:reference/rotatekey', documented({
    access: 'admin',
    summary: 'Issue a new API key (admin)',
    params: { reference: { name: 'subscription' } },
    ok: [200, '{ Reference, Name, ApiKey }'],
    response: IssuedSubscription,
    errors: [401, 404],
  }), async (req, reply) => {
    const issued = await rotateApiKey(ctx, req.params.reference);
    authenticator.forget();
    return send(req, reply, 200, presentSubscription(issued));
  });

  app.put<ServiceParams>('/admin/subscriptions/:reference/services/:service', documented({
    access: 'admin', summary: 'Enable a carrier service (admin)', params: { reference: { name: 'subscription' } }, ok: [204, 'enabled'], errors: [401, 404],
  }), async (req, reply) => {
    await setServiceEnabled(ctx, req.params.reference, req.params.service, true);
    authenticator.forget();
    return reply.code(204).send();
  });

  app.delete<ServiceParams>('/admin/subscriptions/:reference/services/:service', documented({
    access: 'admin', summary: 'Disable a carrier service (admin)', params: { reference: { name: 'subscription' } }, ok: [204, 'disabled'], errors: [401, 404],
  }), async (req, reply) => {
    await setServiceEnabled(ctx, req.params.reference, req.params.service, false);
    authenticator.forget();
    return reply.code(204).send();
  });
}
