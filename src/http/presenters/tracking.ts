/**
 * A consignment's tracking (endpoints.md P2-17, P2-18): the Docs/SDK shape, packages with their
 * legs and each leg's events, which also carries the PHP client's names (`Reference` beside the
 * long reference names, each package's events flat, and `CarrierServiceName` on each event).
 */
import type { StoredTrackingEvent } from '../../store/tracking.repository.js';
import type { ConsignmentTracking } from '../../use-cases/tracking.js';
import { typed } from '../xml-codec.js';

function event(e: StoredTrackingEvent): object {
  return typed('EventViewModel', {
    TimeStamp: e.timeStamp,
    Code: e.code,
    Description: e.description,
    SignedBy: e.signedBy,
    Location: e.location,
    CarrierServiceName: e.carrierServiceName,
  });
}

/** The legs a package is tracked on: its allocation's, and any other an event names. */
function legNumbers(t: ConsignmentTracking, events: StoredTrackingEvent[]): number[] {
  const numbers = new Set<number>([...(t.consignment.allocation?.legs ?? []).map((l) => l.leg), ...events.map((e) => e.leg)]);
  return [...numbers].sort((a, b) => a - b);
}

export function presentTracking(t: ConsignmentTracking): object {
  const { consignment: c } = t;
  return typed('ConsignmentViewModel', {
    ConsignmentReferenceForAllLegsAssignedByMpd: c.reference,
    Reference: c.reference,
    ConsignmentState: c.state,
    TrackedPackages: c.data.packages.map((p, i) => {
      const events = t.events.filter((e) => e.packageReference === p.reference);
      return typed('TrackedPackageViewModel', {
        PackageReferenceForAllLegsAssignedByMpd: p.reference,
        Reference: p.reference,
        Legs: legNumbers(t, events).map((leg) =>
          typed('LegViewModel', {
            Leg: leg,
            CarrierServiceName: t.legNames.get(leg) ?? null,
            TrackingReference: c.allocation?.legs.find((l) => l.leg === leg)?.trackingReferences[i] ?? null,
            Events: events.filter((e) => e.leg === leg).map(event),
          }),
        ),
        Events: events.map(event),
      });
    }),
  });
}

export function presentFlattenedTracking(t: ConsignmentTracking): object {
  const { consignment: c } = t;
  return typed('FlattenedConsignmentViewModel', {
    ConsignmentReferenceForAllLegsAssignedByMpd: c.reference,
    Reference: c.reference,
    ConsignmentState: c.state,
    TrackedPackages: c.data.packages.map((p) =>
      typed('FlattenedPackageViewModel', {
        PackageReferenceForAllLegsAssignedByMpd: p.reference,
        Reference: p.reference,
        Events: t.events.filter((e) => e.packageReference === p.reference).map(event),
      }),
    ),
  });
}
