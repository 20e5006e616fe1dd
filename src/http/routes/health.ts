import type { FastifyInstance } from 'fastify';
import { isReachable } from '../../store/database.js';
import { typed } from '../xml-codec.js';
import { send, type RouteDeps } from '../server.js';

export function registerHealthRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  app.get('/health', { config: { access: 'public' } }, async (req, reply) => {
    const up = await isReachable(ctx.database);
    return send(req, reply, up ? 200 : 503, typed('Health', { Status: up ? 'Healthy' : 'Unhealthy', Database: up ? 'Reachable' : 'Unreachable', DatabaseKind: ctx.database.kind }));
  });
}
