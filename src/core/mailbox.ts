/**
 * Mailbox: a growable circular array of messages, FIFO, with removal from the middle for
 * selective receive.
 *
 * It is the base class of the actor record (`Actor extends Mailbox`), so its fields sit
 * inline in the record: an idle actor with an empty mailbox pays three small fields and
 * no array. The array is allocated on the first message and grows by doubling; it is
 * released again when the mailbox drains after having grown past `kShrinkAbove`.
 *
 *   mbuf: [ . . . m0 m1 m2 . . . ]      capacity = mbuf.length (a power of two)
 *                 ^mhead               mlen = 3; slot i lives at (mhead + i) & (cap - 1)
 *
 * Hot path: `push` and `shift` allocate nothing unless the array must grow.
 */

const kInitialCapacity = 4;
const kShrinkAbove = 1024;

export class Mailbox {
  mbuf: unknown[] | null = null;
  mhead = 0;
  mlen = 0;
  /** Estimated bytes held by queued messages (see `copy.ts` for the estimate). */
  mbytes = 0;

  push(msg: unknown): void {
    let buf = this.mbuf;
    if (buf === null) {
      buf = this.mbuf = new Array(kInitialCapacity);
    } else if (this.mlen === buf.length) {
      buf = this.grow(buf);
    }
    buf[(this.mhead + this.mlen) & (buf.length - 1)] = msg;
    this.mlen++;
  }

  /** Remove and return the oldest message. The caller checks `mlen > 0` first. */
  shift(): unknown {
    const buf = this.mbuf!;
    const h = this.mhead;
    const msg = buf[h];
    buf[h] = undefined;
    this.mhead = (h + 1) & (buf.length - 1);
    if (--this.mlen === 0) {
      this.mhead = 0;
      if (buf.length > kShrinkAbove) this.mbuf = null;
    }
    return msg;
  }

  /** The i-th queued message (0 = oldest). */
  at(i: number): unknown {
    const buf = this.mbuf!;
    return buf[(this.mhead + i) & (buf.length - 1)];
  }

  /** Remove and return the i-th message, keeping the order of the others. */
  removeAt(i: number): unknown {
    if (i === 0) return this.shift();
    const buf = this.mbuf!;
    const mask = buf.length - 1;
    const h = this.mhead;
    const msg = buf[(h + i) & mask];
    // Close the gap by moving the later messages one step towards the head.
    for (let j = i; j < this.mlen - 1; j++) {
      buf[(h + j) & mask] = buf[(h + j + 1) & mask];
    }
    buf[(h + this.mlen - 1) & mask] = undefined;
    this.mlen--;
    if (this.mlen === 0) this.mhead = 0;
    return msg;
  }

  /** Drop every queued message (when the actor exits). */
  clearMailbox(): void {
    this.mbuf = null;
    this.mhead = 0;
    this.mlen = 0;
    this.mbytes = 0;
  }

  private grow(buf: unknown[]): unknown[] {
    const cap = buf.length;
    const next = new Array(cap * 2);
    for (let i = 0; i < this.mlen; i++) next[i] = buf[(this.mhead + i) & (cap - 1)];
    this.mhead = 0;
    this.mbuf = next;
    return next;
  }
}
