/** The day at a glance: consignments per state, and today's collections per carrier. */
import { ok } from '../api/client.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { useLoad, useTitle } from '../components/use-load.ts';
import { formatCount, formatDay, today } from '../format.ts';
import { listPath } from '../paths.ts';
import { useSession } from '../session.tsx';
import { NOT_SHIPPED, stateLabel } from '../states.ts';


export function DashboardPage() {
  useTitle('Dashboard');
  const { api } = useSession();
  const day = today();
  const summary = useLoad((signal) => ok(api.GET('/consignments/summary', { signal })), []);
  const collections = useLoad(
    (signal) => ok(api.GET('/consignments/summary/carriers', { signal, params: { query: { collectionDateFrom: day, collectionDateTo: day } } })),
    [day],
  );
  const counts = new Map((summary.data?.Summary ?? []).map((s) => [s.Key, s.Value]));
  const attention = ['AllocationFailed', 'ManifestFailed'].filter((s) => (counts.get(s) ?? 0) > 0);

  return (
    <>
      <h1>Dashboard</h1>
      <ErrorMessage error={summary.error} title="The consignment summary could not be read" />
      {attention.length > 0 && (
        <section class="attention" aria-labelledby="attention">
          <h2 id="attention">Needs attention</h2>
          <ul>
            {attention.map((state) => (
              <li key={state}>
                <a href={listPath({ state })}>
                  {formatCount(counts.get(state) ?? 0)} {stateLabel(state).toLowerCase()}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="by-state">
        <h2 id="by-state">Consignments by state</h2>
        {summary.data && (
          <>
            <p>
              {formatCount(summary.data.NumberOfConsignments)} consignments in all; <a href={listPath({})}>{formatCount(NOT_SHIPPED.reduce((n, s) => n + (counts.get(s) ?? 0), 0))} not shipped</a>.
            </p>
            <ul class="cards">
              {summary.data.Summary.map(({ Key, Value }) => (
                <li key={Key}>
                  <a href={listPath({ state: Key })} class="card">
                    <span class="count">{formatCount(Value)}</span>
                    <StateBadge state={Key} />
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
        {summary.loading && !summary.data && <p role="status">Loading…</p>}
      </section>
      <section aria-labelledby="collections">
        <h2 id="collections">Today’s collections ({formatDay(day)})</h2>
        <ErrorMessage error={collections.error} title="Today’s collections could not be read" />
        {collections.data &&
          (collections.data.Carriers.length === 0 ? (
            <p>No allocated consignment is due to be collected today.</p>
          ) : (
            <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="collections">
              <table>
                <caption class="visually-hidden">Consignments collected today, per carrier and state</caption>
                <thead>
                  <tr>
                    <th scope="col">Carrier</th>
                    <th scope="col" class="num">
                      Consignments
                    </th>
                    <th scope="col">By state</th>
                  </tr>
                </thead>
                <tbody>
                  {collections.data.Carriers.map((carrier) => (
                    <tr key={carrier.CarrierReference}>
                      <th scope="row">{carrier.CarrierName}</th>
                      <td class="num">{formatCount(carrier.NumberOfConsignments)}</td>
                      <td>
                        <ul class="inline">
                          {carrier.Summary.map(({ Key, Value }) => (
                            <li key={Key}>
                              <a href={listPath({ state: Key, collectionDateFrom: day, collectionDateTo: day })}>
                                {formatCount(Value)} {stateLabel(Key).toLowerCase()}
                              </a>
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
      </section>
    </>
  );
}
