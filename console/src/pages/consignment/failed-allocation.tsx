/** Why the last allocation failed: every failed check, by service when the engine tried several. */
import type { Consignment } from '../../api/update-request.ts';
import { formatInstant } from '../../format.ts';
import { serviceName, useSession } from '../../session.tsx';

type Failed = NonNullable<Consignment['FailedAllocation']>;
type Reason = Failed['Reasons'][number];

/** A reason's own figures beyond its words (a check may add its limit and the consignment's value). */
function figures(reason: Reason): [string, unknown][] {
  return Object.entries(reason).filter(([k, v]) => !['Code', 'Message', 'MpdCarrierServiceReference'].includes(k) && v !== null && typeof v !== 'object');
}

export function FailedAllocation({ failed }: { failed: Failed }) {
  const { services } = useSession();
  const byService = new Map<string, Reason[]>();
  for (const reason of failed.Reasons) {
    const service = reason.MpdCarrierServiceReference ?? failed.MpdCarrierServiceReference;
    byService.set(service, [...(byService.get(service) ?? []), reason]);
  }
  return (
    <section class="failed" aria-labelledby="failed-heading">
      <h2 id="failed-heading">Why the allocation failed</h2>
      <p>{failed.Message}</p>
      <p class="muted small">
        Tried {formatInstant(failed.AttemptedAllocationDate)}
        {failed.MpdCarrierServiceGroupName ? ` within the group ${failed.MpdCarrierServiceGroupName}` : ''}.
      </p>
      {[...byService].map(([service, reasons]) => (
        <div key={service}>
          {service && <h3>{serviceName(services, service)}</h3>}
          <ul class="reasons">
            {reasons.map((r, i) => (
              <li key={i}>
                <span class="code">{r.Code}</span> {r.Message}
                {figures(r).length > 0 && <span class="muted"> ({figures(r).map(([k, v]) => `${k} ${String(v)}`).join(', ')})</span>}
              </li>
            ))}
          </ul>
        </div>
      ))}
      <p>
        Ways out: allocate by default rules, choose a service from the quotes below, edit the consignment (its weights and sizes, its address or tags), or
        cancel it.
      </p>
    </section>
  );
}
