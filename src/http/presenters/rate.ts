/** Rate, VatRate and QuoteSurcharge (models.md §6.4): a price as quotes and allocations show it. */
import type { CarrierService } from '../../domain/catalogue.js';
import type { Amounts, Price, Surcharge } from '../../domain/pricing.js';
import { typed } from '../xml-codec.js';
import { presentCurrency } from './currency.js';

/** One set of amounts of a price (its `base` for a quote's BasePrice, its `total` for Price). */
export function presentRate(amounts: Amounts, price: Price): object {
  return typed('Rate', {
    Net: amounts.net,
    Gross: amounts.gross,
    VatRate: typed('VatRate', {
      Reference: price.vat.reference,
      CountryIsoCode: price.vat.countryIsoCode,
      Type: price.vat.type,
      Rate: price.vat.rate,
    }),
    VatAmount: amounts.vatAmount,
    Currency: presentCurrency(price.currency),
  });
}

export function presentSurcharge(surcharge: Surcharge, service: CarrierService): object {
  return typed('QuoteSurcharge', {
    Label: surcharge.label,
    Description: surcharge.description,
    MpdCarrierServiceReference: service.reference,
    Reference: surcharge.reference,
    CurrencyIsoCode: service.currency,
    Price: surcharge.amount,
    ApplicationType: 'Standard',
  });
}
