/**
 * Editing consignments over real HTTP (endpoints.md P1-14 to P1-16, models.md §4.7): Update
 * Consignment's replacement rules, Add Package, Delete Package, their state rules (only while
 * Unallocated or AllocationFailed), validation that changes nothing, XML, the audit trail, tenant
 * isolation, and that an edit and a concurrent allocation never both win.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, databaseUnderTest, skipReason, startServer, type TestServer } from '../support/test-server.js';
import { assertError } from '../support/assertions.js';
import { allocate, consignmentRequest, createConsignment, createSubscription, getConsignment } from '../support/consignments.js';
import { forceState } from '../support/force-state.js';

const EP = /^EP-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/;

const destination = (overrides: Record<string, unknown> = {}) => ({
  AddressType: 'Destination',
  Contact: { FirstName: 'Ivo', LastName: 'Marsh', Email: 'ivo.marsh@example.net' },
  AddressLine1: '3 Quarry Row',
  Town: 'Kendal',
  Postcode: 'LA9 6XE',
  Country: { IsoCode: { TwoLetterCode: 'GB' } },
  ...overrides,
});
const origin = { AddressType: 'Origin', ShippingLocationReference: 'WH-MAN-01' };
const parcel = (kg: number, overrides: Record<string, unknown> = {}) => ({
  Description: `${kg} kg parcel`,
  Weight: { Value: kg, Unit: 'Kg' },
  Dimensions: { Unit: 'Cm', Length: 30, Width: 20, Height: 10 },
  Value: { Amount: 12, Currency: { IsoCode: 'GBP' } },
  ...overrides,
});

/** A consignment with everything that an update may clear. */
function fullRequest(): Record<string, unknown> {
  return consignmentRequest({
    tags: ['Fragile'],
    direction: 'Outbound',
    shippingDate: '2026-11-20T10:00:00+00:00',
    requiredDeliveryDate: { Date: '2026-11-24T00:00:00+00:00' },
    extra: {
      ConsignmentReferenceProvidedByCustomer: 'WEB-55120',
      MetaData: [{ KeyValue: 'Channel', StringValue: 'Web' }],
      CustomsDocumentation: { CategoryType: 'Gift', ShippingTerms: 'DAP' },
      Source: 'Web',
    },
  });
}

async function create(server: TestServer, body: Record<string, unknown>, key?: string): Promise<string> {
  const res = await api(server, 'POST', '/consignments', { body, key });
  assert.equal(res.status, 201, res.text);
  return res.body[0].Href.split('/').pop();
}

