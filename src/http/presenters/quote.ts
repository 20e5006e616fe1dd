/** QuoteResult, Quote and UnqualifiedService (models.md §6), from stored quote results. */
import type { CatalogueIndex } from '../../domain/catalogue.js';
import type { QuoteRecord, QuoteResultRecord, UnqualifiedRecord } from '../../domain/quote.js';
import type { ServiceGroup } from '../../domain/service-group.js';
import { typed } from '../xml-codec.js';
import { presentJourney } from './carrier-service.js';
import { address } from './consignment.js';
import { presentRate, presentSurcharge } from './rate.js';

function presentQuote(q: QuoteRecord, r: QuoteResultRecord, catalogue: CatalogueIndex): object {
  // A service removed from the catalogue since keeps the names it was quoted under.
  const service = catalogue.service(q.serviceReference);
  return typed('Quote', {
    QuoteReference: q.reference,
    CreationDate: r.createdAt,
    ExpiryDate: r.expiresAt,
    Requestor: r.requestor,
    ConsignmentReference: r.consignmentReference,
    ConsignmentReferenceProvidedByCustomer: r.consignmentReferenceProvidedByCustomer,
    MpdCarrierServiceReference: q.serviceReference,
    MpdCarrierServiceSource: 1,
    MpdCarrierService: q.serviceName,
    CarrierReference: q.carrierReference,
    OriginAddress: r.origin && address(r.origin),
    DestinationAddress: r.destination && address(r.destination),
    CollectionDate: q.collectionDate,
    EarliestDeliveryDate: q.earliestDeliveryDate,
    LatestDeliveryDate: q.latestDeliveryDate,
    BasePrice: presentRate(q.price.base, q.price),
    Price: presentRate(q.price.total, q.price),
    Surcharges: service ? q.price.surcharges.map((s) => presentSurcharge(s, service)) : [],
    Legs: service ? presentJourney(service, catalogue) : [],
    CarrierAccountOwner: null,
    // Source 1 (Internal: the deployment's own catalogue) implies IsElectioService (models.md §5.3).
    IsElectioService: true,
    ServiceDirection: service ? service.capabilities.directions.join(', ') : r.direction,
  });
}

function presentUnqualified(u: UnqualifiedRecord): object {
  return typed('UnqualifiedService', {
    Available: u.available,
    Rates: u.rates,
    MpdCarrierService: u.serviceName,
    CarrierReference: u.carrierReference,
    MpdCarrierServiceReference: u.serviceReference,
    ExclusionReason: u.reasons.map((x) => `${x.Code}: ${x.Message}`).join('; '),
    Reasons: u.reasons.map((x) => typed('FailureReason', { Code: x.Code, Message: x.Message })),
  });
}

function message(r: QuoteResultRecord): string | null {
  if (r.quotes.length > 0) return null;
  return r.unqualified.length > 0 ? 'No service can carry this consignment; UnqualifiedServices says why for each' : 'There is no service to quote';
}

export function presentQuoteResult(r: QuoteResultRecord, catalogue: CatalogueIndex): object {
  return typed('QuoteResult', {
    QuoteRequestReference: r.reference,
    Quotes: r.quotes.map((q) => presentQuote(q, r, catalogue)),
    Message: message(r),
    UnqualifiedServices: r.unqualified.map(presentUnqualified),
  });
}

/** One element of POST /quotes/serviceGroups. */
export function presentGroupQuotes(group: ServiceGroup, r: QuoteResultRecord, catalogue: CatalogueIndex): object {
  const quotes = r.quotes.map((q) => presentQuote(q, r, catalogue));
  return typed('ServiceGroupQuoteResult', {
    Reference: group.reference,
    Name: group.name,
    CheapestQuote: quotes[0] ?? null,
    QuoteRequestReference: r.reference,
    Quotes: quotes,
    Message: message(r) ?? 'Quote created successfully',
    UnqualifiedServices: r.unqualified.map(presentUnqualified),
  });
}
