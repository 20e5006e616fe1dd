/**
 * The event feed (decisions.md §13, docs/api/events.md): GET /events reads a subscription's events
 * in commit order with a cursor; SortedPRO's POST /events/consignments and
 * /events/consignments/stateevents (endpoints.md P2-35, P2-36; bodies unspecified by the vendor)
 * read the same events within a time window.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { ConsignmentEventRequest, ConsignmentStateEventRequest } from '../../contract/events.js';
import { EventPage } from '../../contract/responses.js';
import { utcTimestamp } from '../../domain/dates.js';
import { CONSIGNMENT_EVENT_TYPES, EVENT_TYPES, isEventType, type EventType } from '../../domain/events.js';
import { validationFailed, type ErrorDetail } from '../../use-cases/errors.js';
import { MAX_PAGE, readEvents, type EventPage as Page, type EventPageRequest } from '../../use-cases/events.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { send } from '../responses.js';
import { documented } from '../route-docs.js';
import { callerOf, type RouteDeps } from '../server.js';
import { typed } from '../xml-codec.js';

const DEFAULT_PAGE = 100;
const MAX_WINDOW_DAYS = 31;
const CURSOR = /^\d{1,15}$/;

/** Reads the cursor, the types and the page size, each problem listed; `types` limited to `allowed`. */
function readPaging(after: unknown, types: unknown, take: unknown, allowed: readonly EventType[], names: { after: string; types: string; take: string }, problems: ErrorDetail[]) {
  const request: Omit<EventPageRequest, 'from' | 'to'> = { after: 0, limit: DEFAULT_PAGE };
  if (after !== undefined && after !== null && String(after).trim() !== '') {
    const text = String(after).trim();
    if (CURSOR.test(text)) request.after = Number(text);
    else problems.push({ Code: 'Invalid', Target: names.after, Message: `${names.after} must be a cursor from an earlier page (digits; got ${text.slice(0, 20)})` });
  }
  if (take !== undefined && take !== null && String(take).trim() !== '') {
    const n = Number(String(take).trim());
    if (Number.isInteger(n) && n >= 1 && n <= MAX_PAGE) request.limit = n;
    else problems.push({ Code: 'Invalid', Target: names.take, Message: `${names.take} must be a whole number from 1 to ${MAX_PAGE}` });
  }
  const list = Array.isArray(types) ? types.flatMap((t) => String(t).split(',')) : typeof types === 'string' ? types.split(',') : [];
  const wanted = list.map((t) => t.trim().toLowerCase()).filter((t) => t !== '');
  for (const t of wanted) {
    if (!isEventType(t) || !allowed.includes(t)) problems.push({ Code: 'Invalid', Target: names.types, Message: `${t.slice(0, 40)} is not an event type here: use ${allowed.join(', ')}` });
  }
  request.types = wanted.length ? [...new Set(wanted as EventType[])] : allowed.length < EVENT_TYPES.length ? allowed : undefined;
  return request;
}

/** A moment of a window: ISO 8601, UTC without an offset. */
function readMoment(value: string, target: string, problems: ErrorDetail[]): DateTime | null {
  const dt = DateTime.fromISO(value.trim(), { setZone: true, zone: 'utc' });
  if (dt.isValid && dt.year >= 2000 && dt.year <= 2100) return dt;
  problems.push({ Code: 'Invalid', Target: target, Message: `${target} must be an ISO 8601 date-time (got ${value.slice(0, 40)})` });
  return null;
}

function readWindow(body: { From: string; To: string }, problems: ErrorDetail[]): { from?: string; to?: string } {
  const from = readMoment(body.From, 'From', problems);
  const to = readMoment(body.To, 'To', problems);
  if (!from || !to) return {};
  if (to <= from) problems.push({ Code: 'Invalid', Target: 'To', Message: 'To must be after From' });
  else if (to.diff(from, 'days').days > MAX_WINDOW_DAYS) problems.push({ Code: 'Invalid', Target: 'To', Message: `A window is at most ${MAX_WINDOW_DAYS} days` });
  return { from: utcTimestamp(from), to: utcTimestamp(to) };
}

const present = (page: Page) => typed('EventPage', { Events: page.events.map((e) => typed('Event', e)), After: String(page.after), HasMore: page.hasMore });

export function registerEventRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  type Feed = { Querystring: Record<string, unknown> };
  app.get<Feed>('/events', documented({
    summary: 'The subscription’s events in commit order, after a cursor (Switchyard)',
    query: {
      after: { description: 'The cursor: After of the page before; from the oldest event kept (30 days) when absent', type: 'string' },
      types: { description: `Comma-separated event types (${EVENT_TYPES.join(', ')}); all when absent`, type: 'string' },
      limit: { description: `Events per page, 1 to ${MAX_PAGE} (${DEFAULT_PAGE} when absent)`, type: 'integer' },
    },
    ok: [200, 'EventPage { Events, After, HasMore }'],
    response: EventPage,
    errors: [400, 401],
  }), async (req, reply) => {
    const problems: ErrorDetail[] = [];
    const q = req.query;
    const request = readPaging(q.after, q.types, q.limit, EVENT_TYPES, { after: 'after', types: 'types', take: 'limit' }, problems);
    if (problems.length) throw validationFailed(problems);
    return send(req, reply, 200, present(await readEvents(ctx, callerOf(req), request)));
  });

  const windowed = (types: readonly EventType[], pick: (req: FastifyRequest) => { From: string; To: string; After?: string | null; Take?: number | null; EventTypes?: string[] | null }) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const body = pick(req);
      const problems: ErrorDetail[] = [];
      const paging = readPaging(body.After, body.EventTypes, body.Take, types, { after: 'After', types: 'EventTypes', take: 'Take' }, problems);
      const window = readWindow(body, problems);
      if (problems.length) throw validationFailed(problems);
      return send(req, reply, 200, present(await readEvents(ctx, callerOf(req), { ...paging, ...window })));
    };

  app.post('/events/consignments', documented({
    summary: 'Consignment events of some types within a time window, in commit order (SortedPRO; body ours)',
    body: ConsignmentEventRequest,
    ok: [200, 'EventPage { Events, After, HasMore }'],
    response: EventPage,
    errors: [400, 401],
  }), windowed(CONSIGNMENT_EVENT_TYPES, (req) => readBody(ConsignmentEventRequest, req.body as ParsedBody)));

  app.post('/events/consignments/stateevents', documented({
    summary: 'Consignment state changes within a time window, in commit order (SortedPRO; body ours)',
    body: ConsignmentStateEventRequest,
    ok: [200, 'EventPage { Events, After, HasMore }'],
    response: EventPage,
    errors: [400, 401],
  }), windowed(['consignment.state_changed'], (req) => readBody(ConsignmentStateEventRequest, req.body as ParsedBody)));
}
