/** The references read packages and items are given: kept from the consignment, new from the sequences, or by position. */
import type { PackageData } from '../../domain/consignment.js';
import { canonicalReference, formatReference } from '../../domain/references.js';
import type { PackageInput } from '../../contract/consignments.js';
import type { AppContext } from '../app-context.js';

/**
 * Package references come from the EP sequence (a package that already has one, kept by an
 * update, keeps it); item references are 32 hex digits from their own.
 */
export async function assignReferences(ctx: AppContext, packages: PackageData[]): Promise<void> {
  const unnamed = packages.filter((pkg) => !pkg.reference);
  const packageNumbers = unnamed.length ? await ctx.sequences.next('EP', unnamed.length) : [];
  const items = packages.flatMap((pkg) => pkg.items);
  const itemNumbers = items.length ? await ctx.sequences.next('ITEM', items.length) : [];
  unnamed.forEach((pkg, i) => (pkg.reference = formatReference('EP', packageNumbers[i])));
  items.forEach((item, i) => (item.reference = itemNumbers[i].toString(16).toUpperCase().padStart(32, '0')));
}

/**
 * Gives each package entry that names one of the current packages (any case) that package's
 * reference; an entry naming another, or one already taken by an earlier entry, gets a new one.
 */
export function keepReferences(given: (PackageInput & { Reference?: string | null })[], packages: PackageData[], current: PackageData[]): void {
  const available = new Map(current.map((pkg) => [canonicalReference(pkg.reference), pkg.reference]));
  given.forEach((entry, i) => {
    const wanted = entry.Reference ? canonicalReference(entry.Reference) : '';
    const kept = available.get(wanted);
    if (kept && packages[i]) {
      packages[i].reference = kept;
      available.delete(wanted);
    }
  });
}

/** Unstored packages are named by position, so that reasons such as "package #2 weighs 32 kg" still say which. */
export function nameByPosition(packages: PackageData[]): void {
  packages.forEach((pkg, i) => (pkg.reference = `#${i + 1}`));
}
