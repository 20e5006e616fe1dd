/** Documents on the wire: a label file (`GetLabelsResponse`) and the customs documents (`GetCustomsDocumentationResponse`), each file in base64. */
import type { LabelsFile } from '../../use-cases/print-labels.js';
import type { CustomsFile } from '../../use-cases/customs-documents.js';
import type { ConsignmentLabelsOutcome, ConsignmentsLabels } from '../../use-cases/print-consignments-labels.js';
import { LABEL_CONTENT_TYPES } from '../../domain/documents/label.js';
import { typed } from '../xml-codec.js';

export function base64(content: Uint8Array): string {
  return Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('base64');
}

/** `{ File, ContentType }`; the PHP client's path also has the key `Content-Type`, which is what its model reads. */
export function presentLabels(file: LabelsFile, withPhpKey = false): object {
  return typed('GetLabelsResponse', { File: base64(file.content), ContentType: file.contentType, ...(withPhpKey ? { 'Content-Type': file.contentType } : {}) });
}

function labelsResult(o: ConsignmentLabelsOutcome): object {
  if (o.kind === 'printed') {
    const message = `${o.labelCount} ${o.labelCount === 1 ? 'label' : 'labels'} printed`;
    return typed('ConsignmentLabelsResult', { ConsignmentReference: o.reference, IsSuccess: true, Code: null, Message: message, LabelCount: o.labelCount });
  }
  return typed('ConsignmentLabelsResult', { ConsignmentReference: o.reference, IsSuccess: false, Code: o.code, Message: o.message, LabelCount: 0 });
}

/** POST /labels/consignments: the joined PDF (null when nothing could be printed) and a result per consignment, in request order. */
export function presentConsignmentsLabels(labels: ConsignmentsLabels): object {
  return typed('ConsignmentsLabelsResponse', {
    File: labels.file ? base64(labels.file) : null,
    ContentType: LABEL_CONTENT_TYPES.PDF,
    Results: labels.outcomes.map(labelsResult),
  });
}

/** Each kind's documents as `[{ Key: file name, Value: base64 }]`, the Docs' and PHP client's form; a kind the consignment has none of is `[]`. */
export function presentCustomsDocuments(files: CustomsFile[]): object {
  const of = (kind: CustomsFile['kind']) =>
    files.filter((f) => f.kind === kind).map((f) => typed('KeyValuePairOfstringbase64Binary', { Key: f.fileName, Value: base64(f.content) }));
  return typed('GetCustomsDocumentationResponse', {
    CommercialInvoiceDocuments: of('CommercialInvoice'),
    CN22Documents: of('CN22'),
    CN23Documents: of('CN23'),
  });
}
