import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileServiceRates, priceConsignment, type Price } from '../../src/domain/pricing.js';
import { presentCurrency } from '../../src/http/presenters/currency.js';
import { presentRate, presentSurcharge } from '../../src/http/presenters/rate.js';
import { encodeXml } from '../../src/http/xml-codec.js';
import { consignmentData, pkg, rateCard, service } from '../support/domain-fixtures.js';

/** The object as JSON carries it (presented objects also hold their XML type name under a symbol). */
const plain = (value: object): unknown => JSON.parse(JSON.stringify(value));

const svc = service({ reference: 'TEST-SERVICE', rateCard: rateCard({ fuelSurchargePercent: 8.5, perPackageCharge: 0.35 }) });
const result = priceConsignment(consignmentData({ packages: [pkg({ weightKg: 1 })] }), compileServiceRates(svc));
assert.equal(result.kind, 'priced');
const price = (result as { price: Price }).price;

describe('presenting prices (models.md §6.4)', () => {
  it('presents a Rate in the documented field order, with VatRate and Currency', () => {
    const rate = presentRate(price.total, price);
    assert.equal(
      JSON.stringify(rate),
      JSON.stringify({
        Net: 4.67,
        Gross: 5.6,
        VatRate: { Reference: 'GB-0.2000', CountryIsoCode: 'GB', Type: 'Standard', Rate: 0.2 },
        VatAmount: 0.93,
        Currency: { Name: 'Pound Sterling', IsoCode: 'GBP' },
      }),
    );
    assert.deepEqual(presentRate(price.base, price), { ...rate, Net: 4.3, Gross: 5.16, VatAmount: 0.86 });
  });

  it('encodes a Rate as XML through the one codec', () => {
    const xml = encodeXml(presentRate(price.total, price));
    assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>\n<Rate xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.Consignments"/);
    assert.ok(
      xml.includes(
        '<Net>4.67</Net><Gross>5.6</Gross><VatRate><Reference>GB-0.2000</Reference><CountryIsoCode>GB</CountryIsoCode><Type>Standard</Type><Rate>0.2</Rate></VatRate><VatAmount>0.93</VatAmount><Currency><Name>Pound Sterling</Name><IsoCode>GBP</IsoCode></Currency></Rate>',
      ),
      xml,
    );
  });

  it('presents a surcharge as a QuoteSurcharge of the service', () => {
    const [fuel] = price.surcharges;
    assert.deepEqual(plain(presentSurcharge(fuel, svc)), {
      Label: 'Fuel surcharge 8.5%',
      Description: '8.5% of the price before surcharges',
      MpdCarrierServiceReference: 'TEST-SERVICE',
      Reference: 'FUEL',
      CurrencyIsoCode: 'GBP',
      Price: 0.37,
      ApplicationType: 'Standard',
    });
    assert.match(encodeXml([presentSurcharge(fuel, svc)]), /<ArrayOfQuoteSurcharge [^>]*><QuoteSurcharge><Label>Fuel surcharge 8.5%<\/Label>/);
  });

  it('names currencies as the vendor does where it differs from Unicode, and by Unicode otherwise', () => {
    assert.deepEqual(plain(presentCurrency('GBP')), { Name: 'Pound Sterling', IsoCode: 'GBP' });
    assert.deepEqual(plain(presentCurrency('EUR')), { Name: 'Euro', IsoCode: 'EUR' });
    assert.deepEqual(plain(presentCurrency('USD')), { Name: 'US Dollar', IsoCode: 'USD' });
  });
});
