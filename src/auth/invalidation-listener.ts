import { Client } from 'pg';
import type { ClientConfig } from 'pg';
import { INVALIDATION_CHANNEL, decodeInvalidation } from '../db/invalidation';
import type { Invalidation } from '../db/invalidation';
import type { AuthCache } from './auth-cache';

/** Applies an invalidation to this process's cache. */
export function applyInvalidation(cache: AuthCache, inv: Invalidation): void {
  if (inv.kind === 'key') cache.dropKey(inv.tokenHash);
  else cache.dropAgent(inv.id);
}

export interface ListenerLog {
  info(msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ListenerOptions {
  /** Connection settings of the listening connection (`DATABASE_LISTEN_URL`, else `DATABASE_URL`). */
  readonly connection: ClientConfig;
  /** How often the idle listening connection proves it is alive; a silent network is noticed within about twice this. */
  readonly heartbeatMs: number;
  readonly log: ListenerLog;
  /**
   * Other channels heard on the same connection (one listening connection per
   * process): each handler runs on a notification, and once more on every
   * (re)subscription, since what was sent while unsubscribed is lost.
   */
  readonly also?: Readonly<Record<string, () => void>>;
}

/**
 * Keeps one connection subscribed to the invalidation channel and applies
 * what arrives to the cache. Fails closed: from the moment the subscription is
 * in doubt (connection error, end, or a heartbeat without answer) until it is
 * re-established, the cache is emptied and bypassed, so every lookup asks the
 * database.
 */
export class InvalidationListener {
  private client: Client | null = null;
  private stopped = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private backoffMs = 100;
  private subscribedOnce: (() => void) | null = null;

  constructor(
    private readonly cache: AuthCache,
    private readonly options: ListenerOptions,
  ) {}

  /** Subscribes; resolves once the first subscription is up (the cache is in use from then on). */
  start(): Promise<void> {
    const first = new Promise<void>((resolve) => {
      this.subscribedOnce = resolve;
    });
    void this.connect();
    return first;
  }

  /** True while subscribed (the cache is being used). */
  get subscribed(): boolean {
    return this.cache.active;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.lost();
    this.subscribedOnce?.();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    // Bounded like everything else: a silent network must not hang a reconnect (the cache stays bypassed meanwhile).
    const bound = Math.max(2000, this.options.heartbeatMs * 2);
    const client = new Client({ ...this.options.connection, keepAlive: true, query_timeout: bound, connectionTimeoutMillis: bound });
    this.client = client;
    client.on('error', (err) => this.failed(client, err));
    client.on('end', () => this.failed(client, new Error('the listening connection ended')));
    const also = this.options.also ?? {};
    client.on('notification', (message) => {
      if (Object.hasOwn(also, message.channel)) return also[message.channel]();
      if (message.channel !== INVALIDATION_CHANNEL || !message.payload) return;
      const inv = decodeInvalidation(message.payload);
      if (inv) applyInvalidation(this.cache, inv);
      else this.cache.flush(); // unknown message: forget everything rather than guess
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${INVALIDATION_CHANNEL}`);
      // Channel names come from the code (app.ts), never from input.
      for (const channel of Object.keys(also)) await client.query(`LISTEN ${channel}`);
    } catch (err) {
      this.failed(client, err as Error);
      return;
    }
    if (this.client !== client || this.stopped) return;
    this.backoffMs = 100;
    this.cache.resume();
    this.options.log.info('authentication cache: subscribed to invalidations');
    for (const handler of Object.values(also)) handler();
    this.heartbeat = setInterval(() => {
      client.query('SELECT 1').catch((err: Error) => this.failed(client, err));
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
    this.subscribedOnce?.();
    this.subscribedOnce = null;
  }

  private failed(client: Client, err: Error): void {
    if (this.client !== client) return; // an old connection's late news
    this.lost();
    if (this.stopped) return;
    this.options.log.warn({ error: err.message }, 'authentication cache: invalidation subscription lost; bypassing the cache until it is back');
    this.retry = setTimeout(() => void this.connect(), this.backoffMs);
    this.retry.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, 5000);
  }

  private lost(): void {
    this.cache.suspend();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('notification');
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
    }
  }
}
