/**
 * GET /docs: an interactive reference of GET /openapi.json (Swagger UI, from the swagger-ui-dist
 * package, served from memory: nothing is fetched from elsewhere). Try-it-out requests go to this
 * same server, with the API key typed into its Authorize dialog.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { noRoute } from '../error-mapper.js';
import type { RouteDeps } from '../server.js';
import { documented } from '../route-docs.js';

/** The package's files the page uses, by the name they are served under, with their media types. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Switchyard API reference</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: '/openapi.json',
      dom_id: '#reference',
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis],
      // Without the standalone layout's top bar, where another document's URL could be typed.
      layout: 'BaseLayout',
      // Only this server's own description: no ?url= from a link can point it elsewhere.
      queryConfigEnabled: false,
    });
  </script>
</body>
</html>
`;

export function registerDocsRoutes(app: FastifyInstance, _deps: RouteDeps): void {
  // The package's folder, found at run time (from src/ or dist/ alike, never bundled); its files are
  // read at the first request for them, then kept: about 1.5 MB.
  const folder = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  let assets: Map<string, Buffer> | undefined;
  const assetOf = (name: string) => {
    assets ??= new Map(Object.keys(ASSETS).map((file) => [file, readFileSync(join(folder, file))]));
    return assets.get(name);
  };
  app.get('/docs', documented({
    access: 'public', summary: 'The interactive API reference (Swagger UI) of /openapi.json', ok: [200, 'An HTML page'], errors: [], files: ['text/html'],
  }), async (_req, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  app.get<{ Params: { file: string } }>('/docs/:file', documented({
    access: 'public', summary: 'The API reference page’s scripts, stylesheet and icon', params: { file: { description: Object.keys(ASSETS).join(', ') } }, ok: [200, 'The file'], errors: [404],
    files: [...new Set(Object.values(ASSETS).map((t) => t.split(';')[0]))],
  }), async (req, reply) => {
    const type = Object.hasOwn(ASSETS, req.params.file) ? ASSETS[req.params.file] : undefined;
    const content = type && assetOf(req.params.file);
    if (!type || !content) throw noRoute(req);
    return reply.type(type).header('cache-control', 'public, max-age=3600').send(content);
  });
}
