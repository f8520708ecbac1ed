import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got. */
export interface Received {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** What the receiver does with a request: answer with a status (and body), or never answer. */
export type Behaviour = { status: number; body?: string } | 'hang';

/**
 * A real webhook receiver on loopback. `behave` decides each answer in turn
 * (the last one repeats); every request is kept. Hanging requests are cut when
 * the receiver closes.
 */
export class Receiver {
  readonly received: Received[] = [];
  private plan: Behaviour[] = [{ status: 200 }];
  private readonly waiters = new Set<() => void>();
  private readonly server: http.Server;
  private served = 0;

  private constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({
          id: String(req.headers['webhook-id']),
          timestamp: String(req.headers['webhook-timestamp']),
          signature: String(req.headers['webhook-signature']),
          body: Buffer.concat(chunks).toString('utf8'),
          headers: req.headers,
        });
        const behaviour = this.plan[Math.min(this.served++, this.plan.length - 1)];
        for (const w of [...this.waiters]) w();
        if (behaviour === 'hang') return;
        res.writeHead(behaviour.status, { 'content-type': 'text/plain' });
        res.end(behaviour.body ?? 'ok');
      });
    });
  }

  static async start(): Promise<Receiver> {
    const r = new Receiver();
    await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** The answers from now on, in order; the last repeats. */
  behave(...plan: Behaviour[]): void {
    this.plan = plan;
    this.served = 0;
  }

  /** Resolves once `count` requests have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs = 30000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.received.length >= count) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`waited ${timeoutMs} ms for ${count} webhook requests, got ${this.received.length}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Parses a request's body after verifying its signature with `secret`, as a receiver would (throws if it does not verify). */
  static verify(r: Received, secret: string): { type: string; timestamp: string; data: Record<string, unknown> } {
    return new Webhook(secret).verify(r.body, { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature }) as never;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
