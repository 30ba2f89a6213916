/**
 * TcpProxy: a TCP relay on 127.0.0.1 for distribution tests. A node is pointed at the
 * proxy (e.g. with `dist.staticPorts`) instead of its peer, so a test can cut the wire
 * without closing it, and see every byte that crossed it.
 *
 *   client ──► [proxy 127.0.0.1:port] ──► target
 *          ◄──                        ◄──
 *
 * Per accepted client connection ("pair"):
 *   1. Accept the client socket; open one upstream socket to the target. Bytes the client
 *      sends before the upstream is connected are queued by the upstream socket itself.
 *   2. Forward: every chunk read on one side is appended to that direction's capture and
 *      counted as seen, then (unless blackholed) written to the other side and counted as
 *      forwarded. Back-pressure: a side whose peer's write returns false is paused until
 *      the peer drains.
 *   3. A FIN on one side ends the other (half-close carried through); an error or close on
 *      one side destroys the other. Failing to reach the target destroys the client.
 *
 * blackhole(): a peer that went silent. Both sides of every pair (present and future) stop
 * being read (socket.pause()), so bytes stay in the kernel buffers and the senders' TCP
 * windows fill; a chunk already in flight is held, not dropped; a FIN or close seen while
 * blackholed is held too. Both sockets stay open: neither node sees anything at all.
 * resume(): held chunks are written in order, held FIN/close carried through, reading
 * restarts: the streams continue intact, as after a partition heals.
 *
 * capture(): every byte seen in each direction since the proxy started, over all pairs
 * (concatenated in arrival order per direction), and per pair.
 * close(): destroys every socket and the listener; resolves once every handle is closed.
 */
import net from 'node:net';

export interface TcpProxyTarget {
  readonly host: string;
  readonly port: number;
}

export interface TcpProxyCapture {
  /** Client -> target, all pairs, in arrival order. */
  readonly toTarget: Buffer;
  /** Target -> client, all pairs, in arrival order. */
  readonly toClient: Buffer;
  /** The same, per pair, in accept order. */
  readonly pairs: readonly { readonly toTarget: Buffer; readonly toClient: Buffer }[];
}

export interface TcpProxyStats {
  /** Client connections accepted so far. */
  readonly accepted: number;
  /** Pairs with both sockets still open. */
  readonly open: number;
  readonly seenToTarget: number;
  readonly seenToClient: number;
  readonly forwardedToTarget: number;
  readonly forwardedToClient: number;
  /** Bytes read but held by a blackhole, not yet forwarded. */
  readonly held: number;
}

/** One direction of a pair: reads `from`, writes `to`. */
class Direction {
  readonly chunks: Buffer[] = [];
  seen = 0;
  forwarded = 0;
  readonly heldChunks: Buffer[] = [];
  heldEnd = false;
  constructor(
    readonly from: net.Socket,
    readonly to: net.Socket,
  ) {}
}

class Pair {
  readonly up: Direction;
  readonly down: Direction;
  closed = false;
  heldDestroy = false;
  constructor(
    readonly client: net.Socket,
    readonly upstream: net.Socket,
  ) {
    this.up = new Direction(client, upstream);
    this.down = new Direction(upstream, client);
  }
}

