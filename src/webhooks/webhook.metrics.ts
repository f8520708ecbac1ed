import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

/** Webhook series, for the private metrics view (a delivery can follow a canary's use). */
export class WebhookMetrics {
  readonly registry = new Registry();
  private readonly deliveries: Counter<'outcome'>;
  private readonly latency: Histogram;

  constructor(queueDepth: () => Promise<number>) {
    const registers = [this.registry];
    this.deliveries = new Counter({ name: 'webhook_deliveries_total', help: 'Webhook delivery attempts by outcome.', labelNames: ['outcome'], registers });
    this.latency = new Histogram({
      name: 'webhook_attempt_duration_seconds',
      help: 'Time from sending a webhook to its answer (or failure).',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    new Gauge({
      name: 'webhook_queue_depth',
      help: 'Webhook deliveries waiting (PENDING).',
      registers,
      async collect() {
        this.set(await queueDepth().catch(() => 0));
      },
    });
  }

  attempted(outcome: DeliveryOutcome, seconds: number): void {
    this.deliveries.inc({ outcome });
    this.latency.observe(seconds);
  }
}
