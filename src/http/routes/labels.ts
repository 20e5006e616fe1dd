/**
 * The labels endpoints (decisions.md §9, endpoints.md P2-1 … P2-6): every path a SortedPRO client
 * uses, each answering `{ File, ContentType }` (XML root GetLabelsResponse), or the file's bytes
 * themselves when Accept asks for application/pdf, image/png or application/zpl; and our
 * POST /labels/consignments, many consignments' labels as one PDF with a result for each.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConsignmentsLabelsRequest, GetLabelsRequest } from '../../contract/labels.js';
import { ConsignmentsLabels, LabelsFile, PhpLabelsFile } from '../../contract/responses.js';
import { MAX_LABEL_CONSIGNMENTS, MAX_JOINED_LABELS } from '../../domain/limits.js';
import { LABEL_CONTENT_TYPES, type LabelFormat, type LabelPageSize } from '../../domain/documents/label.js';
import { AppError, validationFailed, type ErrorDetail } from '../../use-cases/errors.js';
import { printLabels, type LabelsRequest } from '../../use-cases/print-labels.js';
import { printConsignmentsLabels } from '../../use-cases/print-consignments-labels.js';
import { noRoute } from '../error-mapper.js';
import { presentConsignmentsLabels, presentLabels } from '../presenters/documents.js';
import { readReferenceList } from '../reference-list.js';
import { readBody, type ParsedBody } from '../request-body.js';
import { send, sendFile } from '../responses.js';
import { callerOf, type RouteDeps } from '../server.js';
import { CONSIGNMENT_REFERENCE, documented, type ParamDoc, type QueryDoc } from '../route-docs.js';

const FORMAT_WORDS: Record<string, LabelFormat> = { pdf: 'PDF', png: 'PNG', zpl: 'ZPL', zplii: 'ZPL' };
const FILE_TYPES = Object.values(LABEL_CONTENT_TYPES);
const FORMAT_OF_TYPE = Object.fromEntries(Object.entries(LABEL_CONTENT_TYPES).map(([format, type]) => [type, format as LabelFormat]));
const FORMATS_TEXT = 'PDF, PNG, ZPL or ZPLII';

/** Words after /labels/ that are not a consignment (the other endpoints' own segments). */
const LITERAL_SEGMENTS = new Set(['package', 'getlabels', 'consignments']);

function formatWord(value: string): LabelFormat | undefined {
  return FORMAT_WORDS[value.trim().toLowerCase()];
}

function invalid(target: string, message: string): ErrorDetail {
  return { Code: 'Invalid', Target: target, Message: `${target} ${message}` };
}

/** The SDK's PageSize: 0 or A6 (one label a page), 1 or A4 (four to a page), any case; absent is A6. */
function readPageSize(value: unknown, target: string, problems: ErrorDetail[]): LabelPageSize {
  if (value === undefined || value === null || value === '') return 'A6';
  const v = String(value).trim().toUpperCase();
  if (v === '0' || v === 'A6') return 'A6';
  if (v === '1' || v === 'A4') return 'A4';
  problems.push(invalid(target, `must be 0 (A6) or 1 (A4) (got ${String(value).slice(0, 20)})`));
  return 'A6';
}

function readFormat(value: unknown, target: string, problems: ErrorDetail[]): LabelFormat | null {
  if (value === undefined || value === null || value === '') return null;
  const format = typeof value === 'string' ? formatWord(value) : undefined;
  if (!format) problems.push(invalid(target, `must be ${FORMATS_TEXT} (got ${String(value).slice(0, 20)})`));
  return format ?? null;
}

function pageSizeOf(req: FastifyRequest): LabelPageSize {
  const problems: ErrorDetail[] = [];
  const query = (req.query ?? {}) as Record<string, unknown>;
  const key = Object.keys(query).find((k) => k.toLowerCase() === 'pagesize');
  const size = readPageSize(key ? query[key] : undefined, key ?? 'pageSize', problems);
  if (problems.length) throw validationFailed(problems);
  return size;
}

/**
 * The format the request names (the path's or the body's; PDF when none), and the Accept header's
 * when it asks for a file's bytes: they must agree, or nothing acceptable can be produced.
 */
