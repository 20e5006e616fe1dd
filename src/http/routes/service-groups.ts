import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Available, MpdCarrierServiceGroup, MpdCarrierServiceGroups } from '../../contract/responses.js';
import { RESERVED_GROUP_REFERENCES, type ServiceGroup } from '../../domain/service-group.js';
import type { AppContext, Caller } from '../../use-cases/app-context.js';
import {
  createGroup,
  deleteGroup,
  getGroup,
  groupProblems,
  groupReferenceAvailable,
  listGroups,
  replaceGroup,
  setGroupEnabled,
} from '../../use-cases/service-groups.js';
import { asBoolean, asObject, asString, asStringList } from '../lenient-fields.js';
import { presentServiceGroup } from '../presenters/service-group.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { ServiceGroupRequest } from '../../contract/rules.js';
import { noRoute } from '../error-mapper.js';
import { send } from '../responses.js';
import { baseUrl, callerOf, type RouteDeps } from '../server.js';
import { documented } from '../route-docs.js';

type RefParams = { Params: { reference: string } };

/** `/serviceGroups/summaries` and `/serviceGroups/summary/…` are endpoints, not groups (literal segments win). */
function groupReference(req: FastifyRequest<RefParams>): string {
  if (RESERVED_GROUP_REFERENCES.has(req.params.reference.toLowerCase())) throw noRoute(req);
  return req.params.reference;
}

/** A group body as far as it can be read whatever its faults, for the checks beyond the schema. */
function lenientDraft(value: unknown): ServiceGroupRequest {
  const body = asObject(value);
  return {
    Reference: asString(body.Reference),
    Name: asString(body.Name),
    IsEnabled: asBoolean(body.IsEnabled),
    MpdCarrierServiceReferences: asStringList(body.MpdCarrierServiceReferences),
  };
}

function readGroupBody(ctx: AppContext, caller: Caller, body: unknown, reference?: string): ServiceGroupRequest {
  return readBody(ServiceGroupRequest, body as ParsedBody, (value) => groupProblems(ctx, caller, lenientDraft(value), reference));
}

/** Service groups (SDK ServiceGroupsService, endpoints P1-21..P1-25, and their administration). */
export function registerServiceGroupRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  const present = async (caller: Caller, groups: ServiceGroup[], summary: boolean) => {
    const viewer = { subscriptionReference: caller.subscriptionReference, enabledServices: caller.enabledServices, policy: await ctx.policies.forCaller(caller) };
    return groups.map((g) => presentServiceGroup(g, ctx.catalogue, viewer, summary));
  };
  const one = async (req: FastifyRequest, group: ServiceGroup, summary = false) => (await present(callerOf(req), [group], summary))[0];

  app.get('/serviceGroups', documented({ summary: 'Service groups', ok: [200, 'MpdCarrierServiceGroup[]'], response: MpdCarrierServiceGroups, errors: [401] }), async (req, reply) => {
    const caller = callerOf(req);
    return send(req, reply, 200, await present(caller, await listGroups(ctx, caller), false), 'ArrayOfMpdCarrierServiceGroup');
  });

  app.get('/serviceGroups/summaries', documented({
    summary: 'Service groups without restriction lists', ok: [200, 'MpdCarrierServiceGroup[]'], response: MpdCarrierServiceGroups, errors: [401],
  }), async (req, reply) => {
    const caller = callerOf(req);
    return send(req, reply, 200, await present(caller, await listGroups(ctx, caller), true), 'ArrayOfMpdCarrierServiceGroup');
  });

  app.post('/serviceGroups', documented({
    summary: 'Create a service group', body: ServiceGroupRequest, ok: [201, 'MpdCarrierServiceGroup; Location header'], response: MpdCarrierServiceGroup, errors: [400, 401, 409],
  }), async (req, reply) => {
    const caller = callerOf(req);
    const group = await createGroup(ctx, caller, readGroupBody(ctx, caller, req.body));
    reply.header('location', `${baseUrl(req, options)}/serviceGroups/${encodeURIComponent(group.reference)}`);
    return send(req, reply, 201, await one(req, group));
  });

  app.get<RefParams>('/serviceGroups/summary/:reference', documented({
    summary: 'Get a service group without restriction lists', params: { reference: { name: 'group' } }, ok: [200, 'MpdCarrierServiceGroup'], response: MpdCarrierServiceGroup, errors: [401, 404],
  }), async (req, reply) =>
    send(req, reply, 200, await one(req, await getGroup(ctx, callerOf(req), req.params.reference), true)),
  );

  app.get<RefParams>('/serviceGroups/:reference', documented({
    summary: 'Get a service group', params: { reference: { name: 'group' } }, ok: [200, 'MpdCarrierServiceGroup'], response: MpdCarrierServiceGroup, errors: [401, 404],
  }), async (req, reply) =>
    send(req, reply, 200, await one(req, await getGroup(ctx, callerOf(req), groupReference(req)))),
  );

  app.get<RefParams>('/serviceGroups/:reference/available', documented({
    summary: 'Whether a group reference is free to use', params: { reference: { name: 'group' } }, ok: [200, 'boolean'], response: Available, errors: [401, 404],
  }), async (req, reply) =>
    send(req, reply, 200, await groupReferenceAvailable(ctx, callerOf(req), groupReference(req))),
  );

  app.put<RefParams>('/serviceGroups/:reference', documented({
    summary: 'Replace a service group',
    body: ServiceGroupRequest,
    params: { reference: { name: 'group' } },
    ok: [200, 'MpdCarrierServiceGroup'],
    response: MpdCarrierServiceGroup,
    errors: [400, 401, 404],
  }), async (req, reply) => {
    const reference = groupReference(req);
    const caller = callerOf(req);
    const body = readGroupBody(ctx, caller, req.body, reference);
    return send(req, reply, 200, await one(req, await replaceGroup(ctx, caller, reference, body)));
  });

  app.put<RefParams>('/serviceGroups/:reference/enable', documented({
    summary: 'Switch a service group on', params: { reference: { name: 'group' } }, ok: [200, 'MpdCarrierServiceGroup'], response: MpdCarrierServiceGroup, errors: [401, 404],
  }), async (req, reply) =>
    send(req, reply, 200, await one(req, await setGroupEnabled(ctx, callerOf(req), groupReference(req), true))),
  );

  app.put<RefParams>('/serviceGroups/:reference/disable', documented({
    summary: 'Switch a service group off', params: { reference: { name: 'group' } }, ok: [200, 'MpdCarrierServiceGroup'], response: MpdCarrierServiceGroup, errors: [401, 404],
  }), async (req, reply) =>
    send(req, reply, 200, await one(req, await setGroupEnabled(ctx, callerOf(req), groupReference(req), false))),
  );

  app.delete<RefParams>('/serviceGroups/:reference', documented({
    summary: 'Delete a service group', params: { reference: { name: 'group' } }, ok: [200, 'empty'], errors: [401, 404],
  }), async (req, reply) => {
    await deleteGroup(ctx, callerOf(req), groupReference(req));
    return reply.code(200).send();
  });
}
