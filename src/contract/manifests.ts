/**
 * Manifest and dispatch request bodies (endpoints.md P2-10, P2-11, P2-14; decisions.md §11); what a
 * schema cannot say (required, non-blank, de-duplicated references) is src/http/reference-list.ts's.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Opt, Str } from './fields.js';
import { ReferenceList } from './consignments.js';

/** PUT /consignments/manifest (XML root ManifestConsignmentsRequest). */
export const ManifestConsignmentsRequest = Type.Object({ ConsignmentReferences: Type.Optional(Type.Array(Type.String())) });

/** PUT /consignments/Dispatch: a bare list of references, or the manifest request's shape. */
export const DispatchConsignmentsRequest = Type.Union([ReferenceList, ManifestConsignmentsRequest]);

/**
 * POST (or PUT) /consignments/manifestFromQuery. Every criterion is optional; `States` defaults to
 * Allocated and ReadyToShip. The prose's singular `ShippingLocationReference` is read too.
 */
export const ManifestFromQueryRequest = Type.Object({
  ShippingLocationReferences: Opt(Type.Array(Type.String())),
  ShippingLocationReference: Str,
  States: Opt(Type.Array(Type.String())),
  Carriers: Opt(Type.Array(Type.String())),
  LabelsPrinted: Opt(Type.Boolean()),
  /** A date (yyyy-MM-dd) or a date-time: consignments collected on that day. */
  ShippingDate: Str,
});
export type ManifestFromQueryRequest = Static<typeof ManifestFromQueryRequest>;
