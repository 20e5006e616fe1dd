/**
 * Which connector serves each carrier of the catalogue. A connector is registered by name (the
 * catalogue's `Connector`) as a factory; at start-up every carrier gets its own connector, built
 * with that carrier's `ConnectorSettings` (checked against the connector's schema, every problem
 * listed) and the shared dependencies.
 */
import type { TSchema, Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Carrier, CatalogueIndex } from '../domain/catalogue.js';
import type { Clock } from '../domain/clock.js';
import { CARRIER_OPERATIONS, type CarrierConnector } from './connector.js';
import type { CarrierTransport } from './transport.js';
import type { DocumentRenderer } from '../documents/renderer.js';

/** Hands out numbers of a named sequence, unique across restarts and processes (store/sequences.ts). */
export interface NumberSource {
  next(name: string, count: number): Promise<number[]>;
}

/** What every connector may use besides its settings. */
export interface ConnectorDependencies {
  numbers: NumberSource;
  clock: Clock;
  /** Replaces the connector's own transport (tests script the carrier with it). */
  transport?: CarrierTransport;
  /** Where a connector that draws documents itself renders them (the process's render threads); in the caller's thread when absent. */
  renderer?: DocumentRenderer;
}

export interface ConnectorFactory<S extends TSchema = TSchema> {
  /** The name a carrier gives as its `Connector` in the catalogue file. */
  readonly name: string;
  /** The shape of a carrier's `ConnectorSettings` for this connector (absent settings are `{}`). */
  readonly settings: S;
  create(carrier: Carrier, settings: Static<S>, dependencies: ConnectorDependencies): CarrierConnector;
}

/**
 * One carrier's connector: its settings with the schema's defaults, checked, then the factory's
 * connector, whose declared operations must be exactly the methods it has. Every problem listed.
 */
export function buildConnector(factory: ConnectorFactory, carrier: Carrier, dependencies: ConnectorDependencies): { connector: CarrierConnector } | { problems: string[] } {
  // Defaults first (a setting left out takes the schema's default), then every problem of what remains.
  const settings = Value.Default(factory.settings, structuredClone(carrier.connectorSettings));
  const errors = [...Value.Errors(factory.settings, settings)].slice(0, 10);
  if (errors.length) return { problems: errors.map((e) => `carrier ${carrier.reference}: ConnectorSettings${e.path.replaceAll('/', '.')} ${e.message}`) };
  const connector = factory.create(carrier, settings as Static<TSchema>, dependencies);
  const declared = CARRIER_OPERATIONS.filter((op) => connector.capabilities.has(op));
  const present = CARRIER_OPERATIONS.filter((op) => typeof connector[op] === 'function');
  if (declared.join() !== present.join()) {
    return { problems: [`carrier ${carrier.reference}: connector ${factory.name} declares ${declared.join(', ') || 'nothing'} but offers ${present.join(', ') || 'nothing'}`] };
  }
  return { connector };
}

export class CarrierRegistry {
  private readonly connectors = new Map<string, CarrierConnector>();

  private constructor() {}

  /**
   * A connector for every carrier of the catalogue, or an error listing every carrier whose
   * connector is unknown, whose settings are wrong, or that cannot book a journey it is on.
   */
  static connect(catalogue: CatalogueIndex, factories: readonly ConnectorFactory[], dependencies: ConnectorDependencies): CarrierRegistry {
    const registry = new CarrierRegistry();
    const byName = new Map(factories.map((f) => [f.name.toLowerCase(), f]));
    const problems: string[] = [];
    for (const carrier of catalogue.catalogue.carriers) {
      const factory = byName.get(carrier.connector.toLowerCase());
      if (!factory) {
        problems.push(`carrier ${carrier.reference}: no connector "${carrier.connector}" (known: ${[...byName.keys()].join(', ')})`);
        continue;
      }
      const built = buildConnector(factory, carrier, dependencies);
      if ('problems' in built) {
        problems.push(...built.problems);
        continue;
      }
      const { connector } = built;
      registry.connectors.set(carrier.reference.toLowerCase(), connector);
    }
    for (const service of catalogue.catalogue.services) {
      for (const leg of service.journey) {
        const connector = registry.connectors.get(leg.carrierReference.toLowerCase());
        if (connector && !connector.capabilities.has('book')) problems.push(`service ${service.reference}: carrier ${leg.carrierReference}'s connector cannot book`);
        // A journey is booked whole or not at all: undoing the legs booked before a failing one needs cancel.
        else if (connector && service.journey.length > 1 && !connector.capabilities.has('cancel')) {
          problems.push(`service ${service.reference}: carrier ${leg.carrierReference}'s connector cannot cancel, so a journey of several legs could not be undone when a later leg fails`);
        }
      }
    }
    if (problems.length) throw new Error(`the catalogue's carriers cannot be connected:\n  ${problems.join('\n  ')}`);
    return registry;
  }

  connectorFor(carrier: Carrier): CarrierConnector {
    const connector = this.connectors.get(carrier.reference.toLowerCase());
    if (!connector) throw new Error(`no connector for carrier ${carrier.reference}`);
    return connector;
  }

  /** Puts another connector in front of a carrier, returning the one it replaces (tests use it to script a carrier). */
  replace(carrierReference: string, connector: CarrierConnector): CarrierConnector {
    const key = carrierReference.toLowerCase();
    const previous = this.connectors.get(key);
    if (!previous) throw new Error(`no carrier ${carrierReference}`);
    this.connectors.set(key, connector);
    return previous;
  }
}
