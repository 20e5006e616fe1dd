/**
 * What can be done to consignments, each once: the same action runs on a consignment's page (its
 * one reference) and on a selection (a chunk of references at a time, with progress, stoppable
 * between chunks). Every consignment's own outcome is kept, as the API worded it.
 */
import { MAX_LABEL_CONSIGNMENTS, MAX_REFERENCES } from '../../src/domain/limits.ts';
import { ApiError, ok, type Api } from './api/client.ts';
import { base64Blob, saveFile } from './download.ts';
import type { ConsignmentAction } from './states.ts';

export interface Reason {
  Code: string;
  Message: string;
}

export interface ItemResult {
  reference: string;
  ok: boolean;
  message: string;
  /** Why an allocation failed, check by check. */
  reasons?: Reason[];
  /** The request got no clear answer (the server failed or was unreachable): it may or may not have been done. */
  unknown?: boolean;
}

export interface Action {
  id: string;
  /** On the button: "Allocate by default rules". */
  label: string;
  /** While running: "Allocating". */
  doing: string;
  /** The states.md action whose states show it on a consignment's page. */
  allowed: ConsignmentAction;
  /** References per request; a manifest or a PDF is one request, as it is one document. */
  chunk: number;
  /** Asked before running, for what cannot simply be undone. */
  confirm?: string;
  run(api: Api, references: string[]): Promise<ItemResult[]>;
}

type AllocationItem = { ConsignmentReference: string; IsSuccess: boolean; Message: string; FailureReasons?: Reason[] };
type ListItem = { IsSuccess: boolean; Message: string | null; Data: string | null };

function fromAllocation(items: AllocationItem[]): ItemResult[] {
  return items.map((i) => ({ reference: i.ConsignmentReference, ok: i.IsSuccess, message: i.Message, reasons: i.IsSuccess ? undefined : i.FailureReasons }));
}

function fromList(items: ListItem[], references: string[]): ItemResult[] {
  return items.map((i, n) => ({ reference: i.Data ?? references[n], ok: i.IsSuccess, message: i.Message ?? '' }));
}

export const ALLOCATE: Action = {
  id: 'allocate',
  label: 'Allocate by default rules',
  doing: 'Allocating',
  allowed: 'allocate',
  chunk: 50,
  run: async (api, references) => fromAllocation(await ok(api.PUT('/allocation/allocate', { body: { ConsignmentReferences: references } }))),
};

export function allocateWith(service: string, serviceName: string): Action {
  return {
    id: 'allocate-service',
    label: `Allocate to ${serviceName}`,
    doing: `Allocating to ${serviceName}`,
    allowed: 'allocate',
    chunk: 50,
    run: async (api, references) => fromAllocation(await ok(api.PUT('/allocation/allocatewithcarrierservice', { body: { MpdCarrierServiceReference: service, ConsignmentReferences: references } }))),
  };
}

export const PRINT_LABELS: Action = {
  id: 'labels',
  label: 'Print labels (PDF)',
  doing: 'Rendering labels',
  allowed: 'printLabels',
  // One PDF: a selection larger than one file may hold is refused before anything is printed (labelsRefusal).
  chunk: MAX_LABEL_CONSIGNMENTS,
  run: async (api, references) => {
    const answer = await ok(api.POST('/labels/consignments', { body: { ConsignmentReferences: references } }));
    const name = references.length === 1 ? references[0] : new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '');
    if (answer.File) saveFile(base64Blob(answer.File, 'application/pdf'), `labels-${name}.pdf`);
    return answer.Results.map((r) => ({ reference: r.ConsignmentReference, ok: r.IsSuccess, message: r.Message }));
  },
};

/** Why a selection's labels cannot be printed as one PDF, or null. */
export function labelsRefusal(count: number): string | null {
  return count > MAX_LABEL_CONSIGNMENTS ? `One PDF holds the labels of at most ${MAX_LABEL_CONSIGNMENTS.toLocaleString('en-GB')} consignments: select fewer` : null;
}

export const READY_TO_SHIP: Action = {
  id: 'ready',
  label: 'Ready to ship',
  doing: 'Marking ready to ship',
  allowed: 'readyToShip',
  chunk: 200,
  run: async (api, references) => fromList(await ok(api.PUT('/consignments/setreadytoship', { body: references })), references),
};

export const NOT_READY_TO_SHIP: Action = {
  id: 'not-ready',
  label: 'Not ready to ship',
  doing: 'Taking back from ready to ship',
  allowed: 'notReadyToShip',
  chunk: 200,
  run: async (api, references) => fromList(await ok(api.PUT('/consignments/setnotreadytoship', { body: references })), references),
};

