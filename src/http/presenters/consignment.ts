/** The Consignment resource (models.md §4.2), in the Docs' field order, nulls written. */
import { countryName } from '../../domain/countries.js';
import type { AddressData, Consignment, ConsignmentLegRecord, ContactData, ItemData, MetaDataEntry, Money, PackageData } from '../../domain/consignment.js';
import { totalValue, totalWeightKg } from '../../domain/consignment.js';
import { round } from '../../domain/units.js';
import { typed } from '../xml-codec.js';
import { apiLink, consignmentHref } from './api-link.js';
import { presentCurrency } from './currency.js';
import { presentRate } from './rate.js';

export function money(m: Money | null): object | null {
  return m && typed('Money', { Amount: m.amount, Currency: presentCurrency(m.currency) });
}

export function weight(kg: number | null): object | null {
  return kg === null ? null : typed('Weight', { Value: round(kg, 5), Unit: 'Kg' });
}

function dimensions(d: PackageData['dimensions'] | null): object | null {
  return d && typed('Dimensions', { Unit: 'Cm', Width: round(d.widthCm, 5), Length: round(d.lengthCm, 5), Height: round(d.heightCm, 5) });
}

export function country(code: string): object {
  return typed('Country', { Name: countryName(code), IsoCode: typed('IsoCode', { TwoLetterCode: code }) });
}

function metaData(list: MetaDataEntry[]): object[] {
  return list.map((m) => typed('MetaData', { ...m }));
}

export function consignmentLeg(leg: ConsignmentLegRecord, trackingReferences: string[], withService: boolean): object {
  return typed('ConsignmentLeg', {
    Leg: leg.leg,
    TrackingReferences: trackingReferences,
    TrackingReference: trackingReferences[0] ?? null,
    CarrierReference: leg.carrierReference,
    CarrierName: leg.carrierName,
    CarrierServiceReference: withService ? leg.carrierServiceReference : null,
  });
}

export function contact(c: ContactData | null): object | null {
  return c
    ? typed('Contact', {
        Reference: null,
        Title: c.title,
        FirstName: c.firstName,
        LastName: c.lastName,
        Position: c.position,
        Telephone: c.telephone,
        Mobile: c.mobile,
        LandLine: c.landLine,
        Email: c.email,
      })
    : null;
}

export function address(a: AddressData): object {
  return typed('Address', {
    AddressType: a.addressType,
    ShopLocationReference: a.shopLocationReference,
    Contact: contact(a.contact),
    CompanyName: a.companyName,
    ShippingLocationReference: a.shippingLocationReference,
    CustomerName: a.customerName,
    AddressLine1: a.addressLine1,
    AddressLine2: a.addressLine2,
    AddressLine3: a.addressLine3,
    Town: a.town,
    Region: a.region,
    Postcode: a.postcode,
    Country: a.countryCode ? country(a.countryCode) : null,
    RegionCode: a.regionCode,
    SpecialInstructions: a.specialInstructions,
    LatLong: a.latLong ? typed('LatLong', { Latitude: a.latLong.latitude, Longitude: a.latLong.longitude }) : null,
    IsCached: false,
  });
}

function item(i: ItemData): object {
  return typed('Item', {
    Reference: i.reference,
    Sku: i.sku,
    Model: i.model,
    Description: i.description,
    CountryOfOrigin: i.countryOfOrigin ? country(i.countryOfOrigin) : null,
    HarmonisationCode: i.harmonisationCode,
    Weight: weight(i.weightKg),
    Dimensions: dimensions(i.dimensions),
    Value: money(i.value),
    ItemReferenceProvidedByCustomer: i.itemReferenceProvidedByCustomer,
    Quantity: i.quantity,
    Unit: i.unit,
    ContentClassification: i.contentClassification.length ? i.contentClassification.join(', ') : null,
    MetaData: metaData(i.metaData),
  });
}

/** A package as GET /consignments/{ref} shows it; `index` picks its tracking reference on each leg. */
export function presentPackage(p: PackageData, index: number, legs: ConsignmentLegRecord[]): object {
  return typed('Package', {
    ConsignmentLegs: legs.map((l) => consignmentLeg(l, l.trackingReferences[index] ? [l.trackingReferences[index]] : [], false)),
    Items: p.items.map(item),
    Charges: [],
    Reference: p.reference,
    PackageReferenceProvidedByCustomer: p.packageReferenceProvidedByCustomer,
    Weight: weight(p.weightKg),
    Dimensions: dimensions(p.dimensions),
    Description: p.description,
    Value: money(p.value),
    PackageSizeReference: p.packageSizeReference,
    Barcode: p.barcode ? typed('Barcode', { ...p.barcode }) : null,
    MetaData: metaData(p.metaData),
  });
}

