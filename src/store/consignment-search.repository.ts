/**
 * Consignment searches as SQL over the search columns — the allocation's on `consignments`, the
 * document's in `consignment_search` — and the package-reference table (see consignment-columns.ts):
 * no JSON document is read except those of the page answered.
 */
import { sql, type ExpressionBuilder, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { AllocationRecord, Consignment } from '../domain/consignment.js';
import { NEWEST_FIRST, type ConsignmentSearch, type OrderKey, type Range, type SearchCriterion, type SearchOrder } from '../domain/consignment-search.js';
import { CONSIGNMENT_STATES, type ConsignmentState } from '../domain/states.js';
import { toConsignment } from './consignments.repository.js';
import type { DatabaseKind, Schema } from './database.js';

type RowEb = ExpressionBuilder<Schema, 'consignments'>;

/** LIKE treats % and _ as wildcards; they (and the escape character itself) are matched literally. */
function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function like(column: string, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

/** Both bounds inclusive; a missing one is open. */
function inRange(column: string, range: Range<string | number>): Expression<SqlBool> {
  const parts = [];
  if (range.from !== undefined) parts.push(sql`${sql.ref(column)} >= ${range.from}`);
  if (range.to !== undefined) parts.push(sql`${sql.ref(column)} <= ${range.to}`);
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` and `)})` : sql<SqlBool>`1 = 1`;
}

const DOCUMENT_KINDS = ['day', 'customerReference', 'weightGrams', 'value', 'source', 'direction', 'postcodePrefix', 'originLocation', 'destinationCountry', 'destinationRegion', 'text'] as const;
type DocumentCriterion = Extract<SearchCriterion, { kind: (typeof DOCUMENT_KINDS)[number] }>;
type RowCriterion = Exclude<SearchCriterion, DocumentCriterion>;

function isDocumentCriterion(c: SearchCriterion): c is DocumentCriterion {
  return (DOCUMENT_KINDS as readonly string[]).includes(c.kind);
}

/** `column = value`, for the document's columns, which the query joins only when a criterion needs them. */
function equals(column: string, value: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} = ${value}`;
}

/** The greatest code point: every string that starts with a prefix sorts before prefix + this (binary order). */
const TOP = '\u{10FFFF}';

/** Fewer characters than this have no trigram: a search term that short reads the subscription's rows. */
const TRIGRAM = 3;

/**
 * An FTS5 query for the rows whose text holds every trigram of a term (each once, quoted, so that
 * no character of the term is read as query syntax), or null when the term is too short to have one.
 */
function trigramQuery(term: string): string | null {
  const characters = [...term];
  const trigrams = new Set<string>();
  for (let i = 0; i + TRIGRAM <= characters.length; i++) trigrams.add(characters.slice(i, i + TRIGRAM).join(''));
  return trigrams.size ? [...trigrams].map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ') : null;
}

/** A criterion on the document's columns (`consignment_search`). */
function documentCondition(c: DocumentCriterion, kind: DatabaseKind): Expression<SqlBool> {
  switch (c.kind) {
    case 'day':
      return inRange(c.field === 'shipping' ? 'consignment_search.shipping_day' : 'consignment_search.requested_delivery_day', c.range);
    case 'customerReference':
      return equals('consignment_search.customer_reference_key', c.value);
    case 'weightGrams':
      return inRange('consignment_search.weight_grams', c.range);
    case 'value':
      return inRange('consignment_search.value_amount', c.range);
    case 'source':
      return equals('consignment_search.source', c.value);
    case 'direction':
      return equals('consignment_search.direction', c.value);
    case 'postcodePrefix': {
      const prefix = like('consignment_search.destination_postcode_key', `${likeEscaped(c.value)}%`);
      // PostgreSQL reads a prefix LIKE off its text_pattern_ops index; SQLite only uses an index for
      // LIKE when it is case-sensitive, so it is given the prefix's range (binary order) as well.
      if (kind === 'postgres') return prefix;
      return sql<SqlBool>`(${inRange('consignment_search.destination_postcode_key', { from: c.value })} and consignment_search.destination_postcode_key < ${c.value + TOP} and ${prefix})`;
    }
    case 'originLocation':
      return equals('consignment_search.origin_location_key', c.value);
    case 'destinationCountry':
      return equals('consignment_search.destination_country', c.value);
    case 'destinationRegion':
      return equals('consignment_search.destination_region_key', c.value);
    case 'text': {
      const contained = like('consignment_search.search_text', `%${likeEscaped(c.value)}%`);
      // PostgreSQL's pg_trgm index answers the LIKE itself. On SQLite the FTS5 trigram index finds the
      // rows holding every trigram of the term, a few more than hold the term (it keeps no positions),
      // and the LIKE on the column keeps those that do, so that the answer is the same with the index
      // or without. Asked with LIKE instead, FTS5 read every candidate's text again to check it
      // itself: 20–25 ms for a surname in 4% of 100,000 consignments, against 1–3 ms.
      const trigrams = kind === 'sqlite' ? trigramQuery(c.value) : null;
      if (trigrams === null) return contained;
      return sql<SqlBool>`(consignment_search.consignment_id in (select rowid from consignment_search_text where consignment_search_text match ${trigrams}) and ${contained})`;
    }
  }
}

