/**
 * The simulated carrier itself: an in-process transport that answers the simulated API (api.ts)
 * as a carrier's servers would. It books at once, with tracking numbers from a sequence kept in
 * Switchyard's database (so they are unique across restarts and processes) in the carrier's
 * configured format; it refuses destinations its settings name, and cancels any parcel whose
 * number is one of its own. It draws labels and customs documents from what they say, with
 * Switchyard's own renderers (src/documents/, on the process's render threads when it has them),
 * the same bytes for the same request every time. It takes shipments on a manifest until their
 * cut-off, judged by the injected clock, and refuses those whose collection has passed. It
 * tracks each parcel from its booked dates, up to the clock's now: collected at its collection,
 * in transit soon after, out for delivery and delivered on its delivery day (the same events,
 * at the same moments, whenever it is asked).
 * With `Unreachable` it behaves as a carrier whose API is down.
 */
import { DateTime } from 'luxon';
import type { Carrier } from '../../domain/catalogue.js';
import { systemClock, type Clock } from '../../domain/clock.js';
import { CarrierUnreachable } from '../connector.js';
import type { NumberSource } from '../registry.js';
import type { CarrierHttpRequest, CarrierHttpResponse, CarrierTransport } from '../transport.js';
import { inThreadRenderer, type DocumentRenderer } from '../../documents/renderer.js';
import { LABEL_CONTENT_TYPES } from '../../domain/documents/label.js';
import type {
  SimCancelled,
  SimCancelRequest,
  SimCustomsRequest,
  SimFiles,
  SimLabelsRequest,
  SimManifestCreated,
  SimManifestRequest,
  SimRejection,
  SimShipmentCreated,
  SimShipmentRequest,
  SimTrackedParcel,
  SimTrackingEvents,
  SimTrackingRequest,
} from './api.js';
import type { SimulatedSettings } from './settings.js';
import { formatTrackingNumber, isTrackingNumber } from './tracking-number.js';

const json = (status: number, body: unknown): CarrierHttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body });
const rejection = (code: string, text: string) => json(422, { errors: [{ code, text }] } satisfies SimRejection);

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

export class SimulatedCarrierBackend implements CarrierTransport {
  constructor(
    private readonly carrier: Carrier,
    private readonly settings: SimulatedSettings,
    private readonly numbers: NumberSource,
    private readonly renderer: DocumentRenderer = inThreadRenderer,
    /** Its "now", for cut-offs: the application's injected clock. */
    private readonly clock: Clock = systemClock,
  ) {}

  async send(request: CarrierHttpRequest, signal: AbortSignal): Promise<CarrierHttpResponse> {
    const ref = this.carrier.reference;
    if (this.settings.Unreachable) throw new CarrierUnreachable(ref, `carrier ${ref} could not be reached (its simulated API is down)`, { mayHaveActed: false });
    try {
      signal.throwIfAborted();
      if (this.settings.LatencyMs > 0) await pause(this.settings.LatencyMs, signal);
    } catch (e) {
      throw new CarrierUnreachable(ref, `carrier ${ref} did not answer in time`, { cause: e });
    }
    if (request.method === 'POST' && request.path === '/v1/shipments') return this.book(request.body as SimShipmentRequest);
    if (request.method === 'POST' && request.path === '/v1/shipments/cancel') return this.cancel(request.body as SimCancelRequest);
    if (request.method === 'POST' && request.path === '/v1/labels') return this.labels(request.body as SimLabelsRequest);
    if (request.method === 'POST' && request.path === '/v1/customs') return this.customs(request.body as SimCustomsRequest);
    if (request.method === 'POST' && request.path === '/v1/manifests') return this.manifest(request.body as SimManifestRequest);
    if (request.method === 'POST' && request.path === '/v1/tracking') return this.track(request.body as SimTrackingRequest);
    return json(404, { errors: [{ code: 'NOT_FOUND', text: `no ${request.method} ${request.path}` }] });
  }

  private async book(body: SimShipmentRequest): Promise<CarrierHttpResponse> {
    const country = body.recipient.country;
    if (this.settings.RefuseDestinations.includes(country)) return rejection('DESTINATION_NOT_SERVED', `${this.carrier.name} does not deliver to ${country}`);
    if (body.parcels.length === 0) return rejection('NO_PARCELS', 'a shipment needs at least one parcel');
    const values = await this.numbers.next(`tracking:${this.carrier.reference}`, body.parcels.length);
    const parcels = body.parcels.map((p, i) => ({ reference: p.reference, trackingNumber: formatTrackingNumber(this.carrier.trackingNumberFormat, values[i]) }));
    return json(201, { shipmentId: `SIM-${parcels[0].trackingNumber}`, parcels, notices: [] } satisfies SimShipmentCreated);
  }

