/**
 * The CSV import of POST /consignments/bulk: a spreadsheet with one package per row, whose rows
 * are grouped into consignments by their ConsignmentKey, read into the same create requests a
 * JSON or XML bulk body holds (docs/api/consignments.md lists the columns). Problems the
 * requests' reader reports by request path (`Packages[1].Weight.Value`) are told back by row and
 * column (`Row 3.WeightKg`).
 */
import { validationFailed, type ErrorDetail } from '../use-cases/errors.js';
import type { CsvRecord } from './request-body.js';

type CellKind = 'text' | 'number' | 'list';

interface Column {
  name: string;
  /** Where the cell goes: in the create request, or (for a package column) in the row's package. */
  path: string;
  kind: CellKind;
  /** Set beside the cell's value whenever the cell is given (the unit its column is in). */
  also?: Record<string, string>;
}

const text = (name: string, path: string): Column => ({ name, path, kind: 'text' });
const num = (name: string, path: string, also?: Record<string, string>): Column => ({ name, path, kind: 'number', also });

/** The one column every file needs: rows with the same key are the packages of one consignment. */
export const KEY_COLUMN = 'ConsignmentKey';

/** Columns read from a consignment's first row (later rows may leave them blank or repeat them). */
export const CONSIGNMENT_COLUMNS: readonly Column[] = [
  text('ConsignmentReferenceProvidedByCustomer', 'ConsignmentReferenceProvidedByCustomer'),
  text('ShippingDate', 'ShippingDate'),
  text('RequiredDeliveryDate', 'RequiredDeliveryDate.Date'),
  text('Direction', 'Direction'),
  { name: 'Tags', path: 'Tags', kind: 'list' },
  text('OriginShippingLocationReference', 'Addresses[0].ShippingLocationReference'),
  text('DestinationShippingLocationReference', 'Addresses[1].ShippingLocationReference'),
  text('DestinationCompanyName', 'Addresses[1].CompanyName'),
  text('DestinationFirstName', 'Addresses[1].Contact.FirstName'),
  text('DestinationLastName', 'Addresses[1].Contact.LastName'),
  text('DestinationEmail', 'Addresses[1].Contact.Email'),
  text('DestinationTelephone', 'Addresses[1].Contact.Telephone'),
  text('DestinationAddressLine1', 'Addresses[1].AddressLine1'),
  text('DestinationAddressLine2', 'Addresses[1].AddressLine2'),
  text('DestinationAddressLine3', 'Addresses[1].AddressLine3'),
  text('DestinationTown', 'Addresses[1].Town'),
  text('DestinationRegion', 'Addresses[1].Region'),
  text('DestinationPostcode', 'Addresses[1].Postcode'),
  text('DestinationCountryCode', 'Addresses[1].Country.IsoCode.TwoLetterCode'),
  text('DestinationSpecialInstructions', 'Addresses[1].SpecialInstructions'),
];

/** Columns of the row's own package. */
export const PACKAGE_COLUMNS: readonly Column[] = [
  text('PackageReferenceProvidedByCustomer', 'PackageReferenceProvidedByCustomer'),
  text('PackageDescription', 'Description'),
  text('PackageSizeReference', 'PackageSizeReference'),
  num('WeightKg', 'Weight.Value', { 'Weight.Unit': 'kg' }),
  num('LengthCm', 'Dimensions.Length', { 'Dimensions.Unit': 'cm' }),
  num('WidthCm', 'Dimensions.Width', { 'Dimensions.Unit': 'cm' }),
  num('HeightCm', 'Dimensions.Height', { 'Dimensions.Unit': 'cm' }),
  num('Value', 'Value.Amount'),
  text('Currency', 'Value.Currency.IsoCode'),
];

/** A consignment read from the file: its create request (still to be read through the schema) and the rows it came from. */
export interface CsvConsignment {
  key: string;
  /** The file's line of each row, in order: the row of package i is lines[i]. */
  lines: number[];
  request: Record<string, unknown>;
  /** Later rows that give a consignment column another value than the first row. */
  conflicts: ErrorDetail[];
}

const NUMERIC = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const SEGMENT = /([^.[\]]+)|\[(\d+)\]/g;