function chosenFormat(req: FastifyRequest, named: LabelFormat | null): LabelFormat {
  if (req.negotiated.format !== 'file') return named ?? 'PDF';
  const accepted = FORMAT_OF_TYPE[req.negotiated.contentType];
  if (named && named !== accepted) {
    const message = `The labels asked for are ${named}, but Accept asks for ${req.negotiated.contentType}; ask for ${LABEL_CONTENT_TYPES[named]}, JSON or XML`;
    throw new AppError('NotAcceptable', message);
  }
  return accepted;
}

function consignmentOf(req: FastifyRequest, reference: string): string {
  if (LITERAL_SEGMENTS.has(reference.toLowerCase())) throw noRoute(req);
  return reference;
}

const SECOND: ParamDoc = { name: 'labelFormatOrPackage', description: `${FORMATS_TEXT} (any case), or a package reference (EP-…)` };
const PACKAGE: ParamDoc = { name: 'packageReference', description: 'Package reference (EP-xxx-xxx-xxx), any case' };
const FORMAT: ParamDoc = { name: 'labelFormat', description: `${FORMATS_TEXT}, any case` };
const PAGE_SIZE: Record<string, QueryDoc> = { pageSize: { description: 'A6 or 0 (one label a page, the default), A4 or 1 (four to a page)', enum: ['A6', 'A4', '0', '1'] } };

const OK: [number, string] = [200, '{ File (base64), ContentType }, or the file itself when Accept asks for application/pdf, image/png or application/zpl'];

