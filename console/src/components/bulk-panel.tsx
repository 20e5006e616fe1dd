/** The bulk actions on a selection: the buttons, the progress of a run, and each consignment's outcome. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { allocateWith, BULK_ACTIONS, labelsRefusal, PRINT_LABELS, runAction, type Action, type ItemResult, type Progress } from '../actions.ts';
import { formatCount } from '../format.ts';
import { consignmentPath } from '../paths.ts';
import { serviceName, useSession } from '../session.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';

export interface BulkRun {
  action: Action;
  progress: Progress;
  running: boolean;
}

export interface Bulk {
  run: BulkRun | null;
  running: boolean;
  start(action: Action, references: readonly string[], onDone: () => void): Promise<void>;
  stop(): void;
  dismiss(): void;
}

/**
 * A run of an action over a selection, kept by the page that holds the selection, so that it
 * stays on screen while it runs whatever the selection does, and ends (after its chunk in flight)
 * when the page is left.
 */
export function useBulkRun(): Bulk {
  const { api } = useSession();
  const [run, setRun] = useState<BulkRun | null>(null);
  const stopped = useRef(false);
  useEffect(() => () => void (stopped.current = true), []);
  return {
    run,
    running: run?.running ?? false,
    async start(action, references, onDone) {
      stopped.current = false;
      const snapshot = [...references];
      const progress = await runAction(api, action, snapshot, (p) => setRun({ action, progress: p, running: true }), { stopped: () => stopped.current });
      setRun({ action, progress, running: false });
      onDone();
    },
    stop: () => void (stopped.current = true),
    dismiss: () => setRun(null),
  };
}

export function BulkPanel({ references, bulk, onFinished, onClear }: { references: string[]; bulk: Bulk; onFinished(): void; onClear(): void }) {
  const { services } = useSession();
  const [service, setService] = useState('');
  const [asking, setAsking] = useState<Action | null>(null);
  const progressArea = useRef<HTMLDivElement>(null);
  const busy = bulk.running;
  const start = (action: Action) => {
    setAsking(null);
    void bulk.start(action, references, onFinished);
  };
  // The run's progress takes the focus when it starts, and keeps it when its Stop button goes.
  useEffect(() => {
    if (busy) progressArea.current?.focus();
  }, [busy]);
  const refusal = (action: Action) => (action === PRINT_LABELS ? labelsRefusal(references.length) : null);
  const n = formatCount(references.length);

  return (
    <section class="bulk" aria-labelledby="bulk-heading">
      <h2 id="bulk-heading" class="visually-hidden">
        Bulk actions
      </h2>
      <p>
        <strong>{n}</strong> selected{' '}
        <button type="button" class="link" disabled={busy || references.length === 0} onClick={onClear}>
          Clear selection
        </button>
      </p>
      <div class="actions" role="group" aria-label="Actions on the selected consignments">
        {BULK_ACTIONS.map((action) => (
          <button
            key={action.id}
            type="button"
            disabled={busy || references.length === 0 || refusal(action) !== null}
            title={refusal(action) ?? undefined}
            class={action.confirm ? 'danger' : undefined}
            onClick={() => (action.confirm ? setAsking(action) : start(action))}
          >
            {action.label}
          </button>
        ))}
        <span class="with-service">
          <label for="bulk-service">Service</label>
          <select id="bulk-service" value={service} onChange={(e) => setService(e.currentTarget.value)} disabled={busy}>
            <option value="">Choose a service…</option>
            {services.map((s) => (
              <option key={s.Reference} value={s.Reference}>
                {s.CarrierName} {s.Name}
              </option>
            ))}
          </select>
          <button type="button" disabled={busy || !service || references.length === 0} onClick={() => start(allocateWith(service, serviceName(services, service)))}>
            Allocate to service
          </button>
        </span>
      </div>
      {references.length > 0 && labelsRefusal(references.length) && <p class="small muted">{labelsRefusal(references.length)}.</p>}
      {asking && (
        <ConfirmDialog
          message={`${asking.label} ${n} consignment${references.length === 1 ? '' : 's'}? ${asking.confirm}`}
          confirmLabel={`${asking.label} ${n}`}
          cancelLabel="Keep them as they are"
          onConfirm={() => start(asking)}
          onCancel={() => setAsking(null)}
        />
      )}
      <div ref={progressArea} tabIndex={-1}>
        {bulk.run && <BulkProgress run={bulk.run} onStop={bulk.stop} onDismiss={bulk.dismiss} />}
      </div>
    </section>
  );
}

/** Said to a screen reader: at the start, at each quarter, and at the end; not at every chunk. */
function announcement({ action, progress, running }: BulkRun, failed: number): string {
  if (running) return `${action.doing} ${formatCount(progress.total)} consignments: ${Math.floor((progress.done / Math.max(progress.total, 1)) * 4) * 25}% done`;
  const succeeded = progress.results.length - failed;
  const untried = progress.total - progress.done;
  return `Done: ${formatCount(succeeded)} succeeded, ${formatCount(failed)} failed${untried ? `, ${formatCount(untried)} not tried (${progress.ended ?? 'stopped'})` : ''}.`;
}

function BulkProgress({ run, onStop, onDismiss }: { run: BulkRun; onStop(): void; onDismiss(): void }) {
  const { action, progress, running } = run;
  const failed = progress.results.filter((r) => !r.ok);
  const unknown = failed.filter((r) => r.unknown);
  return (
    <div class="progress">
      <label for="bulk-progress">
        {running ? `${action.doing}: ` : `${action.label}: `}
        {formatCount(progress.done)} of {formatCount(progress.total)}
      </label>
      <progress id="bulk-progress" max={progress.total} value={progress.done} />
      <p role="status" aria-live="polite">
        {announcement(run, failed.length)}
      </p>
      {running ? (
        <button type="button" class="secondary" onClick={onStop}>
          Stop after this step
        </button>
      ) : (
        <button type="button" class="secondary" onClick={onDismiss}>
          Dismiss these outcomes
        </button>
      )}
      {unknown.length > 0 && (
        <p class="error">
          {formatCount(unknown.length)} got no clear answer from the server: they may or may not have been done. Open each one to see its state.
        </p>
      )}
      {failed.length > 0 && <ResultTable caption={`Failed (${formatCount(failed.length)})`} results={failed} />}
      {progress.results.length > failed.length && (
        <details>
          <summary>Succeeded ({formatCount(progress.results.length - failed.length)})</summary>
          <ResultTable caption="Succeeded" results={progress.results.filter((r) => r.ok)} />
        </details>
      )}
    </div>
  );
}

function ResultTable({ caption, results }: { caption: string; results: ItemResult[] }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table class="results">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Consignment</th>
            <th scope="col">Outcome</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {results.map((r) => (
            <tr key={r.reference}>
              <th scope="row">
                <a href={consignmentPath(r.reference)}>{r.reference}</a>
              </th>
              <td>{r.ok ? 'Succeeded' : r.unknown ? 'Unknown' : 'Failed'}</td>
              <td>
                {r.message}
                {r.reasons && r.reasons.length > 0 && <span class="muted"> ({r.reasons.map((reason) => reason.Code).join(', ')})</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
