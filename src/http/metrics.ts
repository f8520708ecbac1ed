import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/database';
import type { AuthOutcome, CredentialKind, Observer, PolicyRefusal } from '../observability';

/**
 * Who may read `/metrics`. `public`: the API port, open to anyone who can
 * call the API. `private`: `METRICS_PORT`, which the operator binds to a
 * monitoring network.
 */
export type MetricsView = 'public' | 'private';

/**
 * A refused credential's reason, as the public view shows it. The reasons
 * (unknown, expired, deleted, ...) would let anyone who can scrape `/metrics`
 * learn the state of a credential they hold, e.g. that a leaked token was once
 * real: publicly every refusal is `invalid`. `missing` stays, as it says only
 * what the caller itself sent (no credential at all).
 */
const PUBLIC_OUTCOME: Record<AuthOutcome, 'ok' | 'missing' | 'invalid'> = {
  ok: 'ok',
  missing: 'missing',
  malformed: 'invalid',
  unknown: 'invalid',
  expired: 'invalid',
  deleted: 'invalid',
  disabled: 'invalid',
  revoked: 'invalid',
};

type AuthLabels = 'credential' | 'outcome';

/** The server's Prometheus metrics, in registries of their own (one set per app, so tests do not share). */
export class Metrics implements Observer {
  private readonly views: Record<MetricsView, Registry[]>;
  private readonly requests: Counter<'method' | 'route' | 'status_code'>;
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly auth: Record<MetricsView, Counter<AuthLabels>>;
  private readonly created: Counter;
  private readonly deleted: Counter;
  private readonly canaries: Counter;
  private readonly refusals: Counter<'reason'>;

  constructor(database: Database) {
    const common = new Registry();
    const registers = [common];
    collectDefaultMetrics({ register: common });
    this.requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests by route template and status.', labelNames: ['method', 'route', 'status_code'], registers });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route template and status.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    // What only one view shows. auth_attempts_total: one series name, two counters, one in each view.
    const viewRegistries = { public: new Registry(), private: new Registry() };
    const authCounter = (registry: Registry) =>
      new Counter<AuthLabels>({ name: 'auth_attempts_total', help: 'Authentication outcomes by credential kind.', labelNames: ['credential', 'outcome'], registers: [registry] });
    this.auth = { public: authCounter(viewRegistries.public), private: authCounter(viewRegistries.private) };
    this.created = new Counter({ name: 'accesskeys_created_total', help: 'Access keys created.', registers });
    this.deleted = new Counter({ name: 'accesskeys_deleted_total', help: 'Access keys deleted.', registers });
    // Private view only: on the public one, an attacker holding a token could watch it to learn the token is a canary.
    this.canaries = new Counter({ name: 'accesskeys_canary_uses_total', help: 'Uses of live canary keys (each refused).', registers: [viewRegistries.private] });
    // Private view only: a canary's alarm writes (unawaited) right after its 401, and the idle count
    // dipping on the public view would tell whoever holds the token that it is a canary.
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting clients).',
      labelNames: ['state'],
      registers: [viewRegistries.private],
      collect() {
        const stats = database.pool();
        if (!stats) return;
        this.set({ state: 'total' }, stats.totalCount);
        this.set({ state: 'idle' }, stats.idleCount);
        this.set({ state: 'waiting' }, stats.waitingCount);
      },
    });
    // Both views: a refusal's reason is what its caller is told anyway, and no key is named.
    this.refusals = new Counter({ name: 'accesskey_policy_refusals_total', help: 'Uses of usable keys refused by their usage policy, by reason.', labelNames: ['reason'], registers });
    this.views = { public: [common, viewRegistries.public], private: [common, viewRegistries.private] };
  }

  authenticated(credential: CredentialKind, outcome: AuthOutcome): void {
    this.auth.private.inc({ credential, outcome });
    this.auth.public.inc({ credential, outcome: PUBLIC_OUTCOME[outcome] });
  }

  accesskeyCreated(): void {
    this.created.inc();
  }

  accesskeyDeleted(): void {
    this.deleted.inc();
  }

  canaryUsed(): void {
    this.canaries.inc();
  }

  /** Adds a feature's own series to the private view (e.g. webhook deliveries: a canary's alarm sends one). */
  addPrivate(registry: Registry): void {
    this.views.private.push(registry);
  }

  policyRefused(reason: PolicyRefusal): void {
    this.refusals.inc({ reason });
  }

  /** Counts and times every request of `app` by route template (never the raw URL: bounded labels). */
  instrument(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
      this.requests.inc(labels);
      this.duration.observe(labels, reply.elapsedTime / 1000);
    });
  }

  /** `GET /metrics` in Prometheus text format, without credentials, as `view` shows them. */
  registerRoute(app: FastifyInstance, view: MetricsView): void {
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      // Merged at each scrape, so series added after the route was registered are included.
      const registry = Registry.merge(this.views[view]);
      reply.type(registry.contentType);
      return registry.metrics();
    });
  }
}
