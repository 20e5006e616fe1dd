import type { BookingRequest, BookingResult, CarrierConnector } from '../carrier.js';
import { formatTrackingNumber } from './tracking-number.js';

/** Hands out numbers of a named sequence, unique across restarts (store/sequences.ts). */
export interface NumberSource {
  next(name: string, count: number): Promise<number[]>;
}

/** The built-in carrier: books at once, with unique tracking numbers in the carrier's configured format. */
export class SimulatedCarrier implements CarrierConnector {
  constructor(private readonly numbers: NumberSource) {}

  async book(request: BookingRequest): Promise<BookingResult> {
    const values = await this.numbers.next(`tracking:${request.carrier.reference}`, request.packageReferences.length);
    return { trackingReferences: values.map((v) => formatTrackingNumber(request.carrier.trackingNumberFormat, v)) };
  }

  async cancel(): Promise<void> {
    // Nothing was booked anywhere, so there is nothing to undo.
  }
}
