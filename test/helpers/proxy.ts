import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * - `forward`: pass bytes both ways (a healthy network)
 * - `blackhole`: accept, keep every socket open and hold every byte (a partition: nothing is refused, nothing
 *   answers; like TCP retransmission, what was held is delivered once the mode is `forward` again)
 * - `reset`: accept and close at once (a server that drops connections)
 */
export type ProxyMode = 'forward' | 'blackhole' | 'reset';

/**
 * A TCP proxy in front of the real PostgreSQL, to simulate outages without
 * touching the database server itself.
 */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  /** Sockets whose bytes go nowhere (see `vanish`). */
  private readonly dead = new WeakSet<net.Socket>();
  /** Relays waiting for the partition to heal. */
  private readonly held = new Set<() => void>();
  private currentMode: ProxyMode = 'forward';
  /** Client connections accepted so far. */
  connections = 0;
  /** Called on every accepted client connection (after `connections` is counted). */
  onConnection: (() => void) | null = null;
  /** Sees every chunk a client sends before it is forwarded (e.g. to fail the database at a chosen statement). */
  onClientData: ((chunk: Buffer) => void) | null = null;

  private constructor(
    private readonly target: { host: string; port: number },
    private listenPort: number,
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  /** Starts a proxy to `target` on a free port (or on `port`). */
  static async start(target: { host: string; port: number }, port = 0): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, port);
    await proxy.listen();
    return proxy;
  }

  get port(): number {
    return this.listenPort;
  }

  get mode(): ProxyMode {
    return this.currentMode;
  }

  /** `DATABASE_URL` with host and port replaced by the proxy's. */
  urlFor(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.listenPort);
    return url.toString();
  }

  /** Switches the mode for new connections and for open ones. */
  setMode(mode: ProxyMode): void {
    this.currentMode = mode;
    if (mode !== 'forward') return;
    for (const link of [...this.held]) link();
    this.held.clear();
  }

  /**
   * Every connection open now goes silent for good, without being closed (the
   * database host vanished); new connections follow the mode as usual.
   */
  vanish(): void {
    for (const socket of this.sockets) this.dead.add(socket);
  }

  /** Closes every open connection abruptly (a lost connection), keeping the mode. */
  cut(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.held.clear();
  }

  /** Stops listening and cuts every connection: new connections are refused. */
  async refuse(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Listens again (on the same port) after `refuse()`. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.listenPort, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.listenPort = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.cut();
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private accept(client: net.Socket): void {
    this.connections++;
    this.track(client);
    this.onConnection?.();
    if (this.currentMode === 'reset') {
      client.destroy();
      return;
    }
    client.pause();
    const link = () => {
      if (client.destroyed) return;
      const upstream = net.connect(this.target.port, this.target.host);
      this.track(upstream);
      upstream.pause();
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      this.relay(client, upstream, true);
      this.relay(upstream, client, false);
    };
    if (this.currentMode === 'forward') link();
    else this.held.add(link);
  }

  /** Copies `from` to `to` while forwarding; in a partition stops reading, so bytes wait as in a TCP send queue. */
  private relay(from: net.Socket, to: net.Socket, fromClient: boolean): void {
    from.on('data', (chunk: Buffer) => {
      if (fromClient) this.onClientData?.(chunk);
      if (this.dead.has(from) || this.dead.has(to) || to.destroyed) return;
      if (this.currentMode === 'forward') {
        to.write(chunk);
        return;
      }
      from.pause();
      from.unshift(chunk);
      this.held.add(() => from.resume());
    });
    from.resume();
  }
}
