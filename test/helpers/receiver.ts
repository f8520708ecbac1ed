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
  /** The request's path and query (tells endpoints on one receiver apart). */
  readonly path: string;
}

/**
 * What the receiver does with a request: answer with a status (and body, or
 * `bodyBytes` of it written and then the answer left open), after `delayMs`;
 * never answer (`hang`); or hold the answer until `release()` (`hold`, then 200).
 */
export type Behaviour = { status: number; body?: string; bodyBytes?: number; delayMs?: number; headers?: Record<string, string> } | 'hang' | 'hold';

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
  private readonly held: Array<() => void> = [];
  /** Requests being answered now, per path, and the most there ever were (per path and in all). */
  private readonly open = new Map<string, number>();
  readonly maxOpen = new Map<string, number>();
  maxOpenTotal = 0;

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
          path: String(req.url),
        });
        const behaviour = this.plan[Math.min(this.served++, this.plan.length - 1)];
        const where = String(req.url);
        this.opened(where, +1);
        res.on('close', () => this.opened(where, -1));
        for (const w of [...this.waiters]) w();
        if (behaviour === 'hang') return;
        if (behaviour === 'hold') {
          this.held.push(() => res.end('ok'));
          return;
        }
        const answer = () => {
          res.writeHead(behaviour.status, { 'content-type': 'text/plain', ...behaviour.headers });
          if (behaviour.bodyBytes !== undefined) res.write(Buffer.alloc(behaviour.bodyBytes, 'x'));
          else res.end(behaviour.body ?? 'ok');
        };
        if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
        else answer();
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

  private opened(where: string, step: number): void {
    const n = (this.open.get(where) ?? 0) + step;
    this.open.set(where, n);
    // Only an arrival can raise a maximum (a request of before `reset()` may end after it).
    if (step < 0) return;
    this.maxOpen.set(where, Math.max(this.maxOpen.get(where) ?? 0, n));
    this.maxOpenTotal = Math.max(this.maxOpenTotal, [...this.open.values()].reduce((a, b) => a + b, 0));
  }

  /** Requests held (`hold`) and not yet answered. */
  get holding(): number {
    return this.held.length;
  }

  /** Answers every held request with 200. */
  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  /** Forgets what was received and the concurrency seen. */
  reset(): void {
    this.received.length = 0;
    this.maxOpen.clear();
    this.maxOpenTotal = 0;
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
