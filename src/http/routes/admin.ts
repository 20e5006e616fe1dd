import type { FastifyInstance } from 'fastify';
import { createSubscription, listSubscriptions, rotateApiKey, setServiceEnabled, type ApiKeyAuthenticator } from '../../use-cases/subscriptions.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { CreateSubscriptionRequest } from '../../contract/subscriptions.js';
import { send } from '../responses.js';
import { type RouteDeps } from '../server.js';
import { typed } from '../xml-codec.js';

type SubParams = { Params: { reference: string } };
type ServiceParams = { Params: { reference: string; service: string } };
const admin = { config: { access: 'admin' as const } };

export function registerAdminRoutes(app: FastifyInstance, { ctx }: RouteDeps, authenticator: ApiKeyAuthenticator): void {
  app.post('/admin/subscriptions', admin, async (req, reply) => {
    const body = readBody(CreateSubscriptionRequest, req.body as ParsedBody);
    return send(req, reply, 201, typed('Subscription', { ...(await createSubscription(ctx, body.Name)) }));
  });

  app.get('/admin/subscriptions', admin, async (req, reply) =>
    send(req, reply, 200, (await listSubscriptions(ctx)).map((s) => typed('Subscription', s)), 'ArrayOfSubscription'),
  );

  app.post<SubParams>('/admin/subscriptions/:reference/rotatekey', admin, async (req, reply) => {
    const issued = await rotateApiKey(ctx, req.params.reference);
    authenticator.forget();
    return send(req, reply, 200, typed('Subscription', { ...issued }));
  });

  app.put<ServiceParams>('/admin/subscriptions/:reference/services/:service', admin, async (req, reply) => {
    await setServiceEnabled(ctx, req.params.reference, req.params.service, true);
    authenticator.forget();
    return reply.code(204).send();
  });

  app.delete<ServiceParams>('/admin/subscriptions/:reference/services/:service', admin, async (req, reply) => {
    await setServiceEnabled(ctx, req.params.reference, req.params.service, false);
    authenticator.forget();
    return reply.code(204).send();
  });
}
