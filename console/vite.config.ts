/**
 * The operator console's build: a single-page Preact app served by the Switchyard server under
 * /console (src/http/routes/console.ts). `npm run build` writes it to dist/console; `npm run
 * console:dev` serves it with hot reload, forwarding the API to a server on :8080.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.SWITCHYARD_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Names with content hashes, so the server can let browsers keep them for a year.
    assetsDir: 'assets',
    reportCompressedSize: false,
  },
  // The console is under /console; everything else is the API's (and /docs, its reference).
  server: { proxy: { '^/(?!console(/|$))': api } },
});
