/**
 * "Not shipped": the consignments the carrier does not have yet, filtered, sorted and paged by the
 * search API (the page's address holds the criteria, never the key), with a selection for the
 * bulk actions.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { paths } from '../../../clients/typescript/index.ts';
import { ok } from '../api/client.ts';
import { MAX_REFERENCES_RESULT } from '../../../src/domain/limits.ts';
import { BulkPanel, useBulkRun } from '../components/bulk-panel.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { useLoad, useTitle } from '../components/use-load.ts';
import { formatCount, formatDay, formatInstant, formatKg } from '../format.ts';
import { consignmentPath, listPath } from '../paths.ts';
import { serviceName, useSession } from '../session.tsx';
import { NOT_SHIPPED, STATES, stateLabel } from '../states.ts';

/** The search criteria the list's address may carry, by the API's own names (passed to it as they are). */
const CRITERIA = ['state', 'shippingDateFrom', 'shippingDateTo', 'destinationCountryCode', 'postcode', 'carrierService', 'searchTerm', 'collectionDateFrom', 'collectionDateTo'] as const;
type Criteria = Partial<Record<(typeof CRITERIA)[number], string>>;

const PAGE_SIZES = [25, 50, 100, 200];
/** The search API's orders: a key, or - and a key for descending. */
type OrderBy = NonNullable<NonNullable<paths['/consignments/{take}/{skip}']['get']['parameters']['query']>['orderBy']>;
type OrderKey = Exclude<OrderBy, `-${string}`>;
const DEFAULT_ORDER: OrderBy = '-created';

/** The columns, with the search API's orderBy key of those it can sort by. */
const COLUMNS: { label: string; sort?: OrderKey; class?: string }[] = [
  { label: 'Reference', sort: 'reference' },
  { label: 'Customer reference', sort: 'customerReference' },
  { label: 'State', sort: 'state' },
  { label: 'Shipping date', sort: 'shippingDate' },
  { label: 'Destination', sort: 'destinationCountry' },
  { label: 'Service', sort: 'service' },
  { label: 'Weight', class: 'num' },
  { label: 'Created', sort: 'created' },
];

const ORDERS = COLUMNS.flatMap((c): OrderBy[] => (c.sort ? [c.sort, `-${c.sort}`] : []));

/** The address's order if it is one the list offers (a hand-edited one falls back to newest first). */
function readOrder(value: string | undefined): OrderBy {
  return ORDERS.find((o) => o === value) ?? DEFAULT_ORDER;
}

function readCriteria(query: Record<string, string>): Criteria {
  const criteria: Criteria = {};
  for (const key of CRITERIA) if (query[key]?.trim()) criteria[key] = query[key].trim();
  criteria.state ??= NOT_SHIPPED.join(',');
  return criteria;
}

