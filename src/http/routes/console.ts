/**
 * The operator console (console/, built by `npm run build` into dist/console): a single-page app
 * that is a client of this same API, served here with no key (it holds no data; it asks for the
 * key and sends it with each API call). `/console/assets/…` are the build's files, named by their
 * content, so browsers keep them; every other path under /console is the app's page, whose router
 * shows the right screen. `/` sends a browser to the console.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { AppError } from '../../use-cases/errors.js';
import { noRoute } from '../error-mapper.js';
import { documented } from '../route-docs.js';
import type { RouteDeps } from '../server.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * The page may run only its own scripts and styles and talk only to this server; label previews
 * are blob: images. Nothing may frame it (clickjacking) or learn where it was (no referrer).
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // No other page may keep a handle on this one's window; no camera, microphone or position is ever asked for.
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** A file as sent: its bytes, and compressed once for browsers that take Brotli or gzip (a third of the size, or less). */
interface ConsoleFile {
  type: string;
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
}

interface ConsoleFiles {
  page: ConsoleFile;
  assets: Map<string, ConsoleFile>;
}

/**
 * Compressed once, when first asked for: Brotli at quality 5 takes the script some tens of
 * milliseconds of the event loop (its default, 11, took 0.1-0.8 s here) for 2 kB more.
 */
function consoleFile(path: string, type: string): ConsoleFile {
  const identity = readFileSync(path);
  return { type, identity, br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }), gzip: gzipSync(identity, { level: 6 }) };
}

/** The built console, read and compressed once (about 85 kB, 25 kB compressed); null when it was never built. */
function readConsole(dir: string): ConsoleFiles | null {
  if (!existsSync(join(dir, 'index.html'))) return null;
  const assetDir = join(dir, 'assets');
  const assets = new Map<string, ConsoleFile>();
  for (const name of existsSync(assetDir) ? readdirSync(assetDir) : []) {
    const type = TYPES[extname(name)];
    if (type) assets.set(name, consoleFile(join(assetDir, name), type));
  }
  return { page: consoleFile(join(dir, 'index.html'), 'text/html; charset=utf-8'), assets };
}

const ENCODINGS = ['br', 'gzip', 'identity'];

/** Sends a file in the best encoding the browser accepts. */
function sendFile(req: FastifyRequest, reply: FastifyReply, file: ConsoleFile): FastifyReply {
  // Among encodings the browser likes as much, the smallest (negotiator 1's `preferred`, which its @types do not know yet).
  const negotiator = new Negotiator(req.raw) as unknown as { encoding(available: string[], options: { preferred: string[] }): string | undefined };
  const encoding = negotiator.encoding(ENCODINGS, { preferred: ENCODINGS }) ?? 'identity';
  reply.type(file.type).header('vary', 'accept-encoding');
  if (encoding === 'identity') return reply.send(file.identity);
  return reply.header('content-encoding', encoding).send(encoding === 'br' ? file.br : file.gzip);
}

/** What the routes may answer with (for the Accept header's negotiation): the page, and the build's kinds of files. */
const FILES = ['text/html', ...new Set(Object.values(TYPES).map((type) => type.split(';')[0]))];

export function registerConsoleRoutes(app: FastifyInstance, { ctx, options }: RouteDeps): void {
  if (options.consoleDir && !existsSync(join(options.consoleDir, 'index.html'))) {
    ctx.logger.warn(`no console in ${options.consoleDir} (SWITCHYARD_CONSOLE_DIR): /console will answer 503 until it is built (npm run build)`);
  }
  let built: ConsoleFiles | null | undefined;
  const consoleFiles = (): ConsoleFiles => {
    built ??= options.consoleDir ? readConsole(options.consoleDir) : null;
    if (!built) throw new AppError('ServiceUnavailable', `The console is not built${options.consoleDir ? ` (no ${join(options.consoleDir, 'index.html')})` : ''}: run npm run build, or npm start, which builds it`);
    return built;
  };
  const page = (req: FastifyRequest, reply: FastifyReply) => sendFile(req, reply.headers(PAGE_HEADERS).header('cache-control', 'no-cache'), consoleFiles().page);

  app.get('/', documented({ access: 'public', summary: 'Sends a browser to the operator console (/console)', ok: [302, 'A redirect to /console'], errors: [], files: ['text/html'] }), async (_req, reply) =>
    reply.redirect('/console', 302),
  );
  app.get('/console', documented({ access: 'public', summary: 'The operator console (an HTML page; sign in with an API key)', ok: [200, 'An HTML page'], errors: [503], files: ['text/html'] }), async (req, reply) =>
    page(req, reply),
  );
  app.get<{ Params: { '*': string } }>(
    '/console/*',
    documented({
      access: 'public',
      summary: 'The operator console’s pages (the same HTML page) and its scripts and stylesheets (/console/assets/…)',
      params: { '*': { name: 'path', description: 'A page of the console, or assets/<file> of its build' } },
      ok: [200, 'The page, or the file'],
      errors: [404, 503],
      files: FILES,
    }),
    async (req, reply) => {
      const path = req.params['*'];
      // assets/ is the build's folder, never a page of the app (with or without a trailing slash).
      if (path !== 'assets' && !path.startsWith('assets/')) return page(req, reply);
      const asset = consoleFiles().assets.get(path.slice('assets/'.length));
      if (!asset) throw noRoute(req);
      // Named by their content: a new build has new names, so these never change.
      return sendFile(req, reply.header('x-content-type-options', 'nosniff').header('cache-control', 'public, max-age=31536000, immutable'), asset);
    },
  );
}
