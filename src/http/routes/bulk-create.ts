/** POST /consignments/bulk (Switchyard): many creates in one request, as JSON, XML or a CSV file; one answer per consignment. */
import type { FastifyInstance } from 'fastify';
import { BulkCreateRequest } from '../../contract/bulk-create.js';
import { BulkCreateResults } from '../../contract/responses.js';
import { CreateConsignmentRequest } from '../../contract/consignments.js';
import { MAX_BULK_CREATE } from '../../domain/limits.js';
import { bulkCreateConsignments, type BulkCreateItem, type BulkCreateOutcome } from '../../use-cases/bulk-create-consignments.js';
import { csvDetail, readCsvConsignments, type CsvConsignment } from '../bulk-create-csv.js';
import { presentBulkCreateResult } from '../presenters/bulk-create-result.js';
import { readItem, readListBody, type BodyFormat, type CsvRecord, type ParsedBody } from '../request-body.js';
import { sendList } from '../responses.js';
import { callerOf, type RouteDeps } from '../server.js';
import { documented } from '../route-docs.js';

/** Each item read through the schema only when its turn comes, its raw value let go: 10,000 of them never exist twice over. */
function* itemsOf(values: unknown[], format: BodyFormat): Generator<BulkCreateItem> {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    values[i] = undefined;
    yield itemOf(value, format);
  }
}

function itemOf(value: unknown, format: BodyFormat): BulkCreateItem {
  const reading = readItem(CreateConsignmentRequest, value, format);
  return reading.ok ? { kind: 'request', request: reading.value } : { kind: 'unreadable', problems: reading.problems };
}

/** A CSV consignment's outcome, its problems told by row and column. */
function byRow(outcome: BulkCreateOutcome, c: CsvConsignment): BulkCreateOutcome {
  if (outcome.kind === 'created') return outcome;
  const details = outcome.details.map((d) => csvDetail(c, d));
  return { ...outcome, details, message: details.length === 1 ? details[0].Message : outcome.message };
}

export function registerBulkCreateRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  app.post('/consignments/bulk', documented({
    summary: `Create up to ${MAX_BULK_CREATE} consignments (Switchyard): JSON or XML create requests, or a CSV file of packages (docs/api/consignments.md)`,
    body: BulkCreateRequest,
    csv: true,
    ok: [200, 'BulkCreateResult[] in request order: StatusCode 201 with ConsignmentReference and PackageReferences, or 400 with Code, Message and Details'],
    response: BulkCreateResults,
    errors: [400, 401, 413, 415],
  }), async (req, reply) => {
    const body = req.body as ParsedBody | undefined;
    if (body?.format === 'csv') {
      const consignments = readCsvConsignments(body.value as CsvRecord[], MAX_BULK_CREATE);
      const items = consignments.map((c): BulkCreateItem => (c.conflicts.length ? { kind: 'unreadable', problems: c.conflicts } : itemOf(c.request, 'csv')));
      const outcomes = await bulkCreateConsignments(ctx, callerOf(req), items);
      return sendList(req, reply, 200, outcomes.keys(), (i) => presentBulkCreateResult(byRow(outcomes[i], consignments[i]), consignments[i].key), 'ArrayOfBulkCreateResult');
    }
    const values = readListBody(BulkCreateRequest, body, MAX_BULK_CREATE, 'create requests');
    const format = body!.format as BodyFormat;
    const outcomes = await bulkCreateConsignments(ctx, callerOf(req), itemsOf(values, format));
    return sendList(req, reply, 200, outcomes, (o) => presentBulkCreateResult(o), 'ArrayOfBulkCreateResult');
  });
}
