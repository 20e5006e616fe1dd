/**
 * The simulated carrier's connector: booking, cancelling, documents, manifesting and tracking
 * through the mapping functions of book.ts, cancel.ts, documents.ts, manifest.ts and track.ts, over the in-process
 * simulated carrier (backend.ts) unless another transport is injected.
 */
import type { CarrierConnector, CarrierOperation } from '../connector.js';
import { inThreadRenderer } from '../../documents/renderer.js';
import type { ConnectorFactory } from '../registry.js';
import { SimulatedCarrierBackend } from './backend.js';
import { bookingOutcome, bookingRequest } from './book.js';
import { cancelOutcome, cancelRequest } from './cancel.js';
import { documentsRequest, documentsResult } from './documents.js';
import { manifestRequest, manifestResult } from './manifest.js';
import { SimulatedSettings } from './settings.js';
import { trackRequest, trackResult } from './track.js';

const CAPABILITIES: ReadonlySet<CarrierOperation> = new Set(['book', 'cancel', 'documents', 'manifest', 'track']);

export const simulatedConnector: ConnectorFactory<typeof SimulatedSettings> = {
  name: 'simulated',
  settings: SimulatedSettings,
  create(carrier, settings, { numbers, clock, renderer = inThreadRenderer, transport = new SimulatedCarrierBackend(carrier, settings, numbers, renderer, clock) }): CarrierConnector {
    return {
      capabilities: CAPABILITIES,
      timeoutMs: settings.TimeoutMs,
      // Its bookings live nowhere (tracking numbers from a sequence), so none can outlive a crash.
      keepsBookings: false,
      trackingIntervalMs: settings.TrackingIntervalMs,
      async book(request, { signal }) {
        return bookingOutcome(await transport.send(bookingRequest(request), signal), request);
      },
      async cancel(request, { signal }) {
        return cancelOutcome(await transport.send(cancelRequest(request), signal), request);
      },
      async documents(request, { signal }) {
        return documentsResult(await transport.send(documentsRequest(request), signal), request);
      },
      async manifest(request, { signal }) {
        return manifestResult(await transport.send(manifestRequest(request), signal), request);
      },
      async track(request, { signal }) {
        return trackResult(await transport.send(trackRequest(request), signal), request);
      },
    };
  },
};
