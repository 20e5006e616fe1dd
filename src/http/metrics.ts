/**
 * GET /metrics in Prometheus's text format (prom-client): Node's own process figures (CPU, memory,
 * event-loop lag, garbage collection), each request's duration by route and status, allocations by
 * outcome, labels rendered by format, and the database's connections. Each server has a registry of
 * its own (several servers may run in one process, as in the tests); the process's figures are
 * collected once per process, in a registry they all share, and merged in at each scrape. With
 * SWITCHYARD_WORKERS=N each worker counts its own requests, and a scrape is answered by whichever
 * worker takes it.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
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

  constructor(database: Database) {
    const registry = this.registry;
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

  /** The exposition text: this server's figures and the process's. */
  async text(): Promise<{ contentType: string; body: string }> {
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
