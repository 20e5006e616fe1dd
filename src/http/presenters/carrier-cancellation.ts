/** Bookings not yet cancelled at their carriers, as the admin API shows them to an operator. */
import type { OutstandingCancellations } from '../../use-cases/carrier-cancellations.js';
import { typed } from '../xml-codec.js';

export function presentOutstandingCancellations({ counts, cancellations }: OutstandingCancellations): object {
  return typed('CarrierCancellations', {
    Counts: { Pending: counts.pending, Refused: counts.refused, Abandoned: counts.abandoned },
    Cancellations: cancellations.map((c) =>
      typed('CarrierCancellation', {
        State: c.state,
        Reason: c.reason,
        ConsignmentReference: c.consignmentReference,
        CarrierReference: c.carrierReference,
        Leg: c.leg,
        CarrierServiceReference: c.carrierServiceReference,
        BookingReference: c.bookingReference,
        CarrierBookingReference: c.carrierBookingReference,
        TrackingReferences: c.trackingReferences,
        Attempts: c.attempts,
        CreatedAt: c.createdAt,
        NextAttemptAt: c.state === 'pending' ? c.nextAttemptAt : null,
        LastError: c.lastError,
      }),
    ),
  });
}