  /** Each shipment is taken while its cut-off is ahead (by the clock), and only with parcels that are its own. */
  private async manifest(body: SimManifestRequest): Promise<CarrierHttpResponse> {
    if (!Array.isArray(body.shipments) || body.shipments.length === 0) return rejection('NO_SHIPMENTS', 'a manifest needs at least one shipment');
    const now = this.clock.now();
    const accepted: string[] = [];
    const rejected: SimManifestCreated['rejected'] = [];
    for (const s of body.shipments) {
      const cutOff = DateTime.fromISO(s.cutOff, { setZone: true });
      const foreign = s.trackingNumbers.filter((t) => !isTrackingNumber(this.carrier.trackingNumberFormat, t));
      if (foreign.length) rejected.push({ consignmentReference: s.consignmentReference, code: 'UNKNOWN_PARCEL', text: `${this.carrier.name} has no parcel ${foreign.join(', ')}` });
      else if (!cutOff.isValid) rejected.push({ consignmentReference: s.consignmentReference, code: 'BAD_CUT_OFF', text: `no valid cut-off for the collection (${String(s.cutOff)})` });
      else if (now > cutOff) {
        const when = `${cutOff.toFormat('dd/MM/yyyy')} closed at ${cutOff.toFormat('HH:mm')}`;
        rejected.push({ consignmentReference: s.consignmentReference, code: 'COLLECTION_CLOSED', text: `${this.carrier.name}'s collection on ${when}; deallocate and allocate again for a later collection` });
      } else accepted.push(s.consignmentReference);
    }
    const manifestId = accepted.length ? `SIM-M${(await this.numbers.next(`manifest:${this.carrier.reference}`, 1))[0]}` : null;
    return json(201, { manifestId, accepted, rejected, notices: [] } satisfies SimManifestCreated);
  }

  /** Each parcel's events after its `since` and up to `until`; a parcel that is not its own has none (and a notice says so). */
  private track(body: SimTrackingRequest): CarrierHttpResponse {
    const until = DateTime.fromISO(body.until, { setZone: true });
    if (!Array.isArray(body.parcels) || !until.isValid) return rejection('BAD_REQUEST', 'parcels and a valid until are required');
    const events: SimTrackingEvents['events'] = [];
    const notices: SimTrackingEvents['notices'] = [];
    for (const parcel of body.parcels) {
      if (!isTrackingNumber(this.carrier.trackingNumberFormat, parcel.trackingNumber)) {
        notices.push({ level: 'warning', code: 'UNKNOWN_PARCEL', text: `${this.carrier.name} has no parcel ${parcel.trackingNumber}` });
        continue;
      }
      const since = parcel.since ? DateTime.fromISO(parcel.since, { setZone: true }).toMillis() : -Infinity;
      for (const e of parcelHistory(this.carrier.name, parcel)) {
        const at = DateTime.fromISO(e.at, { setZone: true }).toMillis();
        if (at > since && at <= until.toMillis()) events.push(e);
      }
    }
    return json(200, { events, notices } satisfies SimTrackingEvents);
  }

  private cancel(body: SimCancelRequest): CarrierHttpResponse {
    const unknown = body.trackingNumbers.filter((t) => !isTrackingNumber(this.carrier.trackingNumberFormat, t));
    if (unknown.length) return rejection('UNKNOWN_PARCEL', `${this.carrier.name} has no parcel ${unknown.join(', ')}`);
    return json(200, { cancelled: body.trackingNumbers, notices: [] } satisfies SimCancelled);
  }

  private async labels(body: SimLabelsRequest): Promise<CarrierHttpResponse> {
    if (body.labels.length === 0) return rejection('NO_LABELS', 'no labels were asked for');
    const content = await this.renderer.render({ kind: 'labels', format: body.format, pageSize: body.pageSize, labels: body.labels });
    return json(200, { files: [{ contentType: LABEL_CONTENT_TYPES[body.format], content: Buffer.from(content).toString('base64') }], notices: [] } satisfies SimFiles);
  }

  private async customs(body: SimCustomsRequest): Promise<CarrierHttpResponse> {
    const contents = await Promise.all(body.documents.map((document) => this.renderer.render({ kind: 'customs', document })));
    return json(200, { files: contents.map((c) => ({ contentType: 'application/pdf', content: Buffer.from(c).toString('base64') })), notices: [] } satisfies SimFiles);
  }
}

/**
 * A parcel's whole history, from its booked dates alone: collected at its collection time, in
 * transit up to three hours later, out for delivery at 07:30 and delivered at 12:00 on its
 * delivery day (squeezed in order after the collection when that day is the collection's).
 */
export function parcelHistory(carrierName: string, parcel: SimTrackedParcel): SimTrackingEvents['events'] {
  const collected = DateTime.fromISO(parcel.collectionDate, { setZone: true });
  const day = DateTime.fromISO(parcel.deliveryDate, { setZone: true });
  if (!collected.isValid || !day.isValid) return [];
  let delivered = day.set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
  if (delivered <= collected) delivered = collected.plus({ hours: 4 });
  let out = day.set({ hour: 7, minute: 30, second: 0, millisecond: 0 });
  if (out <= collected || out >= delivered) out = collected.plus({ milliseconds: (delivered.toMillis() - collected.toMillis()) * 0.75 });
  const transit = collected.plus({ milliseconds: Math.min(3 * 3600_000, (out.toMillis() - collected.toMillis()) / 2) });
  const iso = (dt: DateTime) => dt.toFormat(dt.millisecond ? "yyyy-MM-dd'T'HH:mm:ss.SSSZZ" : "yyyy-MM-dd'T'HH:mm:ssZZ");
  const n = parcel.trackingNumber;
  return [
    { trackingNumber: n, status: 'collected', at: iso(collected), text: `Collected by ${carrierName}`, place: parcel.from, signedBy: null },
    { trackingNumber: n, status: 'in_transit', at: iso(transit), text: 'In transit to the delivery depot', place: `${carrierName} hub`, signedBy: null },
    { trackingNumber: n, status: 'out_for_delivery', at: iso(out), text: 'Out for delivery', place: parcel.to, signedBy: null },
    { trackingNumber: n, status: 'delivered', at: iso(delivered), text: 'Delivered', place: parcel.to, signedBy: parcel.recipient },
  ];
}
