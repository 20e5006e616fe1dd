/**
 * Package sizes: SortedPRO's reads (endpoints.md P1-30, P1-31) and our management of a
 * subscription's sizes. A package naming a size copies its dimensions and weight when its
 * consignment is created, so changing or deleting a size never rewrites an existing consignment.
 */
import { namedReferenceProblem, referenceKey } from '../domain/named-reference.js';
import { RESERVED_PACKAGE_SIZE_REFERENCES, type PackageSize, type PackageSizeData } from '../domain/package-size.js';
import type { DimensionsCm } from '../domain/units.js';
import type { PackageSizeRequest } from '../contract/locations.js';
import type { AppContext, Caller } from './app-context.js';
import { AppError, validationFailed } from './errors.js';
import { Problems, text } from './input/problems.js';
import { checkKg, checkSide, readDimensions, readWeight } from './input/measures-reader.js';

function notFound(reference: string): AppError {
  return new AppError('PackageSizeNotFound', `Package size ${reference} not found`, [
    { Code: 'NotFound', Target: 'packageSizeReference', Message: `No package size ${reference} exists for this subscription` },
  ]);
}

export async function listPackageSizes(ctx: AppContext, caller: Caller): Promise<PackageSize[]> {
  return ctx.packageSizes.list(caller.subscriptionId);
}

export async function getPackageSize(ctx: AppContext, caller: Caller, reference: string): Promise<PackageSize> {
  const size = await ctx.packageSizes.find(caller.subscriptionId, reference);
  if (!size) throw notFound(reference);
  return size;
}

export async function getDefaultPackageSize(ctx: AppContext, caller: Caller): Promise<PackageSize> {
  const size = await ctx.packageSizes.findDefault(caller.subscriptionId);
  if (!size) {
    throw new AppError('PackageSizeNotFound', 'No default package size is set', [
      { Code: 'NotFound', Target: 'packageSizeReference', Message: 'No package size of this subscription is the default; choose one with PUT /packageSizes/{ref}/default' },
    ]);
  }
  return size;
}

/** `Dimensions` in any length unit, or `Length`, `Width`, `Height` in centimetres; one form, not both. */
function readSides(body: PackageSizeRequest, p: Problems): DimensionsCm | null {
  const sides = { Length: body.Length, Width: body.Width, Height: body.Height };
  const given = (Object.keys(sides) as (keyof typeof sides)[]).filter((side) => sides[side] !== undefined && sides[side] !== null);
  if (body.Dimensions) {
    if (given.length) p.add('Dimensions', `must not be given together with ${given.join(', ')}: give one form or the other`);
    return readDimensions(body.Dimensions, 'Dimensions', p);
  }
  const cm = (side: keyof typeof sides) => {
    const value = sides[side];
    if (value === undefined || value === null) p.add(side, 'is required (centimetres), unless Dimensions is given', 'Required');
    return value === undefined || value === null ? null : checkSide(value, 'cm', side, p);
  };
  const lengthCm = cm('Length');
  const widthCm = cm('Width');
  const heightCm = cm('Height');
  return lengthCm !== null && widthCm !== null && heightCm !== null ? { lengthCm, widthCm, heightCm } : null;
}

/** `Weight` in kilograms as a number, or as `{ Value, Unit }` / `{ Kg }`. */
function readSizeWeight(weight: PackageSizeRequest['Weight'], p: Problems): number | null {
  if (typeof weight === 'number') return checkKg(weight, 'kg', 'Weight', p);
  return readWeight(weight, 'Weight', p, true);
}

/** Reads a size body; `existing` is the size a PUT replaces, whose reference stays. */
function readSize(body: PackageSizeRequest, p: Problems, existing?: PackageSize): PackageSizeData {
  let reference = body.Reference?.trim() ?? '';
  if (existing) {
    if (reference && referenceKey(reference) !== referenceKey(existing.reference)) p.add('Reference', `must be ${existing.reference} or absent: a package size's reference cannot change`);
    reference = existing.reference;
  } else if (!reference) {
    p.add('Reference', 'is required', 'Required');
  } else {
    const problem = namedReferenceProblem(reference, RESERVED_PACKAGE_SIZE_REFERENCES);
    if (problem) p.add('Reference', problem);
  }
  const description = text(body.Description?.trim(), 'Description', p) ?? '';
  if (!description) p.add('Description', 'is required', 'Required');
  const dimensions = readSides(body, p);
  const weightKg = readSizeWeight(body.Weight, p);
  return {
    reference,
    description,
    dimensions: dimensions ?? { lengthCm: 0, widthCm: 0, heightCm: 0 },
    weightKg: weightKg ?? 0,
    isDefault: body.IsDefault ?? false,
  };
}

/** POST /packageSizes: 400 listing every problem, 409 DuplicateReference when the reference is taken. */
export async function createPackageSize(ctx: AppContext, caller: Caller, body: PackageSizeRequest): Promise<PackageSize> {
  const p = new Problems();
  const data = readSize(body, p);
  if (p.list.length) throw validationFailed(p.list);
  const created = await ctx.packageSizes.create(caller.subscriptionId, data);
  if (created === 'duplicate') {
    throw new AppError('DuplicateReference', `Package size ${data.reference} already exists`, [
      { Code: 'Duplicate', Target: 'Reference', Message: `Reference ${data.reference} is already used by another package size of this subscription` },
    ]);
  }
  return created;
}

/** PUT /packageSizes/{ref}: replaces every field, IsDefault included (false gives up the default). */
export async function replacePackageSize(ctx: AppContext, caller: Caller, reference: string, body: PackageSizeRequest): Promise<PackageSize> {
  const existing = await getPackageSize(ctx, caller, reference);
  const p = new Problems();
  const data = readSize(body, p, existing);
  if (p.list.length) throw validationFailed(p.list);
  const replaced = await ctx.packageSizes.replace(caller.subscriptionId, existing.id, data);
  if (!replaced) throw notFound(reference);
  return replaced;
}

/** PUT /packageSizes/{ref}/default: this size becomes the default and the previous one stops being it, at once. */
export async function makeDefaultPackageSize(ctx: AppContext, caller: Caller, reference: string): Promise<PackageSize> {
  const size = await getPackageSize(ctx, caller, reference);
  const updated = await ctx.packageSizes.makeDefault(caller.subscriptionId, size.id);
  if (!updated) throw notFound(reference);
  return updated;
}

/** DELETE /packageSizes/{ref}: packages that named the size keep the dimensions they copied; deleting the default leaves none. */
export async function deletePackageSize(ctx: AppContext, caller: Caller, reference: string): Promise<void> {
  const size = await getPackageSize(ctx, caller, reference);
  if (!(await ctx.packageSizes.remove(caller.subscriptionId, size.id))) throw notFound(reference);
}
