/** ManifestFileInfo (endpoints.md P2-12): the Docs' fields, which include the SDK's. */
import type { Manifest } from '../../domain/manifest.js';
import { typed } from '../xml-codec.js';

/** Where manifest files are kept, as the Docs name it: they are rendered on request from the manifest, so this is a name, not a place. */
const STORAGE_CONTAINER = 'manifests';

export function manifestFileName(m: Manifest): string {
  return `manifest-${m.collectionDay}-${m.carrierReference}-${m.reference}.pdf`;
}

export function presentManifestFileInfo(m: Manifest): object {
  return typed('ManifestFileInfo', {
    ManifestReference: m.reference,
    ManifestFileStorageContainer: STORAGE_CONTAINER,
    ManifestFileName: manifestFileName(m),
    ShippingLocationReference: m.shippingLocationReference,
    ShippingLocationName: m.shippingLocationName,
    Created: m.createdAt,
    CarrierName: m.carrierName,
    BookingsCount: m.bookingsCount,
    // The carrier keeps the manifest under its own reference (the simulated carrier: SIM-M…); null when it gave none.
    ManifestFileNameSentToCarrier: m.carrierManifestReference,
    CollectionDate: m.collectionDay,
    CarrierReference: m.carrierReference,
  });
}
