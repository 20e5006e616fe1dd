/** The bulk actions on a selection: the buttons, the progress of a run, and each consignment's outcome. */
import { useRef, useState } from 'preact/hooks';
import { ALLOCATE, allocateWith, CANCEL, DEALLOCATE, MANIFEST, PRINT_LABELS, READY_TO_SHIP, runBulk, type BulkAction, type Progress } from '../bulk.ts';
import { formatCount } from '../format.ts';
import { serviceName, useSession } from '../session.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';

export function BulkPanel({ references, onFinished }: { references: string[]; onFinished(): void }) {
  const { api, services } = useSession();
  const [service, setService] = useState('');
  const [running, setRunning] = useState<BulkAction | null>(null);
  const [asking, setAsking] = useState<BulkAction | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [finished, setFinished] = useState<BulkAction | null>(null);
  const stop = useRef(false);

  const start = async (action: BulkAction) => {
    setAsking(null);
    setFinished(null);
    setRunning(action);
    stop.current = false;
    await runBulk(api, action, references, setProgress, () => stop.current);
    setRunning(null);
    setFinished(action);
    onFinished();
  };
  const ask = (action: BulkAction) => (action.confirm ? setAsking(action) : void start(action));

  const actions = [ALLOCATE, PRINT_LABELS, READY_TO_SHIP, MANIFEST, DEALLOCATE, CANCEL];
  const busy = running !== null;
  return (
    <section class="bulk" aria-labelledby="bulk-heading">
      <h2 id="bulk-heading" class="visually-hidden">
        Bulk actions
      </h2>
      <p>
        <strong>{formatCount(references.length)}</strong> selected
      </p>
      <div class="actions" role="group" aria-label="Actions on the selected consignments">
        {actions.map((action) => (
          <button key={action.id} type="button" disabled={busy || references.length === 0} class={action.confirm ? 'danger' : undefined} onClick={() => ask(action)}>
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
      {asking && <ConfirmDialog message={asking.confirm!} confirmLabel={`${asking.label} ${formatCount(references.length)}`} onConfirm={() => start(asking)} onCancel={() => setAsking(null)} />}
      {progress && (running || finished) && <BulkProgress action={(running ?? finished)!} progress={progress} running={busy} onStop={() => (stop.current = true)} />}
    </section>
  );
}

function BulkProgress({ action, progress, running, onStop }: { action: BulkAction; progress: Progress; running: boolean; onStop(): void }) {
  const failed = progress.results.filter((r) => !r.ok);
  const succeeded = progress.results.length - failed.length;
  return (
    <div class="progress">
      <label for="bulk-progress">
        {running ? `${action.doing}: ` : `${action.label}: `}
        {formatCount(progress.done)} of {formatCount(progress.total)}
      </label>
      <progress id="bulk-progress" max={progress.total} value={progress.done} />
      {running && (
        <button type="button" class="secondary" onClick={onStop}>
          Stop after this step
        </button>
      )}
      <p role="status" aria-live="polite">
        {running ? '' : `Done: ${formatCount(succeeded)} succeeded, ${formatCount(failed.length)} failed${progress.done < progress.total ? `, ${formatCount(progress.total - progress.done)} not tried (stopped)` : ''}.`}
      </p>
      {failed.length > 0 && <ResultTable caption={`Failed (${formatCount(failed.length)})`} results={failed} />}
      {succeeded > 0 && (
        <details>
          <summary>Succeeded ({formatCount(succeeded)})</summary>
          <ResultTable caption="Succeeded" results={progress.results.filter((r) => r.ok)} />
        </details>
      )}
    </div>
  );
}

function ResultTable({ caption, results }: { caption: string; results: { reference: string; ok: boolean; message: string }[] }) {
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
                <a href={`/console/consignments/${encodeURIComponent(r.reference)}`}>{r.reference}</a>
              </th>
              <td>{r.ok ? 'Succeeded' : 'Failed'}</td>
              <td>{r.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
