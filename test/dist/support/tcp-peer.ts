/**
 * Plain TCP endpoints for the proxy tests: a target server that records what each accepted
 * connection received, and a client that records what it received. Both resolve waits on
 * byte counts (never on time).
 */
import net from 'node:net';

/** What one socket received, with a way to wait for a byte count. */
export class Received {
  readonly chunks: Buffer[] = [];
  bytes = 0;
  ended = false;
  closed = false;
  private waiters: { n: number; resolve: () => void }[] = [];
  constructor(readonly socket: net.Socket) {
    socket.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.bytes += c.length;
      this.waiters = this.waiters.filter((w) => (this.bytes >= w.n ? (w.resolve(), false) : true));
    });
    socket.on('end', () => (this.ended = true));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }
  get all(): Buffer {
    return Buffer.concat(this.chunks);
  }
  /** Resolves once at least `n` bytes arrived. */
  atLeast(n: number): Promise<void> {
    if (this.bytes >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

export interface TargetServer {
  readonly port: number;
  /** Resolves with the `k`-th accepted connection (0-based). */
  connection(k: number): Promise<Received>;
  close(): Promise<void>;
}

export async function startTargetServer(): Promise<TargetServer> {
  const accepted: Received[] = [];
  const waiting = new Map<number, (r: Received) => void>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    const r = new Received(s);
    accepted.push(r);
    waiting.get(accepted.length - 1)?.(r);
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connection: (k) => (accepted[k] !== undefined ? Promise.resolve(accepted[k]!) : new Promise((resolve) => waiting.set(k, resolve))),
    close: async () => {
      const closed = [...sockets].map((s) => new Promise<void>((resolve) => (s.once('close', () => resolve()), s.destroy())));
      await Promise.all([new Promise<void>((resolve) => server.close(() => setImmediate(() => setImmediate(resolve)))), ...closed]);
    },
  };
}

/** Connect to 127.0.0.1:port; resolves once connected. */
export function connectClient(port: number): Promise<Received> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.off('error', reject);
      resolve(new Received(s));
    });
    s.once('error', reject);
  });
}

/** Destroy a socket and resolve when its handle is closed. */
export function destroyed(s: net.Socket): Promise<void> {
  if (s.closed) return Promise.resolve();
  return new Promise((resolve) => (s.once('close', () => resolve()), s.destroy()));
}
