/**
 * One result item of an allocation endpoint (decisions.md §4.4): the Docs' Allocation Summary plus
 * the fields the vendor's .NET SDK reads (IsSuccess, Message, Data), so both kinds of client work.
 */
import type { AllocationOutcome } from '../../use-cases/allocate.js';
import { typed } from '../xml-codec.js';
import { apiLink, consignmentHref } from './api-link.js';
import { consignmentLeg } from './consignment.js';

export function presentAllocationOutcome(outcome: AllocationOutcome, baseUrl: string): object {
  const reference = outcome.reference;
  const links = [apiLink('detail', consignmentHref(baseUrl, reference))];
  const common = { StatusCode: outcome.status, ApiLinks: links, Description: outcome.description };
  let specific: object;
  if (outcome.status === 200) {
    const a = outcome.allocation;
    links.push(apiLink('label', `${baseUrl}/labels/${reference}`));
    specific = {
      ConsignmentLegs: a.legs.map((l) => consignmentLeg(l, l.trackingReferences, true)),
      CarrierReference: a.carrierReference,
      CarrierName: a.carrierName,
      CarrierServiceReference: a.mpdCarrierServiceReference,
      CarrierServiceName: a.mpdCarrierServiceName,
    };
  } else if (outcome.status === 422) {
    specific = {
      ConsignmentLegs: [],
      CarrierReference: outcome.service?.carrierReference ?? null,
      CarrierName: outcome.carrierName,
      CarrierServiceReference: outcome.service?.reference ?? null,
      CarrierServiceName: outcome.service?.name ?? null,
      FailureReasons: outcome.reasons.map((r) => typed('FailureReason', { ...r })),
    };
  } else {
    specific = {
      ConsignmentLegs: [],
      CarrierReference: null,
      CarrierName: null,
      CarrierServiceReference: null,
      CarrierServiceName: null,
      ConsignmentState: outcome.state,
    };
  }
  return typed('AllocationSummary', {
    ...common,
    ...specific,
    ConsignmentReference: reference,
    IsSuccess: outcome.status === 200,
    Message: outcome.description,
    Data: reference,
  });
}
