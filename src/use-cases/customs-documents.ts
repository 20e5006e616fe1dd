/**
 * A consignment's customs documents (decisions.md §10): which it needs is the domain's rule
 * (customs-rules.ts, values in GBP at the catalogue's rates); the documents are made by the
 * carrier of its journey's last leg — the one that carries the goods into the destination
 * country and presents them to its customs — through its connector, from stored data only, so
 * that a reprint is the same file.
 */
import type { Consignment, Money } from '../domain/consignment.js';
import { customsRequirement, type CustomsForm, type CustomsRequirement } from '../domain/documents/customs-rules.js';
import type { CustomsDocumentKind } from '../domain/documents/customs-forms.js';
import { canPerform } from '../domain/states.js';
import type { CustomsDocumentsWanted } from '../carriers/connector.js';
import type { AppContext, Caller } from './app-context.js';
import { cannotHaveDocuments, legDocuments, packageOf } from './carrier-documents.js';
import { AppError } from './errors.js';
import { getConsignment } from './get-consignment.js';
import { readCustomsDeclaration } from './input/customs-declaration-reader.js';

export interface CustomsFile {
  kind: CustomsDocumentKind;
  /** The package a CN22 or CN23 is for; null for the commercial invoice. */
  packageReference: string | null;
  /** `CommercialInvoice-EC-….pdf`, `CN22-EC-…-EP-….pdf` */
  fileName: string;
  content: Uint8Array;
}

/** One of a consignment's customs documents: its commercial invoice, or a package's CN22 or CN23. */
export type CustomsDocumentChoice = { kind: 'CommercialInvoice' } | { kind: CustomsForm; packageReference: string };

const WANTED_KIND = { CommercialInvoice: 'commercialInvoice', CN22: 'cn22', CN23: 'cn23' } as const;

async function customsOf(ctx: AppContext, caller: Caller, reference: string): Promise<{ consignment: Consignment; requirement: CustomsRequirement }> {
  const consignment = await getConsignment(ctx, caller, reference);
  if (!canPerform('customsDocuments', consignment.state) || !consignment.allocation) throw cannotHaveDocuments(consignment, 'customs documents');
  const inGbp = (m: Money) => ctx.catalogue.convert(m.amount, m.currency, 'GBP');
  return { consignment, requirement: customsRequirement(consignment.data, inGbp) };
}

function fileName(consignment: Consignment, kind: CustomsDocumentKind, packageReference: string | null): string {
  return `${[kind, consignment.reference, packageReference].filter(Boolean).join('-')}.pdf`;
}

async function make(ctx: AppContext, consignment: Consignment, choices: CustomsDocumentChoice[]): Promise<CustomsFile[]> {
  if (choices.length === 0) return [];
  const legs = consignment.allocation!.legs;
  const wanted: CustomsDocumentsWanted = {
    kind: 'customs',
    documents: choices.map((c) => ({ kind: WANTED_KIND[c.kind], packageReference: c.kind === 'CommercialInvoice' ? null : c.packageReference })),
    declaration: readCustomsDeclaration(consignment),
  };
  const documents = await legDocuments(ctx, consignment, legs[legs.length - 1], wanted);
  return choices.map((c, i) => {
    const packageReference = c.kind === 'CommercialInvoice' ? null : c.packageReference;
    return { kind: c.kind, packageReference, fileName: fileName(consignment, c.kind, packageReference), content: documents[i].content };
  });
}

/** Every customs document the consignment needs: none (an empty list) when it needs no customs. */
export async function customsDocuments(ctx: AppContext, caller: Caller, reference: string): Promise<CustomsFile[]> {
  const { consignment, requirement } = await customsOf(ctx, caller, reference);
  const choices: CustomsDocumentChoice[] = [
    ...(requirement.commercialInvoice ? [{ kind: 'CommercialInvoice' as const }] : []),
    ...requirement.forms.map((f) => ({ kind: f.form, packageReference: f.packageReference })),
  ];
  return make(ctx, consignment, choices);
}

/**
 * One customs document. `packageReference` names the package of a CN22 or CN23 (404
 * PackageNotFound when it is not the consignment's); a document the consignment does not need is
 * 404 DocumentNotFound.
 */
export async function customsDocument(ctx: AppContext, caller: Caller, reference: string, kind: CustomsDocumentKind, packageReference: string | null): Promise<CustomsFile> {
  const { consignment, requirement } = await customsOf(ctx, caller, reference);
  const pkg = packageReference === null ? null : packageOf(consignment, packageReference);
  const notNeeded = (what: string) => {
    const message = `Consignment ${consignment.reference} has no ${what}${requirement.commercialInvoice ? '' : ': it needs no customs documents'}`;
    return new AppError('DocumentNotFound', message, [{ Code: 'DocumentNotFound', Target: consignment.reference, Message: message }]);
  };
  if (kind === 'CommercialInvoice') {
    if (!requirement.commercialInvoice) throw notNeeded('commercial invoice');
    return (await make(ctx, consignment, [{ kind }]))[0];
  }
  const form = requirement.forms.find((f) => f.packageReference === pkg);
  if (!pkg || !form || form.form !== kind) throw notNeeded(`${kind} for package ${pkg ?? ''}${form ? ` (it has a ${form.form})` : ''}`);
  return (await make(ctx, consignment, [{ kind, packageReference: pkg }]))[0];
}
