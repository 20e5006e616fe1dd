/**
 * Manifesting (decisions.md §11): consignments in Allocated, ReadyToShip or ManifestFailed are
 * handed to each carrier of their journey, grouped by carrier, shipping location and collection
 * day; each group the carrier takes becomes one manifest. A consignment is Manifested once every
 * leg is on a manifest; a carrier's refusal makes it ManifestFailed with the carrier's reason (the
 * legs other carriers took stay on their manifests, and manifesting again hands over only the
 * rest); a carrier that cannot be reached changes nothing of what it was to carry.
 *
 * No transaction is open while a carrier is called: the carriers answer first, then everything
 * decided is written in one transaction (store/manifests.repository.ts), each consignment
 * conditional on the version it was decided on. One that changed meanwhile is read again and
 * decided again on its own, as in allocation (decisions.md §4.8).
 */
import { randomBytes } from 'node:crypto';
import type { Consignment, ConsignmentLegRecord } from '../domain/consignment.js';
import { utcTimestamp } from '../domain/dates.js';
import { manifestCutOff, manifestGroups, manifestLine, type LegToManifest, type ManifestGroup } from '../domain/manifest.js';
import { allowedStates, canPerform } from '../domain/states.js';
import type { ManifestDraft, ManifestedChange } from '../store/manifests.repository.js';
import { consignmentsNotFound } from './allocate.js';
import type { AppContext, Caller } from './app-context.js';
import { shipmentOf } from './bookings.js';
import { callCarrier, CarrierOutages } from './carrier-calls.js';
import { mapInOrder, RACE_RETRIES } from './concurrency.js';

export type ManifestOutcome =
  | { kind: 'manifested'; reference: string; manifestReferences: string[] }
  /** A carrier refused a leg: the consignment is now ManifestFailed, `message` says why. */
  | { kind: 'failed'; reference: string; message: string }
  /** Its state does not allow manifesting: nothing changed. */
  | { kind: 'invalidState'; reference: string; message: string }
  /** A carrier could not be reached: nothing changed; the same request can be made again. */
  | { kind: 'carrierUnavailable'; reference: string; message: string }
  | { kind: 'busy'; reference: string; message: string };

/** 32 lower-case hex digits, random: manifests of one deployment never share one. */
export function newManifestReference(): string {
  return randomBytes(16).toString('hex');
}

/** Manifests handed to carriers at the same time, in one round. */
const CARRIERS_AT_ONCE = 4;

/** What the carriers said about one leg. */
type LegAnswer = { kind: 'accepted'; manifest: ManifestDraft } | { kind: 'refused'; message: string } | { kind: 'unreachable'; message: string };

/** Hands one group to its carrier: the manifest it makes (null when it took nothing), and each consignment's answer. */
async function handOver(ctx: AppContext, outages: CarrierOutages, caller: Caller, group: ManifestGroup): Promise<Map<string, LegAnswer>> {
  const answers = new Map<string, LegAnswer>();
  const carrier = ctx.catalogue.carrier(group.key.carrierReference);
  if (!carrier) {
    // Booked with a carrier the catalogue no longer has: nobody to hand it to.
    const message = `carrier ${group.key.carrierReference} is no longer in the catalogue`;
    for (const { consignment } of group.legs) answers.set(consignment.reference, { kind: 'unreachable', message });
    return answers;
  }
  const connector = ctx.carriers.connectorFor(carrier);
  const location = group.key.shippingLocationReference ? await ctx.locations.find(caller.subscriptionId, group.key.shippingLocationReference) : undefined;
  const manifest: ManifestDraft = {
    reference: newManifestReference(),
    carrierReference: carrier.reference,
    carrierName: carrier.name,
    shippingLocationReference: location?.reference ?? group.key.shippingLocationReference,
    shippingLocationName: location?.name ?? null,
    collectionDay: group.key.collectionDay,
    timeZone: location?.timeZone ?? group.legs[0].consignment.data.timeZone,
    carrierManifestReference: null,
    members: group.legs.map(({ consignment, leg }) => ({ consignmentId: consignment.id, line: manifestLine(consignment, leg) })),
  };
  const accepted: LegAnswer = { kind: 'accepted', manifest };
  // A connector that offers no manifest operation has nothing to be told: the manifest is ours alone.
  if (!connector.manifest) {
    for (const { consignment } of group.legs) answers.set(consignment.reference, accepted);
    return answers;
  }
  const shipments = group.legs.map(({ consignment, leg }) => shipmentToManifest(ctx, consignment, leg));
  const request = { carrier, shippingLocationReference: manifest.shippingLocationReference, collectionDay: group.key.collectionDay, shipments };
  const what = `a manifest of ${shipments.length} consignment(s) for ${group.key.collectionDay}`;
  const call = await callCarrier(ctx, outages, carrier, connector.timeoutMs, what, (options) => connector.manifest!(request, options));
  if (call.kind === 'unreachable') {
    for (const { consignment } of group.legs) answers.set(consignment.reference, { kind: 'unreachable', message: call.message });
    return answers;
  }
  manifest.carrierManifestReference = call.value.carrierManifestReference;
  const refused = new Map(call.value.refused.map((r) => [r.consignmentReference, r.refusal.message]));
  for (const { consignment } of group.legs) {
    const why = refused.get(consignment.reference);
    answers.set(consignment.reference, why === undefined ? accepted : { kind: 'refused', message: `${carrier.name} refused it: ${why}` });
  }
  ctx.logger.debug({ carrier: carrier.reference, manifest: manifest.reference, legs: group.legs.length, refused: refused.size }, 'manifest handed to its carrier');
  return answers;
}

