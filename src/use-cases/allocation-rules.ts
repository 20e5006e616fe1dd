/**
 * The subscription's allocation rules (our API): list, read, create, replace and delete. Every
 * write invalidates the subscription's cached allocation policy, so the next allocation obeys it.
 */
import type { AllocationRule } from '../domain/allocation-rules/index.js';
import { readAllocationRule, type AllocationRuleBody, type RuleReadingContext } from './allocation-rule-input.js';
import { isObjectReference } from '../domain/subscription-objects.js';
import { AppError, validationFailed, type ErrorDetail } from './errors.js';
import type { AppContext, Caller } from './app-context.js';
import { enabledServiceSpelling } from './carrier-services.js';
import { MAX_RULES_PER_SUBSCRIPTION } from '../domain/limits.js';

function ruleNotFound(reference: string): AppError {
  return new AppError('RuleNotFound', `Allocation rule ${reference.slice(0, 200)} not found`, [
    { Code: 'NotFound', Target: 'reference', Message: `No allocation rule ${reference.slice(0, 200)} exists for this subscription` },
  ]);
}

function readingContext(ctx: AppContext, caller: Caller): RuleReadingContext {
  const rates = ctx.catalogue.catalogue.exchangeRates;
  return { enabledService: enabledServiceSpelling(ctx, caller), knownCurrency: (code) => Object.hasOwn(rates, code) };
}

/** The problems of a rule body beyond its schema's (the route lists both in one 400). */
export function ruleProblems(ctx: AppContext, caller: Caller, body: AllocationRuleBody, reference?: string): ErrorDetail[] {
  return readAllocationRule(body, readingContext(ctx, caller), reference).problems;
}

function read(ctx: AppContext, caller: Caller, body: AllocationRuleBody, reference?: string): AllocationRule {
  const { rule, problems } = readAllocationRule(body, readingContext(ctx, caller), reference);
  if (problems.length) throw validationFailed(problems);
  return rule;
}

export async function listRules(ctx: AppContext, caller: Caller): Promise<AllocationRule[]> {
  return ctx.allocationRules.list(caller.subscriptionId);
}

export async function getRule(ctx: AppContext, caller: Caller, reference: string): Promise<AllocationRule> {
  const rule = isObjectReference(reference) ? await ctx.allocationRules.find(caller.subscriptionId, reference) : undefined;
  if (!rule) throw ruleNotFound(reference);
  return rule;
}

export async function createRule(ctx: AppContext, caller: Caller, body: AllocationRuleBody): Promise<AllocationRule> {
  const rule = read(ctx, caller, body);
  if ((await ctx.allocationRules.count(caller.subscriptionId)) >= MAX_RULES_PER_SUBSCRIPTION) {
    throw validationFailed([{ Code: 'TooMany', Target: 'body', Message: `A subscription may have at most ${MAX_RULES_PER_SUBSCRIPTION} allocation rules; delete one first` }]);
  }
  if (!(await ctx.allocationRules.create(caller.subscriptionId, rule))) {
    throw new AppError('DuplicateReference', `An allocation rule ${rule.reference} already exists`, [
      { Code: 'Duplicate', Target: 'Reference', Message: `Reference ${rule.reference} is already used by another allocation rule of this subscription (references ignore case)` },
    ]);
  }
  ctx.policies.invalidate(caller.subscriptionId);
  return rule;
}

/** Replaces a rule whole; the path's reference wins over the body's, and the stored spelling is kept. */
export async function replaceRule(ctx: AppContext, caller: Caller, reference: string, body: AllocationRuleBody): Promise<AllocationRule> {
  const existing = isObjectReference(reference) ? await ctx.allocationRules.find(caller.subscriptionId, reference) : undefined;
  // The body is checked first, as everywhere: a 400 says what is wrong whether or not the rule exists.
  const rule = read(ctx, caller, body, existing?.reference ?? reference);
  if (!existing || !(await ctx.allocationRules.replace(caller.subscriptionId, rule))) throw ruleNotFound(reference);
  ctx.policies.invalidate(caller.subscriptionId);
  return rule;
}

export async function deleteRule(ctx: AppContext, caller: Caller, reference: string): Promise<void> {
  if (!isObjectReference(reference) || !(await ctx.allocationRules.delete(caller.subscriptionId, reference))) throw ruleNotFound(reference);
  ctx.policies.invalidate(caller.subscriptionId);
}
