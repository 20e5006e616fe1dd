/** The tracking timeline: every carrier event, per package and leg, newest last. */
import { ok } from '../../api/client.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useLoad } from '../../components/use-load.ts';
import { formatDay } from '../../format.ts';
import { useSession } from '../../session.tsx';

export function Tracking({ reference, version }: { reference: string; version: number }) {
  const { api } = useSession();
  const tracking = useLoad((signal) => ok(api.GET('/tracking/{reference}', { signal, params: { path: { reference } } })), [reference, version]);
  const packages = tracking.data?.TrackedPackages ?? [];
  const events = packages.reduce((n, p) => n + p.Legs.reduce((m, l) => m + l.Events.length, 0), 0);
  return (
    <section aria-labelledby="tracking-heading">
      <h2 id="tracking-heading">Tracking</h2>
      <ErrorMessage error={tracking.error} />
      {tracking.data && events === 0 && <p>No tracking event yet.</p>}
      {packages.map((p) =>
        p.Legs.filter((leg) => leg.Events.length > 0).map((leg) => (
          <div key={`${p.Reference}-${leg.Leg}`}>
            <h3>
              {p.Reference}, leg {leg.Leg} ({leg.CarrierServiceName}, <span class="code">{leg.TrackingReference}</span>)
            </h3>
            <ol class="timeline">
              {leg.Events.map((e, i) => (
                <li key={i}>
                  <time dateTime={e.TimeStamp}>{formatDay(e.TimeStamp, true)}</time> <strong>{e.Description}</strong>
                  {e.Location && <span> · {e.Location}</span>}
                  {e.SignedBy && <span> · signed by {e.SignedBy}</span>} <span class="code small">{e.Code}</span>
                </li>
              ))}
            </ol>
          </div>
        )),
      )}
    </section>
  );
}
