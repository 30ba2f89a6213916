/**
 * MonotonicSeries: keeps an exported counter from ever going down although its source may
 * restart from zero (a connection's counters begin again when the peer reconnects; a
 * source read after a scheduler restart).
 *
 *   1. Each series (a metric name and its label values) remembers the last value read
 *      and a base.
 *   2. A new reading >= the last one: exported value = base + reading.
 *   3. A reading below the last one means the source restarted: base += last, then as 2.
 *      (What the source counted between the last scrape and its restart is not seen: the
 *      counter under-counts then, it never goes backwards.)
 *   4. A series that is not read any more (a peer gone) keeps its last exported value.
 *
 * Prometheus' rate() copes with resets anyway; this makes the text format honest about
 * the TYPE counter line for every reader.
 */
export class MonotonicSeries {
  private readonly series = new Map<string, { base: number; last: number }>();

  /** Record `reading` for series `key`; returns the value to export. */
  update(key: string, reading: number): number {
    const s = this.series.get(key);
    if (s === undefined) {
      this.series.set(key, { base: 0, last: reading });
      return reading;
    }
    if (reading < s.last) s.base += s.last;
    s.last = reading;
    return s.base + reading;
  }

  /** Every series with its exported value (for series not read this time). */
  *values(): IterableIterator<[string, number]> {
    for (const [k, s] of this.series) yield [k, s.base + s.last];
  }
}
