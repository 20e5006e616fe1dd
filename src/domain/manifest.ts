/**
 * Manifests (decisions.md §11): a manifest is what one carrier collects from one shipping location
 * on one collection day. A consignment is manifested with every carrier of its journey: each leg
 * goes on the manifest of its own carrier, location and day, and the consignment is Manifested
 * once every leg is on one. Here: how legs are grouped, the lines a manifest keeps for each leg,
 * and what its file says (the view-model the PDF renderer draws).
 */
import { DateTime } from 'luxon';
import type { CollectionCalendar } from './catalogue.js';
import { destinationAddress, originAddress, type Consignment, type ConsignmentLegRecord } from './consignment.js';
import { atTime } from './dates.js';

/** What a manifest keeps of one consignment leg: enough to print it after the consignment has moved on (deallocated, say). */
export interface ManifestLine {
  consignmentReference: string;
  customerReference: string;
  leg: number;
  destination: { name: string | null; town: string | null; postcode: string | null; countryCode: string };
  packages: { reference: string; trackingReference: string; weightKg: number }[];
}

/** A stored manifest, as its file info shows it. */
export interface Manifest {
  id: number;
  reference: string;
  carrierReference: string;
  carrierName: string;
  shippingLocationReference: string | null;
  shippingLocationName: string | null;
  /** yyyy-MM-dd in the shipping location's time zone. */
  collectionDay: string;
  /** The shipping location's zone when it was made: the times its file prints. */
  timeZone: string;
  createdAt: string;
  carrierManifestReference: string | null;
  /** Consignments still on it (withdrawn ones are not counted). */
  bookingsCount: number;
}

export interface ManifestMember {
  line: ManifestLine;
  /** When it left the manifest (its consignment deallocated or cancelled); null while it is on it. */
  withdrawnAt: string | null;
}

/** The key of the manifest a leg goes on: its carrier, the consignment's shipping location, and the collection day. */
export interface ManifestKey {
  carrierReference: string;
  /** The origin's shipping location reference as the consignment gives it; null for an origin given as a plain address. */
  shippingLocationReference: string | null;
  collectionDay: string;
}

export interface LegToManifest {
  consignment: Consignment;
  leg: ConsignmentLegRecord;
}

export interface ManifestGroup {
  key: ManifestKey;
  legs: LegToManifest[];
}

/** The calendar day an ISO date-time names in its own offset (the collection date is written in the location's zone). */
export function collectionDayOf(collectionDate: string): string {
  return collectionDate.slice(0, 10);
}

export function shippingLocationOf(consignment: Consignment): string | null {
  return originAddress(consignment.data)?.shippingLocationReference ?? null;
}

/** Legs grouped into manifests, groups in the order their first leg came, legs in the order given. */
export function manifestGroups(legs: readonly LegToManifest[]): ManifestGroup[] {
  const groups = new Map<string, ManifestGroup>();
  for (const item of legs) {
    const key: ManifestKey = {
      carrierReference: item.leg.carrierReference,
      shippingLocationReference: shippingLocationOf(item.consignment),
      collectionDay: collectionDayOf(item.consignment.allocation!.collectionDate),
    };
    const id = [key.carrierReference.toLowerCase(), key.shippingLocationReference?.toLowerCase() ?? '', key.collectionDay].join('\u0000');
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { key, legs: [] }));
    group.legs.push(item);
  }
  return [...groups.values()];
}

/**
 * The latest a collection can still be manifested: the cut-off of the service's calendar on the
 * collection day, in the collection date's own offset (the shipping location's).
 */
