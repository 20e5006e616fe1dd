/**
 * Printing labels and customs documents through the use-cases, on a real database: each leg's
 * carrier makes its labels through its connector, the first print is recorded once however many
 * ask at once, a reprint is the same file, and a carrier that cannot be reached changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CarrierConnector, DocumentsRequest } from '../../src/carriers/connector.js';
import { CarrierUnreachable } from '../../src/carriers/connector.js';
import type { CreateConsignmentRequest } from '../../src/contract/consignments.js';
import { allocateConsignments, type AllocationTarget } from '../../src/use-cases/allocate.js';
import type { AppContext } from '../../src/use-cases/app-context.js';
import { cancelConsignment } from '../../src/use-cases/cancel-consignment.js';
import { requireEnabledService } from '../../src/use-cases/carrier-services.js';
import { createConsignment } from '../../src/use-cases/create-consignment.js';
import { customsDocument, customsDocuments } from '../../src/use-cases/customs-documents.js';
import { deallocateConsignment } from '../../src/use-cases/deallocate.js';
import { AppError } from '../../src/use-cases/errors.js';
import { printLabels, type LabelsRequest } from '../../src/use-cases/print-labels.js';
import { consignmentRequest, type ConsignmentSpec } from '../support/consignments.js';
import { pdfPages, pdfText, zplBlocks } from '../support/document-checks.js';
import { databaseUnderTest, openWorld, skipReason, type UseCaseWorld } from '../support/use-case-context.js';

/** Two parcels to Łódź: EL-EU-ROAD carries them in two legs, NORTHERN_PARCELS to Dover, then EUROLINK. */
const TO_LODZ: ConsignmentSpec = { destination: { country: 'PL', postcode: '90-001', town: 'Łódź', line1: 'ul. Piotrkowska 12' }, packages: [{ kg: 1, value: 30 }, { kg: 3, value: 40 }] };

/** The connector in front of a carrier, recording the documents it is asked for and failing while `down`. */
function spying(ctx: AppContext, carrierReference: string) {
  const real = ctx.carriers.connectorFor(ctx.catalogue.carrier(carrierReference)!);
  const spy = { asked: [] as DocumentsRequest[], down: false };
  const connector: CarrierConnector = {
    capabilities: real.capabilities,
    timeoutMs: real.timeoutMs,
    keepsBookings: real.keepsBookings,
    book: real.book!.bind(real),
    cancel: real.cancel!.bind(real),
    async documents(request, options) {
      spy.asked.push(request);
      if (spy.down) throw new CarrierUnreachable(carrierReference, 'the label service answered 503');
      return real.documents!(request, options);
    },
  };
  ctx.carriers.replace(carrierReference, connector);
  return spy;
}

