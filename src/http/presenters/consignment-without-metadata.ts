/** GET /consignments/getconsignmentonly/{ref} (endpoints.md P1-35): the consignment without its metadata. */
import type { Consignment } from '../../domain/consignment.js';
import { presentConsignment } from './consignment.js';

type Presented = Record<string, unknown> & { MetaData: unknown; Packages: (Record<string, unknown> & { Items: Record<string, unknown>[] })[] };

/**
 * The consignment as GET shows it with every MetaData (the consignment's, its packages' and their
 * items') written as null. The presented objects are changed in place, which keeps their XML types.
 */
export function presentConsignmentWithoutMetaData(c: Consignment): object {
  const presented = presentConsignment(c) as Presented;
  presented.MetaData = null;
  for (const pkg of presented.Packages) {
    pkg.MetaData = null;
    for (const item of pkg.Items) item.MetaData = null;
  }
  return presented;
}
