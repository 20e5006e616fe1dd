/**
 * Building blocks of the wire schemas: an optional field may also be sent as null (the vendor's
 * clients write nulls), and PascalCase names are the wire's, matched case-insensitively on input.
 */
import { Type, type TSchema } from '@sinclair/typebox';

export const Opt = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));
export const Str = Opt(Type.String());
export const Num = Opt(Type.Number());
