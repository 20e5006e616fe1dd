/** Shipping location and package size bodies (models.md §5.7, with our management fields). */
import { Type, type Static } from '@sinclair/typebox';
import { SHIPPING_LOCATION_TYPES } from '../domain/shipping-location.js';
import { ADDRESS_FIELDS, Dimensions, Weight } from './consignments.js';
import { Num, Opt, Str } from './fields.js';

/**
 * Body of `POST /shippingLocations` and `PUT /shippingLocations/{ref}` (models.md §5.7): the
 * location's own fields, the address fields of a consignment address, and our `TimeZone`. What is
 * required is said by src/use-cases/shipping-locations.ts, with one detail per problem.
 */
export const ShippingLocationRequest = Type.Object({
  Reference: Str,
  Name: Str,
  ShippingLocationType: Opt(Type.Union(SHIPPING_LOCATION_TYPES.map((t) => Type.Literal(t)))),
  DefaultLocationForReturns: Opt(Type.Boolean()),
  Notes: Str,
  TimeZone: Str,
  ...ADDRESS_FIELDS,
});
export type ShippingLocationRequest = Static<typeof ShippingLocationRequest>;

/**
 * Body of `POST /packageSizes` and `PUT /packageSizes/{ref}` (models.md §5.7): `Length`, `Width`,
 * `Height` in cm and `Weight` in kg as plain numbers (the SDK's form), or `Dimensions` and `Weight`
 * in the object forms a package accepts.
 */
export const PackageSizeRequest = Type.Object({
  Reference: Str,
  Description: Str,
  Length: Num,
  Width: Num,
  Height: Num,
  Dimensions: Opt(Dimensions),
  Weight: Opt(Type.Union([Type.Number(), Weight])),
  IsDefault: Opt(Type.Boolean()),
});
export type PackageSizeRequest = Static<typeof PackageSizeRequest>;
