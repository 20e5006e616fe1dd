import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { enabledServices } from '../../use-cases/carrier-services.js';
import { presentCarrier, presentServiceList } from '../presenters/carrier-service.js';
import { send } from '../responses.js';
import { callerOf, type RouteDeps } from '../server.js';

export function registerCarrierRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const listServices = async (req: FastifyRequest, reply: FastifyReply) => {
    const caller = callerOf(req);
    const { serviceTags } = await ctx.policies.forCaller(caller);
    return send(req, reply, 200, presentServiceList(enabledServices(ctx, caller), ctx.catalogue, serviceTags));
  };
  app.get('/carrierservices', listServices);
  app.get('/carriers', listServices);
  app.get('/carriers/getcarriers', async (req, reply) => send(req, reply, 200, ctx.catalogue.catalogue.carriers.map(presentCarrier), 'ArrayOfCarrier'));
}
