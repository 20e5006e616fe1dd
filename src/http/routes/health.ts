import type { FastifyInstance } from 'fastify';
import { isReachable } from '../../store/database.js';
import { typed } from '../xml-codec.js';
import { openApiDocument } from '../openapi.js';
import { send } from '../responses.js';
import { type RouteDeps } from '../server.js';

export function registerHealthRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const openApi = JSON.stringify(openApiDocument());
  app.get('/openapi.json', { config: { access: 'public' } }, async (_req, reply) => reply.type('application/json; charset=utf-8').send(openApi));

  app.get('/health', { config: { access: 'public' } }, async (req, reply) => {
    const up = await isReachable(ctx.database);
    return send(req, reply, up ? 200 : 503, typed('Health', { Status: up ? 'Healthy' : 'Unhealthy', Database: up ? 'Reachable' : 'Unreachable', DatabaseKind: ctx.database.kind }));
  });
}
