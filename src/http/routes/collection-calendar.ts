/** The collection calendar (endpoints.md P2-37), read from the carrier catalogue. */
import type { FastifyInstance } from 'fastify';
import { CollectionCalendar } from '../../contract/responses.js';
import { getCollectionCalendar } from '../../use-cases/collection-calendar.js';
import { presentCollectionCalendar } from '../presenters/collection-calendar.js';
import { send } from '../responses.js';
import { documented } from '../route-docs.js';
import { callerOf, type RouteDeps } from '../server.js';

type CalendarParams = { Params: { location: string; carrier: string } };

export function registerCollectionCalendarRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  app.get<CalendarParams>('/collectioncalendar/:location/:carrier', documented({
    summary: 'A carrier’s collection days, cut-offs and non-working dates at a shipping location',
    params: {
      location: { name: 'shippingLocationReference', description: 'One of the subscription’s shipping locations, any case' },
      carrier: { name: 'mpdCarrierReference', description: 'A carrier of the catalogue (GET /carriers/getcarriers), any case' },
    },
    ok: [200, 'CollectionCalendar'],
    response: CollectionCalendar,
    errors: [401, 404],
  }), async (req, reply) => {
    const calendar = await getCollectionCalendar(ctx, callerOf(req), req.params.location, req.params.carrier);
    return send(req, reply, 200, presentCollectionCalendar(calendar));
  });
}
