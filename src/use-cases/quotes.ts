/**
 * Quotes (endpoints.md P1-17..P1-20) and allocating with one (P1-4, decisions.md §4.11): every
 * service the caller has enabled, priced and dated for one consignment, kept for
 * QUOTE_LIFETIME_HOURS so that one of them can be chosen.
 */
import { createHash, randomUUID } from 'node:crypto';
import { decideAllocation, type AllocationMoment } from '../domain/allocation.js';
import type { CarrierService } from '../domain/catalogue.js';
import type { Consignment, ConsignmentData } from '../domain/consignment.js';
import { QUOTE_LIFETIME_HOURS, quoteProblem, quotedAddresses, quoteReferences, quoteServices, type QuoteResultRecord } from '../domain/quote.js';
import type { ServiceGroup } from '../domain/service-group.js';
import { utcTimestamp } from '../domain/dates.js';
import type { CreateConsignmentRequest } from '../contract/consignments.js';
import { allocateConsignments, allocationMoment, type AllocationOutcome } from './allocate.js';
import type { AppContext, Caller } from './app-context.js';
import { groupServices } from './allocation-targets.js';
import { enabledServices } from './carrier-services.js';
import { readConsignment } from './input/consignment-reader.js';
import { AppError } from './errors.js';
import { getConsignment } from './get-consignment.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Expired quotes are kept this long (so that using one says "expired", not "not found"), then purged. */
const KEEP_EXPIRED_MS = 7 * 24 * 3600_000;

export interface GroupQuotes {
  group: ServiceGroup;
  result: QuoteResultRecord;
}

function quoteResult(
  ctx: AppContext,
  caller: Caller,
  data: ConsignmentData,
  consignment: Consignment | null,
  services: readonly CarrierService[],
  moment: AllocationMoment,
): QuoteResultRecord {
  const references = quoteReferences(randomUUID());
  const { quotes, unqualified } = quoteServices(data, services, ctx.catalogue, moment, references.quote);
  return {
    reference: references.result,
    createdAt: moment.nowIso,
    expiresAt: utcTimestamp(moment.now.plus({ hours: QUOTE_LIFETIME_HOURS })),
    requestor: caller.subscriptionReference,
    consignmentReference: consignment?.reference ?? '',
    consignmentReferenceProvidedByCustomer: data.consignmentReferenceProvidedByCustomer,
    ...(consignment ? { consignmentDigest: digestOf(data) } : {}),
    direction: data.direction,
    ...quotedAddresses(data),
    quotes,
    unqualified,
  };
}

/** What a quote is bound to: the consignment's data as priced (addresses, packages, dates, tags, …). */
function digestOf(data: ConsignmentData): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('base64url');
}

async function save(ctx: AppContext, caller: Caller, results: QuoteResultRecord[]): Promise<void> {
  await ctx.quotes.save(caller.subscriptionId, results);
}

/** Housekeeping (a background job): forgets quote results that expired more than a week ago; returns how many. */
export async function purgeExpiredQuotes(ctx: AppContext): Promise<number> {
  return ctx.quotes.purgeExpired(utcTimestamp(ctx.clock.now().minus({ milliseconds: KEEP_EXPIRED_MS })));
}

/** POST /quotes: quotes for a consignment described like a create request, which is not stored. */
export async function quoteAdHoc(ctx: AppContext, caller: Caller, req: CreateConsignmentRequest): Promise<QuoteResultRecord> {
  const data = await readConsignment(ctx, caller.subscriptionId, req, { assignReferences: false });
  const result = quoteResult(ctx, caller, data, null, enabledServices(ctx, caller), await allocationMoment(ctx, caller));
  await save(ctx, caller, [result]);
  return result;
}

