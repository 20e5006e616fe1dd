/** Request body parsing: JSON and XML in UTF-8 only, each into a ParsedBody, and CSV for the routes that read it; everything else is 415. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { parse as parseCsvText } from 'csv-parse/sync';
import { AppError } from '../use-cases/errors.js';
import { malformedBody } from './error-mapper.js';
import { digestBody } from './idempotency.js';
import type { CsvRecord, ParsedBody } from './request-body.js';
import { decodeXml, XmlInputError } from './xml-codec.js';

function checkCharset(req: FastifyRequest): void {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '');
  if (m && !/^utf-?8$/i.test(m[1])) {
    throw new AppError('UnsupportedMediaType', `Charset ${m[1].slice(0, 40)} is not supported; send UTF-8`);
  }
}

/** An empty body, "" or null stands for "no body" (the vendor's clients send all three). */
function isNoBody(text: string): boolean {
  const t = text.trim();
  return t === '' || t === '""' || t === 'null';
}

type Parsed = Omit<ParsedBody, 'declared'>;

/**
 * The body's bytes as text, refusing bytes that are not UTF-8 rather than reading them as U+FFFD
 * (which would store text the client never sent). A byte order mark is dropped.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function utf8(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw malformedBody('The body is not valid UTF-8');
  }
}

/** The body schema the route documents, for readBody to check that it reads the body through that one. */
const declaredBody = (req: FastifyRequest): TSchema | null => req.routeOptions.config.doc?.body ?? null;

function parseJson(raw: string): Parsed {
  // A UTF-8 byte order mark may be ignored (RFC 8259 §8.1); .NET writers add one, and XML accepts it already.
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (isNoBody(text)) return { format: 'none', value: undefined };
  try {
    return { format: 'json', value: JSON.parse(text) };
  } catch (e) {
    throw malformedBody(`The body is not valid JSON: ${(e as Error).message}`);
  }
}

function parseXml(text: string): Parsed {
  if (isNoBody(text)) return { format: 'none', value: undefined };
  try {
    return { format: 'xml', value: decodeXml(text).value };
  } catch (e) {
    throw malformedBody(e instanceof XmlInputError ? e.message : 'The body is not valid XML');
  }
}

/**
 * A spreadsheet's CSV export: comma-separated, quoted as RFC 4180, a byte order mark ignored,
 * lines ended by CRLF, LF or CR (even mixed), blank lines skipped, every record as long as the header. Cells are kept as text (trimmed); what
 * the columns mean is the route's business.
 */
function parseCsv(text: string): Parsed {
  if (isNoBody(text)) return { format: 'none', value: undefined };
  try {
    const records = parseCsvText(text, { bom: true, info: true, skip_empty_lines: true, trim: true, record_delimiter: ['\r\n', '\n', '\r'] }) as unknown as { record: string[]; info: { lines: number } }[];
    return { format: 'csv', value: records.map(({ record, info }) => ({ line: info.lines, cells: record }) satisfies CsvRecord) };
  } catch (e) {
    throw malformedBody(`The body is not valid CSV: ${(e as Error).message}`);
  }
}

export function registerBodyParsers(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  const add = (types: string[], parse: (text: string) => Parsed) =>
    app.addContentTypeParser(types, { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
      try {
        digestBody(req, body as Buffer);
        checkCharset(req);
        done(null, { ...parse(utf8(body as Buffer)), declared: declaredBody(req) } satisfies ParsedBody);
      } catch (e) {
        done(e as Error, undefined);
      }
    });
  add(['application/json'], parseJson);
  add(['application/xml', 'text/xml'], parseXml);
  // Only a route that says it reads CSV gets one; for any other it is a media type it does not take.
  // Bytes, like JSON and XML: read as strict UTF-8 (a spreadsheet's Latin-1 export is refused, not
  // read as U+FFFD), and an Idempotency-Key's digest taken of what was sent.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit }, (req, body, done) => {
    try {
      digestBody(req, body as Buffer);
      const text = utf8(body as Buffer);
      if (!req.routeOptions.config.doc?.csv && !isNoBody(text)) throw new AppError('UnsupportedMediaType', 'Send the body as application/json, application/xml or text/xml');
      checkCharset(req);
      done(null, { ...parseCsv(text), declared: declaredBody(req) } satisfies ParsedBody);
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  // Any other (or no) Content-Type: an empty body, "" or null still means "no body" (decisions.md §2);
  // anything else is 415.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (req, body, done) => {
    digestBody(req, body as string);
    if (isNoBody(body as string)) done(null, { format: 'none', value: undefined, declared: declaredBody(req) } satisfies ParsedBody);
    else done(new AppError('UnsupportedMediaType', 'Send the body as application/json, application/xml or text/xml'), undefined);
  });
}
