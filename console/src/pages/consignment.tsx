/**
 * One consignment: what it is, where it stands and what can be done next. A failed allocation shows
 * every failed check and the ways out (default rules, a quote, an edit, cancelling); an allocated
 * one its label, customs documents, tracking and manifest; every one its audit trail.
 */
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { PAGE_ACTIONS, type Action } from '../actions.ts';
import { ok } from '../api/client.ts';
import type { Consignment } from '../api/update-request.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { useNotice, type Notice } from '../components/notice.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { useLoad, useTitle } from '../components/use-load.ts';
import { listPath } from '../paths.ts';
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

/** Another consignment is another page: nothing of one (its quotes, a half-typed edit, an outcome) shows on the next. */
export function ConsignmentPage() {
  const { params } = useRoute();
  return <ConsignmentView key={params.reference} reference={params.reference} />;
}

/** What a part of the page says after doing something; the page then reads the consignment again. */
export type Report = (notice: Notice) => void;

function ConsignmentView({ reference }: { reference: string }) {
  useTitle(reference);
  const { api } = useSession();
  // Every part of the page reads again after a change, so that what it shows is what the API now
  // holds; the consignment itself stays on screen meanwhile (a reload), and so does the focus.
  const [version, setVersion] = useState(0);
  const notice = useNotice();
  const consignment = useLoad((signal) => ok(api.GET('/consignments/{reference}', { signal, params: { path: { reference } } })), [reference]);
  const report: Report = (n) => {
    notice.show(n);
    consignment.reload();
    setVersion((v) => v + 1);
  };
  const c = consignment.data;

  return (
    <>
      <p class="breadcrumb">
        <a href={listPath()}>Not shipped</a> › {reference}
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
          {notice.view}
          <Actions consignment={c} report={report} />
          {c.ConsignmentState === 'AllocationFailed' && c.FailedAllocation && <FailedAllocation failed={c.FailedAllocation} />}
          {c.FailedManifestMessage && c.ConsignmentState === 'ManifestFailed' && (
            <section class="failed" aria-labelledby="manifest-failed">
              <h2 id="manifest-failed">Manifest failed</h2>
              <p>{c.FailedManifestMessage}</p>
            </section>
          )}
          {can('allocate', c.ConsignmentState) && <Quotes reference={c.Reference} version={version} report={report} />}
          {can('edit', c.ConsignmentState) && <EditForm consignment={c} report={report} />}
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

/** The actions its state allows, each the same as on a selection of the list, run on this one consignment. */
function Actions({ consignment, report }: { consignment: Consignment; report: Report }) {
  const { api } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [asking, setAsking] = useState<Action | null>(null);
  const run = async (action: Action) => {
    setAsking(null);
    setBusy(action.id);
    try {
      const [result] = await action.run(api, [consignment.Reference]);
      report({ ok: result.ok, message: result.message, reasons: result.reasons });
    } catch (error) {
      report({ error, title: `${action.label}: not done` });
    } finally {
      setBusy(null);
    }
  };
  const shown = PAGE_ACTIONS.filter((a) => can(a.allowed, consignment.ConsignmentState));
  if (shown.length === 0) return null;
  return (
    <section aria-label="Actions">
      <div class="actions">
        {shown.map((a) => (
          <button key={a.id} type="button" class={a.confirm ? 'danger' : undefined} disabled={busy !== null} onClick={() => (a.confirm ? setAsking(a) : run(a))}>
            {busy === a.id ? `${a.doing}…` : a.label}
          </button>
        ))}
      </div>
      {asking && (
        <ConfirmDialog
          message={`${asking.label} ${consignment.Reference}? ${asking.confirm}`}
          confirmLabel={`${asking.label} ${consignment.Reference}`}
          cancelLabel="Keep it as it is"
          onConfirm={() => run(asking)}
          onCancel={() => setAsking(null)}
        />
      )}
    </section>
  );
}
