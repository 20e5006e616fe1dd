/**
 * A carrier's `ConnectorSettings` for the simulated connector. All optional: the demo catalogue
 * gives none. The others make the simulated carrier behave like a real one on a bad day, for
 * demonstrations and tests over HTTP.
 */
import { Type, type Static } from '@sinclair/typebox';

export const SimulatedSettings = Type.Object(
  {
    /** How long a call may take before the carrier counts as unavailable. */
    TimeoutMs: Type.Integer({ minimum: 1, maximum: 300_000, default: 10_000 }),
    /** Destination countries (ISO two-letter codes) the simulated carrier refuses to book. */
    RefuseDestinations: Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), { default: [] }),
    /** Every call fails as if the carrier's API were down. */
    Unreachable: Type.Boolean({ default: false }),
    /** Each call takes this long, as over a network. */
    LatencyMs: Type.Integer({ minimum: 0, maximum: 300_000, default: 0 }),
    /** How often the tracker asks the simulated carrier for new events of each manifested leg. */
    TrackingIntervalMs: Type.Integer({ minimum: 100, maximum: 86_400_000, default: 5_000 }),
  },
  { additionalProperties: false },
);

export type SimulatedSettings = Static<typeof SimulatedSettings>;
