/**
 * A carrier connector whose every answer the test decides: book or cancel succeed, are refused,
 * fail as an unreachable carrier (having acted or not), or hang until the caller gives up. It
 * records every request, so a test can say what the carrier was asked to book and to cancel.
 */
import { CarrierUnreachable, type BookingOutcome, type BookingRequest, type CallOptions, type CancelOutcome, type CancelRequest, type CarrierConnector, type CarrierOperation } from '../../src/carriers/connector.js';

/** What the connector does with one call. */
export type Behaviour = 'succeed' | 'refuse' | 'unreachable' | 'refused-connection' | 'hang' | 'throw';

export class ScriptedConnector implements CarrierConnector {
  readonly capabilities: ReadonlySet<CarrierOperation> = new Set<CarrierOperation>(['book', 'cancel']);
  readonly bookings: BookingRequest[] = [];
  readonly cancellations: CancelRequest[] = [];
  /** What the n-th booking (0-based) does; the default succeeds. */
  bookAs: (n: number, request: BookingRequest) => Behaviour = () => 'succeed';
  /** What the n-th cancellation (0-based) does; the default succeeds. */
  cancelAs: (n: number, request: CancelRequest) => Behaviour = () => 'succeed';
  /** Runs before the n-th booking answers, and is waited for (to let a competing request in). */
  whileBooking: (n: number) => Promise<unknown> | undefined = () => undefined;
  private issued = 0;

  /**
   * `keepsBookings`: like a real carrier (the default), so that bookings are written down while in
   * flight; false, like the simulated one.
   */
  constructor(
    readonly carrierReference: string,
    readonly timeoutMs = 200,
    readonly keepsBookings = true,
  ) {}

  /** Tracking references of the bookings that succeeded, in order. */
  readonly booked: string[][] = [];

  async book(request: BookingRequest, options: CallOptions): Promise<BookingOutcome> {
    const n = this.bookings.push(request) - 1;
    await this.whileBooking(n);
    await this.behave(this.bookAs(n, request), options, 'booking');
    if (this.bookAs(n, request) === 'refuse') return { kind: 'refused', refusal: { code: 'CarrierRefused', message: 'no capacity on that day' }, messages: [] };
    const trackingReferences = request.shipment.packages.map(() => `${this.carrierReference}-T${++this.issued}`);
    this.booked.push(trackingReferences);
    return {
      kind: 'booked',
      carrierBookingReference: `SHIP-${trackingReferences[0]}`,
      trackingReferences,
      documents: [],
      messages: [{ severity: 'warning', code: 'W1', text: 'collection may be late' }],
    };
  }

  async cancel(request: CancelRequest, options: CallOptions): Promise<CancelOutcome> {
    const n = this.cancellations.push(request) - 1;
    const behaviour = this.cancelAs(n, request);
    await this.behave(behaviour, options, 'cancellation');
    if (behaviour === 'refuse') return { kind: 'refused', refusal: { code: 'CarrierRefused', message: 'already collected' }, messages: [] };
    return { kind: 'cancelled', messages: [] };
  }

  /** Every tracking reference the carrier was asked to cancel. */
  cancelledReferences(): string[] {
    return this.cancellations.flatMap((c) => c.trackingReferences);
  }

  private async behave(behaviour: Behaviour, { signal }: CallOptions, what: string): Promise<void> {
    switch (behaviour) {
      case 'unreachable':
        throw new CarrierUnreachable(this.carrierReference, `scripted ${what} failed: the carrier answered 503`);
      case 'refused-connection':
        throw new CarrierUnreachable(this.carrierReference, `scripted ${what} failed: connection refused`, { mayHaveActed: false });
      case 'throw':
        throw new TypeError(`scripted ${what}: the connector has a bug`);
      case 'hang':
        // Never answers, whatever the signal says: the caller's deadline must not depend on the connector honouring it.
        await new Promise(() => undefined);
        return;
      default:
        signal.throwIfAborted();
    }
  }
}