export function NotShippedPage() {
  useTitle('Not shipped');
  const { api, services } = useSession();
  const { query, route } = useLocation();
  const criteria = readCriteria(query);
  const orderBy = readOrder(query.orderBy);
  const size = PAGE_SIZES.includes(Number(query.size)) ? Number(query.size) : 50;
  const page = Math.max(1, Math.floor(Number(query.page)) || 1);
  const key = JSON.stringify(criteria);

  /** The list's address with these changes to its query (an empty value removes a key). */
  const pathWith = (changes: Record<string, string | undefined>) => {
    const next: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...query, ...changes })) if (v) next[k] = v;
    return listPath(next);
  };
  const go = (changes: Record<string, string | undefined>) => route(pathWith(changes));

  const list = useLoad(
    (signal) =>
      ok(
        api.GET('/consignments/{take}/{skip}', {
          signal,
          params: { path: { take: String(size), skip: String((page - 1) * size) }, query: { ...criteria, orderBy } },
        }),
      ),
    [key, orderBy, size, page],
  );

  const bulk = useBulkRun();
  const [selected, setSelected] = useState<string[]>([]);
  const [selecting, setSelecting] = useState<unknown>(null);
  const selectingFor = useRef<AbortController | null>(null);
  // Other criteria, another selection: one still being read for the old ones is dropped.
  useEffect(() => {
    selectingFor.current?.abort();
    setSelecting(null);
    setSelected([]);
  }, [key]);

  // While the next page is read, the last one stays, dimmed (never counted as the new page's rows).
  const shown = list.data ?? (list.loading ? list.previous : undefined);
  const rows = shown?.ConsignmentSummaries ?? [];
  const count = list.data?.Count ?? 0;
  const pages = Math.max(1, Math.ceil(count / size));
  const chosen = new Set(selected);
  const pageChosen = rows.length > 0 && rows.every((r) => chosen.has(r.Reference));
  // A run acts on the selection it started with: the selection and the filters wait for it to end.
  const locked = bulk.running;
  const toggle = (reference: string) => setSelected(chosen.has(reference) ? selected.filter((r) => r !== reference) : [...selected, reference]);
  const togglePage = () => {
    const onPage = new Set(rows.map((r) => r.Reference));
    setSelected(pageChosen ? selected.filter((r) => !onPage.has(r)) : [...selected, ...rows.map((r) => r.Reference).filter((r) => !chosen.has(r))]);
  };
  const selectAll = async () => {
    const controller = new AbortController();
    selectingFor.current?.abort();
    selectingFor.current = controller;
    setSelecting(true);
    try {
      const references = await ok(api.GET('/consignments/getConsignmentReferences', { signal: controller.signal, params: { query: { ...criteria, orderBy, pageSize: MAX_REFERENCES_RESULT } } }));
      if (controller.signal.aborted) return;
      setSelected(references);
      setSelecting(null);
    } catch (e) {
      if (!controller.signal.aborted) setSelecting(e);
    }
  };
  const order = COLUMNS.find((c) => c.sort === orderBy.replace(/^-/, ''));
  const orderWords = order ? `by ${order.label.toLowerCase()}, ${orderBy.startsWith('-') ? 'descending' : 'ascending'}` : '';

  return (
    <>
      <h1>Not shipped</h1>
      <Filters criteria={criteria} disabled={locked} onApply={(c) => go({ ...Object.fromEntries(CRITERIA.map((k) => [k, c[k]])), page: undefined })} />
      <ErrorMessage error={list.error} title="The consignments could not be read" />
      <p role="status" aria-live="polite" class="list-status">
        {list.loading
          ? 'Loading…'
          : list.data
            ? `${formatCount(count)} consignment${count === 1 ? '' : 's'}${count > 0 ? `, ${formatCount(Math.min((page - 1) * size + 1, count))}–${formatCount(Math.min(page * size, count))} shown, ${orderWords}` : ''}`
            : ''}
      </p>
      {pageChosen && selected.length < count && !locked && (
        <p class="select-all">
          All {formatCount(rows.length)} on this page are selected.{' '}
          <button type="button" class="link" onClick={selectAll} disabled={selecting === true}>
            Select all {formatCount(Math.min(count, MAX_REFERENCES_RESULT))} matching{count > MAX_REFERENCES_RESULT ? ` (the first ${formatCount(MAX_REFERENCES_RESULT)})` : ''}
          </button>
        </p>
      )}
      <ErrorMessage error={selecting !== true ? selecting : null} title="The selection could not be made" />
      {(selected.length > 0 || bulk.run) && <BulkPanel references={selected} bulk={bulk} onFinished={list.reload} onClear={() => setSelected([])} />}
      <div class="table-wrap" tabIndex={0} role="region" aria-label="Consignments">
        <table class={`consignments${list.data ? '' : ' stale'}`} aria-busy={list.loading}>
          <thead>
            <tr>
              <th scope="col" class="select">
                <input type="checkbox" aria-label="Select every consignment on this page" checked={pageChosen} disabled={locked} onChange={togglePage} />
              </th>
              {COLUMNS.map((c) => (
                <SortableHeader key={c.label} column={c} orderBy={orderBy} onSort={(o) => go({ orderBy: o, page: undefined })} />
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.Reference} class={chosen.has(c.Reference) ? 'chosen' : undefined}>
                <td class="select">
                  <input type="checkbox" aria-label={`Select ${c.Reference}`} checked={chosen.has(c.Reference)} disabled={locked} onChange={() => toggle(c.Reference)} />
                </td>
                <th scope="row">
                  <a href={consignmentPath(c.Reference)}>{c.Reference}</a>
                </th>
                <td>{c.ConsignmentReferenceProvidedByCustomer}</td>
                <td>
                  <StateBadge state={c.State} />
                  {c.FailedAllocationMessage && c.State === 'AllocationFailed' && <div class="small muted">{c.FailedAllocationMessage}</div>}
                </td>
                <td>{formatDay(c.ShippingDate)}</td>
                <td>{[c.DestinationAddressTown, c.DestinationAddressPostcode, c.DestinationAddressCountry].filter(Boolean).join(', ')}</td>
                <td>{serviceName(services, c.MpdCarrierServiceReference)}</td>
                <td class="num">{formatKg(c.Weight?.Value)}</td>
                <td>{formatInstant(c.DateCreated)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data && count === 0 && <p>No consignment matches these filters.</p>}
      <nav class="pager" aria-label="Pages">
        <PagerButton label="Previous" enabled={page > 1} onGo={() => go({ page: String(page - 1) })} />
        <span>
          Page {formatCount(page)} of {formatCount(pages)}
        </span>
        <PagerButton label="Next" enabled={page < pages} onGo={() => go({ page: String(page + 1) })} />
        <span class="per-page">
          Per page:{' '}
          {PAGE_SIZES.map((n) => (
            <a key={n} href={pathWith({ size: String(n), page: undefined })} aria-current={n === size ? 'true' : undefined}>
              {n}
            </a>
          ))}
        </span>
      </nav>
    </>
  );
}

/**
 * Previous and Next stay focusable at the first and last page (aria-disabled, the click ignored):
 * a disabled button would drop the focus of the keyboard user who just pressed it.
 */
function PagerButton({ label, enabled, onGo }: { label: string; enabled: boolean; onGo(): void }) {
  return (
    <button type="button" aria-disabled={enabled ? undefined : 'true'} class={enabled ? undefined : 'inactive'} onClick={() => enabled && onGo()}>
      {label}
    </button>
  );
}

function SortableHeader({ column, orderBy, onSort }: { column: (typeof COLUMNS)[number]; orderBy: OrderBy; onSort(orderBy: OrderBy): void }) {
  if (!column.sort) {
    return (
      <th scope="col" class={column.class}>
        {column.label}
      </th>
    );
  }
  const ascending = orderBy === column.sort;
  const descending = orderBy === `-${column.sort}`;
  return (
    <th scope="col" class={column.class} aria-sort={ascending ? 'ascending' : descending ? 'descending' : undefined}>
      <button type="button" class="sort" onClick={() => onSort(ascending ? `-${column.sort!}` : column.sort!)}>
        {column.label}
        <span aria-hidden="true">{ascending ? ' ▲' : descending ? ' ▼' : ''}</span>
        <span class="visually-hidden">{ascending ? ', sorted ascending: sort descending' : descending ? ', sorted descending: sort ascending' : ': sort by it'}</span>
      </button>
    </th>
  );
}

/** The filters, applied together when the form is sent (so that typing does not search at every key). */
function Filters({ criteria, disabled, onApply }: { criteria: Criteria; disabled: boolean; onApply(c: Criteria): void }) {
  const { services } = useSession();
  const [draft, setDraft] = useState<Criteria>(criteria);
  useEffect(() => setDraft(criteria), [JSON.stringify(criteria)]);
  const states = new Set((draft.state ?? '').split(',').filter(Boolean));
  const set = (k: keyof Criteria, v: string) => setDraft({ ...draft, [k]: v });
  const toggleState = (s: string) => {
    const next = new Set(states);
    if (next.has(s)) next.delete(s);
    else next.add(s);
    set('state', STATES.filter((x) => next.has(x)).join(','));
  };
  const field = (k: keyof Criteria, label: string, props: Record<string, unknown> = {}) => (
    <div class="field">
      <label for={`f-${k}`}>{label}</label>
      <input id={`f-${k}`} name={k} value={draft[k] ?? ''} onInput={(e) => set(k, e.currentTarget.value)} {...props} />
    </div>
  );
  return (
    <form class="filters" role="search" aria-label="Filter consignments" onSubmit={(e) => (e.preventDefault(), onApply(draft))}>
      {/* Closed while a bulk run acts on the selection these filters made. */}
      <fieldset class="filter-set" disabled={disabled}>
      <fieldset class="states">
        <legend>State</legend>
        {NOT_SHIPPED.map((s) => (
          <label key={s} class="check">
            <input type="checkbox" checked={states.has(s)} onChange={() => toggleState(s)} /> {stateLabel(s)}
          </label>
        ))}
      </fieldset>
      {field('searchTerm', 'Search', { type: 'search', placeholder: 'Reference, name, town, postcode' })}
      {field('shippingDateFrom', 'Shipping from', { type: 'date' })}
      {field('shippingDateTo', 'Shipping to', { type: 'date' })}
      {field('destinationCountryCode', 'Country', { maxLength: 2, size: 4, placeholder: 'GB', autocapitalize: 'characters' })}
      {field('postcode', 'Postcode starts', { size: 8 })}
      <div class="field">
        <label for="f-carrierService">Service</label>
        <select id="f-carrierService" value={draft.carrierService ?? ''} onChange={(e) => set('carrierService', e.currentTarget.value)}>
          <option value="">Any</option>
          {services.map((s) => (
            <option key={s.Reference} value={s.Reference}>
              {s.CarrierName} {s.Name}
            </option>
          ))}
        </select>
      </div>
      {(draft.collectionDateFrom || draft.collectionDateTo) && (
        <>
          {field('collectionDateFrom', 'Collection from', { type: 'date' })}
          {field('collectionDateTo', 'Collection to', { type: 'date' })}
        </>
      )}
      <div class="actions">
        <button type="submit">Apply filters</button>
        <button type="button" class="secondary" onClick={() => onApply({})}>
          Clear
        </button>
      </div>
      </fieldset>
    </form>
  );
}
