/** MpdCarrierService (models.md §5.3) with our Capabilities extension (decisions.md §6). */
import type { Carrier, CarrierService, CatalogueIndex, Weekday } from '../../domain/catalogue.js';
import { typed } from '../xml-codec.js';

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const days = (list: Weekday[]) => list.map((d) => DAY_NAMES[d]);

function capabilities(service: CarrierService, catalogue: CatalogueIndex, tags: readonly string[]): object {
  const c = service.capabilities;
  const calendar = catalogue.calendarOf(service);
  return typed('Capabilities', {
    Directions: c.directions,
    OriginCountries: c.originCountries,
    DestinationCountries: c.destinationCountries,
    ExcludedDestinationCountries: c.excludedDestinationCountries,
    ExcludedPostcodes: c.excludedPostcodes,
    MinPackageWeightKg: c.minPackageWeightKg,
    MaxPackageWeightKg: c.maxPackageWeightKg,
    MaxConsignmentWeightKg: c.maxConsignmentWeightKg,
    MaxPackages: c.maxPackages,
    MaxPackageLengthCm: c.maxPackageLengthCm,
    MaxLengthPlusGirthCm: c.maxLengthPlusGirthCm,
    MaxValue: c.maxValue,
    Currency: service.currency,
    AllowedContent: c.allowedContent,
    Tags: [...tags],
    TransitDays: service.transitDays,
    DeliveryWindow: typed('DeliveryWindow', { Start: `${service.deliveryWindow.start}:00`, End: `${service.deliveryWindow.end}:00` }),
    CollectionDays: days(calendar.weekdays),
    CutOffTime: `${calendar.cutOffTime}:00`,
  });
}

export function presentCarrier(carrier: Carrier): object {
  return typed('Carrier', { Reference: carrier.reference, Name: carrier.name, IsCached: false });
}

/** The service's legs (models.md §5.4), as services and quotes show them. */
export function presentJourney(service: CarrierService, catalogue: CatalogueIndex): object[] {
  const has = (t: string) => service.types.includes(t as CarrierService['types'][number]);
  return service.journey.map((leg, i) => {
    const legCarrier = catalogue.carrier(leg.carrierReference)!;
    return typed('Leg', {
      JourneyStage: i + 1,
      CarrierService: typed('CarrierService', {
        Reference: leg.carrierServiceReference,
        Name: leg.carrierServiceName,
        CarrierReference: legCarrier.reference,
        CarrierName: legCarrier.name,
        IsDropOff: has('DropOff'),
        IsPickUp: has('PickUp'),
        IsTimed: has('Timed'),
        ServiceDirection: service.capabilities.directions.join(', '),
      }),
      CarrierAccountReference: null,
      DeliveryHub: null,
      CostItems: null,
      VolumetricParcelWeight: null,
      CollectionType: has('AdHoc') ? 'AdHoc' : 'Scheduled',
    });
  });
}

/** `tags`: the service's allocation-filtering tags for the caller (its own when it has set them). */
export function presentService(service: CarrierService, catalogue: CatalogueIndex, tags: readonly string[] = service.capabilities.tags): object {
  const carrier = catalogue.carrierOf(service);
  return typed('MpdCarrierService', {
    Name: service.name,
    Description: service.description,
    Reference: service.reference,
    MpdCarrierReference: carrier.reference,
    CarrierName: carrier.name,
    CarrierAccountOwner: null,
    Status: 3,
    Journey: presentJourney(service, catalogue),
    Source: 1,
    Type: service.types.join(', '),
    IsConfigured: true,
    IsCached: false,
    Capabilities: capabilities(service, catalogue, tags),
  });
}

export function presentServiceList(services: CarrierService[], catalogue: CatalogueIndex, ownTags: ReadonlyMap<string, readonly string[]> = new Map()): object {
  return typed('SubscriptionMpdCarrierServiceResponse', {
    ErrorMessage: null,
    Success: true,
    MpdCarrierServices: services.map((s) => presentService(s, catalogue, ownTags.get(s.reference.toLowerCase()))),
  });
}
