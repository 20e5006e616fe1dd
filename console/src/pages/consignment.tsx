/**
 * One consignment: what it is, where it stands and what can be done next. A failed allocation shows
 * every failed check and the ways out (default rules, a quote, an edit, cancelling); an allocated
 * one its label, customs documents, tracking and manifest; every one its audit trail.
 */
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ok, type Api } from '../api/client.ts';
import type { Consignment } from '../api/update-request.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { useLoad, useTitle } from '../components/use-load.ts';
import { saveFile } from '../download.ts';
import { useSession } from '../session.tsx';
import { can } from '../states.ts';
import { AuditTrail } from './consignment/audit-trail.tsx';
import { CustomsDocuments } from './consignment/customs-documents.tsx';
import { Details } from './consignment/details.tsx';
import { EditForm } from './consignment/edit-form.tsx';
import { FailedAllocation } from './consignment/failed-allocation.tsx';
import { LabelPreview } from './consignment/label-preview.tsx';
import { Quotes } from './consignment/quotes.tsx';
import { Tracking } from './consignment/tracking.tsx';
import { actionOutcome, singleOutcome, type Outcome } from './consignment/outcome.ts';

interface Action {
  label: string;
  run(api: Api, reference: string): Promise<Outcome>;
  confirm?: string;
  show(state: string): boolean;
}

const one = (reference: string) => [reference];

/** What can be done to a consignment from its page, each shown only in the states the API allows it. */
const ACTIONS: Action[] = [
  {
    label: 'Allocate by default rules',
    show: (s) => can('allocate', s),
    run: async (api, r) => actionOutcome(await ok(api.PUT('/allocation/allocate', { body: { ConsignmentReferences: one(r) } }))),
  },
  {
    label: 'Print label (PDF)',
    show: (s) => can('printLabels', s),
    run: async (api, r) => {
      const pdf = await ok(api.GET('/labels/{reference}', { params: { path: { reference: r } }, headers: { accept: 'application/pdf' }, parseAs: 'blob' }));
      saveFile(pdf as Blob, `labels-${r}.pdf`);
      return { ok: true, message: `The labels of ${r} were downloaded` };
    },
  },
  {
    label: 'Ready to ship',
    show: (s) => can('readyToShip', s),
    run: async (api, r) => singleOutcome(await ok(api.PUT('/consignments/setreadytoship', { body: one(r) }))),
  },
  {
    label: 'Not ready to ship',
    show: (s) => can('notReadyToShip', s),
    run: async (api, r) => singleOutcome(await ok(api.PUT('/consignments/setnotreadytoship', { body: one(r) }))),
  },
  {
    label: 'Manifest',
    show: (s) => can('manifest', s),
    run: async (api, r) => singleOutcome(await ok(api.PUT('/consignments/manifest', { body: { ConsignmentReferences: one(r) } }))),
  },
  {
    label: 'Dispatch',
    show: (s) => can('dispatch', s),
    run: async (api, r) => singleOutcome(await ok(api.PUT('/consignments/dispatch', { body: one(r) }))),
  },
  {
    label: 'Deallocate',
    show: (s) => can('deallocate', s),
    confirm: 'Deallocate this consignment? Its carrier booking is cancelled and its labels stop being valid.',
    run: async (api, r) => {
      await ok(api.PUT('/consignments/{reference}/deallocate', { params: { path: { reference: r } } }));
      return { ok: true, message: `${r} was deallocated` };
    },
  },
  {
    label: 'Cancel consignment',
    show: (s) => can('cancel', s),
    confirm: 'Cancel this consignment? A cancelled consignment cannot be changed again.',
    run: async (api, r) => {
      await ok(api.PUT('/consignments/{reference}/cancel', { params: { path: { reference: r } } }));
      return { ok: true, message: `${r} was cancelled` };
    },
  },
];

export function ConsignmentPage() {
  const { params } = useRoute();
  const reference = params.reference;
  useTitle(reference);
  const { api } = useSession();
  // Every part of the page reads again after a change, so that what it shows is what the API now holds.
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const consignment = useLoad((signal) => ok(api.GET('/consignments/{reference}', { signal, params: { path: { reference } } })), [reference, version]);
  const c = consignment.data;

  return (
    <>
      <p class="breadcrumb">
        <a href="/console/consignments">Not shipped</a> › {reference}
      </p>
      <ErrorMessage error={consignment.error} title={`Consignment ${reference} could not be read`} />
      {c && (
        <>
          <div class="title-row">
            <h1>
              {c.Reference} {c.ConsignmentReferenceProvidedByCustomer && <span class="muted">({c.ConsignmentReferenceProvidedByCustomer})</span>}
            </h1>
            <StateBadge state={c.ConsignmentState} />
          </div>
          <Actions consignment={c} onChanged={changed} />
          {c.ConsignmentState === 'AllocationFailed' && c.FailedAllocation && <FailedAllocation failed={c.FailedAllocation} />}
          {c.FailedManifestMessage && c.ConsignmentState === 'ManifestFailed' && (
            <section class="failed" aria-labelledby="manifest-failed">
              <h2 id="manifest-failed">Manifest failed</h2>
              <p>{c.FailedManifestMessage}</p>
            </section>
          )}
          {can('allocate', c.ConsignmentState) && <Quotes reference={c.Reference} version={version} onAllocated={changed} />}
          {can('edit', c.ConsignmentState) && <EditForm consignment={c} onSaved={changed} />}
          <Details consignment={c} />
          {can('printLabels', c.ConsignmentState) && <LabelPreview reference={c.Reference} />}
          {can('customsDocuments', c.ConsignmentState) && <CustomsDocuments reference={c.Reference} version={version} />}
          {can('trackingEvents', c.ConsignmentState) && <Tracking reference={c.Reference} version={version} />}
          <AuditTrail reference={c.Reference} version={version} />
        </>
      )}
      {consignment.loading && !c && <p role="status">Loading…</p>}
    </>
  );
}

function Actions({ consignment, onChanged }: { consignment: Consignment; onChanged(): void }) {
  const { api } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [asking, setAsking] = useState<Action | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: Action) => {
    setAsking(null);
    setBusy(action.label);
    setOutcome(null);
    setError(null);
    try {
      const result = await action.run(api, consignment.Reference);
      setOutcome(result);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
      onChanged();
    }
  };
  const shown = ACTIONS.filter((a) => a.show(consignment.ConsignmentState));
  if (shown.length === 0) return null;
  return (
    <section aria-label="Actions">
      <div class="actions">
        {shown.map((a) => (
          <button key={a.label} type="button" class={a.confirm ? 'danger' : undefined} disabled={busy !== null} onClick={() => (a.confirm ? setAsking(a) : run(a))}>
            {busy === a.label ? `${a.label}…` : a.label}
          </button>
        ))}
      </div>
      {asking && <ConfirmDialog message={asking.confirm!} confirmLabel={asking.label} onConfirm={() => run(asking)} onCancel={() => setAsking(null)} />}
      {outcome && (
        <div class={outcome.ok ? 'notice' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
          <p>{outcome.message}</p>
          {outcome.reasons && outcome.reasons.length > 0 && (
            <ul>
              {outcome.reasons.map((r, i) => (
                <li key={i}>
                  <span class="code">{r.Code}</span> {r.Message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
