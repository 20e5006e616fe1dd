/**
 * Tracking (decisions.md §12, endpoints.md P2-17 … P2-19): a consignment's events, by package and
 * leg or flattened, and the endpoint an integration pushes its carriers' events to. A pushed batch
 * answers one WithMessage<string> per event in request order (recorded, a duplicate ignored, or
 * refused with why); a body that is not a list of events, or an event without a package to be
 * for or a TimeStamp that is not a date-time, is 400 with every problem listed.
 */
import type { FastifyInstance } from 'fastify';
import { ConsignmentTracking, FlattenedConsignmentTracking, WithMessages } from '../../contract/responses.js';
import { CarrierEventsRequest } from '../../contract/tracking.js';
import { MAX_TEXT, MAX_TRACKING_EVENTS as MAX_EVENTS } from '../../domain/limits.js';
import type { ErrorDetail } from '../../use-cases/errors.js';
import { getTracking, readTimeStamp, TIMESTAMP_YEARS, recordCarrierEvents, type CarrierEventInput, type EventOutcome } from '../../use-cases/tracking.js';
import { apiLink } from '../presenters/api-link.js';
import { presentFlattenedTracking, presentTracking } from '../presenters/tracking.js';
import { withMessage } from '../presenters/with-message.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { send } from '../responses.js';
import { CONSIGNMENT_REFERENCE, documented } from '../route-docs.js';
import { baseUrl, callerOf, type RouteDeps } from '../server.js';


const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** The event's texts: at most MAX_TEXT characters each, and no NUL (which PostgreSQL cannot store). */
const TEXTS = ['TrackingReference', 'ConsignmentReference', 'PackageReference', 'Code', 'Description', 'Location', 'SignedBy'] as const;

/** What the schema cannot say of each event: which package it is for, a TimeStamp that is a date-time, and texts it can keep. */
function eventRules(value: unknown): ErrorDetail[] {
  if (!Array.isArray(value)) return [];
  const problems: ErrorDetail[] = [];
  if (value.length > MAX_EVENTS) problems.push({ Code: 'TooMany', Target: 'body', Message: `At most ${MAX_EVENTS} events may be sent at once (got ${value.length})` });
  value.forEach((e: Record<string, unknown> | null, i) => {
    if (typeof e !== 'object' || e === null) return;
    const at = `body[${i}]`;
    if (blank(e.TrackingReference) && (blank(e.ConsignmentReference) || blank(e.PackageReference))) {
      problems.push({ Code: 'Required', Target: `${at}.TrackingReference`, Message: `${at} needs a TrackingReference, or a ConsignmentReference and a PackageReference` });
    }
    if (typeof e.TimeStamp === 'string' && !readTimeStamp(e.TimeStamp)) {
      problems.push({ Code: 'Invalid', Target: `${at}.TimeStamp`, Message: `${at}.TimeStamp must be an ISO 8601 date-time from the year ${TIMESTAMP_YEARS.from} to ${TIMESTAMP_YEARS.to} (got ${e.TimeStamp.slice(0, 40)})` });
    }
    if (typeof e.Code === 'string' && e.Code.trim() === '') problems.push({ Code: 'Required', Target: `${at}.Code`, Message: `${at}.Code is required` });
    for (const field of TEXTS) {
      const v = e[field];
      if (typeof v === 'string' && (v.includes('\u0000') || v.length > MAX_TEXT)) {
        problems.push({ Code: 'Invalid', Target: `${at}.${field}`, Message: `${at}.${field} must be at most ${MAX_TEXT} characters, without NUL` });
      }
    }
  });
  return problems.slice(0, 50);
}

const text = (v: string | null | undefined) => (v === undefined || v === null || v.trim() === '' ? null : v.trim());

function entry(o: EventOutcome, base: string): object {
  switch (o.kind) {
    case 'recorded':
      return withMessage(true, 'Tracking event recorded', o.reference, [apiLink('tracking', `${base}/tracking/${o.consignmentReference}`)]);
    case 'duplicate':
      return withMessage(true, 'Tracking event already recorded; the duplicate was ignored', o.reference, [apiLink('tracking', `${base}/tracking/${o.consignmentReference}`)]);
    default:
      return withMessage(false, o.message, o.reference);
  }
}

export function registerTrackingRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  app.get<{ Params: { reference: string } }>('/tracking/:reference', documented({
    summary: "A consignment's tracking events, per package and leg (each package's events also flat, for the PHP client)",
    params: CONSIGNMENT_REFERENCE,
    ok: [200, 'ConsignmentViewModel'],
    response: ConsignmentTracking,
    errors: [401, 404],
  }), async (req, reply) => {
    return send(req, reply, 200, presentTracking(await getTracking(ctx, callerOf(req), req.params.reference)));
  });

  app.get<{ Params: { reference: string } }>('/tracking/flattened/:reference', documented({
    summary: "A consignment's tracking events per package, whatever the leg",
    params: CONSIGNMENT_REFERENCE,
    ok: [200, 'FlattenedConsignmentViewModel'],
    response: FlattenedConsignmentTracking,
    errors: [401, 404],
  }), async (req, reply) => {
    return send(req, reply, 200, presentFlattenedTracking(await getTracking(ctx, callerOf(req), req.params.reference)));
  });

  app.post('/tracking/carrierevents', documented({
    summary: "Record carriers' tracking events (each by TrackingReference, or ConsignmentReference and PackageReference)",
    body: CarrierEventsRequest,
    ok: [200, 'WithMessage<string>[], one per event in request order'], response: WithMessages,
    errors: [400, 401],
  }), async (req, reply) => {
    const body = readBody(CarrierEventsRequest, req.body as ParsedBody, eventRules);
    const events: CarrierEventInput[] = body.map((e) => ({
      trackingReference: text(e.TrackingReference),
      consignmentReference: text(e.ConsignmentReference),
      packageReference: text(e.PackageReference),
      leg: e.Leg ?? null,
      timeStamp: e.TimeStamp,
      code: e.Code,
      description: text(e.Description),
      location: text(e.Location),
      signedBy: text(e.SignedBy),
    }));
    const outcomes = await recordCarrierEvents(ctx, callerOf(req), events);
    const base = baseUrl(req, options);
    return send(req, reply, 200, outcomes.map((o) => entry(o, base)), 'ArrayOfWithMessageOfString');
  });
}
