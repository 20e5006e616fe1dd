import type { FastifyInstance } from 'fastify';
import { AllocationRule, AllocationRules } from '../../contract/responses.js';
import type { AppContext, Caller } from '../../use-cases/app-context.js';
import { createRule, deleteRule, getRule, listRules, replaceRule, ruleProblems } from '../../use-cases/allocation-rules.js';
import { lenientRuleBody } from '../lenient-rule-body.js';
import { presentRule } from '../presenters/allocation-rule.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { AllocationRuleRequest } from '../../contract/rules.js';
import { send } from '../responses.js';
import { baseUrl, callerOf, type RouteDeps } from '../server.js';
import { documented } from '../route-docs.js';

type RefParams = { Params: { reference: string } };

function readRuleBody(ctx: AppContext, caller: Caller, body: unknown, reference?: string): AllocationRuleRequest {
  return readBody(AllocationRuleRequest, body as ParsedBody, (value) => ruleProblems(ctx, caller, lenientRuleBody(value), reference));
}

/** Our allocation rules API (docs/api/rules-tags-groups.md). */
export function registerAllocationRuleRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  app.get('/allocationrules', documented({
    summary: 'The subscription’s allocation rules, by reference (Switchyard)', ok: [200, 'AllocationRule[]'], response: AllocationRules, errors: [401],
  }), async (req, reply) => {
    const rules = await listRules(ctx, callerOf(req));
    return send(req, reply, 200, rules.map(presentRule), 'ArrayOfAllocationRule');
  });

  app.post('/allocationrules', documented({
    summary: 'Create an allocation rule (Switchyard)', body: AllocationRuleRequest, ok: [201, 'AllocationRule; Location header'], response: AllocationRule, errors: [400, 401, 409],
  }), async (req, reply) => {
    const caller = callerOf(req);
    const rule = await createRule(ctx, caller, readRuleBody(ctx, caller, req.body));
    reply.header('location', `${baseUrl(req, options)}/allocationrules/${encodeURIComponent(rule.reference)}`);
    return send(req, reply, 201, presentRule(rule));
  });

  app.get<RefParams>('/allocationrules/:reference', documented({
    summary: 'Get an allocation rule (Switchyard)', params: { reference: { name: 'rule' } }, ok: [200, 'AllocationRule'], response: AllocationRule, errors: [401, 404],
  }), async (req, reply) => {
    return send(req, reply, 200, presentRule(await getRule(ctx, callerOf(req), req.params.reference)));
  });

  app.put<RefParams>('/allocationrules/:reference', documented({
    summary: 'Replace an allocation rule (Switchyard)',
    body: AllocationRuleRequest,
    params: { reference: { name: 'rule' } },
    ok: [200, 'AllocationRule'],
    response: AllocationRule,
    errors: [400, 401, 404],
  }), async (req, reply) => {
    const caller = callerOf(req);
    const body = readRuleBody(ctx, caller, req.body, req.params.reference);
    return send(req, reply, 200, presentRule(await replaceRule(ctx, caller, req.params.reference, body)));
  });

  app.delete<RefParams>('/allocationrules/:reference', documented({
    summary: 'Delete an allocation rule (Switchyard)', params: { reference: { name: 'rule' } }, ok: [200, 'empty'], errors: [401, 404],
  }), async (req, reply) => {
    await deleteRule(ctx, callerOf(req), req.params.reference);
    return reply.code(200).send();
  });
}
