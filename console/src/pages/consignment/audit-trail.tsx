/** Everything that happened to the consignment, in order: who changed what, from which state to which. */
import { ok } from '../../api/client.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { useLoad } from '../../components/use-load.ts';
import { formatInstant } from '../../format.ts';
import { useSession } from '../../session.tsx';

export function AuditTrail({ reference, version }: { reference: string; version: number }) {
  const { api } = useSession();
  const audit = useLoad((signal) => ok(api.GET('/consignments/{reference}/audit', { signal, params: { path: { reference } } })), [reference, version]);
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit trail</h2>
      <ErrorMessage error={audit.error} />
      {audit.data && (
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="audit-heading">
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">State</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.map((entry, i) => (
                <tr key={i}>
                  <td>{formatInstant(entry.Timestamp)}</td>
                  <td>{entry.Action}</td>
                  <td>{entry.ToState && <StateBadge state={entry.ToState} />}</td>
                  <td>{entry.Message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
