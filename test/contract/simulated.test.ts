/** The simulated carrier keeps the connector contract, as every real connector must. */
import { simulatedConnector } from '../../src/carriers/simulated/connector.js';
import { DEMO_CATALOGUE_PATH, loadCatalogueFile } from '../../src/catalogue/load-catalogue.js';
import { address, consignmentData, customsDeclaration } from '../support/domain-fixtures.js';
import { readFileSync } from 'node:fs';
import { connectorContract } from './connector-contract.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../src/carriers/simulated/fixtures/${name}.json`, import.meta.url), 'utf8'));

const catalogue = loadCatalogueFile(DEMO_CATALOGUE_PATH);
const carrier = catalogue.carriers.find((c) => c.reference === 'CARRIER_X')!;
const service = catalogue.services.find((s) => s.reference === 'Example-Carrier-Service')!;
const data = consignmentData();
const shipment = {
  consignmentReference: 'EC-000-0CT-001',
  customerReference: 'ORDER-1',
  origin: data.addresses.find((a) => a.addressType === 'Origin')!,
  destination: data.addresses.find((a) => a.addressType === 'Destination')!,
  packages: [...data.packages, { ...data.packages[0], reference: 'EP-000-0CT-002' }],
  collectionDate: '2026-11-18T17:30:00+00:00',
};

connectorContract({
  factory: simulatedConnector,
  carrier,
  leg: service.journey[0],
  shipment,
  refusal: {
    carrier: { ...carrier, connectorSettings: { RefuseDestinations: ['FR'] } },
    shipment: { ...shipment, destination: address({ addressType: 'Destination', countryCode: 'FR', postcode: '75001' }) },
  },
  successStatus: 201,
  recorded: { booked: fixture('book').booked, cancelled: fixture('cancel').cancelled },
  customs: customsDeclaration(),
  manifest: { manifested: fixture('manifest').manifested, refusesPassedCutOff: true },
  track: { latestDeliveryDate: '2026-11-19T23:59:00+00:00', deliveredBy: '2026-11-19T12:00:00+00:00' },
});