function shipmentToManifest(ctx: AppContext, consignment: Consignment, leg: ConsignmentLegRecord) {
  const allocation = consignment.allocation!;
  const service = ctx.catalogue.service(allocation.mpdCarrierServiceReference);
  const calendar = service ? ctx.catalogue.calendarOf(service) : ctx.catalogue.carrier(leg.carrierReference)!.collectionCalendar;
  return {
    ...shipmentOf(consignment, allocation.collectionDate),
    legNumber: leg.leg,
    carrierServiceReference: leg.carrierServiceReference,
    bookingReference: leg.bookingReference ?? null,
    carrierBookingReference: leg.carrierBookingReference ?? null,
    trackingReferences: leg.trackingReferences,
    cutOff: manifestCutOff(allocation.collectionDate, calendar),
  };
}

interface Round {
  outcomes: Map<string, ManifestOutcome>;
  /** Changed meanwhile: to read and decide again. */
  lost: string[];
}

/** One round: the carriers asked, then one transaction written; what it decided, and what changed meanwhile. */
async function manifestRound(ctx: AppContext, caller: Caller, outages: CarrierOutages, consignments: Consignment[]): Promise<Round> {
  const outcomes = new Map<string, ManifestOutcome>();
  const live = await ctx.manifests.liveLegs(caller.subscriptionId, consignments.map((c) => c.id));
  const legs: LegToManifest[] = [];
  const toManifest: Consignment[] = [];
  for (const consignment of consignments) {
    if (!consignment.allocation) {
      outcomes.set(consignment.reference, { kind: 'invalidState', reference: consignment.reference, message: `Consignment ${consignment.reference} cannot be manifested: it has no allocation` });
      continue;
    }
    toManifest.push(consignment);
    for (const leg of consignment.allocation.legs) if (!live.get(consignment.id)?.has(leg.leg)) legs.push({ consignment, leg });
  }
  const answers = new Map<string, LegAnswer[]>();
  const manifests: ManifestDraft[] = [];
  const groups = manifestGroups(legs);
  // Carriers are asked a few at a time: one slow carrier does not hold up the others' manifests.
  const handed = await mapInOrder(groups, CARRIERS_AT_ONCE, (group) => handOver(ctx, outages, caller, group));
  for (const answered of handed) {
    const drafted = [...answered.values()].find((a) => a.kind === 'accepted');
    if (drafted?.kind === 'accepted') {
      const taken = new Set([...answered].filter(([, a]) => a.kind === 'accepted').map(([ref]) => ref));
      drafted.manifest.members = drafted.manifest.members.filter((m) => taken.has(m.line.consignmentReference));
      manifests.push(drafted.manifest);
    }
    for (const [ref, answer] of answered) answers.set(ref, [...(answers.get(ref) ?? []), answer]);
  }
  // Stamped once the carriers have answered: when the manifests came to be.
  const at = utcTimestamp(ctx.clock.now());
  const changes: ManifestedChange[] = [];
  const decided = new Map<number, ManifestOutcome>();
  for (const consignment of toManifest) {
    const ref = consignment.reference;
    const mine = answers.get(ref) ?? [];
    const taken = mine.flatMap((a) => (a.kind === 'accepted' ? [a.manifest] : []));
    const refusals = mine.flatMap((a) => (a.kind === 'refused' ? [a.message] : []));
    const unreachable = mine.flatMap((a) => (a.kind === 'unreachable' ? [a.message] : []));
    if (!refusals.length && !unreachable.length) {
      const names = taken.map((m) => `${m.carrierName} (manifest ${m.reference})`).join(', ');
      changes.push({ consignmentId: consignment.id, version: consignment.version, to: 'Manifested', message: `Manifested with ${names || 'every carrier of its journey'}`, failure: null });
      decided.set(consignment.id, { kind: 'manifested', reference: ref, manifestReferences: taken.map((m) => m.reference) });
    } else if (refusals.length || taken.length) {
      // Some leg did not complete: ManifestFailed, the legs taken kept on their manifests.
      const why = [...refusals, ...unreachable.map((u) => `${u}; manifest it again once the carrier answers`)].join('; ');
      changes.push({ consignmentId: consignment.id, version: consignment.version, to: 'ManifestFailed', message: `Manifest failed: ${why}`, failure: why });
      decided.set(consignment.id, { kind: 'failed', reference: ref, message: `Consignment ${ref} could not be manifested: ${why}` });
    } else {
      outcomes.set(ref, { kind: 'carrierUnavailable', reference: ref, message: `Consignment ${ref} was not manifested: ${unreachable[0]}; nothing was changed, try again later` });
    }
  }
  const changed = changes.length
    ? await ctx.manifests.record({ subscriptionId: caller.subscriptionId, fromStates: allowedStates('manifest'), at, changes, manifests })
    : new Set<number>();
  const lost: string[] = [];
  for (const consignment of toManifest) {
    const outcome = decided.get(consignment.id);
    if (!outcome) continue;
    if (changed.has(consignment.id)) outcomes.set(consignment.reference, outcome);
    else lost.push(consignment.reference);
  }
  return { outcomes, lost };
}

