/**
 * The tracking request body (decisions.md §12, endpoints.md P2-19): a list of events, each for
 * one package on one leg, named by its tracking reference or by consignment and package
 * references. What a schema cannot say (one of the two ways of naming the package, a TimeStamp
 * that is a date-time) is src/http/routes/tracking.ts's.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Opt, Str } from './fields.js';

/** One event (XML: CarrierTrackingEvent). */
export const CarrierTrackingEvent = Type.Object({
  TrackingReference: Str,
  ConsignmentReference: Str,
  PackageReference: Str,
  /** 1 for the first leg; with a tracking reference, the leg it is on; otherwise 1 when absent. */
  Leg: Opt(Type.Integer({ minimum: 1, maximum: 100 })),
  /** ISO 8601; without an offset it is taken as UTC. */
  TimeStamp: Type.String(),
  /** One of the published vocabulary (docs/api/tracking.md), any case. */
  Code: Type.String(),
  Description: Str,
  Location: Str,
  SignedBy: Str,
});
export type CarrierTrackingEvent = Static<typeof CarrierTrackingEvent>;

/** POST /tracking/carrierevents (XML root ArrayOfCarrierTrackingEvent). */
export const CarrierEventsRequest = Type.Array(CarrierTrackingEvent);
