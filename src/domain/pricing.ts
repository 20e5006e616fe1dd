// PLACEHOLDER until branch issue3-pricing merges (the interface agreed with it).
import type { CarrierService } from './catalogue.js';
import type { ConsignmentData, FailureReason } from './consignment.js';

export interface VatRate { reference: string; countryIsoCode: string; type: 'Standard' | 'Reduced' | 'Zero'; rate: number }
export interface Amounts { net: number; vatAmount: number; gross: number }
export interface Surcharge { reference: string; label: string; amount: number }
export interface Price { currency: string; vat: VatRate; base: Amounts; total: Amounts; surcharges: Surcharge[]; chargeableWeightKg: number; zone: string }
export type PriceResult = { kind: 'priced'; price: Price } | { kind: 'unpriced'; reason: FailureReason };

export function priceConsignment(_consignment: ConsignmentData, _service: CarrierService): PriceResult {
  return { kind: 'unpriced', reason: { Code: 'NoRates', Message: 'the service has no rate card' } };
}
