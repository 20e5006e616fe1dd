/**
 * The customs documents endpoints (decisions.md §10, endpoints.md P2-7 … P2-9). Their paths sit
 * under /consignments/docs/, whose literal segment wins over the search route
 * /consignments/{take}/{skip}: no docs path is ever read as a search.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Base64Pdf, CustomsDocuments } from '../../contract/responses.js';
import type { CustomsDocumentKind } from '../../domain/documents/customs-forms.js';
import { customsDocument, customsDocuments, type CustomsFile } from '../../use-cases/customs-documents.js';
import { validationFailed } from '../../use-cases/errors.js';
import { noRoute } from '../error-mapper.js';
import { base64, presentCustomsDocuments } from '../presenters/documents.js';
import { send, sendFile } from '../responses.js';
import { callerOf, type RouteDeps } from '../server.js';
import { CONSIGNMENT_REFERENCE, documented, type ParamDoc } from '../route-docs.js';

const KINDS: Record<string, CustomsDocumentKind> = { commercialinvoice: 'CommercialInvoice', cn22: 'CN22', cn23: 'CN23' };
const PDF = ['application/pdf'];
const ONE: [number, string] = [200, 'the document (PDF) as a base64 string, or the PDF itself when Accept asks for application/pdf'];

/** One document: a base64 JSON string (XML: base64Binary), or the bytes. */
function sendDocument(req: FastifyRequest, reply: FastifyReply, file: CustomsFile): FastifyReply {
  if (req.negotiated.format === 'file') return sendFile(reply, 200, file.content, 'application/pdf');
  return send(req, reply, 200, base64(file.content), 'base64Binary');
}

export function registerCustomsDocumentRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  app.get<{ Params: { reference: string } }>('/consignments/docs/:reference', documented({
    summary: 'A consignment’s customs documents: commercial invoice, CN22s and CN23s (empty lists when it needs none)',
    params: CONSIGNMENT_REFERENCE,
    ok: [200, '{ CommercialInvoiceDocuments, CN22Documents, CN23Documents }, each [{ Key: file name, Value: base64 }]'],
    response: CustomsDocuments,
    errors: [401, 404, 409, 503],
  }), async (req, reply) => {
    // /consignments/docs/CN22 and the like are the other endpoints without their references.
    if (KINDS[req.params.reference.toLowerCase()]) throw noRoute(req);
    return send(req, reply, 200, presentCustomsDocuments(await customsDocuments(ctx, callerOf(req), req.params.reference)));
  });

  app.get<{ Params: { reference: string } }>('/consignments/docs/commercialinvoice/:reference', documented({
    summary: 'A consignment’s commercial invoice', params: CONSIGNMENT_REFERENCE, ok: ONE, response: Base64Pdf, errors: [401, 404, 406, 409, 503], files: PDF,
  }), async (req, reply) => sendDocument(req, reply, await customsDocument(ctx, callerOf(req), req.params.reference, 'CommercialInvoice', null)));

  const TYPE: ParamDoc = { name: 'customsDocumentType', description: 'CN22 or CN23 (or CommercialInvoice), any case' };
  const PACKAGE: ParamDoc = { name: 'packageReference', description: 'Package reference (EP-xxx-xxx-xxx), any case' };
  app.get<{ Params: { type: string; reference: string; package: string } }>('/consignments/docs/:type/:reference/:package', documented({
    summary: 'A package’s CN22 or CN23', params: { type: TYPE, ...CONSIGNMENT_REFERENCE, package: PACKAGE }, ok: ONE, response: Base64Pdf, errors: [400, 401, 404, 406, 409, 503], files: PDF,
  }), async (req, reply) => {
    const kind = KINDS[req.params.type.trim().toLowerCase()];
    if (!kind) {
      const message = `customsDocumentType must be CN22, CN23 or CommercialInvoice (got ${req.params.type.slice(0, 20)})`;
      throw validationFailed([{ Code: 'Invalid', Target: 'customsDocumentType', Message: message }]);
    }
    // The SDK asks for the commercial invoice on this path too: the package is then only checked to be the consignment's.
    return sendDocument(req, reply, await customsDocument(ctx, callerOf(req), req.params.reference, kind, req.params.package));
  });
}