export function presentConsignment(c: Consignment): object {
  const a = c.allocation;
  const f = c.failedAllocation;
  const rdd = c.data.requestedDeliveryDate;
  return typed('Consignment', {
    ConsignmentLegs: (a?.legs ?? []).map((l) => consignmentLeg(l, l.trackingReferences, true)),
    CollectionDate: a?.collectionDate ?? null,
    DateDelivered: c.dateDelivered,
    // The PHP client's name for DateDelivered (models.md §8).
    DeliveryDate: c.dateDelivered,
    FirstAttemptedDeliveryDate: null,
    DateReturned: null,
    DateShipped: c.dispatchedAt,
    DateCollected: c.dateCollected,
    // The PHP client's name for DateCollected.
    CollectedDate: c.dateCollected,
    AttemptedDeliveryDate: null,
    MetaData: metaData(c.data.metaData),
    Allocation: a
      ? typed('Allocation', {
          CarrierServiceGroupReference: a.carrierServiceGroupReference,
          MpdCarrierServiceGroupName: a.mpdCarrierServiceGroupName,
          MpdCarrierServiceReference: a.mpdCarrierServiceReference,
          MpdCarrierServiceName: a.mpdCarrierServiceName,
          AllocationDate: a.allocationDate,
          // The PHP client's name for it (models.md §8).
          AllocateDate: a.allocationDate,
          Price: a.price ? presentRate(a.price.total, a.price) : null,
        })
      : null,
    FailedAllocation: f
      ? typed('FailedAllocation', {
          CarrierServiceGroupReference: f.carrierServiceGroupReference,
          MpdCarrierServiceGroupName: f.mpdCarrierServiceGroupName,
          MpdCarrierServiceReference: f.mpdCarrierServiceReference,
          MpdCarrierServiceName: f.mpdCarrierServiceName,
          AttemptedAllocationDate: f.attemptedAllocationDate,
          Message: f.message,
          Reasons: f.reasons.map((r) => typed('FailureReason', { ...r })),
        })
      : null,
    Source: c.data.source,
    // One label per package on each leg (decisions.md §9).
    LabelCount: a ? c.data.packages.length * a.legs.length : 0,
    LabelsPrinted: c.labelsFirstPrintedAt !== null,
    // The PHP client's name for LabelsPrinted.
    HaveLabelsEverBeenPrinted: c.labelsFirstPrintedAt !== null,
    DateLabelsWereFirstPrinted: c.labelsFirstPrintedAt,
    IsLate: false,
    LateForCustomer: false,
    CustomerReference: null,
    Weight: weight(totalWeightKg(c.data)),
    Value: money(totalValue(c.data)),
    CustomsDocumentation: c.data.customsDocumentation ? typed('CustomsDocumentation', { ...c.data.customsDocumentation }) : null,
    Direction: c.data.direction,
    Tags: c.data.tags,
    Reference: c.reference,
    ConsignmentState: c.state,
    DateCreated: c.createdAt,
    ShippingDate: c.data.shippingDate,
    RequestedDeliveryDate: rdd
      ? typed('RequestedDeliveryDate', {
          Date: rdd.date,
          DeliveryWindow: typed('DeliveryWindow', { Start: rdd.window ? `${rdd.window.start}:00` : '00:00:00', End: rdd.window ? `${rdd.window.end}:00` : '00:00:00', UtcOffset: null }),
          IsToBeExactlyOnTheDateSpecified: rdd.isToBeExactlyOnTheDateSpecified,
        })
      : null,
    EarliestDeliveryDate: a?.earliestDeliveryDate ?? null,
    LatestDeliveryDate: a?.latestDeliveryDate ?? null,
    ConsignmentReferenceProvidedByCustomer: c.data.consignmentReferenceProvidedByCustomer,
    Addresses: c.data.addresses.map(address),
    Packages: c.data.packages.map((p, i) => presentPackage(p, i, a?.legs ?? [])),
    // The summary's manifest fields (models.md §4.8), on the consignment too (our addition).
    FailedManifestMessage: c.failedManifest?.message ?? null,
    FailedManifestTimeStamp: c.failedManifest?.at ?? null,
  });
}

export function presentStatus(c: Consignment, baseUrl: string): object {
  return typed('ConsignmentStatusResponse', {
    ConsignmentReferenceForAllLegsAssignedByMpd: c.reference,
    Status: c.state,
    ExpectedDeliveryDate: c.allocation?.earliestDeliveryDate ?? null,
    ApiLink: apiLink('Link', consignmentHref(baseUrl, c.reference)),
  });
}
