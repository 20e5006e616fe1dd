/**
 * Schemas of answers (not of requests): what the presenters build, declared beside the routes that
 * answer them (`documented({ response })`) so that /openapi.json and the generated client describe
 * them. The test servers check every JSON answer of such a route against its schema
 * (HttpOptions.checkResponses), so a schema cannot drift from what is sent.
 */
import { Type } from '@sinclair/typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ApiLink = Type.Object({ Rel: Type.String(), Href: Type.String() }, { additionalProperties: false });

/** POST /consignments: the new consignment's link (its Location header too). */
export const ApiLinks = Type.Array(ApiLink);

export const ConsignmentLeg = Type.Object(
  {
    Leg: Type.Integer({ minimum: 1 }),
    TrackingReferences: Type.Array(Type.String()),
    TrackingReference: Nullable(Type.String()),
    CarrierReference: Type.String(),
    CarrierName: Type.String(),
    CarrierServiceReference: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

/** Why a service could not take the consignment: the check's code and words, and the numbers of the check where it has them. */
export const FailureReason = Type.Object(
  {
    Code: Type.String(),
    Message: Type.String(),
    /** Which service it is about, when the engine chose among several. */
    MpdCarrierServiceReference: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

/** One item of an allocation endpoint's answer (decisions.md §4.4), in request order. */
export const AllocationSummary = Type.Object(
  {
    StatusCode: Type.Integer({ description: '200 allocated, 422 not allocatable, 409 a state that does not allow it or one that kept changing, 503 its carrier unavailable' }),
    ApiLinks: Type.Array(ApiLink),
    Description: Type.String(),
    ConsignmentLegs: Type.Array(ConsignmentLeg),
    CarrierReference: Nullable(Type.String()),
    CarrierName: Nullable(Type.String()),
    CarrierServiceReference: Nullable(Type.String()),
    CarrierServiceName: Nullable(Type.String()),
    FailureReasons: Type.Optional(Type.Array(FailureReason)),
    ConsignmentState: Type.Optional(Type.String()),
    ConsignmentReference: Type.String(),
    IsSuccess: Type.Boolean(),
    Message: Type.String(),
    Data: Type.String(),
  },
  { additionalProperties: false },
);

export const AllocationSummaries = Type.Array(AllocationSummary);

export const Health = Type.Object(
  {
    Status: Type.Union([Type.Literal('Healthy'), Type.Literal('Unhealthy')]),
    Database: Type.Union([Type.Literal('Reachable'), Type.Literal('Unreachable')]),
    DatabaseKind: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  },
  { additionalProperties: false },
);

/** The SDK's WithMessage<string>: one item of a list answer (deallocate, cancel, ready to ship, manifest, dispatch, tracking events), in request order. */
export const WithMessage = Type.Object(
  {
    IsSuccess: Type.Boolean(),
    Message: Type.String(),
    /** The consignment (or event) the item is about. */
    Data: Type.String(),
    ApiLinks: Nullable(Type.Array(ApiLink)),
  },
  { additionalProperties: false },
);

export const WithMessages = Type.Array(WithMessage);

/** One item of POST /consignments/bulk's answer, in request order. */
export const BulkCreateResult = Type.Object(
  {
    StatusCode: Type.Integer({ description: '201 created; otherwise the status the single create would have answered' }),
    ConsignmentKey: Type.Optional(Type.String({ description: 'The CSV key the consignment was grouped under (CSV imports only)' })),
    ConsignmentReference: Nullable(Type.String()),
    PackageReferences: Type.Array(Type.String()),
    Code: Nullable(Type.String()),
    Message: Nullable(Type.String()),
    Details: Type.Array(Type.Object({ Code: Type.String(), Target: Type.String(), Message: Type.String() }, { additionalProperties: true })),
  },
  { additionalProperties: false },
);

export const BulkCreateResults = Type.Array(BulkCreateResult);
