/**
 * Consignment searches as SQL over the search columns of `consignments` and the package-reference
 * table (see consignment-columns.ts): no JSON document is read except those of the page answered.
 */
import { sql, type ExpressionBuilder, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Consignment } from '../domain/consignment.js';
import type { ConsignmentSearch, Range, SearchCriterion } from '../domain/consignment-search.js';
import type { ConsignmentState } from '../domain/states.js';
import { toConsignment } from './consignments.repository.js';
import type { Schema } from './database.js';

type Eb = ExpressionBuilder<Schema, 'consignments'>;
type Column = 'created_at' | 'shipping_day' | 'requested_delivery_day' | 'delivery_day' | 'weight_grams' | 'value_amount';

const DAY_COLUMNS = { shipping: 'shipping_day', requestedDelivery: 'requested_delivery_day', scheduledDelivery: 'delivery_day' } as const;

/** LIKE treats % and _ as wildcards; they (and the escape character itself) are matched literally. */
function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function like(column: 'search_text' | 'destination_postcode_key' | 'tracking_references', pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(`consignments.${column}`)} like ${pattern} escape '\\'`;
}

function inRange<T extends string | number>(eb: Eb, column: Column, range: Range<T>): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (range.from !== undefined) parts.push(eb(`consignments.${column}`, '>=', range.from));
  if (range.to !== undefined) parts.push(eb(`consignments.${column}`, '<=', range.to));
  return eb.and(parts);
}

function condition(eb: Eb, c: SearchCriterion): Expression<SqlBool> {
  switch (c.kind) {
    case 'created':
      return inRange(eb, 'created_at', c.range);
    case 'day':
      return inRange(eb, DAY_COLUMNS[c.field], c.range);
    case 'nothing':
      return sql<SqlBool>`1 = 0`;
    case 'reference':
      return eb('consignments.reference', '=', c.value);
    case 'packageReference':
      return eb('consignments.id', 'in', eb.selectFrom('consignment_packages').select('consignment_packages.consignment_id').where('consignment_packages.package_reference', '=', c.value));
    case 'customerReference':
      return eb('consignments.customer_reference_key', '=', c.value);
    case 'trackingReference':
      return like('tracking_references', `% ${likeEscaped(c.value)} %`);
    case 'states':
      return eb('consignments.state', 'in', c.states);
    case 'weightGrams':
      return inRange(eb, 'weight_grams', c.range);
    case 'value':
      return inRange(eb, 'value_amount', c.range);
    case 'carrierService':
      return eb('consignments.service_key', '=', c.value);
    case 'source':
      return eb('consignments.source', '=', c.value);
    case 'direction':
      return eb('consignments.direction', '=', c.value);
    case 'postcodePrefix':
      return like('destination_postcode_key', `${likeEscaped(c.value)}%`);
    case 'originLocation':
      return eb('consignments.origin_location_key', '=', c.value);
    case 'destinationCountry':
      return eb('consignments.destination_country', '=', c.value);
    case 'destinationRegion':
      return eb('consignments.destination_region_key', '=', c.value);
    case 'text':
      return like('search_text', `%${likeEscaped(c.value)}%`);
  }
}

export class ConsignmentSearchRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  /** The subscription's consignments meeting every criterion. */
  private matching(subscriptionId: number, search: ConsignmentSearch) {
    return this.db
      .selectFrom('consignments')
      .where('consignments.subscription_id', '=', subscriptionId)
      .where((eb) => eb.and(search.criteria.map((c) => condition(eb, c))));
  }

  async count(subscriptionId: number, search: ConsignmentSearch): Promise<number> {
    const row = await this.matching(subscriptionId, search)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A page of matches, newest first (then by reference, so that pages never overlap), with their documents. */
  async page(subscriptionId: number, search: ConsignmentSearch, take: number, skip: number): Promise<Consignment[]> {
    if (take === 0) return [];
    const ids = this.matching(subscriptionId, search)
      .select('consignments.id')
      .orderBy('consignments.created_at', 'desc')
      .orderBy('consignments.reference', 'desc')
      .limit(take)
      .offset(skip);
    const rows = await this.db
      .selectFrom('consignments')
      .innerJoin('consignment_documents', 'consignment_documents.consignment_id', 'consignments.id')
      .selectAll('consignments')
      .select('consignment_documents.data')
      .where('consignments.id', 'in', ids)
      .orderBy('consignments.created_at', 'desc')
      .orderBy('consignments.reference', 'desc')
      .execute();
    return rows.map(toConsignment);
  }

  /** The references of a page of matches, in the same order as `page`. */
  async references(subscriptionId: number, search: ConsignmentSearch, take: number, skip: number): Promise<string[]> {
    if (take === 0) return [];
    const rows = await this.matching(subscriptionId, search)
      .select('consignments.reference')
      .orderBy('consignments.created_at', 'desc')
      .orderBy('consignments.reference', 'desc')
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
}
