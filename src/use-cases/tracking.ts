/**
 * Tracking (decisions.md §12): reading a consignment's events, and recording events, whether a
 * carrier's integration pushes them (POST /tracking/carrierevents) or the tracker fetched them.
 * Each event is for one package on one leg, found by its tracking number or by consignment and
 * package references; each is decided on its own (recorded, a duplicate ignored, or refused
 * with why), and a batch is written in one transaction (store/tracking.repository.ts).
 */
import { DateTime } from 'luxon';
import type { Consignment } from '../domain/consignment.js';
import { utcTimestamp } from '../domain/dates.js';
import { canonicalReference } from '../domain/references.js';
import { acceptsTrackingEvents, trackingCodeNamed, TRACKING_CODE_LIST } from '../domain/tracking.js';
import type { NewTrackingEvent, StoredTrackingEvent, TrackedConsignment } from '../store/tracking.repository.js';
import type { AppContext, Caller } from './app-context.js';
import { getConsignment } from './get-consignment.js';

/** One event as an integration sends it, its shape already checked at the edge. */
export interface CarrierEventInput {
  trackingReference: string | null;
  consignmentReference: string | null;
  packageReference: string | null;
  leg: number | null;
  /** ISO 8601; without an offset it is taken as UTC. */
  timeStamp: string;
  code: string;
  description: string | null;
  location: string | null;
  signedBy: string | null;
}

export type EventOutcome =
  | { kind: 'recorded'; reference: string; consignmentReference: string }
  /** The same event (package, leg, code and moment) was recorded before: ignored. */
  | { kind: 'duplicate'; reference: string; consignmentReference: string }
  | { kind: 'refused'; reference: string; message: string };

/** A TimeStamp read: the moment as the API writes it back (its own offset, always as a number), and as a UTC timestamp. */
export interface TimeStamp {
  text: string;
  utc: string;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * The moments an event may have: its UTC timestamp within these years, so that stored moments
 * (compared as text, yyyy-MM-dd…) always have four-digit years and sort as time does.
 */
export const TIMESTAMP_YEARS = { from: 1900, to: 9998 } as const;

const inYears = (utc: string) => {
  const year = /^\d{4}-/.test(utc) ? Number(utc.slice(0, 4)) : NaN;
  return year >= TIMESTAMP_YEARS.from && year <= TIMESTAMP_YEARS.to;
};

/**
 * Reads an ISO 8601 date-time (without an offset it is taken as UTC) whose moment falls within
 * TIMESTAMP_YEARS, or null. The common form is read by hand, the rest by luxon: a batch of events
 * spent a fifth of its time in luxon.
 */
export function readTimeStamp(input: string): TimeStamp | null {
  const text = input.trim();
  const m = ISO.exec(text);
  if (!m) {
    const dt = DateTime.fromISO(text, { setZone: true, zone: 'utc' });
    const year = dt.isValid ? dt.toUTC().year : NaN;
    if (!(year >= TIMESTAMP_YEARS.from && year <= TIMESTAMP_YEARS.to)) return null;
    const utc = utcTimestamp(dt);
    return inYears(utc) ? { text: timeStampText(dt), utc } : null;
  }
  if (Number(m[1]) < TIMESTAMP_YEARS.from - 1 || Number(m[1]) > TIMESTAMP_YEARS.to + 1) return null;
  const [, y, mo, d, h, mi, sec = '00', frac = '', zone = 'Z'] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
  const check = new Date(local);
  if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return null;
  let offset = '+00:00';
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5) || '0');
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (oh * 60 + om);
    offset = `${digits[0]}${digits.slice(1, 3)}:${digits.slice(3, 5) || '00'}`;
  }
  const utc = new Date(local - offsetMinutes * 60_000).toISOString().replace(/Z$/, '+00:00');
  if (!inYears(utc)) return null;
  return { text: `${y}-${mo}-${d}T${h}:${mi}:${sec}${ms ? `.${String(ms).padStart(3, '0')}` : ''}${offset}`, utc };
}

