import type { FastifyInstance } from 'fastify';
import type { AppContext, Caller } from '../../use-cases/app-context.js';
import { createRule, deleteRule, getRule, listRules, replaceRule, ruleProblems } from '../../use-cases/allocation-rules.js';
import { lenientRuleBody } from '../lenient-rule-body.js';
import { presentRule } from '../presenters/allocation-rule.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { AllocationRuleRequest } from '../../contract/rules.js';
import { send } from '../responses.js';
import { baseUrl, callerOf, type RouteDeps } from '../server.js';

type RefParams = { Params: { reference: string } };

function readRuleBody(ctx: AppContext, caller: Caller, body: unknown, reference?: string): AllocationRuleRequest {
  return readBody(AllocationRuleRequest, body as ParsedBody, (value) => ruleProblems(ctx, caller, lenientRuleBody(value), reference));
}

/** Our allocation rules API (README: "Allocation rules, service tags and service groups"). */
export function registerAllocationRuleRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  app.get('/allocationrules', async (req, reply) => {
    const rules = await listRules(ctx, callerOf(req));
    return send(req, reply, 200, rules.map(presentRule), 'ArrayOfAllocationRule');
  });

  app.post('/allocationrules', async (req, reply) => {
    const caller = callerOf(req);
    const rule = await createRule(ctx, caller, readRuleBody(ctx, caller, req.body));
    reply.header('location', `${baseUrl(req, options)}/allocationrules/${encodeURIComponent(rule.reference)}`);
    return send(req, reply, 201, presentRule(rule));
  });

  app.get<RefParams>('/allocationrules/:reference', async (req, reply) => {
    return send(req, reply, 200, presentRule(await getRule(ctx, callerOf(req), req.params.reference)));
  });

  app.put<RefParams>('/allocationrules/:reference', async (req, reply) => {
    const caller = callerOf(req);
    const body = readRuleBody(ctx, caller, req.body, req.params.reference);
    return send(req, reply, 200, presentRule(await replaceRule(ctx, caller, req.params.reference, body)));
  });

  app.delete<RefParams>('/allocationrules/:reference', async (req, reply) => {
    await deleteRule(ctx, callerOf(req), req.params.reference);
    return reply.code(200).send();
  });
}
