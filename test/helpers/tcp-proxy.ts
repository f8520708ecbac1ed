import net from 'node:net';

/**
 * A TCP proxy in the test process, to stand a cuttable network between the
 * server and PostgreSQL (the machine's PostgreSQL itself is never touched).
 */
export class TcpProxy {
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly pairs = new Set<net.Socket>();
  private mode: 'forward' | 'refuse' = 'forward';
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** The proxy for the host and port of a `postgres://` URL. */
  static forUrl(url: string): TcpProxy {
    const parsed = new URL(url);
    return new TcpProxy(parsed.hostname, Number(parsed.port || 5432));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  /** Drops every open connection and refuses new ones. */
  cut(): void {
    this.mode = 'refuse';
    for (const socket of this.pairs) socket.destroy();
    this.pairs.clear();
  }

  restore(): void {
    this.mode = 'forward';
  }

  /** Connections currently forwarded (each counted once, client side). */
  get open(): number {
    return [...this.pairs].filter((s) => s.remotePort !== this.targetPort).length;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.mode === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.targetPort, this.targetHost);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.pairs.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        this.pairs.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  }
}
