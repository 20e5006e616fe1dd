/** Allocation request bodies (endpoints.md P1-1 … P1-9); what a schema cannot say (required, non-blank, de-duplicated references) is src/http/reference-list.ts's. */
import { Type, type Static } from '@sinclair/typebox';
import { Opt, Str } from './fields.js';

/** Both fields are required and non-empty; src/http/reference-list.ts says so, with one detail per problem. */
export const AllocateWithCarrierServiceRequest = Type.Object({
  MpdCarrierServiceReference: Type.Optional(Type.String()),
  ConsignmentReferences: Type.Optional(Type.Array(Type.String())),
});
export type AllocateWithCarrierServiceRequest = Static<typeof AllocateWithCarrierServiceRequest>;

/** PUT /allocation/allocate (default rules). */
export const AllocateConsignmentsRequest = Type.Object({ ConsignmentReferences: Type.Optional(Type.Array(Type.String())) });

/** PUT /allocation/allocateWithServiceGroup (SDK). */
export const AllocateWithServiceGroupRequest = Type.Object({
  MpdCarrierServiceGroupReference: Type.Optional(Type.String()),
  ConsignmentReferences: Type.Optional(Type.Array(Type.String())),
});

/** PUT /allocation/allocateConsignmentsWithServiceFilters (endpoints.md P1-5). */
export const AllocateWithServiceFiltersRequest = Type.Object({
  ConsignmentReferences: Type.Optional(Type.Array(Type.String())),
  Filters: Opt(
    Type.Object({
      ServiceDirection: Opt(Type.Union([Type.Literal('Outbound'), Type.Literal('Inbound')])),
      IsPickup: Opt(Type.Boolean()),
      IsDropOff: Opt(Type.Boolean()),
    }),
  ),
});
export type AllocateWithServiceFiltersRequest = Static<typeof AllocateWithServiceFiltersRequest>;

/** The SDK's AllocateAllConsignments…Request family (models.md §1.4); the path's ShipByDate wins over the body's. */
export const AllocateAllConsignmentsRequest = Type.Object({
  ShipByDate: Str,
  ShippingLocationReference: Str,
  MpdCarrierServiceReference: Str,
  MpdCarrierServiceGroupReference: Str,
});
