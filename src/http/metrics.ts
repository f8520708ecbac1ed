import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/database';
import type { AuthOutcome, CredentialKind, Observer } from '../observability';

/** The server's Prometheus metrics, in a registry of its own (one per app, so tests do not share). */
export class Metrics implements Observer {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status_code'>;
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly auth: Counter<'credential' | 'outcome'>;
  private readonly created: Counter;
  private readonly deleted: Counter;

  constructor(database: Database) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests by route template and status.', labelNames: ['method', 'route', 'status_code'], registers });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route template and status.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.auth = new Counter({ name: 'auth_attempts_total', help: 'Authentication outcomes by credential kind.', labelNames: ['credential', 'outcome'], registers });
    this.created = new Counter({ name: 'accesskeys_created_total', help: 'Access keys created.', registers });
    this.deleted = new Counter({ name: 'accesskeys_deleted_total', help: 'Access keys deleted.', registers });
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting clients).',
      labelNames: ['state'],
      registers,
      collect() {
        const stats = database.pool();
        if (!stats) return;
        this.set({ state: 'total' }, stats.totalCount);
        this.set({ state: 'idle' }, stats.idleCount);
        this.set({ state: 'waiting' }, stats.waitingCount);
      },
    });
  }

  authenticated(credential: CredentialKind, outcome: AuthOutcome): void {
    this.auth.inc({ credential, outcome });
  }

  accesskeyCreated(): void {
    this.created.inc();
  }

  accesskeyDeleted(): void {
    this.deleted.inc();
  }

  /** Counts and times every request of `app` by route template (never the raw URL: bounded labels). */
  instrument(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
      this.requests.inc(labels);
      this.duration.observe(labels, reply.elapsedTime / 1000);
    });
  }

  /** `GET /metrics` in Prometheus text format, without credentials. */
  registerRoute(app: FastifyInstance): void {
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      reply.type(this.registry.contentType);
      return this.registry.metrics();
    });
  }
}
