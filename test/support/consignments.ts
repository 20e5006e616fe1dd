/** Builders for create-consignment requests, with sensible defaults the tests override. */
import type { TestServer } from './test-server.js';
import { api } from './test-server.js';

export interface ConsignmentSpec {
  packages?: { kg?: number; weight?: unknown; dims?: [number, number, number]; dimensions?: unknown; value?: number; currency?: string; items?: unknown[] }[];
  destination?: Partial<{ country: string; postcode: string; town: string; line1: string }>;
  origin?: 'WH-MAN-01' | Partial<{ country: string; postcode: string; town: string; line1: string }>;
  direction?: 'Outbound' | 'Inbound';
  tags?: string[];
  shippingDate?: string;
  requiredDeliveryDate?: { Date: string; IsToBeExactlyOnTheDateSpecified?: boolean; DeliveryWindow?: { Start: string; End: string } };
  extra?: Record<string, unknown>;
}

function address(type: string, a: Partial<{ country: string; postcode: string; town: string; line1: string }>): Record<string, unknown> {
  return {
    AddressType: type,
    Contact: { FirstName: 'Sam', LastName: 'Tester', Email: 'sam@example.com' },
    AddressLine1: a.line1 ?? '1 Test Street',
    Town: a.town ?? 'London',
    Postcode: a.postcode ?? 'SW1A 1AA',
    Country: { IsoCode: { TwoLetterCode: a.country ?? 'GB' } },
  };
}

export function consignmentRequest(spec: ConsignmentSpec = {}): Record<string, unknown> {
  const packages = (spec.packages ?? [{}]).map((p, i) => ({
    Description: `Package ${i + 1}`,
    Weight: p.weight ?? { Value: p.kg ?? 2, Unit: 'Kg' },
    Dimensions: p.dimensions ?? { Unit: 'Cm', Length: p.dims?.[0] ?? 30, Width: p.dims?.[1] ?? 20, Height: p.dims?.[2] ?? 10 },
    Value: { Amount: p.value ?? 20, Currency: { IsoCode: p.currency ?? 'GBP' } },
    ...(p.items ? { Items: p.items } : {}),
  }));
  const origin = spec.origin === undefined || spec.origin === 'WH-MAN-01' ? { AddressType: 'Origin', ShippingLocationReference: 'WH-MAN-01' } : address('Origin', spec.origin);
  return {
    ConsignmentReferenceProvidedByCustomer: 'TEST-ORDER',
    ...(spec.direction ? { Direction: spec.direction } : {}),
    ...(spec.tags ? { Tags: spec.tags } : {}),
    ...(spec.shippingDate ? { ShippingDate: spec.shippingDate } : {}),
    ...(spec.requiredDeliveryDate ? { RequiredDeliveryDate: spec.requiredDeliveryDate } : {}),
    Packages: packages,
    Addresses: [origin, address('Destination', spec.destination ?? {})],
    ...spec.extra,
  };
}

/** Creates a consignment over HTTP and returns its reference. */
export async function createConsignment(server: TestServer, spec: ConsignmentSpec = {}, key?: string): Promise<string> {
  const res = await api(server, 'POST', '/consignments', { body: consignmentRequest(spec), key });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body[0].Href.split('/').pop();
}

export async function allocate(server: TestServer, service: string, references: string[], key?: string) {
  return api(server, 'PUT', '/allocation/allocatewithcarrierservice', { body: { MpdCarrierServiceReference: service, ConsignmentReferences: references }, key });
}

/** Creates a second subscription through the admin API and returns its key. */
export async function createSubscription(server: TestServer, name = 'Other'): Promise<{ Reference: string; ApiKey: string }> {
  const res = await api(server, 'POST', '/admin/subscriptions', { key: null, headers: { authorization: 'Bearer test-admin-token' }, body: { Name: name } });
  if (res.status !== 201) throw new Error(`subscription create failed: ${res.status} ${res.text}`);
  return res.body;
}

/** How many consignments the server's database holds (all subscriptions): to show a refusal stored nothing. */
export async function consignmentCount(server: TestServer): Promise<number> {
  const row = await server.app.ctx.database.db
    .selectFrom('consignments')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** GET /consignments/{ref}, which must answer 200. */
export async function getConsignment(server: TestServer, reference: string, key?: string): Promise<any> {
  const res = await api(server, 'GET', `/consignments/${reference}`, { key });
  if (res.status !== 200) throw new Error(`GET ${reference}: ${res.status} ${res.text}`);
  return res.body;
}
