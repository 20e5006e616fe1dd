import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CarrierServices, Carriers } from '../../contract/responses.js';
import { enabledServices } from '../../use-cases/carrier-services.js';
import { presentCarrier, presentServiceList } from '../presenters/carrier-service.js';
import { send } from '../responses.js';
import { callerOf, type RouteDeps } from '../server.js';
import { documented } from '../route-docs.js';

export function registerCarrierRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const listServices = async (req: FastifyRequest, reply: FastifyReply) => {
    const caller = callerOf(req);
    const { serviceTags } = await ctx.policies.forCaller(caller);
    return send(req, reply, 200, presentServiceList(enabledServices(ctx, caller), ctx.catalogue, serviceTags));
  };
  app.get('/carrierservices', documented({
    summary: 'Carrier services enabled for the subscription, with capabilities', ok: [200, 'SubscriptionMpdCarrierServiceResponse'], response: CarrierServices, errors: [401],
  }), listServices);
  app.get('/carriers', documented({
    summary: 'Carrier services of the subscription', ok: [200, 'SubscriptionMpdCarrierServiceResponse'], response: CarrierServices, errors: [401],
  }), listServices);
  app.get('/carriers/getcarriers', documented({ summary: 'All carriers', ok: [200, 'Carrier[]'], response: Carriers, errors: [401] }), async (req, reply) =>
    send(req, reply, 200, ctx.catalogue.catalogue.carriers.map(presentCarrier), 'ArrayOfCarrier'),
  );
}
