/** Our allocation rules, service tags and service groups (SDK groups plus our management). */
import { Type, type Static } from '@sinclair/typebox';
import { Num, Opt, Str } from './fields.js';

/** Our allocation rules API; src/domain/allocation-rules.ts checks what a schema cannot say. */
export const AllocationRuleRequest = Type.Object({
  Reference: Str,
  Name: Str,
  IsEnabled: Opt(Type.Boolean()),
  Action: Opt(Type.Union([Type.Literal('Exclude'), Type.Literal('Restrict')])),
  MpdCarrierServiceReferences: Opt(Type.Array(Type.String())),
  Conditions: Opt(
    Type.Object({
      DestinationCountries: Opt(Type.Array(Type.String())),
      DestinationPostcodes: Opt(Type.Array(Type.String())),
      MinWeightKg: Num,
      MaxWeightKg: Num,
      MinPackageLengthCm: Num,
      MaxPackageLengthCm: Num,
      MinValue: Num,
      MaxValue: Num,
      Currency: Str,
      Directions: Opt(Type.Array(Type.Union([Type.Literal('Outbound'), Type.Literal('Inbound')]))),
      Tags: Opt(Type.Array(Type.String())),
    }),
  ),
});
export type AllocationRuleRequest = Static<typeof AllocationRuleRequest>;

/** A carrier service's allocation-filtering tags for the subscription. */
export const TagList = Type.Array(Type.String());

export const ServiceGroupRequest = Type.Object({
  Reference: Str,
  Name: Str,
  IsEnabled: Opt(Type.Boolean()),
  MpdCarrierServiceReferences: Opt(Type.Array(Type.String())),
});
export type ServiceGroupRequest = Static<typeof ServiceGroupRequest>;
