/**
 * The operator console's build: a single-page Preact app served by the Switchyard server under
 * /console (src/http/routes/console.ts). `npm run build` writes it to dist/console; `npm run
 * console:dev` serves it with hot reload, forwarding the API to a server on :8080.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.SWITCHYARD_URL ?? 'http://127.0.0.1:8080';
/** Every path of the API the console calls (it is served under /console, the API is everything else). */
const apiPaths = ['/consignments', '/allocation', '/quotes', '/labels', '/tracking', '/carrierservices', '/carriers', '/allocationrules', '/serviceGroups', '/shippingLocations', '/packageSizes', '/health'];

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
  server: { proxy: Object.fromEntries(apiPaths.map((p) => [p, api])) },
});
