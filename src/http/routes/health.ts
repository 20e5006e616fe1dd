import { Health } from '../../contract/responses.js';
import type { FastifyInstance } from 'fastify';
import { isReachable } from '../../store/database.js';
import { typed } from '../xml-codec.js';
import { send } from '../responses.js';
import { type RouteDeps } from '../server.js';
import { documented } from '../route-docs.js';

export function registerHealthRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  app.get('/health', documented({
    access: 'public',
    summary: 'Database reachability',
    ok: [200, '{ Status, Database, DatabaseKind }: Healthy'],
    response: Health,
    responseAlsoOn: [[503, '{ Status, Database, DatabaseKind }: Unhealthy, the database unreachable']],
    errors: [],
  }), async (req, reply) => {
    const up = await isReachable(ctx.database);
    return send(req, reply, up ? 200 : 503, typed('Health', { Status: up ? 'Healthy' : 'Unhealthy', Database: up ? 'Reachable' : 'Unreachable', DatabaseKind: ctx.database.kind }));
  });
}

/** GET /metrics (metrics.ts), Prometheus's text format; public, like /health, for a scraper without a key. */
export function registerMetricsRoute(app: FastifyInstance, { metrics }: RouteDeps): void {
  app.get('/metrics', documented({
    access: 'public', summary: 'Prometheus metrics: requests by route and status, allocations by outcome, labels, database connections, event-loop lag', ok: [200, 'text/plain; version=0.0.4'], errors: [503], files: ['text/plain'],
  }), async (_req, reply) => {
    const { contentType, body } = await metrics.text();
    return reply.type(contentType).send(body);
  });
}
