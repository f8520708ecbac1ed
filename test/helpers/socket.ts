import net from 'node:net';

/** A raw TCP connection, for requests no HTTP client would send (stalled headers, half a body). */
export interface RawConnection {
  readonly socket: net.Socket;
  /** Everything the server has sent so far. */
  received(): string;
  /** Resolves once the server has closed the connection (or it failed), with the error code if any. */
  readonly closed: Promise<string | null>;
  /** Resolves once `data` has been handed to the kernel. */
  write(data: string): Promise<void>;
  /** Resolves once the received text matches `pattern`. */
  waitFor(pattern: RegExp): Promise<string>;
}

/** Opens a connection to 127.0.0.1:`port`; rejects if it cannot connect (e.g. `ECONNREFUSED`). */
export function connect(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let error: string | null = null;
    const listeners = new Set<() => void>();
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      text += d;
      for (const l of [...listeners]) l();
    });
    const closed = new Promise<string | null>((res) => socket.on('close', () => res(error)));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? 'ERROR';
      reject(err);
    });
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => text,
        closed,
        write: (data) => new Promise((res, rej) => socket.write(data, (err) => (err ? rej(err) : res()))),
        waitFor: (pattern) =>
          new Promise((res, rej) => {
            const check = () => {
              if (pattern.test(text)) {
                listeners.delete(check);
                res(text);
              }
            };
            listeners.add(check);
            check();
            void closed.then(() => {
              if (listeners.delete(check)) rej(new Error(`connection closed before ${pattern}; received: ${JSON.stringify(text)}`));
            });
          }),
      }),
    );
  });
}
