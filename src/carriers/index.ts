/** Every connector Switchyard ships, by the name a catalogue's carrier gives as its `Connector`. Adding a connector is adding its folder and a line here. */
import type { ConnectorFactory } from './registry.js';
import { simulatedConnector } from './simulated/connector.js';

export const CONNECTORS: readonly ConnectorFactory[] = [simulatedConnector];
