/**
 * GET /metrics in Prometheus's text format (prom-client): Node's own process figures (CPU, memory,
 * event-loop lag, garbage collection), each request's duration by route and status, allocations by
 * outcome, labels rendered by format, and the database's connections. Each server has a registry of
 * its own (several servers may run in one process, as in the tests); the process's figures are
 * collected once per process, in a registry they all share, and merged in at each scrape. With
 * SWITCHYARD_WORKERS=N each worker counts its own, and whichever worker takes a scrape asks the
 * primary for every worker's figures, summed by prom-client's AggregatorRegistry (clusterScrapes).
 */
import cluster from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from 'pino';
import { AppError } from '../use-cases/errors.js';
import type { Database } from '../store/database.js';

/**
 * Node's process figures, collected once per process: prom-client watches the event loop and the
 * garbage collector for them, for good, so one collection per server would pile watchers up.
 */
let processRegistry: Registry | undefined;

function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** A worker's question to the primary, and the primary's answer: the cluster's figures in the exposition format. */
const ASK = 'switchyard:cluster-metrics?';
const ANSWER = 'switchyard:cluster-metrics';
/** Longer than prom-client's own 5 s wait for the workers, so that its timeout is what a worker hears of. */
const ASK_TIMEOUT_MS = 6_000;

interface Exposition {
  contentType: string;
  body: string;
}

type Answer = { type: typeof ANSWER; id: number } & ({ contentType: string; body: string } | { error: string });

const waiting = new Map<number, (answer: Answer) => void>();
let asked = 0;

/** In a worker: every worker's figures, from the primary; an Error when it cannot give them. */
function askPrimary(): Promise<Exposition | Error> {
  if (asked === 0) {
    process.on('message', (message: Answer) => {
      if (message?.type === ANSWER) waiting.get(message.id)?.(message);
    });
  }
  const id = ++asked;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done({ type: ANSWER, id, error: `no answer within ${ASK_TIMEOUT_MS} ms` }), ASK_TIMEOUT_MS);
    const done = (answer: Answer) => {
      clearTimeout(timer);
      waiting.delete(id);
      resolve('error' in answer ? new Error(answer.error) : { contentType: answer.contentType, body: answer.body });
    };
    waiting.set(id, done);
    process.send!({ type: ASK, id });
  });
}

/**
 * In the primary of SWITCHYARD_WORKERS=N (src/main.ts): answers a worker's scrape with every
 * worker's figures, counters and histograms summed, each of Node's figures as prom-client
 * aggregates it.
 */
export function answerClusterScrapes(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== ASK) return;
    aggregator.clusterMetrics().then(
      (body) => worker.send({ type: ANSWER, id: message.id, contentType: aggregator.contentType, body }),
      (error: Error) => worker.send({ type: ANSWER, id: message.id, error: error.message }),
    );
  });
}

export class Metrics {
  private readonly registry = new Registry();

  private readonly requestDuration = new Histogram({
    name: 'switchyard_http_request_duration_seconds',
    help: 'Time from a request’s arrival to its answer, by method, route (the path pattern) and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly allocations = new Counter({
    name: 'switchyard_allocations_total',
    help: 'Consignments answered by the allocation endpoints, by outcome (allocated, failed, invalidState, carrierUnavailable, busy)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly labels = new Counter({
    name: 'switchyard_labels_rendered_total',
    help: 'Label files answered, by format (PDF, PNG, ZPL)',
    labelNames: ['format'] as const,
    registers: [this.registry],
  });

  constructor(
    database: Database,
    private readonly logger: Logger,
  ) {
    const registry = this.registry;
    // A worker of a cluster hands its figures to the primary when it asks (prom-client's protocol):
    // constructing an AggregatorRegistry is what makes prom-client listen for the primary's asking.
    if (cluster.isWorker) {
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([processMetrics(), registry]);
    }
    new Gauge({
      name: 'switchyard_database_connections',
      help: 'The database connections: total, idle and the requests waiting for one (PostgreSQL’s pool; SQLite has one connection)',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const { total, idle, waiting } = database.connections();
        this.set({ state: 'total' }, total);
        this.set({ state: 'idle' }, idle);
        this.set({ state: 'waiting' }, waiting);
      },
    });
  }

  /**
   * The exposition text: this server's figures and the process's, or in a cluster every worker's.
   * When the primary cannot give the cluster's (a worker too busy to answer it in time), the scrape
   * fails (ServiceUnavailable) rather than answer one worker's counts under the same names, which
   * Prometheus would read as the cluster's counters going back (a reset).
   */
  async text(): Promise<Exposition> {
    if (cluster.isWorker && process.send) {
      const whole = await askPrimary();
      if (!(whole instanceof Error)) return whole;
      this.logger.warn({ err: whole }, 'the primary did not give the cluster’s metrics; this scrape fails');
      throw new AppError('ServiceUnavailable', `The cluster's metrics could not be gathered (${whole.message}); scrape again`);
    }
    const merged = Registry.merge([processMetrics(), this.registry]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }

  request(method: string, route: string, status: number, seconds: number): void {
    this.requestDuration.observe({ method, route, status: String(status) }, seconds);
  }

  allocation(outcome: string): void {
    this.allocations.inc({ outcome });
  }

  labelRendered(format: string): void {
    this.labels.inc({ format });
  }
}
