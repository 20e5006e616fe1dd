/** The labels request body (endpoints.md P2-5): the SDK's GetLabelsRequest; what a schema cannot say is the route's rules. */
import { Type, type Static } from '@sinclair/typebox';
import { Opt, Str } from './fields.js';

/**
 * `PageSize` is the SDK's enum: 0 (A6, a 4 × 6 in label a page) or 1 (A4, four to a page), also
 * as its name. `CustomerReference`, `AccountReference` and `AutoPrint` are the SDK's and change
 * nothing here. `LabelFormat` (PDF by default) and `PackageReference` are Switchyard's additions.
 */
export const GetLabelsRequest = Type.Object({
  MpdConsignmentReference: Opt(Type.String()),
  PageSize: Opt(Type.Union([Type.Integer(), Type.String()])),
  CustomerReference: Str,
  AccountReference: Str,
  AutoPrint: Opt(Type.Boolean()),
  LabelFormat: Str,
  PackageReference: Str,
});
export type GetLabelsRequest = Static<typeof GetLabelsRequest>;

/**
 * POST /labels/consignments (Switchyard; XML root ConsignmentsLabelsRequest): the consignments
 * whose labels to print as one PDF, in order, and the page size as GetLabels reads it. What a
 * schema cannot say (at least one reference, at most 1,000, none blank, duplicates merged; the
 * page size's words) is the route's.
 */
export const ConsignmentsLabelsRequest = Type.Object({
  ConsignmentReferences: Opt(Type.Array(Type.String())),
  PageSize: Opt(Type.Union([Type.Integer(), Type.String()])),
});
export type ConsignmentsLabelsRequest = Static<typeof ConsignmentsLabelsRequest>;
