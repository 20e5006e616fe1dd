// The server under benchmark, as its own process running the compiled build (npm run build), so
// that its figures and peak RSS are its own and include no TypeScript loader. Prints its URL as
// one JSON line.
import { pino } from 'pino';
import { createApp } from '../dist/app.js';
import { loadConfig } from '../dist/config.js';

const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'warn' });
const app = await createApp(config, { logger: pino({ level: 'warn' }), database: { schema: process.env.BENCH_SCHEMA || undefined, poolSize: 16 } });
const url = await app.server.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url })}\n`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => void app.close().then(() => process.exit(0)));
