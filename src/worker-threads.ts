/**
 * Starting a worker thread on one of our own modules, in either form the code runs in: the built
 * file (an entry of `npm run build`, dist/<path>.js), or, when running from TypeScript (tests,
 * tsx), the source (src/<path>.ts) behind tsx's loader, which a worker does not inherit from its
 * parent. Both are found from this module's own place: src/ itself, or a chunk at dist/'s root.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `path`: the module's path under src/, without its extension ('documents/render-worker'). */
export function startThread(path: string, options: WorkerOptions = {}): Worker {
  if (import.meta.url.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL(`./${path}.ts`, import.meta.url).href;
    return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`, { ...options, eval: true });
  }
  return new Worker(new URL(`./${path}.js`, import.meta.url), options);
}