async function audit(server: TestServer, ref: string): Promise<any[]> {
  const res = await api(server, 'GET', `/consignments/${ref}/audit`);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

describe(`Editing consignments (${databaseUnderTest})`, { skip: skipReason }, () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  describe('PUT /consignments', () => {
    it('replaces the details, clears what is omitted, keeps packages and tags when none are given, and answers 200 with a link', async () => {
      const ref = await create(server, fullRequest());
      const before = await getConsignment(server, ref);
      const res = await api(server, 'PUT', '/consignments', {
        body: { Reference: ref.toLowerCase(), Addresses: [origin, destination()], Source: 'Api' },
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body, [{ Rel: 'Link', Href: `${server.url}/consignments/${ref}` }]);

      const after = await getConsignment(server, ref);
      assert.equal(after.ShippingDate, null);
      assert.equal(after.RequestedDeliveryDate, null);
      assert.equal(after.ConsignmentReferenceProvidedByCustomer, '');
      assert.equal(after.CustomsDocumentation, null);
      assert.deepEqual(after.MetaData, []);
      assert.equal(after.Addresses[1].Town, 'Kendal');
      assert.equal(after.Addresses[1].Contact.FirstName, 'Ivo');
      assert.deepEqual(after.Packages, before.Packages, 'no packages given: the packages are unchanged, references and all');
      assert.deepEqual(after.Tags, ['Fragile'], 'no tags given: unchanged');
      assert.equal(after.Direction, 'Outbound');
      assert.equal(after.Source, 'Web', 'Source is ignored');
      assert.equal(after.ConsignmentState, 'Unallocated');
      assert.equal(after.DateCreated, before.DateCreated);

      const trail = await audit(server, ref);
      assert.deepEqual(trail.map((e) => [e.Action, e.FromState, e.ToState]), [['Created', null, 'Unallocated'], ['Updated', 'Unallocated', 'Unallocated']]);
      assert.equal(trail[1].Message, `Consignment ${ref} updated`);
    });

    it('replaces the fields given: dates, customer reference, metadata, customs, tags, direction', async () => {
      const ref = await createConsignment(server);
      const res = await api(server, 'PUT', '/consignments', {
        body: {
          Reference: ref,
          ShippingDate: '2026-11-23T09:00:00+00:00',
          RequestedDeliveryDate: { Date: '2026-11-26T00:00:00+00:00', IsToBeExactlyOnTheDateSpecified: true },
          ConsignmentReferenceProvidedByCustomer: 'WEB-55121',
          Addresses: [origin, destination()],
          MetaData: [{ KeyValue: 'Gift', BoolValue: true }],
          CustomsDocumentation: { CategoryType: 'Documents' },
          Tags: ['Heavy', 'heavy', 'Oversize'],
          Direction: 'inbound',
        },
      });
      assert.equal(res.status, 200, res.text);
      const c = await getConsignment(server, ref);
      assert.match(c.ShippingDate, /^2026-11-23T09:00:00/);
      assert.equal(c.RequestedDeliveryDate.Date, '2026-11-26T00:00:00+00:00');
      assert.equal(c.RequestedDeliveryDate.IsToBeExactlyOnTheDateSpecified, true);
      assert.equal(c.ConsignmentReferenceProvidedByCustomer, 'WEB-55121');
      assert.deepEqual(c.MetaData.map((m: any) => [m.KeyValue, m.BoolValue]), [['Gift', true]]);
      assert.equal(c.CustomsDocumentation.CategoryType, 'Documents');
      assert.deepEqual(c.Tags, ['Heavy', 'Oversize']);
      assert.equal(c.Direction, 'Inbound');
    });

    it('replaces all packages when some are given: an entry naming a current package keeps its reference, the others get new ones', async () => {
      const ref = await create(server, consignmentRequest({ packages: [{ kg: 1 }, { kg: 2 }, { kg: 3 }] }));
      const [p1, p2, p3] = (await getConsignment(server, ref)).Packages.map((p: any) => p.Reference);
      const res = await api(server, 'PUT', '/consignments', {
        body: {
          Reference: ref,
          Addresses: [origin, destination()],
          Packages: [
            parcel(4, { Reference: p2.toLowerCase() }),
            parcel(5),
            parcel(6, { Reference: 'EP-ZZZ-ZZZ-ZZZ' }),
            parcel(7, { Reference: p2 }),
          ],
        },
      });
      assert.equal(res.status, 200, res.text);
      const c = await getConsignment(server, ref);
      const refs = c.Packages.map((p: any) => p.Reference);
      assert.equal(refs.length, 4);
      assert.equal(refs[0], p2, 'kept, in its stored spelling');
      for (const r of refs.slice(1)) assert.match(r, EP);
      assert.equal(new Set([...refs, p1, p3]).size, 6, 'the others are new, unique references (a second claim on one is new too)');
      assert.deepEqual(c.Packages.map((p: any) => p.Weight.Value), [4, 5, 6, 7]);
      assert.deepEqual(c.Weight, { Value: 22, Unit: 'Kg' });
      assertError(await api(server, 'DELETE', `/packages/${p1}`), 404, 'PackageNotFound');
      assert.equal((await api(server, 'DELETE', `/packages/${refs[1]}`)).status, 200, 'the new packages are found by reference');
    });

    it('answers one 400 listing every problem, and changes nothing', async () => {
      const ref = await create(server, fullRequest());
      const before = await getConsignment(server, ref);
      const res = await api(server, 'PUT', '/consignments', {
        body: {
          Reference: ref,
          ShippingDate: 'next Tuesday',
          Addresses: [origin, destination({ Country: { IsoCode: { TwoLetterCode: 'XX' } } })],
          Packages: [parcel(0), parcel(2, { Dimensions: null })],
          Tags: [''],
        },
      });
      const error = assertError(res, 400, 'ValidationFailed');
      assert.deepEqual(error.Details.map((d: any) => d.Target).sort(), [
        'Addresses[1].Country.IsoCode.TwoLetterCode',
        'Packages[0].Weight',
        'Packages[1].Dimensions',
        'ShippingDate',
        'Tags[0]',
      ]);
      assert.deepEqual(await getConsignment(server, ref), before);
      assert.equal((await audit(server, ref)).length, 1, 'nothing recorded');
    });

    it('refuses an update without addresses (a consignment needs an Origin and a Destination) with 400', async () => {
      const ref = await createConsignment(server);
      for (const body of [{ Reference: ref }, { Reference: ref, Addresses: [] }]) {
        const error = assertError(await api(server, 'PUT', '/consignments', { body }), 400, 'ValidationFailed');
        assert.deepEqual(error.Details.map((d: any) => [d.Target, d.Code]), [['Addresses', 'Required'], ['Addresses', 'Required']]);
        assert.match(error.Details[0].Message, /Origin/);
        assert.match(error.Details[1].Message, /Destination/);
      }
    });

    it('answers 400 without a Reference, 404 for an unknown one or another subscription’s', async () => {
      const missing = assertError(await api(server, 'PUT', '/consignments', { body: { Addresses: [origin, destination()] } }), 400, 'ValidationFailed');
      assert.deepEqual(missing.Details.map((d: any) => d.Target), ['Reference']);
      assertError(await api(server, 'PUT', '/consignments', { body: [{ Reference: 'EC-000-05A-Z6S' }] }), 400, 'ValidationFailed');
      assertError(await api(server, 'PUT', '/consignments', { body: { Reference: 'EC-ZZZ-ZZZ-ZZZ', Addresses: [origin, destination()] } }), 404, 'ConsignmentNotFound');
      const other = await createSubscription(server, 'Other shop');
      const theirs = await createConsignment(server, { origin: { postcode: 'LS1 4AP', town: 'Leeds', line1: '1 Park Row' } }, other.ApiKey);
      assertError(await api(server, 'PUT', '/consignments', { body: { Reference: theirs, Addresses: [origin, destination()] } }), 404, 'ConsignmentNotFound');
      assert.equal((await getConsignment(server, theirs, other.ApiKey)).Addresses[1].Town, 'London', 'theirs is untouched');
    });

    it('reads an XML UpdateConsignmentRequest and answers in XML', async () => {
      const ref = await createConsignment(server);
      const xml = `<?xml version="1.0" encoding="utf-8"?>
<UpdateConsignmentRequest xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Consignments" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <Reference>${ref}</Reference>
  <ConsignmentReferenceProvidedByCustomer>XML-1</ConsignmentReferenceProvidedByCustomer>
  <Addresses>
    <Address><AddressType>Origin</AddressType><ShippingLocationReference>WH-MAN-01</ShippingLocationReference></Address>
    <Address><AddressType>Destination</AddressType><AddressLine1>3 Quarry Row</AddressLine1><Town>Kendal</Town><Postcode>LA9 6XE</Postcode><Country><IsoCode><TwoLetterCode>GB</TwoLetterCode></IsoCode></Country></Address>
  </Addresses>
  <Packages>
    <UpdatePackageRequest><Weight><Value>1.5</Value><Unit>Kg</Unit></Weight><Dimensions><Unit>Cm</Unit><Width>10</Width><Length>20</Length><Height>5</Height></Dimensions></UpdatePackageRequest>
  </Packages>
  <Tags><string>Gift</string></Tags>
</UpdateConsignmentRequest>`;
      const res = await api(server, 'PUT', '/consignments', { body: xml, headers: { accept: 'application/xml' } });
      assert.equal(res.status, 200, res.text);
      assert.match(res.text, new RegExp(`<ArrayOfApiLink xmlns="http://electioapp.com/schemas/v1.1/MPD.Electio.SDK.DataTypes.Common" [^>]*><ApiLink><Rel>Link</Rel><Href>[^<]+/consignments/${ref}</Href></ApiLink></ArrayOfApiLink>$`));
      const c = await getConsignment(server, ref);
      assert.equal(c.ConsignmentReferenceProvidedByCustomer, 'XML-1');
      assert.deepEqual(c.Packages.map((p: any) => p.Weight.Value), [1.5]);
      assert.deepEqual(c.Tags, ['Gift']);
    });

    it('takes a consignment back exactly as GET shows it and changes nothing (the console’s edit sends it so)', async () => {
      const item = { Description: 'Teapot', Quantity: 2, Value: { Amount: 15, Currency: { IsoCode: 'GBP' } }, Weight: { Value: 0.4, Unit: 'Kg' }, HarmonisationCode: '691200', CountryOfOrigin: { IsoCode: { TwoLetterCode: 'CN' } }, Sku: 'TP-1' };
      const body = fullRequest();
      (body.Packages as Record<string, unknown>[])[0].Items = [item];
      (body.Packages as Record<string, unknown>[])[0].Barcode = { Code: 'PKG-123', BarcodeType: 'Code128' };
      // The origin from the demo location (whose contact has a land line only), the destination with one number given as Telephone.
      body.Addresses = [origin, destination({ Contact: { FirstName: 'Ivo', LastName: 'Marsh', Telephone: '07700 900123' } })];
      const ref = await create(server, body);
      const before = await getConsignment(server, ref);
      const res = await api(server, 'PUT', '/consignments', { body: before });
      assert.equal(res.status, 200, res.text);
      // Items are given new references by any update that sends packages (they have no reference in a request).
      const withoutItemReferences = (c: any) => ({ ...c, Packages: c.Packages.map((p: any) => ({ ...p, Items: p.Items.map(({ Reference: _, ...i }: any) => i) })) });
      assert.deepEqual(withoutItemReferences(await getConsignment(server, ref)), withoutItemReferences(before));
    });

    it('fixes a consignment that failed allocation, which then allocates', async () => {
      const ref = await createConsignment(server, { packages: [{ kg: 40 }] });
      assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 422);
      const res = await api(server, 'PUT', '/consignments', { body: { Reference: ref, Addresses: [origin, destination()], Packages: [parcel(4)] } });
      assert.equal(res.status, 200, res.text);
      const fixed = await getConsignment(server, ref);
      assert.equal(fixed.ConsignmentState, 'AllocationFailed', 'an edit does not change the state');
      assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 200);
    });
  });

  describe('POST /consignments/{ref}/addpackage', () => {
    it('adds a package and answers 201 with it as GET shows it', async () => {
      const ref = await createConsignment(server);
      const res = await api(server, 'POST', `/consignments/${ref}/addpackage`, {
        body: { Description: 'Tea towels', Weight: { Value: 800, Unit: 'g' }, Dimensions: { Unit: 'Cm', Width: 15, Length: 20, Height: 8 }, Value: { Amount: 12, Currency: { IsoCode: 'GBP' } }, PackageReferenceProvidedByCustomer: 'TT-1' },
      });
      assert.equal(res.status, 201, res.text);
      const pkg = res.body;
      assert.match(pkg.Reference, EP);
      assert.deepEqual(pkg.ConsignmentLegs, []);
      assert.deepEqual(pkg.Items, []);
      assert.deepEqual(pkg.Weight, { Value: 0.8, Unit: 'Kg' });
      assert.equal(pkg.Description, 'Tea towels');
      assert.equal(pkg.PackageReferenceProvidedByCustomer, 'TT-1');
      const c = await getConsignment(server, ref);
      assert.equal(c.Packages.length, 2);
      assert.deepEqual(c.Packages[1], pkg);
      assert.deepEqual(c.Weight, { Value: 2.8, Unit: 'Kg' });
      assert.deepEqual(c.Value.Amount, 32);
      const trail = await audit(server, ref);
      assert.deepEqual(trail.at(-1), { ...trail.at(-1), Action: 'PackageAdded', FromState: 'Unallocated', ToState: 'Unallocated', Message: `Package ${pkg.Reference} added to consignment ${ref}` });
    });

    it('requires Weight, Dimensions, Description and Value, listing each one missing, and adds nothing', async () => {
      const ref = await createConsignment(server);
      const error = assertError(await api(server, 'POST', `/consignments/${ref}/addpackage`, { body: { PackageReferenceProvidedByCustomer: 'x' } }), 400, 'ValidationFailed');
      assert.deepEqual(error.Details.map((d: any) => d.Target).sort(), ['Description', 'Dimensions', 'Value', 'Weight']);
      assertError(await api(server, 'POST', `/consignments/${ref}/addpackage`), 400, 'ValidationFailed');
      assert.equal((await getConsignment(server, ref)).Packages.length, 1);
    });

    it('reads XML and answers a Package in XML', async () => {
      const ref = await createConsignment(server);
      const xml = `<UpdatePackageRequest><Description>Mugs</Description><Weight><Kg>1.25</Kg></Weight><Dimensions><Width>10</Width><Length>10</Length><Height>10</Height></Dimensions><Value><Amount>9.5</Amount><Currency><IsoCode>GBP</IsoCode></Currency></Value></UpdatePackageRequest>`;
      const res = await api(server, 'POST', `/consignments/${ref}/addpackage`, { body: xml, headers: { accept: 'application/xml' } });
      assert.equal(res.status, 201, res.text);
      assert.match(res.text, /^<\?xml[^>]*>\n<Package xmlns="http:\/\/electioapp.com\/schemas\/v1.1\/MPD.Electio.SDK.DataTypes.Consignments" [^>]*><ConsignmentLegs><\/ConsignmentLegs><Items><\/Items><Charges><\/Charges><Reference>EP-/);
      assert.match(res.text, /<Weight><Value>1.25<\/Value><Unit>Kg<\/Unit><\/Weight>/);
    });

    it('answers 404 for an unknown consignment or another subscription’s', async () => {
      assertError(await api(server, 'POST', '/consignments/EC-ZZZ-ZZZ-ZZZ/addpackage', { body: parcel(1) }), 404, 'ConsignmentNotFound');
      const other = await createSubscription(server, 'Other shop 2');
      const theirs = await createConsignment(server, { origin: { postcode: 'LS1 4AP', town: 'Leeds', line1: '1 Park Row' } }, other.ApiKey);
      assertError(await api(server, 'POST', `/consignments/${theirs}/addpackage`, { body: parcel(1) }), 404, 'ConsignmentNotFound');
      assert.equal((await getConsignment(server, theirs, other.ApiKey)).Packages.length, 1);
    });
  });

  describe('DELETE /packages/{packageReference}', () => {
    it('deletes a package (any case) and answers 200 with no body; then it is gone', async () => {
      const ref = await create(server, consignmentRequest({ packages: [{ kg: 1 }, { kg: 2 }] }));
      const [p1, p2] = (await getConsignment(server, ref)).Packages.map((p: any) => p.Reference);
      const res = await api(server, 'DELETE', `/packages/${p1.toLowerCase()}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.text, '');
      const c = await getConsignment(server, ref);
      assert.deepEqual(c.Packages.map((p: any) => p.Reference), [p2]);
      assert.deepEqual(c.Weight, { Value: 2, Unit: 'Kg' });
      const error = assertError(await api(server, 'DELETE', `/packages/${p1}`), 404, 'PackageNotFound');
      assert.match(error.Message, new RegExp(p1));
      assert.equal((await audit(server, ref)).at(-1).Action, 'PackageDeleted');
    });

    it('refuses to delete the last package with 409 CannotDeleteLastPackage', async () => {
      const ref = await createConsignment(server);
      const [p] = (await getConsignment(server, ref)).Packages.map((x: any) => x.Reference);
      const error = assertError(await api(server, 'DELETE', `/packages/${p}`), 409, 'CannotDeleteLastPackage');
      assert.match(error.Message, /only package/);
      assert.equal((await getConsignment(server, ref)).Packages.length, 1);
    });

    it("answers 404 PackageNotFound for an unknown package or another subscription's", async () => {
      assertError(await api(server, 'DELETE', '/packages/EP-ZZZ-ZZZ-ZZZ'), 404, 'PackageNotFound');
      assertError(await api(server, 'DELETE', '/packages/EP%00X'), 404, 'PackageNotFound');
      const other = await createSubscription(server, 'Other shop 3');
      const theirs = await createConsignment(server, { packages: [{ kg: 1 }, { kg: 2 }], origin: { postcode: 'LS1 4AP', town: 'Leeds', line1: '1 Park Row' } }, other.ApiKey);
      const [p] = (await getConsignment(server, theirs, other.ApiKey)).Packages.map((x: any) => x.Reference);
      assertError(await api(server, 'DELETE', `/packages/${p}`), 404, 'PackageNotFound');
      assert.equal((await getConsignment(server, theirs, other.ApiKey)).Packages.length, 2);
    });
  });

  describe('state rules', () => {
    async function packagesOf(ref: string): Promise<string[]> {
      return (await getConsignment(server, ref)).Packages.map((p: any) => p.Reference);
    }

    for (const state of ['Allocated', 'Manifested', 'ReadyToShip', 'InTransit', 'Cancelled']) {
      it(`refuses every edit of a ${state} consignment with 409 InvalidState naming ${state}, changing nothing`, async () => {
        const ref = await create(server, consignmentRequest({ packages: [{ kg: 1 }, { kg: 2 }] }));
        assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 200);
        if (state !== 'Allocated') await forceState(server, ref, state);
        const before = await getConsignment(server, ref);
        const [p1] = await packagesOf(ref);

        const update = assertError(await api(server, 'PUT', '/consignments', { body: { Reference: ref, Addresses: [origin, destination()] } }), 409, 'InvalidState');
        assert.equal(update.Message, `Consignment ${ref} cannot be updated: it is ${state}`);
        const add = assertError(await api(server, 'POST', `/consignments/${ref}/addpackage`, { body: parcel(1) }), 409, 'InvalidState');
        assert.equal(add.Message, `Consignment ${ref} cannot have a package added: it is ${state}`);
        const del = assertError(await api(server, 'DELETE', `/packages/${p1}`), 409, 'InvalidState');
        assert.equal(del.Message, `Consignment ${ref} cannot have a package deleted: it is ${state}`);
        assert.deepEqual(await getConsignment(server, ref), before);
      });
    }

    it('allows editing again after deallocation', async () => {
      const ref = await createConsignment(server);
      assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 200);
      assert.equal((await api(server, 'PUT', `/consignments/${ref}/deallocate`)).status, 200);
      assert.equal((await api(server, 'POST', `/consignments/${ref}/addpackage`, { body: parcel(1) })).status, 201);
    });
  });

  describe('concurrency', () => {
    /** A promise the test resolves by hand, to hold one request at a chosen point while another runs. */
    function gate(): { opened: Promise<void>; open: () => void } {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      return { opened, open };
    }

    const threePackages = (ref: string) => ({ Reference: ref, Addresses: [origin, destination()], Packages: [parcel(1), parcel(1), parcel(1)] });

    it('an edit that lands while an allocation is booking makes the allocation decide again, on the edited packages', async () => {
      const ref = await createConsignment(server);
      const carriers = server.app.ctx.carriers;
      const simulated = carriers.connectorFor(server.app.ctx.catalogue.carrier('CARRIER_X')!);
      const booking = gate();
      const held = gate();
      let bookings = 0;
      carriers.replace('CARRIER_X', {
        capabilities: simulated.capabilities,
        timeoutMs: simulated.timeoutMs,
        keepsBookings: simulated.keepsBookings,
        book: async (request, options) => {
          if (bookings++ === 0) {
            held.open();
            await booking.opened;
          }
          return simulated.book!(request, options);
        },
        cancel: (request, options) => simulated.cancel!(request, options),
      });
      try {
        const allocation = allocate(server, 'Example-Carrier-Service', [ref]);
        await held.opened; // the allocation has read the one-package consignment and is booking it
        const update = await api(server, 'PUT', '/consignments', { body: threePackages(ref) });
        assert.equal(update.status, 200, update.text);
        booking.open();
        const res = await allocation;
        assert.equal(res.body[0].StatusCode, 200, res.text);
      } finally {
        carriers.replace('CARRIER_X', simulated);
      }
      const c = await getConsignment(server, ref);
      assert.equal(c.Packages.length, 3);
      assert.equal(c.ConsignmentLegs[0].TrackingReferences.length, 3, 'allocated on the edited document');
      assert.equal(bookings, 2, 'the first booking lost the race and was decided again');
      assert.deepEqual((await audit(server, ref)).map((e) => e.Action), ['Created', 'Updated', 'Allocated']);
    });

    it('an allocation that lands while an edit is being written makes the edit look again and be refused', async () => {
      const ref = await createConsignment(server);
      const consignments = server.app.ctx.consignments;
      const replaceDocument = consignments.replaceDocument;
      const writing = gate();
      const held = gate();
      consignments.replaceDocument = async (...args) => {
        held.open();
        await writing.opened;
        return replaceDocument.apply(consignments, args);
      };
      let update;
      try {
        const pending = api(server, 'PUT', '/consignments', { body: threePackages(ref) });
        await held.opened; // the edit has read the Unallocated consignment and decided its new document
        const res = await allocate(server, 'Example-Carrier-Service', [ref]);
        assert.equal(res.body[0].StatusCode, 200, res.text);
        writing.open();
        update = await pending;
      } finally {
        consignments.replaceDocument = replaceDocument;
      }
      assertError(update, 409, 'InvalidState');
      const c = await getConsignment(server, ref);
      assert.equal(c.Packages.length, 1, 'the edit was not written over the allocation');
      assert.equal(c.ConsignmentLegs[0].TrackingReferences.length, 1);
      assert.deepEqual((await audit(server, ref)).map((e) => e.Action), ['Created', 'Allocated']);
    });

    it('keeps an allocation and an edit sent together consistent, whichever runs first', async () => {
      for (let round = 0; round < 6; round++) {
        const ref = await createConsignment(server);
        const [alloc, update] = await Promise.all([allocate(server, 'Example-Carrier-Service', [ref]), api(server, 'PUT', '/consignments', { body: threePackages(ref) })]);
        assert.equal(alloc.body[0].StatusCode, 200, alloc.text);
        const c = await getConsignment(server, ref);
        assert.equal(c.ConsignmentLegs[0].TrackingReferences.length, c.Packages.length, 'the allocation was decided on the stored packages');
        if (update.status === 200) assert.equal(c.Packages.length, 3);
        else {
          assertError(update, 409, 'InvalidState');
          assert.equal(c.Packages.length, 1);
        }
      }
    });

    it('refuses to write an edit over a change made since it was read (and an allocation over an edit)', async () => {
      const ref = await createConsignment(server);
      const demoId = Number((await server.app.ctx.database.db.selectFrom('subscriptions').select('id').where('name', '=', 'Demo').executeTakeFirstOrThrow()).id);
      const stale = (await server.app.ctx.consignments.findByReference(demoId, ref))!;

      assert.equal((await allocate(server, 'Example-Carrier-Service', [ref])).body[0].StatusCode, 200);
      const written = await server.app.ctx.consignments.replaceDocument(stale, { ...stale.data, consignmentReferenceProvidedByCustomer: 'stale' }, {
        fromStates: ['Unallocated', 'AllocationFailed'],
        at: new Date().toISOString(),
        event: { action: 'Updated', message: 'stale' },
      });
      assert.equal(written, null);
      const c = await getConsignment(server, ref);
      assert.equal(c.ConsignmentState, 'Allocated');
      assert.equal(c.ConsignmentReferenceProvidedByCustomer, 'TEST-ORDER');

      const other = await createConsignment(server);
      const readBeforeEdit = (await server.app.ctx.consignments.findByReference(demoId, other))!;
      assert.equal((await api(server, 'POST', `/consignments/${other}/addpackage`, { body: parcel(1) })).status, 201);
      const applied = await server.app.ctx.consignments.transition(readBeforeEdit, {
        fromStates: ['Unallocated', 'AllocationFailed'],
        to: 'Allocated',
        allocation: null,
        at: new Date().toISOString(),
        event: { action: 'Allocated', message: 'stale' },
      });
      assert.equal(applied, false, 'an allocation decided before the edit is refused');
      assert.equal((await getConsignment(server, other)).ConsignmentState, 'Unallocated');
    });
  });
});