export const MANIFEST: Action = {
  id: 'manifest',
  label: 'Manifest',
  doing: 'Manifesting with the carriers',
  allowed: 'manifest',
  // One request: a carrier's consignments of a day go on one manifest, not one per chunk.
  chunk: MAX_REFERENCES,
  run: async (api, references) => fromList(await ok(api.PUT('/consignments/manifest', { body: { ConsignmentReferences: references } })), references),
};

export const DISPATCH: Action = {
  id: 'dispatch',
  label: 'Dispatch',
  doing: 'Dispatching',
  allowed: 'dispatch',
  chunk: 200,
  run: async (api, references) => fromList(await ok(api.PUT('/consignments/dispatch', { body: references })), references),
};

export const DEALLOCATE: Action = {
  id: 'deallocate',
  label: 'Deallocate',
  doing: 'Deallocating',
  allowed: 'deallocate',
  chunk: 100,
  confirm: 'Their carrier bookings are cancelled and their labels stop being valid.',
  run: async (api, references) => fromList(await ok(api.PUT('/consignments/deallocatelist', { body: references })), references),
};

export const CANCEL: Action = {
  id: 'cancel',
  label: 'Cancel',
  doing: 'Cancelling',
  allowed: 'cancel',
  chunk: 100,
  confirm: 'A cancelled consignment cannot be changed again.',
  run: async (api, references) => fromList(await ok(api.PUT('/consignments/cancellist', { body: references })), references),
};

/** On a selection of the list. */
export const BULK_ACTIONS = [ALLOCATE, PRINT_LABELS, READY_TO_SHIP, MANIFEST, DEALLOCATE, CANCEL];
/** On a consignment's page, each where its state allows it. */
export const PAGE_ACTIONS = [ALLOCATE, PRINT_LABELS, READY_TO_SHIP, NOT_READY_TO_SHIP, MANIFEST, DISPATCH, DEALLOCATE, CANCEL];

export interface Progress {
  done: number;
  total: number;
  results: ItemResult[];
  /** Why the run ended before its last chunk: stopped, or signed out. */
  ended?: string;
}

export interface RunOptions {
  stopped(): boolean;
  /** Waits before a chunk is tried again after a 429 (the tests' clock need not wait). */
  wait?(seconds: number): Promise<void>;
}

const RETRIES_AFTER_429 = 3;
const sleep = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

/** Each consignment of a chunk that got no result of its own. */
function chunkOutcome(chunk: string[], e: unknown): ItemResult[] {
  const message = e instanceof Error ? e.message : String(e);
  // A 4xx refused the whole request: nothing of it was done. Anything else may have been done in part.
  if (e instanceof ApiError && e.status >= 400 && e.status < 500) return chunk.map((reference) => ({ reference, ok: false, message }));
  return chunk.map((reference) => ({ reference, ok: false, unknown: true, message: `Outcome unknown (${message}): open the consignment to see its state` }));
}

/**
 * Runs `action` over `references` a chunk at a time, one request in flight, reporting after each.
 * A chunk refused as a whole counts each of its consignments as refused with the API's message;
 * a 429 is waited out (Retry-After) and the chunk tried again; a 401 (the key stopped working)
 * ends the run, as `stopped()` does between chunks.
 */
export async function runAction(api: Api, action: Action, references: readonly string[], report: (p: Progress) => void, options: RunOptions): Promise<Progress> {
  const wait = options.wait ?? sleep;
  const progress: Progress = { done: 0, total: references.length, results: [] };
  report({ ...progress });
  for (let at = 0; at < references.length; at += action.chunk) {
    if (options.stopped()) {
      progress.ended = 'Stopped';
      break;
    }
    const chunk = references.slice(at, at + action.chunk);
    let results: ItemResult[] | undefined;
    for (let attempt = 0; !results; attempt++) {
      try {
        results = await action.run(api, chunk);
      } catch (e) {
        if (e instanceof ApiError && e.status === 429 && attempt < RETRIES_AFTER_429) {
          await wait(e.retryAfter ?? 1);
          continue;
        }
        if (e instanceof ApiError && e.status === 401) progress.ended = `Signed out: ${e.message}`;
        results = chunkOutcome(chunk, e);
      }
    }
    progress.results.push(...results);
    progress.done += chunk.length;
    report({ ...progress, results: [...progress.results] });
    if (progress.ended) break;
  }
  return progress;
}