describe(`Printing labels and customs documents (${databaseUnderTest})`, { skip: skipReason }, () => {
  let world: UseCaseWorld;
  let trunk: ReturnType<typeof spying>;
  let road: ReturnType<typeof spying>;

  before(async () => {
    world = await openWorld();
    trunk = spying(world.ctx, 'NORTHERN_PARCELS');
    road = spying(world.ctx, 'EUROLINK');
  });
  after(() => world.close());

  async function allocated(service: string, spec: ConsignmentSpec = {}, ctx: AppContext = world.ctx): Promise<string> {
    const { reference } = await createConsignment(ctx, world.caller, consignmentRequest(spec) as unknown as CreateConsignmentRequest);
    const target: AllocationTarget = { kind: 'service', service: requireEnabledService(ctx, world.caller, service) };
    for await (const outcome of allocateConsignments(ctx, world.caller, target, [reference])) assert.equal(outcome.kind, 'allocated', JSON.stringify(outcome));
    return reference;
  }

  const labels = (reference: string, overrides: Partial<LabelsRequest> = {}, ctx: AppContext = world.ctx) =>
    printLabels(ctx, world.caller, { consignmentReference: reference, packageReference: null, format: 'PDF', pageSize: 'A6', ...overrides });
  const stored = async (reference: string) => (await world.ctx.consignments.findByReference(world.caller.subscriptionId, reference))!;
  const printEvents = async (reference: string) => (await world.ctx.consignments.events((await stored(reference)).id)).filter((e) => e.action === 'LabelsPrinted');
  const code = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (e) {
      if (e instanceof AppError) return e.code;
      throw e;
    }
    return 'none';
  };

  it('makes each leg’s labels with that leg’s carrier and joins them in leg order, one label per package per leg', async () => {
    const reference = await allocated('EL-EU-ROAD', TO_LODZ);
    trunk.asked.length = road.asked.length = 0;
    const file = await labels(reference, { format: 'ZPL' });
    assert.deepEqual([trunk.asked.length, road.asked.length], [1, 1]);
    const legs = (await stored(reference)).allocation!.legs;
    const blocks = zplBlocks(Buffer.from(file.content).toString('utf8'));
    assert.equal(blocks.length, 4);
    assert.deepEqual(
      blocks.map((b) => [...legs[0].trackingReferences, ...legs[1].trackingReferences].find((t) => b.includes(`^FD${t}^FS`))),
      [...legs[0].trackingReferences, ...legs[1].trackingReferences],
    );
    assert.ok(blocks[0].includes('Northern Parcels') && blocks[0].includes('Trunk to Dover') && blocks[3].includes('EuroLink Road'));
    assert.equal(trunk.asked[0].shipment.legNumber, 1);
    assert.equal(road.asked[0].leg.carrierServiceName, 'EU Road');
    const pdf = await labels(reference, { format: 'PDF' });
    assert.equal(pdfPages(pdf.content), 4);
    assert.match(pdfText(pdf.content, 3), /EuroLink Road/);
  });

  it('records the first print once, at that moment, however many print at once (two processes on PostgreSQL), and never again', async () => {
    const reference = await allocated('Example-Carrier-Service', { packages: [{}, {}] });
    const other = world.ctx.database.kind === 'postgres' ? await world.secondProcess() : world.ctx;
    assert.equal((await stored(reference)).labelsFirstPrintedAt, null);
    const printedAt = world.clock.now().toUTC().toISO()!;
    await Promise.all([labels(reference), labels(reference, {}, other), labels(reference, { format: 'PNG' }), labels(reference, { format: 'ZPL' }, other)]);
    assert.equal((await printEvents(reference)).length, 1);
    const first = (await stored(reference)).labelsFirstPrintedAt!;
    assert.equal(Date.parse(first), Date.parse(printedAt));
    world.clock.advance({ hours: 5 });
    await labels(reference);
    assert.equal((await stored(reference)).labelsFirstPrintedAt, first);
    assert.equal((await printEvents(reference)).length, 1);
  });

  it('prints a reprint byte for byte as the first print, in every format, whatever the time', async () => {
    const reference = await allocated('Example-Carrier-Service', { packages: [{}, { kg: 4 }] });
    for (const format of ['PDF', 'PNG', 'ZPL'] as const) {
      for (const pageSize of format === 'PDF' ? (['A6', 'A4'] as const) : (['A6'] as const)) {
        const first = await labels(reference, { format, pageSize });
        world.clock.advance({ days: 1 });
        const again = await labels(reference, { format, pageSize });
        assert.ok(Buffer.from(first.content).equals(Buffer.from(again.content)), `${format} ${pageSize}`);
      }
    }
  });

  it('prints one package’s labels only, and refuses a package that is not the consignment’s', async () => {
    const reference = await allocated('Example-Carrier-Service', { packages: [{}, {}, {}] });
    const third = (await stored(reference)).data.packages[2].reference;
    const file = await labels(reference, { packageReference: third.toLowerCase(), format: 'ZPL' });
    const blocks = zplBlocks(Buffer.from(file.content).toString('utf8'));
    assert.equal(blocks.length, 1);
    assert.ok(blocks[0].includes('3 of 3') && blocks[0].includes(third));
    assert.equal(await code(labels(reference, { packageReference: 'EP-ZZZ-ZZZ-ZZZ' })), 'PackageNotFound');
  });

  it('refuses labels and customs documents before allocation and once cancelled, naming the state', async () => {
    const { reference } = await createConsignment(world.ctx, world.caller, consignmentRequest() as unknown as CreateConsignmentRequest);
    await assert.rejects(labels(reference), (e: AppError) => e.code === 'InvalidState' && e.message.includes('Unallocated'));
    await assert.rejects(customsDocuments(world.ctx, world.caller, reference), (e: AppError) => e.code === 'InvalidState');
    const cancelled = await allocated('Example-Carrier-Service');
    await cancelConsignment(world.ctx, world.caller, cancelled);
    await assert.rejects(labels(cancelled), (e: AppError) => e.code === 'InvalidState' && e.message.includes('Cancelled'));
    assert.equal((await stored(cancelled)).labelsFirstPrintedAt, null);
  });

  it('answers CarrierUnavailable when a leg’s carrier cannot make its labels, and records no print', async () => {
    const reference = await allocated('EL-EU-ROAD', TO_LODZ);
    road.down = true;
    try {
      assert.equal(await code(labels(reference)), 'CarrierUnavailable');
      assert.equal((await stored(reference)).labelsFirstPrintedAt, null);
      assert.equal((await printEvents(reference)).length, 0);
    } finally {
      road.down = false;
    }
    await labels(reference);
    assert.notEqual((await stored(reference)).labelsFirstPrintedAt, null);
  });

  it('gives a consignment allocated again labels never printed', async () => {
    const reference = await allocated('Example-Carrier-Service');
    await labels(reference);
    assert.notEqual((await stored(reference)).labelsFirstPrintedAt, null);
    await deallocateConsignment(world.ctx, world.caller, reference);
    assert.equal((await stored(reference)).labelsFirstPrintedAt, null);
    const target: AllocationTarget = { kind: 'service', service: requireEnabledService(world.ctx, world.caller, 'CX-ECONOMY-48') };
    for await (const outcome of allocateConsignments(world.ctx, world.caller, target, [reference])) assert.equal(outcome.kind, 'allocated');
    assert.equal((await stored(reference)).labelsFirstPrintedAt, null);
  });

  it('makes customs documents with the carrier of the last leg, the one that presents the goods to customs', async () => {
    const reference = await allocated('EL-EU-ROAD', TO_LODZ);
    trunk.asked.length = road.asked.length = 0;
    const files = await customsDocuments(world.ctx, world.caller, reference);
    assert.deepEqual([trunk.asked.length, road.asked.length], [0, 1]);
    const packages = (await stored(reference)).data.packages.map((p) => p.reference);
    assert.deepEqual(files.map((f) => [f.kind, f.packageReference, f.fileName]), [
      ['CommercialInvoice', null, `CommercialInvoice-${reference}.pdf`],
      ['CN22', packages[0], `CN22-${reference}-${packages[0]}.pdf`],
      ['CN23', packages[1], `CN23-${reference}-${packages[1]}.pdf`],
    ]);
    const cn23 = await customsDocument(world.ctx, world.caller, reference, 'CN23', packages[1]);
    assert.ok(Buffer.from(cn23.content).equals(Buffer.from(files[2].content)), 'the same document whichever way it is asked for');
    assert.equal(await code(customsDocument(world.ctx, world.caller, reference, 'CN23', packages[0])), 'DocumentNotFound');
    assert.equal(await code(customsDocument(world.ctx, world.caller, reference, 'CN22', 'EP-ZZZ-ZZZ-ZZZ')), 'PackageNotFound');
  });

  it('asks no carrier for the customs documents of a consignment that needs none, and has none to give', async () => {
    const reference = await allocated('Example-Carrier-Service');
    const asked = [...trunk.asked, ...road.asked].length;
    assert.deepEqual(await customsDocuments(world.ctx, world.caller, reference), []);
    assert.equal([...trunk.asked, ...road.asked].length, asked);
    assert.equal(await code(customsDocument(world.ctx, world.caller, reference, 'CommercialInvoice', null)), 'DocumentNotFound');
  });

  it('finds no labels of another subscription’s consignment, exactly as of an unknown one', async () => {
    const reference = await allocated('Example-Carrier-Service');
    const stranger = { ...world.caller, subscriptionId: world.caller.subscriptionId + 1000 };
    await assert.rejects(printLabels(world.ctx, stranger, { consignmentReference: reference, packageReference: null, format: 'PDF', pageSize: 'A6' }), (e: AppError) => e.code === 'ConsignmentNotFound');
    await assert.rejects(customsDocuments(world.ctx, stranger, reference), (e: AppError) => e.code === 'ConsignmentNotFound');
  });
});