export function registerLabelRoutes(app: FastifyInstance, { ctx, metrics }: RouteDeps): void {
  const answer = async (req: FastifyRequest, reply: FastifyReply, request: LabelsRequest, withPhpKey = false) => {
    // A HEAD (a link checker, a prefetching proxy) is answered like a GET but prints nothing.
    const file = await printLabels(ctx, callerOf(req), { ...request, recordsPrint: req.method !== 'HEAD' });
    metrics.labelRendered(FORMAT_OF_TYPE[file.contentType] ?? file.contentType);
    if (req.negotiated.format === 'file') return sendFile(reply, 200, file.content, file.contentType);
    return send(req, reply, 200, presentLabels(file, withPhpKey));
  };
  const doc = (summary: string, params: Record<string, ParamDoc>) => documented({ summary, params, query: PAGE_SIZE, ok: OK, response: LabelsFile, errors: [400, 401, 404, 406, 409, 503], files: FILE_TYPES });

  const ALL = doc('A consignment’s labels (PDF; ?pageSize=A4 for four to a page)', CONSIGNMENT_REFERENCE);
  app.get<{ Params: { reference: string } }>('/labels/:reference', ALL, async (req, reply) => {
    const pageSize = pageSizeOf(req);
    return answer(req, reply, { consignmentReference: consignmentOf(req, req.params.reference), packageReference: null, format: chosenFormat(req, null), pageSize });
  });

  app.get<{ Params: { reference: string; second: string } }>(
    '/labels/:reference/:second',
    doc('A consignment’s labels in a format, or one package’s labels (the help pages’ form)', { ...CONSIGNMENT_REFERENCE, second: SECOND }),
    async (req, reply) => {
      const reference = consignmentOf(req, req.params.reference);
      const pageSize = pageSizeOf(req);
      const format = formatWord(req.params.second);
      if (format) return answer(req, reply, { consignmentReference: reference, packageReference: null, format: chosenFormat(req, format), pageSize });
      // Package references have the shape of ours (EP-…); any other word is a format we do not know.
      if (!/^[A-Za-z]{2}-/.test(req.params.second.trim())) {
        throw validationFailed([invalid('labelFormat', `must be ${FORMATS_TEXT}, or a package reference (got ${req.params.second.slice(0, 20)})`)]);
      }
      return answer(req, reply, { consignmentReference: reference, packageReference: req.params.second, format: chosenFormat(req, null), pageSize });
    },
  );

  app.get<{ Params: { reference: string; package: string } }>(
    '/labels/package/:reference/:package',
    doc('One package’s labels (PDF)', { ...CONSIGNMENT_REFERENCE, package: PACKAGE }),
    async (req, reply) => {
      const pageSize = pageSizeOf(req);
      return answer(req, reply, { consignmentReference: req.params.reference, packageReference: req.params.package, format: chosenFormat(req, null), pageSize });
    },
  );

  app.get<{ Params: { reference: string; package: string; format: string } }>(
    '/labels/package/:reference/:package/:format',
    doc('One package’s labels in a format', { ...CONSIGNMENT_REFERENCE, package: PACKAGE, format: FORMAT }),
    async (req, reply) => {
      const problems: ErrorDetail[] = [];
      const format = readFormat(req.params.format, 'labelFormat', problems);
      const pageSize = pageSizeOf(req);
      if (problems.length) throw validationFailed(problems);
      return answer(req, reply, { consignmentReference: req.params.reference, packageReference: req.params.package, format: chosenFormat(req, format), pageSize });
    },
  );

  app.post('/labels/GetLabels', documented({
    summary: 'A consignment’s labels by request (the SDK’s GetLabelsRequest: PageSize 0 A6, 1 A4)',
    body: GetLabelsRequest,
    ok: OK,
    response: LabelsFile,
    errors: [400, 401, 404, 406, 409, 413, 415, 503],
    files: FILE_TYPES,
  }), async (req, reply) => {
    let request: LabelsRequest | undefined;
    readBody(GetLabelsRequest, req.body as ParsedBody, (value) => {
      const problems: ErrorDetail[] = [];
      const body = (value ?? {}) as Record<string, unknown>;
      const reference = body.MpdConsignmentReference;
      if (typeof reference !== 'string' || reference.trim() === '') {
        problems.push({ Code: 'Required', Target: 'MpdConsignmentReference', Message: 'MpdConsignmentReference is required' });
      }
      const pageSize = readPageSize(body.PageSize, 'PageSize', problems);
      const format = readFormat(body.LabelFormat, 'LabelFormat', problems);
      const pkg = typeof body.PackageReference === 'string' && body.PackageReference.trim() ? body.PackageReference : null;
      request = { consignmentReference: typeof reference === 'string' ? reference : '', packageReference: pkg, format: format ?? 'PDF', pageSize };
      if (!problems.length) request.format = chosenFormat(req, format);
      return problems;
    });
    return answer(req, reply, request!);
  });

  app.post('/labels/consignments', documented({
    summary: `Many consignments’ labels as one PDF, in request order, with a result for each (Switchyard; at most ${MAX_LABEL_CONSIGNMENTS} consignments, ${MAX_JOINED_LABELS} labels)`,
    body: ConsignmentsLabelsRequest,
    ok: [200, '{ File (base64 PDF, null when none could be printed), ContentType, Results: one per consignment }, also when none could be printed; with Accept: application/pdf the PDF itself, and an error unless every consignment can be printed'],
    response: ConsignmentsLabels,
    errors: [400, 401, 404, 406, 409, 413, 415, 503],
    files: [LABEL_CONTENT_TYPES.PDF],
  }), async (req, reply) => {
    let references: string[] = [];
    let pageSize: LabelPageSize = 'A6';
    readBody(ConsignmentsLabelsRequest, req.body as ParsedBody, (value) => {
      const problems: ErrorDetail[] = [];
      const body = (value ?? {}) as Record<string, unknown>;
      references = readReferenceList(body.ConsignmentReferences, 'ConsignmentReferences', problems, MAX_LABEL_CONSIGNMENTS);
      pageSize = readPageSize(body.PageSize, 'PageSize', problems);
      return problems;
    });
    // A client asking for the bytes alone cannot be told which consignments are missing from them: all, or an error.
    const bytesOnly = req.negotiated.format === 'file';
    const labels = await printConsignmentsLabels(ctx, callerOf(req), { references, pageSize, mode: bytesOnly ? 'allOrNothing' : 'perItem' });
    for (const o of labels.outcomes) if (o.kind === 'printed') metrics.labelRendered('PDF');
    if (bytesOnly) return sendFile(reply, 200, labels.file!, LABEL_CONTENT_TYPES.PDF);
    return send(req, reply, 200, presentConsignmentsLabels(labels));
  });

  app.get<{ Params: { reference: string } }>(
    '/documents/labels/:reference',
    documented({
      summary: 'A consignment’s labels (the PHP client’s path; the answer also has the key Content-Type)',
      params: CONSIGNMENT_REFERENCE,
      ok: OK,
      response: PhpLabelsFile,
      errors: [401, 404, 406, 409, 503],
      files: FILE_TYPES,
    }),
    async (req, reply) => answer(req, reply, { consignmentReference: req.params.reference, packageReference: null, format: chosenFormat(req, null), pageSize: 'A6' }, true),
  );
}
