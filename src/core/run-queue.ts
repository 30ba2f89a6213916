/**
 * RunQueue: a FIFO of runnable items in a growable circular array.
 *
 * The scheduler keeps one per priority. Items are enqueued at most once (the actor
 * record carries an "in run queue" flag), so the queue never holds duplicates.
 * `push` and `shift` allocate nothing unless the array must grow.
 */

export class RunQueue<T> {
  private buf: (T | undefined)[];
  private head = 0;
  length = 0;

  constructor(initialCapacity = 64) {
    let cap = 1;
    while (cap < initialCapacity) cap <<= 1;
    this.buf = new Array(cap);
  }

  push(item: T): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) & (this.buf.length - 1)] = item;
    this.length++;
  }

  /** Remove and return the oldest item, or undefined when empty. */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.length--;
    return item;
  }

  /** Remove one item wherever it is (rare: a queued actor that exits). */
  remove(item: T): boolean {
    const mask = this.buf.length - 1;
    for (let i = 0; i < this.length; i++) {
      if (this.buf[(this.head + i) & mask] === item) {
        for (let j = i; j < this.length - 1; j++) {
          this.buf[(this.head + j) & mask] = this.buf[(this.head + j + 1) & mask];
        }
        this.buf[(this.head + this.length - 1) & mask] = undefined;
        this.length--;
        return true;
      }
    }
    return false;
  }

  private grow(): void {
    const cap = this.buf.length;
    const next = new Array<T | undefined>(cap * 2);
    for (let i = 0; i < this.length; i++) next[i] = this.buf[(this.head + i) & (cap - 1)];
    this.buf = next;
    this.head = 0;
  }
}