export function manifestCutOff(collectionDate: string, calendar: CollectionCalendar): string {
  return atTime(DateTime.fromISO(collectionDate, { setZone: true }), calendar.cutOffTime).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

export function manifestLine(consignment: Consignment, leg: ConsignmentLegRecord): ManifestLine {
  const destination = destinationAddress(consignment.data);
  const contact = destination?.contact;
  const person = [contact?.firstName, contact?.lastName].filter(Boolean).join(' ');
  return {
    consignmentReference: consignment.reference,
    customerReference: consignment.data.consignmentReferenceProvidedByCustomer,
    leg: leg.leg,
    destination: {
      name: destination?.companyName || person || destination?.customerName || null,
      town: destination?.town ?? null,
      postcode: destination?.postcode ?? null,
      countryCode: destination?.countryCode ?? '',
    },
    packages: consignment.data.packages.map((p, i) => ({ reference: p.reference, trackingReference: leg.trackingReferences[i] ?? '', weightKg: p.weightKg })),
  };
}

/** One printed line: a package of a consignment. */
export interface ManifestDocumentLine {
  consignmentReference: string;
  customerReference: string;
  /** "1 of 2". */
  packageNumber: string;
  packageReference: string;
  trackingReference: string;
  weightKg: number;
  destination: string;
  /** When the consignment was withdrawn, as printed; null while it is on the manifest. */
  withdrawn: string | null;
}

/** What a manifest's file says; the renderer decides only how it looks. */
export interface ManifestDocument {
  title: string;
  reference: string;
  carrier: string;
  location: string;
  collectionDay: string;
  created: string;
  /** The carrier's own reference for the manifest, when it gave one. */
  carrierManifestReference: string | null;
  lines: ManifestDocumentLine[];
  totals: { consignments: number; packages: number; weightKg: number };
  withdrawn: { consignments: number; packages: number };
  /** The document's own date (its creation), which a deterministic file records. */
  date: Date;
}

const DISPLAY = 'dd/MM/yyyy HH:mm';

function displayDay(day: string): string {
  return DateTime.fromISO(day).toFormat('dd/MM/yyyy');
}

function displayTime(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat(DISPLAY);
}

function destinationText(d: ManifestLine['destination']): string {
  const place = [d.town, d.postcode].filter(Boolean).join(' ');
  return [d.name, place, d.countryCode].filter(Boolean).join(', ');
}

/**
 * The manifest's file: one line per package of every consignment ever put on it, in the order they
 * were, a withdrawn consignment's lines marked with when it left; totals count only what is still
 * on it. Times are printed in the manifest's own zone (its shipping location's).
 */
export function manifestDocument(manifest: Manifest, members: readonly ManifestMember[]): ManifestDocument {
  const timeZone = manifest.timeZone;
  const lines: ManifestDocumentLine[] = [];
  const totals = { consignments: 0, packages: 0, weightKg: 0 };
  const withdrawn = { consignments: 0, packages: 0 };
  for (const { line, withdrawnAt } of members) {
    const destination = destinationText(line.destination);
    const mark = withdrawnAt ? `Withdrawn ${displayTime(withdrawnAt, timeZone)}` : null;
    if (withdrawnAt) {
      withdrawn.consignments++;
      withdrawn.packages += line.packages.length;
    } else {
      totals.consignments++;
      totals.packages += line.packages.length;
    }
    line.packages.forEach((p, i) => {
      if (!withdrawnAt) totals.weightKg += p.weightKg;
      lines.push({
        consignmentReference: line.consignmentReference,
        customerReference: line.customerReference,
        packageNumber: `${i + 1} of ${line.packages.length}`,
        packageReference: p.reference,
        trackingReference: p.trackingReference,
        weightKg: p.weightKg,
        destination,
        withdrawn: mark,
      });
    });
  }
  totals.weightKg = Math.round(totals.weightKg * 1000) / 1000;
  const location = manifest.shippingLocationReference
    ? `${manifest.shippingLocationName ?? manifest.shippingLocationReference} (${manifest.shippingLocationReference})`
    : 'No shipping location (origin addresses as given)';
  return {
    title: `Collection manifest ${manifest.reference}`,
    reference: manifest.reference,
    carrier: `${manifest.carrierName} (${manifest.carrierReference})`,
    location,
    collectionDay: displayDay(manifest.collectionDay),
    created: displayTime(manifest.createdAt, timeZone),
    carrierManifestReference: manifest.carrierManifestReference,
    lines,
    totals,
    withdrawn,
    date: new Date(manifest.createdAt),
  };
}
