/** Search results (models.md §4.8): ConsignmentSummary, MatchingConsignmentsResponse and the state summary. */
import { destinationAddress, totalValue, totalWeightKg, type Consignment } from '../../domain/consignment.js';
import type { CarriersSummary, StateSummary } from '../../use-cases/search-consignments.js';
import { typed } from '../xml-codec.js';
import { apiLink, consignmentHref } from './api-link.js';
import { money, weight } from './consignment.js';

/** One search result, in the Docs' field order. Nothing is late yet, so IsLate is false. */
export function presentConsignmentSummary(c: Consignment, baseUrl: string): object {
  const a = c.allocation;
  const f = c.failedAllocation;
  const destination = destinationAddress(c.data);
  const rdd = c.data.requestedDeliveryDate;
  const shippingTerms = c.data.customsDocumentation?.ShippingTerms;
  return typed('ConsignmentSummary', {
    Reference: c.reference,
    ConsignmentReferenceProvidedByCustomer: c.data.consignmentReferenceProvidedByCustomer,
    DateCreated: c.createdAt,
    State: c.state,
    ShippingDate: c.data.shippingDate,
    MpdCarrierReference: a?.carrierReference ?? null,
    MpdCarrierServiceReference: a?.mpdCarrierServiceReference ?? null,
    AllocationDate: a?.allocationDate ?? null,
    ShippedDate: c.dispatchedAt,
    Source: c.data.source,
    MpdCarrierServiceName: a?.mpdCarrierServiceName ?? null,
    MpdCarrierServiceGroupName: a?.mpdCarrierServiceGroupName ?? null,
    MpdCarrierServiceGroupReference: a?.carrierServiceGroupReference ?? null,
    DestinationAddressLine1: destination?.addressLine1 ?? null,
    DestinationAddressTown: destination?.town ?? null,
    DestinationAddressPostcode: destination?.postcode ?? null,
    DestinationAddressCountry: destination?.countryCode || null,
    DestinationShippingLocationReference: destination?.shippingLocationReference ?? null,
    RequestedDeliveryDate: rdd?.date ?? null,
    RequestedDeliveryDateIsToBeExactlyOnTheDateSpecified: rdd ? rdd.isToBeExactlyOnTheDateSpecified : null,
    LabelsPrinted: c.labelsFirstPrintedAt !== null,
    HaveLabelsEverBeenPrinted: c.labelsFirstPrintedAt !== null,
    DateLabelsWereFirstPrinted: c.labelsFirstPrintedAt,
    EstimatedDeliveryDate: a?.earliestDeliveryDate ?? null,
    ShippingTerms: typeof shippingTerms === 'string' ? shippingTerms : null,
    FailedAllocationAttemptedAllocationDate: f?.attemptedAllocationDate ?? null,
    FailedAllocationMessage: f?.message ?? null,
    FailedAllocationMpdCarrierServiceReference: f?.mpdCarrierServiceReference ?? null,
    FailedAllocationMpdCarrierServiceGroupName: f?.mpdCarrierServiceGroupName ?? null,
    FailedAllocationMpdCarrierServiceGroupReference: f?.carrierServiceGroupReference ?? null,
    FailedAllocationMpdCarrierServiceName: f?.mpdCarrierServiceName ?? null,
    IsLate: false,
    DeliveryDate: c.dateDelivered,
    // The Consignment's names for the dates tracking sets (DeliveryDate and CollectedDate are the PHP client's).
    DateDelivered: c.dateDelivered,
    CollectionDate: a?.collectionDate ?? null,
    DateCollected: c.dateCollected,
    CollectedDate: c.dateCollected,
    AttemptedDeliveryDate: null,
    Value: money(totalValue(c.data)),
    Weight: weight(totalWeightKg(c.data)),
    ApiLink: apiLink('detail', consignmentHref(baseUrl, c.reference)),
    FailedManifestMessage: c.failedManifest?.message ?? null,
    FailedManifestTimeStamp: c.failedManifest?.at ?? null,
  });
}

export function presentMatchingConsignments(count: number, consignments: Consignment[], baseUrl: string): object {
  return typed('MatchingConsignmentsResponse', {
    Count: count,
    ConsignmentSummaries: consignments.map((c) => presentConsignmentSummary(c, baseUrl)),
  });
}

/** The state summary under both the SDK's (EndAt) and the PHP client's (EndTo) name for its end. */
export function presentStateSummary(summary: StateSummary, startFrom: string | null, endAt: string | null): object {
  return typed('ConsignmentStateSummaryResponse', {
    NumberOfConsignments: summary.total,
    Summary: summary.byState.map(([state, count]) => typed('KeyValuePairOfstringint', { Key: state, Value: count })),
    StartFrom: startFrom,
    EndTo: endAt,
    EndAt: endAt,
  });
}

/** The carriers summary (Switchyard): per carrier, its count and its states' counts as the state summary has them. */
export function presentCarriersSummary(summary: CarriersSummary): object {
  return typed('ConsignmentCarrierSummaryResponse', {
    Carriers: summary.carriers.map((c) =>
      typed('ConsignmentCarrierSummary', {
        CarrierReference: c.reference,
        CarrierName: c.name,
        NumberOfConsignments: c.total,
        Summary: c.byState.map(([state, count]) => typed('KeyValuePairOfstringint', { Key: state, Value: count })),
      }),
    ),
    NumberOfConsignments: summary.total,
  });
}
