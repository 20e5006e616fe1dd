/**
 * The caller's manifests (endpoints.md P2-12, P2-13): listed newest first, optionally of one
 * shipping location, and each one's file, rendered from what the manifest keeps: the same bytes on
 * every download until a consignment is withdrawn from it, which the file then shows.
 */
import { manifestDocument, type Manifest } from '../domain/manifest.js';
import type { AppContext, Caller } from './app-context.js';
import { AppError } from './errors.js';

/** A location reference that names none of the caller's locations is 404, as for every other object of a subscription. */
export async function listManifests(ctx: AppContext, caller: Caller, shippingLocationReference: string | null): Promise<Manifest[]> {
  if (shippingLocationReference === null) return ctx.manifests.list(caller.subscriptionId, null);
  const location = await ctx.locations.find(caller.subscriptionId, shippingLocationReference);
  if (!location) {
    throw new AppError('ShippingLocationNotFound', `Shipping location ${shippingLocationReference.slice(0, 100)} not found`, [
      { Code: 'NotFound', Target: 'shippingLocationReference', Message: `No shipping location ${shippingLocationReference.slice(0, 100)} exists for this subscription` },
    ]);
  }
  return ctx.manifests.list(caller.subscriptionId, location.reference.toLowerCase());
}

export async function manifestFile(ctx: AppContext, caller: Caller, manifestReference: string): Promise<{ manifest: Manifest; pdf: Buffer }> {
  const reference = manifestReference.trim().toLowerCase();
  const manifest = /^[0-9a-f]{32}$/.test(reference) ? await ctx.manifests.find(caller.subscriptionId, reference) : undefined;
  if (!manifest) {
    throw new AppError('ManifestNotFound', `Manifest ${manifestReference.slice(0, 100)} not found`, [
      { Code: 'NotFound', Target: 'manifestReference', Message: `No manifest ${manifestReference.slice(0, 100)} exists for this subscription` },
    ]);
  }
  const members = await ctx.manifests.members(manifest, caller.subscriptionId);
  // Loaded at the first manifest: it brings pdfkit.
  const { renderManifestPdf } = await import('../documents/manifest-pdf.js');
  return { manifest, pdf: await renderManifestPdf(manifestDocument(manifest, members)) };
}
