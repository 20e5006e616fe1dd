/** Documents on the wire: a label file (`GetLabelsResponse`) and the customs documents (`GetCustomsDocumentationResponse`), each file in base64. */
import type { LabelsFile } from '../../use-cases/print-labels.js';
import type { CustomsFile } from '../../use-cases/customs-documents.js';
import { typed } from '../xml-codec.js';

export function base64(content: Uint8Array): string {
  return Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('base64');
}

/** `{ File, ContentType }`; the PHP client's path also has the key `Content-Type`, which is what its model reads. */
export function presentLabels(file: LabelsFile, withPhpKey = false): object {
  return typed('GetLabelsResponse', { File: base64(file.content), ContentType: file.contentType, ...(withPhpKey ? { 'Content-Type': file.contentType } : {}) });
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
