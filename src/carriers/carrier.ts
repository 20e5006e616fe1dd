/**
 * Every carrier is reached through this one interface. The built-in simulated carrier books
 * instantly; a real connector maps these calls onto its carrier's API.
 */
import type { Carrier, JourneyLeg } from '../domain/catalogue.js';

export interface BookingRequest {
  carrier: Carrier;
  leg: JourneyLeg;
  consignmentReference: string;
  packageReferences: string[];
}

export interface BookingResult {
  /** One tracking reference per package, in package order. */
  trackingReferences: string[];
}

export interface CarrierConnector {
  book(request: BookingRequest): Promise<BookingResult>;
  /** Undo a booking (deallocation). */
  cancel(request: { carrier: Carrier; trackingReferences: string[] }): Promise<void>;
}

export class CarrierRegistry {
  private readonly connectors = new Map<string, CarrierConnector>();

  register(name: string, connector: CarrierConnector): this {
    this.connectors.set(name, connector);
    return this;
  }

  connectorFor(carrier: Carrier): CarrierConnector {
    const connector = this.connectors.get(carrier.connector);
    if (!connector) throw new Error(`no connector "${carrier.connector}" for carrier ${carrier.reference}`);
    return connector;
  }
}
