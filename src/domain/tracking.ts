/**
 * Tracking (decisions.md §12): the published vocabulary of event codes, each mapped to the
 * consignment state it means, and the rule that derives a consignment's state from its
 * packages' events. Pure: the use-cases hand in what the store holds.
 */
import { canPerform, type ConsignmentState } from './states.js';

/** Every code an event may carry, and the state it means; `INFO` changes nothing. docs/api/tracking.md lists them. */
export const TRACKING_CODES = {
  COLLECTED: 'Collected',
  AT_DROP_OFF_POINT: 'AtDropOffPoint',
  IN_TRANSIT: 'InTransit',
  DELAYED: 'Delayed',
  AT_CUSTOMS: 'AtCustoms',
  HELD_BY_CARRIER: 'HeldByCarrier',
  OUT_FOR_DELIVERY: 'OutForDelivery',
  DELIVERY_FAILED: 'DeliveryFailed',
  DELIVERY_FAILED_CARD_LEFT: 'DeliveryFailedCardLeft',
  AT_COLLECTION_POINT: 'AtCollectionPoint',
  DELIVERED: 'Delivered',
  DELIVERED_DAMAGED: 'DeliveredDamaged',
  RETURN_TO_SENDER: 'ReturnToSender',
  ACTION_REQUIRED: 'ActionRequired',
  MISSING: 'Missing',
  LOST: 'Lost',
  DAMAGED: 'Damaged',
  COLLECTION_FAILED: 'CollectionFailed',
  CARRIER_UNABLE_TO_COLLECT: 'CarrierUnableToCollect',
  IN_TRANSIT_WAITING: 'InTransitWaiting',
  EXCHANGE_FAILED: 'ExchangeFailed',
  INFO: null,
} as const satisfies Record<string, ConsignmentState | null>;

export type TrackingCode = keyof typeof TRACKING_CODES;

export const TRACKING_CODE_LIST = Object.keys(TRACKING_CODES) as TrackingCode[];

/** The code written in any case (and with spaces or hyphens for underscores), or undefined when it is not one of the vocabulary. */
export function trackingCodeNamed(text: string): TrackingCode | undefined {
  const wanted = text.trim().toUpperCase().replace(/[\s-]+/g, '_');
  return wanted in TRACKING_CODES ? (wanted as TrackingCode) : undefined;
}

/** The state a code means, or null for one that changes nothing (INFO). */
export function stateOfCode(code: TrackingCode): ConsignmentState | null {
  return TRACKING_CODES[code];
}

/** Delivered, or delivered damaged: a package that has reached its addressee. */
const DELIVERED_STATES: readonly ConsignmentState[] = ['Delivered', 'DeliveredDamaged'];

/** Whether a consignment in `state` takes tracking events (Manifested, Dispatched or any shipped state). */
export function acceptsTrackingEvents(state: ConsignmentState): boolean {
  return canPerform('trackingEvents', state);
}

/** One recorded event, as the rule needs it. */
export interface RecordedEvent {
  packageReference: string;
  code: TrackingCode;
  /** UTC timestamp (text order is time order). */
  at: string;
  /** The order it was recorded in: breaks ties between events of the same moment (the later recorded wins). */
  seq: number;
  /** The journey's leg it is of (1 when not given). */
  leg?: number;
}

export interface TrackingOutcome {
  /** The state the events give; null when no event means a state (none yet, or only INFO). */
  state: ConsignmentState | null;
  /** The earliest COLLECTED moment, or null. */
  dateCollected: string | null;
  /** Once every package is delivered: the moment the last one was; otherwise null. */
  dateDelivered: string | null;
}

const later = (a: RecordedEvent, b: RecordedEvent) => a.at > b.at || (a.at === b.at && a.seq > b.seq);

/**
 * The state an event means for its consignment. On a journey of several legs, a delivery on a leg
 * before the last is the handover to the next carrier: the parcel is in transit, not delivered.
 */
function stateOfEvent(e: RecordedEvent, lastLeg: number): ConsignmentState | null {
  const state = stateOfCode(e.code);
  return state !== null && DELIVERED_STATES.includes(state) && (e.leg ?? 1) < lastLeg ? 'InTransit' : state;
}

/**
 * A consignment's state from its packages' events, by TimeStamp and not by arrival order (decisions.md §12):
 * every package's latest event that means a state decides that package's state; all packages
 * delivered → Delivered (DeliveredDamaged when any was delivered damaged); some → PartiallyDelivered;
 * otherwise the state of the most recent such event of any package. Only the last leg (`lastLeg`)
 * delivers: an earlier leg's delivery is a handover (InTransit).
 */
export function trackingOutcome(packageReferences: readonly string[], events: readonly RecordedEvent[], lastLeg = 1): TrackingOutcome {
  const latest = new Map<string, RecordedEvent>();
  let mostRecent: RecordedEvent | null = null;
  let dateCollected: string | null = null;
  for (const e of events) {
    if (e.code === 'COLLECTED' && (dateCollected === null || e.at < dateCollected)) dateCollected = e.at;
    if (stateOfCode(e.code) === null) continue;
    const previous = latest.get(e.packageReference);
    if (!previous || later(e, previous)) latest.set(e.packageReference, e);
    if (!mostRecent || later(e, mostRecent)) mostRecent = e;
  }
  if (!mostRecent) return { state: null, dateCollected, dateDelivered: null };
  const delivered = packageReferences.map((p) => latest.get(p)).filter((e): e is RecordedEvent => !!e && DELIVERED_STATES.includes(stateOfEvent(e, lastLeg)!));
  if (packageReferences.length > 0 && delivered.length === packageReferences.length) {
    const damaged = delivered.some((e) => e.code === 'DELIVERED_DAMAGED');
    const last = delivered.reduce((a, b) => (b.at > a.at ? b : a));
    return { state: damaged ? 'DeliveredDamaged' : 'Delivered', dateCollected, dateDelivered: last.at };
  }
  if (delivered.length > 0) return { state: 'PartiallyDelivered', dateCollected, dateDelivered: null };
  return { state: stateOfEvent(mostRecent, lastLeg), dateCollected, dateDelivered: null };
}
