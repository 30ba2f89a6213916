/**
 * Per-second rates of a thread's counters (reductions, messages, spawns, exits) for
 * node.stats(), without a timer: each reader keeps two snapshots a window apart.
 *
 *   1. `update(now, counters)`: if the newest snapshot is at least `windowMs` old, it
 *      becomes the older one and `counters` the newest.
 *   2. The rate is (counters - older) / (now - older.t): over the last 1..2 windows, or
 *      since the first reading. The first reading has no interval: rates 0.
 * Erlang mapping: what etop computes from two `erlang:statistics(reductions)` readings.
 */

export interface CounterRates {
  readonly reductions: number;
  readonly messages: number;
  readonly spawns: number;
  readonly exits: number;
}

export interface CounterReading {
  readonly reductions: number;
  readonly messagesIn: number;
  readonly spawns: number;
  readonly exits: number;
}

interface Snapshot {
  t: number;
  r: number;
  m: number;
  s: number;
  e: number;
}

export class RateWindow {
  private older: Snapshot | null = null;
  private newer: Snapshot | null = null;
  private readonly windowMs: number;

  constructor(windowMs = 1000) {
    this.windowMs = windowMs;
  }

  /** Steps 1-2: rates per second. */
  update(now: number, c: CounterReading): CounterRates {
    const snap: Snapshot = { t: now, r: c.reductions, m: c.messagesIn, s: c.spawns, e: c.exits };
    if (this.newer === null) {
      this.older = this.newer = snap;
    } else if (now - this.newer.t >= this.windowMs) {
      this.older = this.newer;
      this.newer = snap;
    }
    const o = this.older!;
    const dt = (now - o.t) / 1000;
    if (dt <= 0) return { reductions: 0, messages: 0, spawns: 0, exits: 0 };
    return { reductions: (snap.r - o.r) / dt, messages: (snap.m - o.m) / dt, spawns: (snap.s - o.s) / dt, exits: (snap.e - o.e) / dt };
  }
}
