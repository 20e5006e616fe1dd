import type { FastifyInstance } from 'fastify';
import { ServiceTags } from '../../contract/responses.js';
import { clearServiceTags, getServiceTags, serviceTagProblems, setServiceTags } from '../../use-cases/service-tags.js';
import { asStringList } from '../lenient-fields.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { TagList } from '../../contract/rules.js';
import { send } from '../responses.js';
import { callerOf, type RouteDeps } from '../server.js';
import { documented } from '../route-docs.js';

type RefParams = { Params: { reference: string } };

/** A carrier service's allocation-filtering tags for the caller (decisions.md §4.6 TagsNotMatched). */
export function registerServiceTagRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  app.get<RefParams>('/carrierservices/:reference/tags', documented({
    summary: 'A service’s allocation-filtering tags for the subscription (Switchyard)',
    params: { reference: { name: 'service' } },
    ok: [200, 'string[]'],
    response: ServiceTags,
    errors: [401, 404],
  }), async (req, reply) =>
    send(req, reply, 200, await getServiceTags(ctx, callerOf(req), req.params.reference), 'ArrayOfstring'),
  );

  app.put<RefParams>('/carrierservices/:reference/tags', documented({
    summary: 'Set the subscription’s own tags for a service (Switchyard)',
    body: TagList,
    params: { reference: { name: 'service' } },
    ok: [200, 'string[] as stored'],
    response: ServiceTags,
    errors: [400, 401, 404],
  }), async (req, reply) => {
    const tags = readBody(TagList, req.body as ParsedBody, (value) => serviceTagProblems(asStringList(value) ?? []));
    return send(req, reply, 200, await setServiceTags(ctx, callerOf(req), req.params.reference, tags), 'ArrayOfstring');
  });

  app.delete<RefParams>('/carrierservices/:reference/tags', documented({
    summary: 'Restore the catalogue’s tags for a service (Switchyard)',
    params: { reference: { name: 'service' } },
    ok: [200, 'string[]: the catalogue’s tags'],
    response: ServiceTags,
    errors: [401, 404],
  }), async (req, reply) =>
    send(req, reply, 200, await clearServiceTags(ctx, callerOf(req), req.params.reference), 'ArrayOfstring'),
  );
}
