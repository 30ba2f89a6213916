/**
 * TimerWheel: a hierarchical timing wheel with 1 ms ticks, 6 levels of 64 slots
 * (level l covers 64^(l+1) ms; level 5 reaches ~2.2 years). A deadline beyond the top
 * level's reach is parked in the top level at most 63 slots ahead and re-placed each time
 * its slot comes round, so any finite deadline works.
 *
 * A timer lives in exactly one slot, in an intrusive doubly linked list (FIFO: timers with
 * the same deadline fire in insertion order), so insert and cancel are O(1). Its level is
 * the lowest one whose range, seen from `elapsed`, still contains the deadline: near timers
 * sit in level 0 with 1 ms precision, far ones in coarse slots and are re-inserted
 * ("cascade") into finer levels as time reaches them.
 *
 * Protocol of `advance(now, fire)`:
 *   1. Find the earliest occupied slot: scan levels from 0 up; in a level, scan slots from
 *      the one holding `elapsed`. The first occupied slot found is the earliest, because
 *      every timer in level l is due before any timer in level l+1 (that is what the
 *      level choice guarantees).
 *   2. If that slot's start is after `now`, stop: set `elapsed = now`.
 *   3. Else set `elapsed` to the slot's start and take the slot's timers one by one (so
 *      `fire` may cancel or insert timers): fire each whose deadline <= `elapsed`, else
 *      re-insert it (it lands in a lower level, or further ahead in the top one).
 *   4. Repeat from 1.
 * The work per `advance` is bounded by the timers due (plus a scan of at most 6 × 64 slot
 * counters per step), never by the number of timers pending.
 */

const kSlots = 64;
const kLevels = 6;
/** kRange[l] = ms covered by one slot of level l = 64^l; kRange[l+1] = ms covered by level l. */
const kRange: number[] = [];
for (let l = 0; l <= kLevels; l++) kRange.push(Math.pow(kSlots, l));

export class TimerNode {
  deadline = 0;
  prev: TimerNode | null = null;
  next: TimerNode | null = null;
  /** -1 when not in the wheel. */
  level = -1;
  slot = 0;
}

export class TimerWheel<T extends TimerNode> {
  /** Current time in wheel ticks (ms since the wheel's origin). */
  elapsed = 0;
  /** Number of timers in the wheel. */
  size = 0;
  private readonly heads: (TimerNode | null)[] = new Array(kSlots * kLevels).fill(null);
  private readonly tails: (TimerNode | null)[] = new Array(kSlots * kLevels).fill(null);
  private readonly counts = new Int32Array(kSlots * kLevels);
  private readonly levelCounts = new Int32Array(kLevels);

  constructor(origin = 0) {
    this.elapsed = Math.floor(origin);
  }

  /** Insert a timer due at `deadline` (ms, absolute on the wheel's clock). */
  insert(t: T, deadline: number): void {
    t.deadline = Math.ceil(deadline);
    this.place(t);
    this.size++;
  }

  /** Remove a pending timer. Returns false if it already fired or was cancelled. */
  cancel(t: T): boolean {
    if (t.level < 0) return false;
    this.unlink(t);
    this.size--;
    return true;
  }

  /** The earliest pending deadline, or -1 when the wheel is empty. (Slot start, ≤ deadline.) */
  nextDeadline(): number {
    if (this.size === 0) return -1;
    for (let l = 0; l < kLevels; l++) {
      if (this.levelCounts[l] === 0) continue;
      const s = this.findSlot(l);
      if (s >= 0) return this.slotStart(l, s);
    }
    return -1;
  }

  /** Advance to `now`, calling `fire(t)` for every timer due, in deadline order per slot. */
  advance(now: number, fire: (t: T) => void): number {
    let fired = 0;
    now = Math.floor(now);
    while (this.size > 0) {
      let level = -1;
      let slot = -1;
      for (let l = 0; l < kLevels; l++) {
        if (this.levelCounts[l] === 0) continue;
        const s = this.findSlot(l);
        if (s >= 0) {
          level = l;
          slot = s;
          break;
        }
      }
      if (level < 0) break;
      const start = this.slotStart(level, slot);
      if (start > now) break;
      if (start > this.elapsed) this.elapsed = start;
      const idx = level * kSlots + slot;
      // Take the slot's timers one at a time, so a `fire` that cancels another timer of
      // this slot (or inserts one) finds the lists consistent. A timer not yet due is
      // re-placed in a lower level (or further ahead in the top one), never in this slot.
      let t: TimerNode | null;
      while ((t = this.heads[idx]) !== null) {
        this.unlink(t);
        if (t.deadline <= this.elapsed) {
          this.size--;
          fired++;
          fire(t as T);
        } else {
          this.place(t);
        }
      }
    }
    if (now > this.elapsed) this.elapsed = now;
    return fired;
  }

  private place(t: TimerNode): void {
    let d = t.deadline;
    if (d < this.elapsed) d = this.elapsed;
    // Beyond the top level's reach: park it at most 63 top-level slots ahead.
    const horizon = this.elapsed + (kSlots - 1) * kRange[kLevels - 1];
    if (d > horizon) d = horizon;
    let level = kLevels - 1;
    for (let l = 0; l < kLevels; l++) {
      if (Math.floor(d / kRange[l + 1]) === Math.floor(this.elapsed / kRange[l + 1])) {
        level = l;
        break;
      }
    }
    const slot = Math.floor(d / kRange[level]) % kSlots;
    const idx = level * kSlots + slot;
    t.level = level;
    t.slot = slot;
    // Append: FIFO within a slot.
    t.next = null;
    t.prev = this.tails[idx];
    if (t.prev !== null) t.prev.next = t;
    else this.heads[idx] = t;
    this.tails[idx] = t;
    this.counts[idx]++;
    this.levelCounts[level]++;
  }

  private unlink(t: TimerNode): void {
    const idx = t.level * kSlots + t.slot;
    if (t.prev !== null) t.prev.next = t.next;
    else this.heads[idx] = t.next;
    if (t.next !== null) t.next.prev = t.prev;
    else this.tails[idx] = t.prev;
    this.counts[idx]--;
    this.levelCounts[t.level]--;
    t.prev = t.next = null;
    t.level = -1;
  }

  /** First occupied slot of level l at or after the slot holding `elapsed`. */
  private findSlot(l: number): number {
    const base = l * kSlots;
    const from = Math.floor(this.elapsed / kRange[l]) % kSlots;
    for (let i = 0; i < kSlots; i++) {
      const s = (from + i) % kSlots;
      if (this.counts[base + s] !== 0) return s;
    }
    return -1;
  }

  /** Absolute start time of slot s of level l, as seen from `elapsed`. */
  private slotStart(l: number, s: number): number {
    const levelSpan = kRange[l + 1];
    const levelStart = Math.floor(this.elapsed / levelSpan) * levelSpan;
    const from = Math.floor(this.elapsed / kRange[l]) % kSlots;
    // Slots before `from` belong to the next rotation of this level.
    const rot = s < from ? levelSpan : 0;
    const start = levelStart + rot + s * kRange[l];
    return start < this.elapsed ? this.elapsed : start;
  }
}
