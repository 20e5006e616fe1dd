/** Reading the body of Add Package (models.md §4.4): one package, read as create reads a consignment's. */
import type { PackageData } from '../../domain/consignment.js';
import type { PackageSize } from '../../domain/package-size.js';
import type { PackageInput } from '../../contract/consignments.js';
import type { AppContext } from '../app-context.js';
import { validationFailed } from '../errors.js';
import { assignReferences } from './package-references.js';
import { readPackage } from './package-reader.js';
import { Problems } from './problems.js';

/**
 * Reads the body of Add Package (models.md §4.4) into a package with its new references, or throws
 * 400 listing every problem. The package rules are create's; Description and Value are also
 * required, unless the package names a package size.
 */
export async function readAddedPackage(ctx: AppContext, subscriptionId: number, req: PackageInput): Promise<PackageData> {
  const p = new Problems();
  const sizeReference = req.PackageSizeReference?.trim();
  if (!sizeReference) {
    if (!req.Description?.trim()) p.add('Description', 'is required', 'Required');
    if (!req.Value) p.add('Value', 'is required', 'Required');
  }
  const sizes = sizeReference ? await ctx.packageSizes.findMany(subscriptionId, [sizeReference]) : new Map<string, PackageSize>();
  const pkg = readPackage(req, '', p, sizes);
  if (p.list.length) throw validationFailed(p.list);
  await assignReferences(ctx, [pkg]);
  return pkg;
}