/** Sets a value at a path such as `Addresses[1].Contact.FirstName`, making the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = [...path.matchAll(SEGMENT)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
  let node: Record<string | number, unknown> = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) node[key] = value;
    else node = (node[key] ??= typeof keys[i + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
  });
}

function cellValue(column: Column, cell: string): unknown {
  // Text that is not a number stays text, for the schema to refuse with its own message.
  if (column.kind === 'number') return NUMERIC.test(cell) ? Number(cell) : cell;
  if (column.kind === 'list') return cell.split(';').map((t) => t.trim()).filter(Boolean);
  return cell;
}

function put(target: Record<string, unknown>, column: Column, cell: string): void {
  if (cell === '') return;
  setPath(target, column.path, cellValue(column, cell));
  for (const [path, value] of Object.entries(column.also ?? {})) setPath(target, path, value);
}

const row = (line: number) => `Row ${line}`;
const problem = (target: string, message: string, code = 'Invalid'): ErrorDetail => ({ Code: code, Target: target, Message: `${target} ${message}` });

interface Header {
  key: number;
  consignment: { column: Column; index: number }[];
  package: { column: Column; index: number }[];
}

function readHeader(header: CsvRecord, problems: ErrorDetail[]): Header {
  const known = new Map([...CONSIGNMENT_COLUMNS, ...PACKAGE_COLUMNS].map((c) => [c.name.toLowerCase(), c]));
  const seen = new Set<string>();
  const out: Header = { key: -1, consignment: [], package: [] };
  header.cells.forEach((name, index) => {
    const lower = name.toLowerCase();
    if (seen.has(lower)) problems.push(problem(`${row(header.line)}.${name}`, 'is given twice'));
    seen.add(lower);
    if (lower === KEY_COLUMN.toLowerCase()) out.key = index;
    else if (!known.has(lower)) problems.push(problem(`${row(header.line)}.${name.slice(0, 100)}`, 'is not a column of a consignment import (docs/api/consignments.md lists them)'));
    else {
      const column = known.get(lower)!;
      (PACKAGE_COLUMNS.includes(column) ? out.package : out.consignment).push({ column, index });
    }
  });
  if (out.key < 0) problems.push(problem(`${row(header.line)}.${KEY_COLUMN}`, 'is required: rows with the same key are one consignment', 'Required'));
  return out;
}

/**
 * The consignments of a CSV file in the order their keys first appear, or a 400 for the whole
 * file (no rows, an unknown or missing column, a row without a key, more than `max` consignments).
 */
export function readCsvConsignments(records: readonly CsvRecord[], max: number): CsvConsignment[] {
  const problems: ErrorDetail[] = [];
  if (records.length === 0) throw validationFailed([problem('body', 'must have a header row and at least one row below it', 'Required')]);
  const header = readHeader(records[0], problems);
  if (problems.length) throw validationFailed(problems);
  if (records.length === 1) throw validationFailed([problem('body', 'has no rows below its header', 'Required')]);

  const byKey = new Map<string, CsvConsignment & { first: string[] }>();
  for (const { line, cells } of records.slice(1)) {
    const key = cells[header.key];
    if (!key) {
      if (problems.length < 100) problems.push(problem(`${row(line)}.${KEY_COLUMN}`, 'is required', 'Required'));
      continue;
    }
    let c = byKey.get(key);
    if (!c) {
      const request: Record<string, unknown> = { Addresses: [{ AddressType: 'Origin' }, { AddressType: 'Destination' }], Packages: [] };
      for (const { column, index } of header.consignment) put(request, column, cells[index]);
      c = { key, lines: [], request, conflicts: [], first: cells };
      byKey.set(key, c);
    } else {
      for (const { column, index } of header.consignment) {
        if (cells[index] !== '' && cells[index] !== c.first[index]) {
          c.conflicts.push(problem(`${row(line)}.${column.name}`, `differs from row ${c.lines[0]} of consignment ${key}: leave it blank or give the same value`));
        }
      }
    }
    const pkg: Record<string, unknown> = {};
    for (const { column, index } of header.package) put(pkg, column, cells[index]);
    (c.request.Packages as unknown[]).push(pkg);
    c.lines.push(line);
  }
  if (problems.length) throw validationFailed(problems);
  if (byKey.size > max) throw validationFailed([problem('body', `must contain at most ${max} consignments (it has ${byKey.size})`)]);
  return [...byKey.values()].map(({ first: _first, ...c }) => c);
}

/** The column a request path falls in (`Weight.Value` in WeightKg, `Tags[2]` in Tags) with what is left of the path, or the one column under it. */
function columnAt(columns: readonly Column[], path: string): string | undefined {
  for (const c of columns) {
    if (path === c.path) return c.name;
    if (path.startsWith(`${c.path}.`) || path.startsWith(`${c.path}[`)) return c.name + path.slice(c.path.length);
  }
  const under = columns.filter((c) => c.path.startsWith(`${path}.`));
  return under.length === 1 ? under[0].name : undefined;
}

/** A detail of the consignment's create request, told by the row (and column) it comes from. */
export function csvDetail(c: CsvConsignment, detail: ErrorDetail): ErrorDetail {
  if (detail.Target.startsWith('Row ')) return detail;
  let target: string;
  const pkg = /^Packages\[(\d+)\](?:\.(.*))?$/.exec(detail.Target);
  if (pkg) {
    const line = c.lines[Number(pkg[1])] ?? c.lines[0];
    const rest = pkg[2] ?? '';
    const column = rest ? columnAt(PACKAGE_COLUMNS, rest) ?? rest : undefined;
    target = column ? `${row(line)}.${column}` : row(line);
  } else {
    target = `${row(c.lines[0])}.${columnAt(CONSIGNMENT_COLUMNS, detail.Target) ?? detail.Target}`;
  }
  const message = detail.Message.startsWith(detail.Target) ? target + detail.Message.slice(detail.Target.length) : detail.Message;
  return { ...detail, Target: target, Message: message };
}
