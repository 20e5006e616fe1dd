import type { FastifyInstance } from 'fastify';
import { isReachable } from '../../store/database.js';
import { typed } from '../xml-codec.js';
import { send } from '../responses.js';
import { type RouteDeps } from '../server.js';
import { documented } from '../route-docs.js';

export function registerHealthRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  app.get('/health', documented({
    access: 'public', summary: 'Database reachability', ok: [200, '{ Status, Database, DatabaseKind }; 503 when unreachable'], errors: [503],
  }), async (req, reply) => {
    const up = await isReachable(ctx.database);
    return send(req, reply, up ? 200 : 503, typed('Health', { Status: up ? 'Healthy' : 'Unhealthy', Database: up ? 'Reachable' : 'Unreachable', DatabaseKind: ctx.database.kind }));
  });
}
