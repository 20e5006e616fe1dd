import type { FastifyInstance } from 'fastify';
import { createRule, deleteRule, getRule, listRules, replaceRule } from '../../use-cases/allocation-rules.js';
import { presentRule } from '../presenters/allocation-rule.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { AllocationRuleRequest } from '../schemas.js';
import { baseUrl, callerOf, send, type RouteDeps } from '../server.js';

type RefParams = { Params: { reference: string } };

/** Our allocation rules API (README: "Allocation rules, service tags and service groups"). */
export function registerAllocationRuleRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  app.get('/allocationrules', async (req, reply) => {
    const rules = await listRules(ctx, callerOf(req));
    return send(req, reply, 200, rules.map(presentRule), 'ArrayOfAllocationRule');
  });

  app.post('/allocationrules', async (req, reply) => {
    const body = readBody(AllocationRuleRequest, req.body as ParsedBody);
    const rule = await createRule(ctx, callerOf(req), body);
    reply.header('location', `${baseUrl(req, options)}/allocationrules/${encodeURIComponent(rule.reference)}`);
    return send(req, reply, 201, presentRule(rule));
  });

  app.get<RefParams>('/allocationrules/:reference', async (req, reply) => {
    return send(req, reply, 200, presentRule(await getRule(ctx, callerOf(req), req.params.reference)));
  });

  app.put<RefParams>('/allocationrules/:reference', async (req, reply) => {
    const body = readBody(AllocationRuleRequest, req.body as ParsedBody);
    return send(req, reply, 200, presentRule(await replaceRule(ctx, callerOf(req), req.params.reference, body)));
  });

  app.delete<RefParams>('/allocationrules/:reference', async (req, reply) => {
    await deleteRule(ctx, callerOf(req), req.params.reference);
    return reply.code(200).send();
  });
}
