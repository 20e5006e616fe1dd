/**
 * Bulk actions on a selection: the references go to the API's list endpoints a chunk at a time,
 * so that a long run shows its progress and can be stopped between chunks; every consignment's
 * own outcome, as the API worded it, is kept.
 */
import { ok, type Api } from './api/client.ts';
import { base64Blob, saveFile } from './download.ts';

export interface ItemResult {
  reference: string;
  ok: boolean;
  message: string;
}

export interface BulkAction {
  id: string;
  /** On the button: "Allocate by default rules". */
  label: string;
  /** While running: "Allocating". */
  doing: string;
  /** References per request; a manifest or a PDF is one request, as it is one document. */
  chunk: number;
  /** Asked before running, for what cannot simply be undone. */
  confirm?: string;
  run(api: Api, references: string[]): Promise<ItemResult[]>;
}

/** The allocation endpoints' and the WithMessage lists' per-item answers, as one shape. */
function fromAllocation(items: { ConsignmentReference: string; IsSuccess: boolean; Message: string; FailureReasons?: { Code: string; Message: string }[] }[]): ItemResult[] {
  return items.map((i) => ({
    reference: i.ConsignmentReference,
    ok: i.IsSuccess,
    message: i.IsSuccess || !i.FailureReasons?.length ? i.Message : `${i.Message} (${i.FailureReasons.map((r) => r.Code).join(', ')})`,
  }));
}

function fromWithMessage(items: { IsSuccess: boolean; Message: string | null; Data: string | null }[], references: string[]): ItemResult[] {
  return items.map((i, n) => ({ reference: i.Data ?? references[n], ok: i.IsSuccess, message: i.Message ?? '' }));
}

export const ALLOCATE: BulkAction = {
  id: 'allocate',
  label: 'Allocate by default rules',
  doing: 'Allocating',
  chunk: 50,
  run: async (api, references) => fromAllocation(await ok(api.PUT('/allocation/allocate', { body: { ConsignmentReferences: references } }))),
};

export function allocateWith(service: string, serviceName: string): BulkAction {
  return {
    id: 'allocate-service',
    label: `Allocate to ${serviceName}`,
    doing: `Allocating to ${serviceName}`,
    chunk: 50,
    run: async (api, references) => fromAllocation(await ok(api.PUT('/allocation/allocatewithcarrierservice', { body: { MpdCarrierServiceReference: service, ConsignmentReferences: references } }))),
  };
}

export const PRINT_LABELS: BulkAction = {
  id: 'labels',
  label: 'Print labels (one PDF)',
  doing: 'Rendering labels',
  chunk: 1000,
  run: async (api, references) => {
    const answer = await ok(api.POST('/labels/consignments', { body: { ConsignmentReferences: references } }));
    if (answer.File) saveFile(base64Blob(answer.File, 'application/pdf'), `labels-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}.pdf`);
    return answer.Results.map((r) => ({ reference: r.ConsignmentReference, ok: r.IsSuccess, message: r.Message ?? '' }));
  },
};

export const READY_TO_SHIP: BulkAction = {
  id: 'ready',
  label: 'Ready to ship',
  doing: 'Marking ready to ship',
  chunk: 200,
  run: async (api, references) => fromWithMessage(await ok(api.PUT('/consignments/setreadytoship', { body: references })), references),
};

export const MANIFEST: BulkAction = {
  id: 'manifest',
  label: 'Manifest',
  doing: 'Manifesting with the carriers',
  chunk: 10_000,
  run: async (api, references) => fromWithMessage(await ok(api.PUT('/consignments/manifest', { body: { ConsignmentReferences: references } })), references),
};

export const DEALLOCATE: BulkAction = {
  id: 'deallocate',
  label: 'Deallocate',
  doing: 'Deallocating',
  chunk: 100,
  confirm: 'Deallocate the selected consignments? Their carrier bookings are cancelled and their labels stop being valid.',
  run: async (api, references) => fromWithMessage(await ok(api.PUT('/consignments/deallocatelist', { body: references })), references),
};

export const CANCEL: BulkAction = {
  id: 'cancel',
  label: 'Cancel',
  doing: 'Cancelling',
  chunk: 100,
  confirm: 'Cancel the selected consignments? A cancelled consignment cannot be changed again.',
  run: async (api, references) => fromWithMessage(await ok(api.PUT('/consignments/cancellist', { body: references })), references),
};

export interface Progress {
  done: number;
  total: number;
  results: ItemResult[];
}

/**
 * Runs `action` over `references` a chunk at a time, one request in flight, reporting after each.
 * A chunk the API refuses as a whole (a 4xx or 5xx) counts each of its consignments as failed with
 * the API's message, and the run goes on; `stopped()` ends it between chunks.
 */
export async function runBulk(api: Api, action: BulkAction, references: string[], report: (p: Progress) => void, stopped: () => boolean): Promise<Progress> {
  const progress: Progress = { done: 0, total: references.length, results: [] };
  report({ ...progress });
  for (let at = 0; at < references.length && !stopped(); at += action.chunk) {
    const chunk = references.slice(at, at + action.chunk);
    try {
      progress.results.push(...(await action.run(api, chunk)));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      progress.results.push(...chunk.map((reference) => ({ reference, ok: false, message })));
    }
    progress.done += chunk.length;
    report({ ...progress, results: [...progress.results] });
  }
  return progress;
}
