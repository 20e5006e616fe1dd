/**
 * MpdCarrierServiceGroup (models.md §5.5): a group with one MpdCarrierServiceProfile per service,
 * whose restriction lists restate the service's catalogue capabilities in the SDK's terms. A
 * summary gives the same profiles without the restriction lists (null: not given, unlike [], none).
 */
import type { AllocationPolicy } from '../../domain/allocation-policy.js';
import type { CarrierService, CatalogueIndex } from '../../domain/catalogue.js';
import { parsePostcodePrefix } from '../../domain/postcode.js';
import type { ServiceGroup } from '../../domain/service-group.js';
import { typed } from '../xml-codec.js';
import { presentService } from './carrier-service.js';

/** Who is looking: the profiles show whether each service is enabled for them, and their own tags. */
export interface GroupViewer {
  subscriptionReference: string;
  enabledServices: ReadonlySet<string>;
  policy: AllocationPolicy;
}

/** Only upper limits restrict: a service without a maximum weight has no AbsoluteWeight range (RangeTo is never open in the SDK). */
function dimensionRestrictions(service: CarrierService): object[] {
  const c = service.capabilities;
  const out: object[] = [];
  const add = (type: string, from: number, to: number) => out.push(typed('DimensionRestriction', { Id: out.length + 1, DimensionType: type, RangeFrom: from, RangeTo: to }));
  if (c.maxPackageWeightKg !== null) add('AbsoluteWeight', c.minPackageWeightKg, c.maxPackageWeightKg);
  if (c.maxPackageLengthCm !== null) add('Length', 0, c.maxPackageLengthCm);
  if (c.maxLengthPlusGirthCm !== null) add('CombinedDimensions', 0, c.maxLengthPlusGirthCm);
  return out;
}

/** An excluded prefix as the SDK's postcode parts, each part in full ("PA", "PA20", "PA20 1"); the more parts, the narrower. */
function domesticRestrictions(service: CarrierService): object[] {
  return service.capabilities.excludedPostcodes.map((raw, i) => {
    // The catalogue loader has checked the prefixes; an unreadable one is shown as an area.
    const parts = parsePostcodePrefix(raw) ?? { area: raw.toUpperCase(), district: null, sector: null };
    return typed('DomesticLocationRestriction', { Id: i + 1, PostcodeArea: parts.area, PostcodeDistrict: parts.district, PostcodeSector: parts.sector, PostcodeUnit: null });
  });
}

function internationalRestrictions(service: CarrierService): object[] {
  return service.capabilities.excludedDestinationCountries.map((country, i) =>
    typed('InternationalLocationRestriction', { Id: i + 1, Postcode: null, Town: null, County: null, CountryTwoLetterIsoCode: country }),
  );
}

function profile(service: CarrierService, catalogue: CatalogueIndex, viewer: GroupViewer, summary: boolean): object {
  const key = service.reference.toLowerCase();
  return typed('MpdCarrierServiceProfile', {
    IsEnabled: viewer.enabledServices.has(key),
    CustomerReference: viewer.subscriptionReference,
    MpdCarrierService: presentService(service, catalogue, viewer.policy.serviceTags.get(key)),
    DimensionRestrictions: summary ? null : dimensionRestrictions(service),
    DomesticLocationRestrictions: summary ? null : domesticRestrictions(service),
    InternationalLocationRestrictions: summary ? null : internationalRestrictions(service),
    CompensationAndValue: summary
      ? null
      : typed('CompensationAndValue', { Id: 1, MaxParcelValue: service.capabilities.maxValue, GetEnhancedCompensation: false, CompensationThreshold: null }),
  });
}

export function presentServiceGroup(group: ServiceGroup, catalogue: CatalogueIndex, viewer: GroupViewer, summary = false): object {
  // A service the catalogue no longer has cannot be shown or used; it stays stored until the group is replaced.
  const services = group.serviceReferences.map((r) => catalogue.service(r)).filter((s): s is CarrierService => s !== undefined);
  return typed('MpdCarrierServiceGroup', {
    Reference: group.reference,
    Name: group.name,
    CustomerReference: viewer.subscriptionReference,
    IsEnabled: group.isEnabled,
    MpdCarrierServiceProfiles: services.map((s) => profile(s, catalogue, viewer, summary)),
  });
}