/**
 * Manifests the caller's consignments given (all of them the caller's, canonical references, no
 * duplicates): one outcome per consignment, in the order given.
 */
export async function manifestFound(ctx: AppContext, caller: Caller, consignments: Consignment[]): Promise<ManifestOutcome[]> {
  const outcomes = new Map<string, ManifestOutcome>();
  const outages = new CarrierOutages();
  let pending = consignments;
  for (let attempt = 0; attempt < RACE_RETRIES && pending.length; attempt++) {
    const eligible: Consignment[] = [];
    for (const c of pending) {
      if (canPerform('manifest', c.state)) eligible.push(c);
      else outcomes.set(c.reference, { kind: 'invalidState', reference: c.reference, message: `Consignment ${c.reference} cannot be manifested: it is ${c.state}` });
    }
    if (!eligible.length) break;
    const round = await manifestRound(ctx, caller, outages, eligible);
    for (const [ref, outcome] of round.outcomes) outcomes.set(ref, outcome);
    const again = await ctx.consignments.findByReferences(caller.subscriptionId, round.lost);
    pending = round.lost.flatMap((ref) => again.get(ref) ?? []);
  }
  for (const c of pending) {
    if (!outcomes.has(c.reference)) outcomes.set(c.reference, { kind: 'busy', reference: c.reference, message: `Consignment ${c.reference} kept changing while it was being manifested; try again` });
  }
  return consignments.map((c) => outcomes.get(c.reference) ?? { kind: 'busy', reference: c.reference, message: `Consignment ${c.reference} changed while it was being manifested; try again` });
}

/** PUT /consignments/manifest: unknown references 404 first (nothing changed), then one outcome per reference, in request order. */
export async function manifestConsignments(ctx: AppContext, caller: Caller, references: string[]): Promise<ManifestOutcome[]> {
  const found = await ctx.consignments.findByReferences(caller.subscriptionId, references);
  const missing = references.filter((r) => !found.has(r));
  if (missing.length) throw consignmentsNotFound(missing);
  return manifestFound(ctx, caller, references.map((r) => found.get(r)!));
}