/** A TimeStamp as the API writes it back: in its own offset, always written as a number (+00:00, not Z). */
export function timeStampText(dt: DateTime): string {
  return dt.toFormat(dt.millisecond ? "yyyy-MM-dd'T'HH:mm:ss.SSSZZ" : "yyyy-MM-dd'T'HH:mm:ssZZ");
}

/** The name the catalogue gives a leg's product (what the tracking shows as CarrierServiceName). */
export function carrierServiceNameOf(ctx: AppContext, consignment: Pick<Consignment, 'allocation'>, legNumber: number): string | null {
  const allocation = consignment.allocation;
  if (!allocation) return null;
  const planned = ctx.catalogue.service(allocation.mpdCarrierServiceReference)?.journey[legNumber - 1];
  return planned?.carrierServiceName ?? allocation.mpdCarrierServiceName;
}

/** What an event is for, once found; or why it cannot be recorded. */
type Resolved = { kind: 'found'; consignment: TrackedConsignment; packageReference: string; leg: number; trackingReference?: string } | { kind: 'refused'; message: string };

const CODES_TEXT = 'one of the published codes (docs/api/tracking.md)';

function itemReference(e: CarrierEventInput): string {
  return e.trackingReference?.trim() || e.consignmentReference?.trim() || e.packageReference?.trim() || '';
}

/** Finds each event's consignment, package and leg, two queries for the whole batch. */
async function resolve(ctx: AppContext, caller: Caller, events: readonly CarrierEventInput[]): Promise<Resolved[]> {
  const byNumber = await ctx.tracking.findTrackingNumbers(
    caller.subscriptionId,
    events.filter((e) => e.trackingReference).map((e) => canonicalReference(e.trackingReference!)),
  );
  const byReference = await ctx.consignments.findByReferences(
    caller.subscriptionId,
    [...new Set(events.filter((e) => !e.trackingReference && e.consignmentReference).map((e) => canonicalReference(e.consignmentReference!)))],
  );
  const ids = [...byNumber.values()].flatMap((list) => list.map((n) => n.consignmentId));
  const byId = await ctx.tracking.consignmentsForEvents(caller.subscriptionId, ids);
  return events.map((e): Resolved => {
    if (e.trackingReference) {
      const ref = canonicalReference(e.trackingReference);
      // The most recent consignment with that number (a number is unique to a booking; this only guards).
      const matches = (byNumber.get(ref) ?? []).filter((n) => e.leg === null || n.leg === e.leg).sort((a, b) => b.consignmentId - a.consignmentId);
      const match = matches[0];
      if (!match) {
        const onAnotherLeg = e.leg !== null && (byNumber.get(ref) ?? []).length > 0;
        return { kind: 'refused', message: onAnotherLeg ? `Tracking reference ${ref} is not on leg ${e.leg}` : `No manifested package has tracking reference ${ref}` };
      }
      return { kind: 'found', consignment: byId.get(match.consignmentId)!, packageReference: match.packageReference, leg: match.leg, trackingReference: ref };
    }
    const consignment = byReference.get(canonicalReference(e.consignmentReference!));
    if (!consignment) return { kind: 'refused', message: `No consignment ${canonicalReference(e.consignmentReference!)} exists for this subscription` };
    const packageReference = canonicalReference(e.packageReference!);
    if (!consignment.data.packages.some((p) => p.reference === packageReference)) return { kind: 'refused', message: `Consignment ${consignment.reference} has no package ${packageReference}` };
    const leg = e.leg ?? 1;
    const legs = consignment.allocation?.legs.length ?? 0;
    if (acceptsTrackingEvents(consignment.state) && (leg < 1 || leg > legs)) return { kind: 'refused', message: `Consignment ${consignment.reference} has no leg ${leg} (it has ${legs})` };
    return { kind: 'found', consignment, packageReference, leg };
  });
}

