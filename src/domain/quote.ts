/**
 * Quotes (endpoints.md P1-17..P1-20): for one consignment, every service considered either as a
 * priced quote with its dates, or as an unqualified service with every reason it cannot be used,
 * the same reasons allocation gives.
 */
import { candidate, compareCandidates, evaluateService, rejectionReasons, type AllocationMoment, type Candidate, type ServiceEvaluation } from './allocation.js';
import { judgeRules } from './allocation-policy.js';
import type { CarrierService, CatalogueIndex } from './catalogue.js';
import type { AddressData, ConsignmentData, FailureReason } from './consignment.js';
import { destinationAddress, originAddress } from './consignment.js';
import { pricingDestination, type Price } from './pricing.js';

/** How long a quote can be allocated with (documented in docs/api/allocation.md). */
export const QUOTE_LIFETIME_HOURS = 24;

/**
 * References: a quote result's is a random GUID whose last four hex digits are 0000; its quotes'
 * are the same GUID numbered 0001, 0002, … there, so that a quote leads to its result without an
 * index of every quote (106 random bits remain: references stay unguessable).
 */
export const MAX_QUOTES_PER_RESULT = 0xffff;

export function quoteReferences(randomGuid: string): { result: string; quote: (index: number) => string } {
  const stem = randomGuid.toLowerCase().slice(0, 32);
  return { result: `${stem}0000`, quote: (i) => `${stem}${(i + 1).toString(16).padStart(4, '0')}` };
}

/** The reference of the result a quote reference belongs to. */
export function quoteResultReference(quoteReference: string): string {
  return `${quoteReference.toLowerCase().slice(0, 32)}0000`;
}

export interface QuoteRecord {
  reference: string;
  serviceReference: string;
  serviceName: string;
  carrierReference: string;
  collectionDate: string;
  earliestDeliveryDate: string;
  latestDeliveryDate: string;
  price: Price;
}

export interface UnqualifiedRecord {
  serviceReference: string;
  serviceName: string;
  carrierReference: string;
  /** The service can carry the consignment (every eligibility check passes). */
  available: boolean;
  /** The service can price the consignment. */
  rates: boolean;
  reasons: FailureReason[];
}

/** One quote request's answer, as stored (GET /quotes/{ref} reads it back) and presented. */
export interface QuoteResultRecord {
  reference: string;
  createdAt: string;
  expiresAt: string;
  requestor: string;
  /** "" for an ad hoc quote (a consignment not yet created). */
  consignmentReference: string;
  consignmentReferenceProvidedByCustomer: string;
  /** A digest of the quoted consignment's data: a quote prices the consignment as it was. */
  consignmentDigest?: string;
  direction: ConsignmentData['direction'];
  origin: AddressData | null;
  destination: AddressData | null;
  quotes: QuoteRecord[];
  unqualified: UnqualifiedRecord[];
}

function qualified(e: ServiceEvaluation, catalogue: CatalogueIndex): Candidate | null {
  return e.reasons.length === 0 && e.schedule && e.price.kind === 'priced' ? candidate(e.service, e.schedule, e.price.price, catalogue) : null;
}

function unqualified(e: ServiceEvaluation, catalogue: CatalogueIndex): UnqualifiedRecord {
  return {
    serviceReference: e.service.reference,
    serviceName: e.service.name,
    carrierReference: catalogue.carrierOf(e.service).reference,
    available: e.reasons.length === 0 && e.schedule !== null,
    rates: e.price.kind === 'priced',
    reasons: rejectionReasons(e),
  };
}

/**
 * The quotes for a consignment against `services`: qualified services cheapest first (the order
 * allocation prefers them in), the others in the order given. `quoteReference` names the i-th quote.
 */
export function quoteServices(
  consignment: ConsignmentData,
  services: readonly CarrierService[],
  catalogue: CatalogueIndex,
  moment: AllocationMoment,
  quoteReference: (index: number) => string,
): { quotes: QuoteRecord[]; unqualified: UnqualifiedRecord[] } {
  const candidates: Candidate[] = [];
  const rejected: UnqualifiedRecord[] = [];
  const excludingRules = judgeRules(moment.policy, consignment, catalogue);
  const destination = pricingDestination(consignment);
  for (const service of services) {
    const evaluation = evaluateService(consignment, service, catalogue, moment, excludingRules, destination);
    const c = qualified(evaluation, catalogue);
    if (c) candidates.push(c);
    else rejected.push(unqualified(evaluation, catalogue));
  }
  candidates.sort(compareCandidates);
  const quotes = candidates.slice(0, MAX_QUOTES_PER_RESULT).map(({ service, schedule, price }, i) => ({
    reference: quoteReference(i),
    serviceReference: service.reference,
    serviceName: service.name,
    carrierReference: catalogue.carrierOf(service).reference,
    collectionDate: schedule.collectionDate,
    earliestDeliveryDate: schedule.earliestDeliveryDate,
    latestDeliveryDate: schedule.latestDeliveryDate,
    price,
  }));
  return { quotes, unqualified: rejected };
}

/** The addresses a quote shows. */
export function quotedAddresses(consignment: ConsignmentData): { origin: AddressData | null; destination: AddressData | null } {
  return { origin: originAddress(consignment) ?? null, destination: destinationAddress(consignment) ?? null };
}

/** Why a stored quote cannot allocate the consignment (its reference and data digest now) at `nowIso`; null when it can. */
export function quoteProblem(result: QuoteResultRecord, quote: QuoteRecord, consignmentReference: string, consignmentDigest: string, nowIso: string): string | null {
  if (result.consignmentReference === '') {
    return `quote ${quote.reference} is an ad hoc quote for a consignment not yet created; quote consignment ${consignmentReference} itself (GET /quotes/consignment/${consignmentReference})`;
  }
  if (result.consignmentReference.toLowerCase() !== consignmentReference.toLowerCase()) {
    return `quote ${quote.reference} was made for consignment ${result.consignmentReference}, not ${consignmentReference}`;
  }
  if (result.expiresAt <= nowIso) return `quote ${quote.reference} expired at ${result.expiresAt}`;
  if (result.consignmentDigest !== undefined && result.consignmentDigest !== consignmentDigest) {
    return `consignment ${consignmentReference} was changed after quote ${quote.reference} was made, so its price may no longer hold; quote it again`;
  }
  return null;
}
