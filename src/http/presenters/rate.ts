// PLACEHOLDER until branch issue3-pricing merges (the interface agreed with it).
import type { Amounts, Price, Surcharge } from '../../domain/pricing.js';
import type { CarrierService } from '../../domain/catalogue.js';
import { typed } from '../xml-codec.js';

export function presentRate(amounts: Amounts, price: Price): object {
  return typed('Rate', { Net: amounts.net, Gross: amounts.gross, VatRate: typed('VatRate', { Reference: price.vat.reference, CountryIsoCode: price.vat.countryIsoCode, Type: price.vat.type, Rate: price.vat.rate }), VatAmount: amounts.vatAmount, Currency: typed('Currency', { Name: null, IsoCode: price.currency }) });
}

export function presentSurcharge(s: Surcharge, service: CarrierService): object {
  return typed('QuoteSurcharge', { Label: s.label, Description: s.label, MpdCarrierServiceReference: service.reference, Reference: s.reference, CurrencyIsoCode: '', Price: s.amount, ApplicationType: 'Standard' });
}