/**
 * Records events for the caller's consignments, each decided on its own, in request order:
 * recorded, a duplicate ignored, or refused (an unknown code or reference, a consignment whose
 * state takes no tracking events, named).
 */
export async function recordCarrierEvents(ctx: AppContext, caller: Caller, events: readonly CarrierEventInput[], recordedBy = 'api'): Promise<EventOutcome[]> {
  const resolved = await resolve(ctx, caller, events);
  const outcomes: (EventOutcome | null)[] = events.map(() => null);
  const toRecord: { index: number; event: NewTrackingEvent; consignmentReference: string }[] = [];
  events.forEach((e, index) => {
    const reference = itemReference(e);
    const code = trackingCodeNamed(e.code);
    const at = readTimeStamp(e.timeStamp);
    const r = resolved[index];
    if (!code) outcomes[index] = { kind: 'refused', reference, message: `Unknown tracking code ${e.code.trim().slice(0, 40)}: use ${CODES_TEXT}` };
    else if (!at) outcomes[index] = { kind: 'refused', reference, message: `TimeStamp ${e.timeStamp.slice(0, 40)} is not an ISO 8601 date-time` };
    else if (r.kind === 'refused') outcomes[index] = { kind: 'refused', reference, message: r.message };
    else if (!acceptsTrackingEvents(r.consignment.state)) outcomes[index] = { kind: 'refused', reference, message: refusal(r.consignment.reference, r.consignment.state) };
    else {
      toRecord.push({
        index,
        consignmentReference: r.consignment.reference,
        event: {
          consignmentId: r.consignment.id,
          packageReference: r.packageReference,
          leg: r.leg,
          timeStamp: at.text,
          at: at.utc,
          code,
          description: e.description,
          signedBy: e.signedBy,
          location: e.location,
          carrierServiceName: carrierServiceNameOf(ctx, r.consignment, r.leg),
          ...(r.trackingReference ? { trackingReference: r.trackingReference } : {}),
        },
      });
    }
  });
  const { outcomes: recorded } = await ctx.tracking.record(caller.subscriptionId, toRecord.map((t) => t.event), utcTimestamp(ctx.clock.now()), recordedBy);
  toRecord.forEach((t, i) => {
    const o = recorded[i];
    const reference = itemReference(events[t.index]);
    outcomes[t.index] =
      o.kind === 'refused'
        ? { kind: 'refused', reference, message: refusal(o.reference, o.state) }
        : o.kind === 'notCurrent'
          ? { kind: 'refused', reference, message: `Tracking reference ${o.trackingReference} is no longer consignment ${o.reference}'s: it was deallocated meanwhile` }
          : { kind: o.kind, reference, consignmentReference: t.consignmentReference };
  });
  return outcomes as EventOutcome[];
}

function refusal(reference: string, state: string): string {
  return `Consignment ${reference} cannot take tracking events: it is ${state} (events are taken once it is Manifested)`;
}

export interface ConsignmentTracking {
  consignment: Consignment;
  events: StoredTrackingEvent[];
  /** Each leg's product name (CarrierServiceName), by leg number. */
  legNames: Map<number, string | null>;
}

/** A consignment of the caller's and its events, oldest first; another subscription's is as absent as an unknown one. */
export async function getTracking(ctx: AppContext, caller: Caller, reference: string): Promise<ConsignmentTracking> {
  const consignment = await getConsignment(ctx, caller, reference);
  const events = await ctx.tracking.eventsOf(caller.subscriptionId, consignment.id);
  const legNames = new Map<number, string | null>();
  for (const leg of new Set([...(consignment.allocation?.legs ?? []).map((l) => l.leg), ...events.map((e) => e.leg)])) {
    legNames.set(leg, events.find((e) => e.leg === leg && e.carrierServiceName)?.carrierServiceName ?? carrierServiceNameOf(ctx, consignment, leg));
  }
  return { consignment, events, legNames };
}

export { TRACKING_CODE_LIST };