/** A criterion on the consignment's own row (or its packages, or its tracking references). */
function rowCondition(eb: RowEb, subscriptionId: number, c: RowCriterion): Expression<SqlBool> {
  switch (c.kind) {
    case 'created':
      return inRange('consignments.created_at', c.range);
    case 'scheduledDeliveryDay':
      return inRange('consignments.delivery_day', c.range);
    case 'collectionDay':
      return inRange('consignments.collection_day', c.range);
    case 'shipped':
      return inRange('consignments.dispatched_at', c.range);
    case 'reference':
      return eb('consignments.reference', '=', c.value);
    case 'packageReference':
      return eb('consignments.id', 'in', eb.selectFrom('consignment_packages').select('consignment_packages.consignment_id').where('consignment_packages.package_reference', '=', c.value));
    case 'trackingReference':
      return eb(
        'consignments.id',
        'in',
        eb.selectFrom('consignment_tracking').select('consignment_tracking.consignment_id').where('consignment_tracking.subscription_id', '=', subscriptionId).where('consignment_tracking.tracking_reference', '=', c.value),
      );
    case 'states':
      return eb('consignments.state', 'in', c.states);
    case 'carrierService':
      return eb('consignments.service_key', '=', c.value);
    case 'labelsPrinted':
      return eb('consignments.labels_first_printed_at', c.value ? 'is not' : 'is', null);
  }
}

/** Up to this many matches, a page is sorted from the criterion's index rather than read off the newest-first one. */
const SORTED_MATCHES = 20_000;

/** One key of an order: its expression, whether it can be null (nulls come last), whether it is a column of the document's. */
interface OrderTerm {
  expression: Expression<unknown>;
  nullable: boolean;
  onDocument: boolean;
}

/** The states in the SDK's order (its numbers), as the state summary lists them. */
const STATE_RANK = sql`case consignments.state ${sql.join(
  Object.entries(CONSIGNMENT_STATES).map(([state, n]) => sql`when ${sql.lit(state)} then ${sql.lit(n)}`),
  sql` `,
)} end`;

/**
 * What each order key sorts by, before the reference that ends every order. Free text (the
 * customer's reference, the service, the postcode, the country) compares by code point, as SQLite
 * compares text, on PostgreSQL too whatever the database's collation, so that both answer alike;
 * the dates and references have one shape, which any collation orders as the code points do.
 */
function orderTerms(key: OrderKey, kind: DatabaseKind): OrderTerm[] {
  const text = (expression: Expression<unknown>) => (kind === 'postgres' ? sql`${expression} collate "C"` : expression);
  const row = (expression: Expression<unknown>, nullable = false): OrderTerm => ({ expression, nullable, onDocument: false });
  const document = (expression: Expression<unknown>): OrderTerm => ({ expression, nullable: true, onDocument: true });
  switch (key) {
    case 'created':
      return [row(sql.ref('consignments.created_at'))];
    case 'shippingDate':
      return [document(sql.ref('consignment_search.shipping_at'))];
    case 'reference':
      return [];
    case 'customerReference':
      // No customer reference (an empty one) is a missing key.
      return [document(text(sql`nullif(consignment_search.customer_reference_key, '')`))];
    case 'state':
      return [row(STATE_RANK)];
    case 'destinationCountry':
      return [document(text(sql.ref('consignment_search.destination_country'))), document(text(sql.ref('consignment_search.destination_postcode_key')))];
    case 'service':
      return [row(text(sql.ref('consignments.service_key')), true)];
  }
}

