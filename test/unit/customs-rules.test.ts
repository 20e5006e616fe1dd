/** Which customs documents a consignment needs (decisions.md §10), and what they say. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CN22_MAX_VALUE_GBP, CN22_MAX_WEIGHT_KG, customsLines, customsRequirement, declaredValueGbp, declaredValues, EU_CUSTOMS_UNION, formFor, needsCustoms } from '../../src/domain/documents/customs-rules.js';
import { commercialInvoiceView, customsFormView, type CustomsFacts } from '../../src/domain/documents/customs-forms.js';
import type { Money } from '../../src/domain/consignment.js';
import { catalogueIndex, consignmentData, customsDeclaration, item, pkg } from '../support/domain-fixtures.js';

const rates = catalogueIndex();
const inGbp = (m: Money) => rates.convert(m.amount, m.currency, 'GBP');

describe('when customs are needed', () => {
  it('needs none within a country, nor between two countries of the EU customs union', () => {
    assert.equal(needsCustoms('GB', 'GB'), false);
    assert.equal(needsCustoms('FR', 'DE'), false);
    assert.equal(needsCustoms('DE', 'MC'), false, 'Monaco is in the EU customs territory');
    assert.equal(needsCustoms('PL', 'PL'), false);
  });

  it('needs them from or to Great Britain, the Channel Islands and any other country outside the union', () => {
    for (const [from, to] of [['GB', 'FR'], ['FR', 'GB'], ['GB', 'JE'], ['GG', 'GB'], ['DE', 'CH'], ['NO', 'SE'], ['GB', 'US'], ['ES', 'TR']]) {
      assert.equal(needsCustoms(from, to), true, `${from} → ${to}`);
    }
  });

  it('counts the EU’s 27 members and Monaco as the union', () => {
    assert.equal(EU_CUSTOMS_UNION.size, 28);
    for (const outside of ['GB', 'JE', 'GG', 'IM', 'CH', 'NO', 'IS', 'TR', 'AD', 'SM']) assert.equal(EU_CUSTOMS_UNION.has(outside), false, outside);
  });

  it('gives a consignment that needs customs a commercial invoice and each package a form; one that needs none, nothing', () => {
    const abroad = consignmentData({ destination: { countryCode: 'CH', postcode: '8001' }, packages: [pkg({ reference: 'EP-1' }), pkg({ reference: 'EP-2', weightKg: 5 })] });
    assert.deepEqual(customsRequirement(abroad, inGbp), { commercialInvoice: true, forms: [{ packageReference: 'EP-1', form: 'CN22' }, { packageReference: 'EP-2', form: 'CN23' }] });
    assert.deepEqual(customsRequirement(consignmentData(), inGbp), { commercialInvoice: false, forms: [] });
  });
});

describe('CN22 or CN23', () => {
  const parcel = (weightKg: number, value: Money | null, items = [] as ReturnType<typeof item>[]) => pkg({ weightKg, value, items });

  it('is a CN22 up to 270 GBP and 2 kg, both included, and a CN23 beyond either', () => {
    assert.equal(formFor(parcel(2, { amount: 270, currency: 'GBP' }), inGbp), 'CN22');
    assert.equal(formFor(parcel(2.001, { amount: 10, currency: 'GBP' }), inGbp), 'CN23');
    assert.equal(formFor(parcel(0.5, { amount: 270.01, currency: 'GBP' }), inGbp), 'CN23');
  });

  it('judges the value in GBP at the catalogue’s rates', () => {
    assert.equal(formFor(parcel(1, { amount: 313.95, currency: 'EUR' }), inGbp), 'CN22', '313.95 EUR is 270.00 GBP at 0.86');
    assert.equal(formFor(parcel(1, { amount: 314, currency: 'EUR' }), inGbp), 'CN23');
    assert.equal(formFor(parcel(1, { amount: 5, currency: 'XYZ' }), inGbp), 'CN23', 'a value that cannot be judged is never taken for a small one');
  });

  it('declares a package’s items, each worth its value times its quantity, or the package itself when it lists none', () => {
    const boxed = parcel(1, { amount: 1, currency: 'GBP' }, [item({ description: 'Mug', quantity: 3, value: { amount: 50, currency: 'GBP' }, weightKg: 0.3 })]);
    assert.equal(declaredValueGbp(boxed, inGbp), 150);
    assert.deepEqual(customsLines(boxed), [{ description: 'Mug', quantity: 3, netWeightKg: 0.9, value: { amount: 150, currency: 'GBP' }, hsCode: null, originCountry: null }]);
    assert.equal(formFor(parcel(1, { amount: 1, currency: 'GBP' }, [item({ quantity: 6, value: { amount: 50, currency: 'GBP' } })]), inGbp), 'CN23', '6 × 50 GBP is over 270');
    assert.deepEqual(customsLines(pkg({ description: 'Books', weightKg: 1.5, value: { amount: 40, currency: 'GBP' } })), [
      { description: 'Books', quantity: 1, netWeightKg: 1.5, value: { amount: 40, currency: 'GBP' }, hsCode: null, originCountry: null },
    ]);
  });

  it('never lets items without values hide the package’s own value, nor a small package value hide its items', () => {
    const watch = parcel(1, { amount: 5000, currency: 'GBP' }, [item({ description: 'Watch', quantity: 1, value: null })]);
    assert.equal(declaredValueGbp(watch, inGbp), 5000);
    assert.equal(formFor(watch, inGbp), 'CN23', 'a 5,000 GBP package is never a CN22 because its item gives no value');
    assert.deepEqual(declaredValues(watch), [{ amount: 5000, currency: 'GBP' }], 'the form declares the package’s value');
    const mixed = parcel(1, { amount: 300, currency: 'GBP' }, [item({ value: { amount: 20, currency: 'GBP' } }), item({ value: null })]);
    assert.equal(formFor(mixed, inGbp), 'CN23');
    assert.deepEqual(declaredValues(mixed), [{ amount: 300, currency: 'GBP' }]);
    const priced = parcel(1, { amount: 1, currency: 'GBP' }, [item({ quantity: 2, value: { amount: 40, currency: 'GBP' } })]);
    assert.deepEqual(declaredValues(priced), [{ amount: 80, currency: 'GBP' }], 'items that all give values are what the form declares');
    assert.equal(formFor(parcel(1, { amount: 5, currency: 'XYZ' }, [item({ value: { amount: 5, currency: 'GBP' } })]), inGbp), 'CN23', 'an unjudgeable package value counts');
  });

  it('is exactly "at most 2 kg and at most 270 GBP", for any weight and value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 100_000 }), (grams, pence) => {
        const form = formFor(parcel(grams / 1000, { amount: pence / 100, currency: 'GBP' }), inGbp);
        return form === (grams / 1000 <= CN22_MAX_WEIGHT_KG && pence / 100 <= CN22_MAX_VALUE_GBP ? 'CN22' : 'CN23');
      }),
    );
  });
});

describe('customs form views', () => {
  const data = consignmentData({
    destination: { countryCode: 'CH', postcode: '8001', town: 'Zürich' },
    packages: [
      pkg({ reference: 'EP-1', weightKg: 1.2, items: [item({ description: 'Scarf', quantity: 2, weightKg: 0.25, value: { amount: 15, currency: 'GBP' }, harmonisationCode: '6117100000', countryOfOrigin: 'GB' })] }),
      pkg({ reference: 'EP-2', weightKg: 4, description: 'Boots', value: { amount: 120, currency: 'EUR' } }),
    ],
  });
  const facts: CustomsFacts = {
    consignmentReference: 'EC-000-05A-Z6S',
    customerReference: 'ORDER-1',
    carrierName: 'Skyway Express',
    serviceName: 'Worldwide Air',
    sender: data.addresses[0],
    addressee: data.addresses[1],
    packages: data.packages,
    trackingReferences: ['SW1', 'SW2'],
    declaration: customsDeclaration({ importerVatNumber: 'CHE-123.456.789' }),
  };

  it('lists every package’s lines on the invoice, totalled per currency without converting what was declared', () => {
    const invoice = commercialInvoiceView(facts);
    assert.equal(invoice.kind, 'CommercialInvoice');
    assert.equal(invoice.packages, '2 packages');
    assert.deepEqual(invoice.lines.map((l) => [l.description, l.quantity, l.netWeight, l.value, l.hsCode, l.origin]), [
      ['Scarf', '2', '0.5 kg', '30.00 GBP', '6117100000', 'GB'],
      ['Boots', '1', '4 kg', '120.00 EUR', '', ''],
    ]);
    assert.equal(invoice.totalValue, '30.00 GBP + 120.00 EUR');
    assert.equal(invoice.totalGrossWeight, '5.2 kg');
    assert.equal(invoice.totalNetWeight, '4.5 kg');
    assert.deepEqual(invoice.trackingReferences, ['SW1', 'SW2']);
    assert.equal(invoice.invoiceNumber, 'INV-1001');
    assert.equal(invoice.date, '2026-11-18');
    assert.equal(invoice.category, 'Sale of goods');
  });

  it('gives a package’s form that package’s lines, its place in the consignment and the importer’s reference', () => {
    const cn23 = customsFormView(facts, 'CN23', 'EP-2');
    assert.equal(cn23.title, 'Customs declaration CN 23');
    assert.equal(cn23.packages, '2 of 2');
    assert.deepEqual(cn23.trackingReferences, ['SW2']);
    assert.deepEqual(cn23.lines.map((l) => l.description), ['Boots']);
    assert.deepEqual(cn23.importerReferences, [{ label: 'VAT number', value: 'CHE-123.456.789' }]);
    assert.deepEqual(cn23.senderReferences, [{ label: 'EORI', value: 'GB123456789000' }, { label: 'VAT number', value: 'GB123456789' }]);
    assert.throws(() => customsFormView(facts, 'CN22', 'EP-9'), RangeError);
  });
});
