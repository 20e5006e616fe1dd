/** The catalogue file format (documented in docs/carriers.md), as a schema that validates the file at load. */
import { Type, type Static } from '@sinclair/typebox';

const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
const ISO_DATE = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const WEEKDAY = Type.Union(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((d) => Type.Literal(d)));
const COUNTRY = Type.String({ pattern: '^[A-Z]{2}$' });
const NON_NEGATIVE = Type.Number({ minimum: 0 });
const POSTCODE_PREFIX = Type.String({ pattern: '^[A-Za-z]{1,2}([0-9][A-Za-z0-9]?( [0-9])?)?$' });
const LIMIT = Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Null()]);

export const CalendarFile = Type.Object(
  {
    Weekdays: Type.Array(WEEKDAY, { minItems: 1 }),
    CutOffTime: HHMM,
    CollectionTime: Type.Optional(HHMM),
    NonWorkingDates: Type.Optional(Type.Array(ISO_DATE)),
  },
  { additionalProperties: false },
);

export const CarrierFile = Type.Object(
  {
    Reference: Type.String({ minLength: 1, maxLength: 100 }),
    Name: Type.String({ minLength: 1 }),
    Connector: Type.Optional(Type.String({ minLength: 1 })),
    /** Settings of the carrier's connector, checked by the connector at start-up (src/carriers/<name>/settings.ts). */
    ConnectorSettings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    TrackingNumberFormat: Type.Object(
      {
        Prefix: Type.String({ pattern: '^[A-Z0-9]*$', maxLength: 10 }),
        Digits: Type.Integer({ minimum: 6, maximum: 15 }),
        CheckDigit: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('mod10')])),
        Suffix: Type.Optional(Type.String({ pattern: '^[A-Z0-9]*$', maxLength: 10 })),
      },
      { additionalProperties: false },
    ),
    CollectionCalendar: CalendarFile,
    DeliveryWeekdays: Type.Optional(Type.Array(WEEKDAY, { minItems: 1 })),
  },
  { additionalProperties: false },
);

export const CapabilitiesFile = Type.Object(
  {
    Directions: Type.Array(Type.Union([Type.Literal('Outbound'), Type.Literal('Inbound')]), { minItems: 1 }),
    OriginCountries: Type.Optional(Type.Union([Type.Array(COUNTRY), Type.Null()])),
    DestinationCountries: Type.Optional(Type.Union([Type.Array(COUNTRY), Type.Null()])),
    ExcludedDestinationCountries: Type.Optional(Type.Array(COUNTRY)),
    ExcludedPostcodes: Type.Optional(Type.Array(POSTCODE_PREFIX)),
    MinPackageWeightKg: Type.Optional(NON_NEGATIVE),
    MaxPackageWeightKg: Type.Optional(LIMIT),
    MaxConsignmentWeightKg: Type.Optional(LIMIT),
    MaxPackages: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    MaxPackageLengthCm: Type.Optional(LIMIT),
    MaxLengthPlusGirthCm: Type.Optional(LIMIT),
    MaxValue: Type.Optional(LIMIT),
    AllowedContent: Type.Optional(
      Type.Array(Type.Union(['NotSpecified', 'Unrestricted', 'Dangerous', 'Restricted', 'Liquid'].map((c) => Type.Literal(c)))),
    ),
    Tags: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false },
);

const AMOUNT = Type.Number({ minimum: 0 });

export const VatFile = Type.Object(
  {
    CountryIsoCode: COUNTRY,
    Rate: Type.Number({ minimum: 0, maximum: 1 }),
    Type: Type.Union([Type.Literal('Standard'), Type.Literal('Reduced'), Type.Literal('Zero')]),
  },
  { additionalProperties: false },
);

export const RateZoneFile = Type.Object(
  {
    Name: Type.String({ minLength: 1, maxLength: 100 }),
    /** Two-letter codes, or ["*"] for any country. */
    Countries: Type.Optional(Type.Array(Type.Union([COUNTRY, Type.Literal('*')]), { minItems: 1 })),
    Postcodes: Type.Optional(Type.Array(POSTCODE_PREFIX, { minItems: 1 })),
    Vat: Type.Optional(VatFile),
    Bands: Type.Array(Type.Object({ UpToKg: Type.Number({ exclusiveMinimum: 0 }), Price: AMOUNT }, { additionalProperties: false }), { minItems: 1 }),
    ExtraPerKg: Type.Optional(Type.Union([AMOUNT, Type.Null()])),
  },
  { additionalProperties: false },
);

export const RatesFile = Type.Object(
  {
    VolumetricDivisor: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Null()])),
    Basis: Type.Optional(Type.Union([Type.Literal('Package'), Type.Literal('Consignment')])),
    Vat: VatFile,
    FuelSurchargePercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    PerPackageCharge: Type.Optional(AMOUNT),
    PerConsignmentCharge: Type.Optional(AMOUNT),
    Zones: Type.Array(RateZoneFile, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export const ServiceFile = Type.Object(
  {
    Reference: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.-]+$' }),
    Name: Type.String({ minLength: 1 }),
    Description: Type.Optional(Type.String()),
    Carrier: Type.String({ minLength: 1 }),
    Type: Type.Optional(
      Type.Array(Type.Union(['Scheduled', 'AdHoc', 'PickUp', 'DropOff', 'Timed', 'Consolidated'].map((t) => Type.Literal(t))), { minItems: 1 }),
    ),
    TransitDays: Type.Integer({ minimum: 0, maximum: 60 }),
    DeliveryWindow: Type.Optional(Type.Object({ Start: HHMM, End: HHMM }, { additionalProperties: false })),
    Currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    Journey: Type.Optional(
      Type.Array(
        Type.Object(
          { Carrier: Type.String({ minLength: 1 }), CarrierServiceReference: Type.String({ minLength: 1 }), CarrierServiceName: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
        { minItems: 1 },
      ),
    ),
    CarrierServiceReference: Type.Optional(Type.String({ minLength: 1 })),
    CollectionCalendar: Type.Optional(CalendarFile),
    Capabilities: CapabilitiesFile,
    Rates: Type.Optional(RatesFile),
  },
  { additionalProperties: false },
);

export const CatalogueFile = Type.Object(
  {
    DefaultTimeZone: Type.Optional(Type.String()),
    ExchangeRates: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Z]{3}$' }), Type.Number({ exclusiveMinimum: 0 }))),
    Carriers: Type.Array(CarrierFile, { minItems: 1 }),
    Services: Type.Array(ServiceFile, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type CatalogueFile = Static<typeof CatalogueFile>;