export class TcpProxy {
  readonly host = '127.0.0.1';
  readonly target: TcpProxyTarget;
  private readonly server: net.Server;
  private readonly pairs: Pair[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly socketClosed: Promise<void>[] = [];
  private holes = false;
  private closing: Promise<void> | null = null;
  private listenPort = 0;

  private constructor(target: TcpProxyTarget) {
    this.target = target;
    this.server = net.createServer({ pauseOnConnect: true }, (client) => this.accept(client));
  }

  /** Listen on 127.0.0.1, port 0 (the OS picks a free one), relaying to `target`. */
  static async start(target: TcpProxyTarget): Promise<TcpProxy> {
    const p = new TcpProxy(target);
    await new Promise<void>((resolve, reject) => {
      p.server.once('error', reject);
      p.server.listen({ host: '127.0.0.1', port: 0 }, () => {
        p.server.off('error', reject);
        resolve();
      });
    });
    p.listenPort = (p.server.address() as net.AddressInfo).port;
    return p;
  }

  /** The port the proxy listens on. */
  get port(): number {
    return this.listenPort;
  }

  /** `host:port` of the proxy, as dist.staticPorts takes it. */
  get address(): string {
    return `${this.host}:${this.listenPort}`;
  }

  get blackholed(): boolean {
    return this.holes;
  }

  /** Stop forwarding in both directions of every pair; keep every socket open. */
  blackhole(): void {
    if (this.holes) return;
    this.holes = true;
    for (const p of this.pairs) {
      if (p.closed) continue;
      p.client.pause();
      p.upstream.pause();
    }
  }

  /** Forward again: what was held first, in order, then whatever comes. */
  resume(): void {
    if (!this.holes) return;
    this.holes = false;
    for (const p of this.pairs) {
      if (p.closed) continue;
      for (const d of [p.up, p.down]) {
        for (const c of d.heldChunks.splice(0)) this.forward(d, c);
        if (d.heldEnd) d.to.end();
      }
      if (p.heldDestroy) {
        // One side is gone: the other gets what was held, then its end.
        p.closed = true;
        for (const s of [p.client, p.upstream]) if (!s.destroyed) s.end(() => s.destroy());
        continue;
      }
      p.client.resume();
      p.upstream.resume();
    }
  }

  capture(): TcpProxyCapture {
    const toTarget: Buffer[] = [];
    const toClient: Buffer[] = [];
    for (const p of this.pairs) {
      toTarget.push(...p.up.chunks);
      toClient.push(...p.down.chunks);
    }
    return {
      toTarget: Buffer.concat(toTarget),
      toClient: Buffer.concat(toClient),
      pairs: this.pairs.map((p) => ({ toTarget: Buffer.concat(p.up.chunks), toClient: Buffer.concat(p.down.chunks) })),
    };
  }

  stats(): TcpProxyStats {
    let open = 0;
    let seenToTarget = 0;
    let seenToClient = 0;
    let forwardedToTarget = 0;
    let forwardedToClient = 0;
    let held = 0;
    for (const p of this.pairs) {
      if (!p.closed) open++;
      seenToTarget += p.up.seen;
      seenToClient += p.down.seen;
      forwardedToTarget += p.up.forwarded;
      forwardedToClient += p.down.forwarded;
      for (const c of p.up.heldChunks) held += c.length;
      for (const c of p.down.heldChunks) held += c.length;
    }
    return { accepted: this.pairs.length, open, seenToTarget, seenToClient, forwardedToTarget, forwardedToClient, held };
  }

  /** Destroy every socket and stop listening; resolves when all of their handles are closed. */
  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    // A server's 'close' is emitted on the tick after its handle's close was requested; libuv
    // runs the close callback in the loop's close phase, after this iteration's check phase:
    // the second setImmediate runs after it, when the handle is gone.
    const listening = new Promise<void>((resolve) => this.server.close(() => setImmediate(() => setImmediate(resolve))));
    for (const p of this.pairs) this.destroyPair(p);
    this.closing = Promise.all([listening, ...this.socketClosed]).then(() => undefined);
    return this.closing;
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    this.socketClosed.push(new Promise<void>((resolve) => s.once('close', () => resolve())));
    s.once('close', () => this.sockets.delete(s));
  }

  /** Step 1. */
  private accept(client: net.Socket): void {
    if (this.closing !== null) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: this.target.host, port: this.target.port });
    this.track(client);
    this.track(upstream);
    const pair = new Pair(client, upstream);
    this.pairs.push(pair);
    for (const d of [pair.up, pair.down]) this.wire(pair, d);
    const failed = (): void => this.lost(pair);
    client.on('error', failed);
    upstream.on('error', failed);
    client.on('close', failed);
    upstream.on('close', failed);
    if (this.holes) upstream.pause();
    else client.resume();
  }

  /** Steps 2 and 3 (FIN) for one direction. */
  private wire(pair: Pair, d: Direction): void {
    d.from.on('data', (chunk: Buffer) => {
      d.chunks.push(chunk);
      d.seen += chunk.length;
      if (this.holes) d.heldChunks.push(chunk);
      else this.forward(d, chunk);
    });
    d.from.on('end', () => {
      if (pair.closed) return;
      if (this.holes) d.heldEnd = true;
      else d.to.end();
    });
    d.to.on('drain', () => {
      if (!this.holes && !pair.closed) d.from.resume();
    });
  }

  private forward(d: Direction, chunk: Buffer): void {
    if (d.to.destroyed) return;
    d.forwarded += chunk.length;
    if (!d.to.write(chunk)) d.from.pause();
  }

  /** Step 3 (error / close): the other side goes too, unless a blackhole holds it. */
  private lost(pair: Pair): void {
    if (pair.closed) return;
    if (this.holes && this.closing === null) {
      pair.heldDestroy = true;
      return;
    }
    this.destroyPair(pair);
  }

  private destroyPair(pair: Pair): void {
    pair.closed = true;
    pair.client.destroy();
    pair.upstream.destroy();
  }
}

/** Start a proxy on 127.0.0.1 (free port) relaying to `target`. */
export function startTcpProxy(target: TcpProxyTarget): Promise<TcpProxy> {
  return TcpProxy.start(target);
}