function needsDocument(order: SearchOrder): boolean {
  return orderTerms(order.key, 'sqlite').some((t) => t.onDocument);
}

/** ORDER BY's list for an order: its terms (nulls last, both ways), then the reference, all in its direction. */
function orderByList(order: SearchOrder, kind: DatabaseKind): Expression<unknown> {
  const direction = order.descending ? sql`desc` : sql`asc`;
  const terms = orderTerms(order.key, kind).map((t) => (t.nullable ? sql`${t.expression} ${direction} nulls last` : sql`${t.expression} ${direction}`));
  return sql.join([...terms, sql`consignments.reference ${direction}`]);
}

export class ConsignmentSearchRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly kind: DatabaseKind,
  ) {}

  /**
   * The subscription's consignments meeting every criterion. The document's search columns are
   * joined (one primary-key lookup per row) only when a criterion needs them; a join rather than
   * an IN subquery lets the database walk the newest-first index and stop at the page's end.
   */
  private matching(subscriptionId: number, search: ConsignmentSearch, joinDocument = false) {
    const onDocument = search.criteria.filter(isDocumentCriterion);
    const onRow = search.criteria.filter((c): c is RowCriterion => !isDocumentCriterion(c));
    return this.db
      .selectFrom('consignments')
      .$if(onDocument.length > 0 || joinDocument, (qb) =>
        qb
          .innerJoin('consignment_search', 'consignment_search.consignment_id', 'consignments.id')
          // Said of both tables, so that a criterion's index (led by the subscription) can drive the join.
          .where('consignment_search.subscription_id', '=', subscriptionId)
          .where((eb) => eb.and(onDocument.map((c) => documentCondition(c, this.kind)))),
      )
      .where('consignments.subscription_id', '=', subscriptionId)
      .where((eb) => eb.and(onRow.map((c) => rowCondition(eb, subscriptionId, c))));
  }

  /**
   * How many match. Criteria on the document alone are counted in `consignment_search` alone (it
   * holds the subscription): an index of the criterion answers without reading a consignment row.
   */
  async count(subscriptionId: number, search: ConsignmentSearch): Promise<number> {
    if (search.criteria.length > 0 && search.criteria.every(isDocumentCriterion)) {
      const row = await this.db
        .selectFrom('consignment_search')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('consignment_search.subscription_id', '=', subscriptionId)
        .where(() => sql<SqlBool>`${sql.join(search.criteria.filter(isDocumentCriterion).map((c) => documentCondition(c, this.kind)), sql` and `)}`)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }
    const row = await this.matching(subscriptionId, search)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * By creation time, then by reference (newest first is every search's default). How is decided
   * by how many match (`matches`, when counted): few matches are read off the criterion's index
   * and sorted (ordering by an expression rather
   * than the column keeps the planner from walking the newest-first index instead); many are read
   * off the newest-first index, where a page's matches lie within a few thousand entries. Left to
   * itself, SQLite walks the newest-first index for every range criterion (it estimates a range to
   * hold a good share of the rows), which for a rare weight or date reads the whole subscription.
   */
  private byCreated<Q extends { orderBy: (...args: any[]) => Q }>(qb: Q, matches: number | undefined, direction: 'asc' | 'desc'): Q {
    const created = matches !== undefined && matches <= SORTED_MATCHES ? sql`consignments.created_at || ''` : sql.ref('consignments.created_at');
    return qb.orderBy(created, direction).orderBy('consignments.reference', direction);
  }

  /** The matches in an order (the reference ends every order, so that pages never overlap or skip). */
  private ordered<Q extends { orderBy: (...args: any[]) => Q }>(qb: Q, matches: number | undefined, order: SearchOrder): Q {
    if (order.key === 'created') return this.byCreated(qb, matches, order.descending ? 'desc' : 'asc');
    return qb.orderBy(orderByList(order, this.kind));
  }

  /** A page of matches in an order (newest first unless told), with their documents. */
  async page(subscriptionId: number, search: ConsignmentSearch, take: number, skip: number, matches?: number, order: SearchOrder = NEWEST_FIRST): Promise<Consignment[]> {
    if (take === 0) return [];
    const ids = this.ordered(this.matching(subscriptionId, search, needsDocument(order)).select('consignments.id'), matches, order)
      .limit(take)
      .offset(skip);
    // The page's rows in the same order: the few of them sorted again, by the same keys.
    const rows = await this.db
      .selectFrom('consignments')
      .innerJoin('consignment_documents', 'consignment_documents.consignment_id', 'consignments.id')
      .$if(needsDocument(order), (qb) => qb.innerJoin('consignment_search', 'consignment_search.consignment_id', 'consignments.id'))
      .selectAll('consignments')
      .select('consignment_documents.data')
      .where('consignments.id', 'in', ids)
      .orderBy(orderByList(order, this.kind))
      .execute();
    return rows.map(toConsignment);
  }

  /** The references of a page of matches, in the same order as `page`. */
  async references(subscriptionId: number, search: ConsignmentSearch, take: number, skip: number, order: SearchOrder = NEWEST_FIRST): Promise<string[]> {
    if (take === 0) return [];
    const matches = search.criteria.length ? await this.count(subscriptionId, search) : undefined;
    if (matches !== undefined && skip >= matches) return [];
    const rows = await this.ordered(this.matching(subscriptionId, search, needsDocument(order)).select('consignments.reference'), matches, order)
      .limit(take)
      .offset(skip)
      .execute();
    return rows.map((r) => r.reference);
  }

  /** How many matches are in each state (states without any are absent). */
  async countByState(subscriptionId: number, search: ConsignmentSearch): Promise<Map<ConsignmentState, number>> {
    const rows = await this.matching(subscriptionId, search)
      .select(['consignments.state', (eb) => eb.fn.countAll().as('n')])
      .groupBy('consignments.state')
      .execute();
    return new Map(rows.map((r) => [r.state as ConsignmentState, Number(r.n)]));
  }

  /**
   * How many matches that have an allocation are allocated to each service (its key) and in each
   * state. Those without one are counted too and left out here: said in SQL, "has a service" made
   * SQLite read every allocated consignment off the service index, where the state index (which
   * holds the service) or a criterion's answers alone.
   */
  async countByServiceAndState(subscriptionId: number, search: ConsignmentSearch): Promise<{ service: string; state: ConsignmentState; count: number }[]> {
    const rows = await this.matching(subscriptionId, search)
      .select(['consignments.service_key', 'consignments.state', (eb) => eb.fn.countAll().as('n')])
      .groupBy(['consignments.service_key', 'consignments.state'])
      .execute();
    return rows.filter((r) => r.service_key !== null).map((r) => ({ service: r.service_key!, state: r.state as ConsignmentState, count: Number(r.n) }));
  }

  /**
   * The carrier one of the subscription's stored allocations to a service (its key) names, for a
   * service the catalogue no longer has; null when no consignment is allocated to it any more.
   */
  async storedCarrierOf(subscriptionId: number, serviceKey: string): Promise<{ reference: string; name: string } | null> {
    const row = await this.db
      .selectFrom('consignments')
      .select('allocation')
      .where('subscription_id', '=', subscriptionId)
      .where('service_key', '=', serviceKey)
      .where('allocation', 'is not', null)
      .limit(1)
      .executeTakeFirst();
    if (!row?.allocation) return null;
    const allocation = JSON.parse(row.allocation) as Partial<AllocationRecord>;
    return allocation.carrierReference ? { reference: allocation.carrierReference, name: allocation.carrierName ?? allocation.carrierReference } : null;
  }

  /**
   * Unallocated consignments whose ShippingDate (a UTC timestamp) is `byUtc` or earlier, or that
   * have none (they ship as soon as possible), optionally only from one origin shipping location:
   * what the SDK's "allocate everything due" endpoints allocate, oldest first.
   */
  async dueToShip(subscriptionId: number, byUtc: string, originKey: string | null, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('consignments')
      .innerJoin('consignment_search', 'consignment_search.consignment_id', 'consignments.id')
      .select('consignments.reference')
      .where('consignments.subscription_id', '=', subscriptionId)
      .where('consignments.state', '=', 'Unallocated')
      .where((eb) => eb.or([eb('consignment_search.shipping_at', 'is', null), eb('consignment_search.shipping_at', '<=', byUtc)]))
      .$if(originKey !== null, (qb) => qb.where('consignment_search.origin_location_key', '=', originKey))
      .orderBy('consignments.created_at')
      .orderBy('consignments.reference')
      .limit(limit)
      .execute();
    return rows.map((r) => r.reference);
  }

}
