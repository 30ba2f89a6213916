/**
 * HandshakeSocket: reads whole length-prefixed packets from a socket during a handshake,
 * under one deadline. Both handshakes use it — Switchboard's (handshake.ts: `u32 length |
 * tag | body`) and Erlang's (erlang/handshake.ts: `u16 length | body`); a subclass says
 * the length prefix, the size limit and which error each failure is.
 *
 *   +---------------------+---------------------------+
 *   | length (2 or 4, BE) | packet (length bytes)     |   next() resolves with the packet
 *   +---------------------+---------------------------+
 *
 * Steps
 *   1. construct: listen for data / end / close / error, arm the deadline, resume the
 *      socket if paused;
 *   2. next(): the next whole packet (a copy), or the failure. A length of 0 or over the
 *      limit fails as malformed (with the subclass's refusal bytes, if any);
 *   3. fail(e, last?): once only: stop listening, write `last` (a refusal) and end the
 *      socket — what was written still goes out — then destroy it on close or after 1 s;
 *      a timeout destroys at once. The waiter is rejected with `e`;
 *   4. finish(): success: stop listening, pause the socket, return the bytes read past the
 *      last packet (the channel's first bytes, for the frame reader).
 * After 3 or 4, a late socket error is swallowed (it must not become an uncaught exception).
 */
import type { Duplex } from 'node:stream';

const noop = (): void => {};

export abstract class HandshakeSocket {
  private buf: Uint8Array = new Uint8Array(0);
  private waiter: { resolve: (p: Uint8Array) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private readonly timer: ReturnType<typeof setTimeout>;
  /** The peer's name once known (errors name it). */
  peer: string | null;

  /** Bytes of the big-endian length prefix. */
  protected abstract readonly lengthBytes: 2 | 4;
  /** The largest packet accepted. */
  protected abstract readonly maxPacket: number;
  protected abstract timeoutError(ms: number): Error;
  protected abstract closedError(why: string): Error;
  protected abstract malformedError(why: string): Error;
  /** What to write before ending on a malformed length (a refusal message), if anything. */
  protected malformedRefusal(): Uint8Array | undefined {
    return undefined;
  }

  /** Step 1. */
  constructor(private readonly socket: Duplex, ms: number, peer: string | null) {
    this.peer = peer;
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
    this.timer = setTimeout(() => this.fail(this.timeoutError(ms)), ms);
    if (socket.isPaused()) socket.resume();
  }

  private readonly onData = (chunk: Buffer): void => {
    const next = new Uint8Array(this.buf.length + chunk.length);
    next.set(this.buf, 0);
    next.set(chunk, this.buf.length);
    this.buf = next;
    this.pump();
  };
  private readonly onEnd = (): void => this.fail(this.closedError('the connection closed during the handshake'));
  private readonly onError = (e: Error): void => this.fail(this.closedError(`socket error: ${e.message}`));

  private pump(): void {
    const k = this.lengthBytes;
    if (this.waiter === null || this.failure !== null || this.buf.length < k) return;
    const b = this.buf;
    const n = k === 2 ? (b[0]! << 8) | b[1]! : ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    if (n === 0 || n > this.maxPacket) {
      this.fail(this.malformedError(`a handshake packet of ${n} bytes`), this.malformedRefusal());
      return;
    }
    if (b.length < k + n) return;
    const packet = b.slice(k, k + n);
    this.buf = b.subarray(k + n);
    const w = this.waiter;
    this.waiter = null;
    w.resolve(packet);
  }

  /** Step 2. */
  next(): Promise<Uint8Array> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.pump();
    });
  }

  /** Write bytes as they are (the caller frames them); nothing after a failure. */
  send(bytes: Uint8Array): void {
    if (this.failure === null) this.socket.write(bytes);
  }

  /** Step 3. */
  fail(e: Error, last?: Uint8Array): void {
    if (this.failure !== null) return;
    this.failure = e;
    clearTimeout(this.timer);
    this.detach();
    const s = this.socket;
    if (this.isTimeout(e)) s.destroy();
    else {
      if (last !== undefined) s.end(last);
      else s.end();
      const t = setTimeout(() => s.destroy(), 1000);
      t.unref();
      s.once('close', () => clearTimeout(t));
    }
    const w = this.waiter;
    this.waiter = null;
    w?.reject(e);
  }

  /** Whether `e` is this handshake's timeout (destroyed at once, step 3). */
  protected abstract isTimeout(e: Error): boolean;

  /** Step 4. */
  finish(): Uint8Array {
    clearTimeout(this.timer);
    this.detach();
    this.socket.pause();
    return this.buf.slice();
  }

  private detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    this.socket.on('error', noop);
  }
}
