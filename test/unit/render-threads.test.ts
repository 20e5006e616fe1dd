/** Rendering on worker threads: the same bytes as in the calling thread, ZPL kept in it, failures as rejections, and a closed pool refusing work. */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { labelViews, type LabelView } from '../../src/domain/documents/label.js';
import { RenderThreads } from '../../src/documents/render-threads.js';
import { renderJob, type RenderJob } from '../../src/documents/renderer.js';
import { loadConfig } from '../../src/config.js';
import { joinPdfs } from '../../src/documents/pdf-join.js';
import { pdfPages } from '../support/document-checks.js';
import { consignmentData } from '../support/domain-fixtures.js';

const data = consignmentData({ destination: { town: 'Łódź', postcode: '90-001', countryCode: 'PL' } });
const labels: LabelView[] = labelViews(
  {
    carrierName: 'Carrier X',
    serviceName: 'Next Day',
    consignmentReference: 'EC-000-05A-Z6S',
    customerReference: '',
    origin: data.addresses[0],
    destination: data.addresses[1],
    packages: data.packages,
    trackingReferences: ['CX00000000018GB'],
    collectionDate: '2026-11-18T17:30:00+00:00',
  },
  [data.packages[0].reference],
);

describe('render threads', () => {
  const threads = new RenderThreads(2);
  after(() => threads.close());

  it('renders on a thread the same bytes as the calling thread does, for every format', async () => {
    for (const format of ['PDF', 'PNG', 'ZPL'] as const) {
      const job: RenderJob = { kind: 'labels', format, pageSize: 'A6', labels };
      const [a, b] = await Promise.all([threads.render(job), threads.render(job)]);
      const here = await renderJob(job);
      assert.ok(Buffer.from(a).equals(Buffer.from(here)) && Buffer.from(b).equals(Buffer.from(here)), format);
    }
  });

  it('joins PDFs on a thread into the file the calling thread joins, and refuses what it cannot join as a failed job', async () => {
    const pdf = await renderJob({ kind: 'labels', format: 'PDF', pageSize: 'A6', labels });
    const a4 = await renderJob({ kind: 'labels', format: 'PDF', pageSize: 'A4', labels });
    const files = [pdf, a4, pdf];
    const joined = await threads.render({ kind: 'joinPdfs', files });
    assert.ok(Buffer.from(joined).equals(Buffer.from(joinPdfs(files))));
    assert.equal(pdfPages(joined), 3);
    assert.ok(Buffer.from(files[0]).equals(Buffer.from(pdf)), 'the files handed over are left as they were');
    await assert.rejects(threads.render({ kind: 'joinPdfs', files: [pdf, new TextEncoder().encode('%PDF-1.7 not really')] }), /cannot join these PDFs/);
  });

  it('stops a thread once it has been idle a while, and starts one again for the next job', async () => {
    const brief = new RenderThreads(1, 50);
    try {
      const job: RenderJob = { kind: 'labels', format: 'PDF', pageSize: 'A6', labels };
      const first = await brief.render(job);
      assert.equal(brief.running, 1);
      // Polled rather than timed: it stops some time after 50 ms of idleness.
      for (let i = 0; i < 500 && brief.running > 0; i++) await sleep(20);
      assert.equal(brief.running, 0, 'the idle thread stopped');
      const again = await brief.render(job);
      assert.ok(Buffer.from(again).equals(Buffer.from(first)), 'the new thread renders the same bytes');
      assert.equal(brief.running, 1);
    } finally {
      await brief.close();
    }
  });

  it('answers a job that fails with a rejection, and goes on rendering', async () => {
    await assert.rejects(threads.render({ kind: 'labels', format: 'PDF', pageSize: 'A6', labels: [{ ...labels[0], sender: null as never }] }), /rendering failed/);
    assert.ok((await threads.render({ kind: 'labels', format: 'PDF', pageSize: 'A6', labels })).length > 0);
  });

  it('refuses work once closed', async () => {
    const closing = new RenderThreads(1);
    await closing.render({ kind: 'labels', format: 'PNG', pageSize: 'A6', labels });
    await closing.close();
    await assert.rejects(closing.render({ kind: 'labels', format: 'PNG', pageSize: 'A6', labels }), /closed/);
  });

  it('is sized by SWITCHYARD_RENDER_THREADS, 0 rendering in the request’s thread, and refuses anything else', () => {
    assert.equal(loadConfig({ SWITCHYARD_RENDER_THREADS: '0' }).renderThreads, 0);
    assert.equal(loadConfig({ SWITCHYARD_RENDER_THREADS: '3' }).renderThreads, 3);
    assert.ok(loadConfig({}).renderThreads >= 1);
    assert.throws(() => loadConfig({ SWITCHYARD_RENDER_THREADS: 'many' }), /SWITCHYARD_RENDER_THREADS/);
    assert.throws(() => new RenderThreads(0), RangeError);
  });
});
