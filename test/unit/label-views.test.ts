/** What a label says (decisions.md §9): decided once, in the domain, for every format. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressLines } from '../../src/domain/documents/address-lines.js';
import { dataMatrixContent, labelViews, type LabelFacts } from '../../src/domain/documents/label.js';
import { address, consignmentData, pkg } from '../support/domain-fixtures.js';

function facts(overrides: Partial<LabelFacts> = {}): LabelFacts {
  const data = consignmentData({ packages: [pkg({ reference: 'EP-000-000-0A1', weightKg: 2.5 }), pkg({ reference: 'EP-000-000-0A2', weightKg: 0.1234567 }), pkg({ reference: 'EP-000-000-0A3' })] });
  return {
    carrierName: 'Carrier X',
    serviceName: 'Next Day',
    consignmentReference: 'EC-000-05A-Z6S',
    customerReference: 'ORDER-1',
    origin: data.addresses[0],
    destination: data.addresses[1],
    packages: data.packages,
    trackingReferences: ['CX01', 'CX02', 'CX03'],
    collectionDate: '2026-11-18T17:30:00+00:00',
    ...overrides,
  };
}

describe('label views', () => {
  it('says which package of how many, its weight, its references and the leg’s tracking reference', () => {
    const [first, second] = labelViews(facts(), ['EP-000-000-0A1', 'EP-000-000-0A2']);
    assert.equal(first.packageOf, '1 of 3');
    assert.equal(first.weight, '2.5 kg');
    assert.equal(second.packageOf, '2 of 3');
    assert.equal(second.weight, '0.123 kg');
    assert.equal(first.consignmentReference, 'EC-000-05A-Z6S');
    assert.equal(second.packageReference, 'EP-000-000-0A2');
    assert.equal(second.trackingReference, 'CX02');
    assert.equal(first.carrierName, 'Carrier X');
    assert.equal(first.serviceName, 'Next Day');
  });

  it('makes the labels of the packages asked for, in the order asked, numbered by their place in the consignment', () => {
    const views = labelViews(facts(), ['EP-000-000-0A3', 'EP-000-000-0A1']);
    assert.deepEqual(views.map((v) => [v.packageOf, v.trackingReference]), [['3 of 3', 'CX03'], ['1 of 3', 'CX01']]);
  });

  it('dates the label by the collection day the allocation stored, in its own offset', () => {
    const [view] = labelViews(facts({ collectionDate: '2026-11-20T00:30:00+01:00' }), ['EP-000-000-0A1']);
    assert.equal(view.collectionDay, '2026-11-20');
  });

  it('puts tracking reference, destination postcode and country in the DataMatrix, separated by |', () => {
    const [view] = labelViews(facts(), ['EP-000-000-0A1']);
    assert.equal(view.dataMatrix, 'CX01|SW1A 1AA|GB');
    assert.equal(dataMatrixContent('T1', address({ postcode: null, countryCode: 'IE' })), 'T1||IE');
    assert.equal(dataMatrixContent('T1', address({ postcode: 'A|B', countryCode: 'GB' })), 'T1|A B|GB', 'a | in the postcode cannot split a field');
  });

  it('prefers the package’s own customer reference, then the consignment’s, then none', () => {
    const f = facts();
    const own = { ...f, packages: f.packages.map((p, i) => (i === 0 ? { ...p, packageReferenceProvidedByCustomer: 'BOX-7' } : p)) };
    assert.equal(labelViews(own, ['EP-000-000-0A1'])[0].customerReference, 'BOX-7');
    assert.equal(labelViews(f, ['EP-000-000-0A2'])[0].customerReference, 'ORDER-1');
    assert.equal(labelViews({ ...f, customerReference: ' ' }, ['EP-000-000-0A2'])[0].customerReference, null);
  });

  it('refuses a package that is not the consignment’s, or one without a tracking reference on the leg', () => {
    assert.throws(() => labelViews(facts(), ['EP-999-999-999']), RangeError);
    assert.throws(() => labelViews(facts({ trackingReferences: ['CX01'] }), ['EP-000-000-0A2']), RangeError);
  });
});

describe('address lines on documents', () => {
  it('prints every part given, as written, once each, with the country’s name and the telephone', () => {
    const lines = addressLines(
      address({
        contact: { title: 'Pani', firstName: 'Zofia', lastName: 'Wójcik', position: null, telephone: null, mobile: '+48 600 000 000', landLine: null, email: null },
        companyName: 'Ærø Straße GmbH',
        customerName: 'Zofia Wójcik',
        addressLine1: 'ul. Piotrkowska 12',
        addressLine2: 'Αθήνα · Москва',
        addressLine3: ' ',
        town: 'Łódź',
        region: 'łódzkie',
        postcode: ' 90-001 ',
        countryCode: 'PL',
      }),
    );
    assert.deepEqual(lines.lines, ['Pani Zofia Wójcik', 'Ærø Straße GmbH', 'Zofia Wójcik', 'ul. Piotrkowska 12', 'Αθήνα · Москва', 'Łódź', 'łódzkie']);
    assert.equal(lines.postcode, '90-001');
    assert.equal(lines.country, 'Poland');
    assert.equal(lines.telephone, '+48 600 000 000');
  });
});