/** GET /quotes/consignment/{ref}: quotes for a stored consignment (whatever its state: a quote changes nothing). */
export async function quoteConsignment(ctx: AppContext, caller: Caller, reference: string): Promise<QuoteResultRecord> {
  const consignment = await getConsignment(ctx, caller, reference);
  const result = quoteResult(ctx, caller, consignment.data, consignment, enabledServices(ctx, caller), await allocationMoment(ctx, caller));
  await save(ctx, caller, [result]);
  return result;
}

/** POST /quotes/serviceGroups: one quote result per enabled service group of the caller. */
export async function quoteServiceGroups(ctx: AppContext, caller: Caller, req: CreateConsignmentRequest): Promise<GroupQuotes[]> {
  const data = await readConsignment(ctx, caller.subscriptionId, req, { assignReferences: false });
  const groups = (await ctx.serviceGroups.list(caller.subscriptionId)).filter((g) => g.isEnabled);
  const moment = await allocationMoment(ctx, caller);
  const answers = groups.map((group) => ({ group, result: quoteResult(ctx, caller, data, null, groupServices(ctx, caller, group), moment) }));
  if (answers.length) await save(ctx, caller, answers.map((a) => a.result));
  return answers;
}

function quoteNotFound(reference: string): AppError {
  return new AppError('QuoteNotFound', `Quote ${reference} not found`, [{ Code: 'NotFound', Target: reference, Message: `No quote ${reference} exists for this subscription` }]);
}

function invalidQuote(reference: string, message: string): AppError {
  return new AppError('InvalidQuote', `Quote ${reference} cannot be used: ${message}`, [{ Code: 'InvalidQuote', Target: reference, Message: message }]);
}

/** GET /quotes/{quoteRequestReference}: a stored quote result while it is valid. */
export async function getQuoteResult(ctx: AppContext, caller: Caller, reference: string): Promise<QuoteResultRecord> {
  const result = UUID.test(reference) ? await ctx.quotes.findResult(caller.subscriptionId, reference) : undefined;
  if (!result) throw quoteNotFound(reference);
  if (result.expiresAt <= utcTimestamp(ctx.clock.now())) throw invalidQuote(reference, `it expired at ${result.expiresAt}`);
  return result;
}

/**
 * PUT /allocation/{ref}/allocatewithquote/{quote}: the quote's service at the quoted price. Unknown
 * consignment or quote: 404; a quote that expired, is another consignment's, or whose service no
 * longer qualifies: 400 InvalidQuote; nothing is changed. Otherwise one result as every allocation
 * endpoint gives (an already allocated consignment answers with its allocation, or 409).
 */
export async function allocateWithQuote(ctx: AppContext, caller: Caller, consignmentReference: string, quoteReference: string): Promise<AllocationOutcome[]> {
  const consignment = await getConsignment(ctx, caller, consignmentReference);
  const found = UUID.test(quoteReference) ? await ctx.quotes.findQuote(caller.subscriptionId, quoteReference) : undefined;
  if (!found) throw quoteNotFound(quoteReference);
  const { result, quote } = found;
  const moment = await allocationMoment(ctx, caller);
  const problem = quoteProblem(result, quote, consignment.reference, digestOf(consignment.data), moment.nowIso);
  if (problem) throw invalidQuote(quoteReference, problem);
  const service = ctx.catalogue.service(quote.serviceReference);
  if (!service || !caller.enabledServices.has(service.reference.toLowerCase())) {
    throw invalidQuote(quoteReference, `its service ${quote.serviceReference} is no longer available to this subscription`);
  }
  const decision = decideAllocation(consignment, service, ctx.catalogue, moment);
  if (decision.kind === 'ineligible') {
    const reasons = decision.reasons.map((r) => `${r.Code}: ${r.Message}`).join('; ');
    throw invalidQuote(quoteReference, `its service ${service.reference} no longer qualifies for consignment ${consignment.reference}: ${reasons}`);
  }
  const outcomes: AllocationOutcome[] = [];
  for await (const o of allocateConsignments(ctx, caller, { kind: 'service', service, price: quote.price }, [consignment.reference])) outcomes.push(o);
  return outcomes;
}
