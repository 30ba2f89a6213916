/**
 * The simulator's event queue: a binary min-heap ordered by (time, insertion number), so
 * events at the same virtual time run in the order they were scheduled — the one thing
 * that makes a run repeatable.
 */
export interface Scheduled<T> {
  readonly at: number;
  readonly n: number;
  readonly item: T;
}

export class EventQueue<T> {
  private readonly heap: Array<Scheduled<T>> = [];
  private count = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, item: T): void {
    const e: Scheduled<T> = { at, n: this.count++, item };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  peekTime(): number {
    return this.heap.length === 0 ? Infinity : this.heap[0]!.at;
  }

  pop(): Scheduled<T> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && before(h[r]!, h[l]!) ? r : l;
        if (!before(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function before<T>(a: Scheduled<T>, b: Scheduled<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.n < b.n);
}
