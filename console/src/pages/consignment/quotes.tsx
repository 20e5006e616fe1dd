/** The consignment's quotes: every service's price and dates, why each other service is out, and allocating with one. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ok, type Answer } from '../../api/client.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { formatAmount, formatDay } from '../../format.ts';
import { serviceName, useSession } from '../../session.tsx';
import type { Report } from '../consignment.tsx';

type QuoteResult = Answer<'get', '/quotes/consignment/{reference}'>;

export function Quotes({ reference, version, report }: { reference: string; version: number; report: Report }) {
  const { api, services } = useSession();
  const [result, setResult] = useState<{ version: number; quotes: QuoteResult } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [allocating, setAllocating] = useState<string | null>(null);
  const shown = useRef<HTMLDivElement>(null);

  const load = async () => {
    setLoading(true);
    setError(null);
    try {
      setResult({ version, quotes: await ok(api.GET('/quotes/consignment/{reference}', { params: { path: { reference } } })) });
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  const allocate = async (quote: string) => {
    setAllocating(quote);
    try {
      const [answer] = await ok(api.PUT('/allocation/{reference}/allocatewithquote/{quote}', { params: { path: { reference, quote } } }));
      report({ ok: answer.IsSuccess, message: answer.Message, reasons: answer.FailureReasons });
    } catch (error) {
      report({ error, title: 'Not allocated' });
    } finally {
      setAllocating(null);
    }
  };
  // Quotes are of the consignment as it was: after an edit they are asked for again.
  const quotes = result?.version === version ? result.quotes : null;
  // The button that asked for them is gone: the focus goes to what it brought.
  useEffect(() => {
    if (quotes) shown.current?.focus();
  }, [quotes]);

  return (
    <section aria-labelledby="quotes-heading">
      <h2 id="quotes-heading">Quotes</h2>
      {!quotes && (
        <button type="button" onClick={load} disabled={loading}>
          {loading ? 'Getting quotes…' : 'Get quotes'}
        </button>
      )}
      <ErrorMessage error={error} />
      {quotes && (
        <div ref={shown} tabIndex={-1} aria-label="The quotes">
          {quotes.Message && <p>{quotes.Message}</p>}
          {quotes.Quotes.length === 0 ? (
            <p>No service can carry this consignment as it is.</p>
          ) : (
            <div class="table-wrap" tabIndex={0} role="region" aria-label="Services that can carry it">
              <table>
                <caption>Services that can carry it, cheapest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Service</th>
                    <th scope="col" class="num">
                      Price
                    </th>
                    <th scope="col">Collection</th>
                    <th scope="col">Delivery</th>
                    <th scope="col">
                      <span class="visually-hidden">Allocate</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {quotes.Quotes.map((q) => (
                    <tr key={q.QuoteReference}>
                      <th scope="row">
                        {serviceName(services, q.MpdCarrierServiceReference)}
                        <div class="small muted">{q.MpdCarrierServiceReference}</div>
                      </th>
                      <td class="num">
                        {q.Price ? formatAmount(q.Price.Gross, q.Price.Currency.IsoCode) : '—'}
                        {q.Price && <div class="small muted">{formatAmount(q.Price.Net, q.Price.Currency.IsoCode)} + VAT</div>}
                      </td>
                      <td>{formatDay(q.CollectionDate, true)}</td>
                      <td>
                        {formatDay(q.EarliestDeliveryDate, true)}
                        {q.LatestDeliveryDate && q.LatestDeliveryDate !== q.EarliestDeliveryDate && ` – ${formatDay(q.LatestDeliveryDate, true)}`}
                      </td>
                      <td>
                        <button type="button" disabled={allocating !== null} onClick={() => allocate(q.QuoteReference)} aria-label={`Allocate with ${serviceName(services, q.MpdCarrierServiceReference)}`}>
                          {allocating === q.QuoteReference ? 'Allocating…' : 'Allocate'}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {quotes.UnqualifiedServices.length > 0 && (
            <div class="table-wrap" tabIndex={0} role="region" aria-label="Services that cannot carry it">
              <table>
                <caption>Services that cannot carry it, and why</caption>
                <thead>
                  <tr>
                    <th scope="col">Service</th>
                    <th scope="col">Why not</th>
                  </tr>
                </thead>
                <tbody>
                  {quotes.UnqualifiedServices.map((u) => (
                    <tr key={u.MpdCarrierServiceReference}>
                      <th scope="row">
                        {serviceName(services, u.MpdCarrierServiceReference)}
                        <div class="small muted">{u.MpdCarrierServiceReference}</div>
                      </th>
                      <td>
                        <ul class="reasons">
                          {(u.Reasons ?? []).map((r, i) => (
                            <li key={i}>
                              <span class="code">{r.Code}</span> {r.Message}
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <button type="button" class="secondary" onClick={load} disabled={loading}>
            Quote again
          </button>
        </div>
      )}
    </section>
  );
}
