/**
 * A fake I/O host for deterministic tests of the node side of distribution
 * (src/dist/distribution.ts): it records what the node thread writes, and hands it
 * records as the I/O thread would. No thread, no socket.
 */
import type { IoHostHandle } from '../../../src/dist/distribution.ts';

export interface WrittenRecord {
  readonly kind: number;
  readonly conn: number;
  readonly stream: number;
  readonly payload: Uint8Array;
}

export class FakeIoHost implements IoHostHandle {
  readonly creation = 1;
  readonly listenPort = 1;
  readonly written: WrittenRecord[] = [];
  flushes = 0;
  stopped = false;
  private readonly inbox: WrittenRecord[] = [];
  private readable: (() => void) | null = null;

  readonly link = {
    write: (kind: number, conn: number, stream: number, payload: Uint8Array): void => {
      this.written.push({ kind, conn, stream, payload: payload.slice() });
    },
    flush: (): void => {
      this.flushes++;
    },
    drain: (handler: (kind: number, conn: number, stream: number, payload: Uint8Array) => void, max = 0x7fffffff): number => {
      let n = 0;
      while (n < max && this.inbox.length > 0) {
        const r = this.inbox.shift()!;
        handler(r.kind, r.conn, r.stream, r.payload);
        n++;
      }
      return n;
    },
    onReadable: (cb: () => void): void => {
      this.readable = cb;
    },
    holdReading: (): void => {
      this.held = true;
    },
    resumeReading: (): void => {
      this.held = false;
      if (this.inbox.length > 0) this.readable?.();
    },
  };
  /** The node thread asked to be left alone (its actors' side is behind). */
  held = false;

  /** Hand the node thread a record (as the I/O thread would) and let it read. */
  deliver(kind: number, conn: number, stream: number, payload: Uint8Array): void {
    this.inbox.push({ kind, conn, stream, payload });
    this.readable?.();
  }

  async stats(): Promise<unknown> {
    return {};
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }
}

export const json = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
