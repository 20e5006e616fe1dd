/**
 * One result item of an allocation endpoint (decisions.md §4.4): the Docs' Allocation Summary plus
 * the fields the vendor's .NET SDK reads (IsSuccess, Message, Data), so both kinds of client work.
 * Its StatusCode says how it ended: 200 allocated, 422 not allocatable, 409 a state that does not
 * allow it or one that kept changing meanwhile, 503 its carrier unavailable (nothing changed).
 */
import type { AllocationOutcome } from '../../use-cases/allocate.js';
import { httpStatus } from '../error-mapper.js';
import { typed } from '../xml-codec.js';
import { apiLink, consignmentHref } from './api-link.js';
import { consignmentLeg } from './consignment.js';

const STATUS_CODE: Record<AllocationOutcome['kind'], number> = {
  allocated: 200,
  failed: 422,
  invalidState: httpStatus('InvalidState'),
  carrierUnavailable: httpStatus('CarrierUnavailable'),
  busy: httpStatus('ConsignmentBusy'),
};

export function allocationStatusCode(outcome: AllocationOutcome): number {
  return STATUS_CODE[outcome.kind];
}

const NO_SERVICE = { ConsignmentLegs: [], CarrierReference: null, CarrierName: null, CarrierServiceReference: null, CarrierServiceName: null };

function specificFields(outcome: AllocationOutcome, baseUrl: string, links: object[]): object {
  switch (outcome.kind) {
    case 'allocated': {
      const a = outcome.allocation;
      links.push(apiLink('label', `${baseUrl}/labels/${outcome.reference}`));
      return {
        ConsignmentLegs: a.legs.map((l) => consignmentLeg(l, l.trackingReferences, true)),
        CarrierReference: a.carrierReference,
        CarrierName: a.carrierName,
        CarrierServiceReference: a.mpdCarrierServiceReference,
        CarrierServiceName: a.mpdCarrierServiceName,
      };
    }
    case 'failed':
      return {
        ConsignmentLegs: [],
        CarrierReference: outcome.service?.carrierReference ?? null,
        CarrierName: outcome.carrierName,
        CarrierServiceReference: outcome.service?.reference ?? null,
        CarrierServiceName: outcome.service?.name ?? null,
        FailureReasons: outcome.reasons.map((r) => typed('FailureReason', { ...r })),
      };
    case 'invalidState':
      return { ...NO_SERVICE, ConsignmentState: outcome.state };
    case 'carrierUnavailable':
    case 'busy':
      return NO_SERVICE;
  }
}

export function presentAllocationOutcome(outcome: AllocationOutcome, baseUrl: string): object {
  const reference = outcome.reference;
  const links = [apiLink('detail', consignmentHref(baseUrl, reference))];
  const common = { StatusCode: allocationStatusCode(outcome), ApiLinks: links, Description: outcome.description };
  return typed('AllocationSummary', {
    ...common,
    ...specificFields(outcome, baseUrl, links),
    ConsignmentReference: reference,
    IsSuccess: outcome.kind === 'allocated',
    Message: outcome.description,
    Data: reference,
  });
}
